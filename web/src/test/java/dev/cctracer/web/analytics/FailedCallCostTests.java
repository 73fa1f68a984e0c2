package dev.cctracer.web.analytics;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What failed tool calls cost, by hand: Sonnet 4.5's output is $15 per million tokens.
 * The first response (200,000 output tokens: $3.00) calls Bash, which fails, and Read
 * ($1.50 each); the second (400,000: $6.00) calls Bash alone, which fails. Bash: 2 calls,
 * 2 failed, $7.50, all of it failed; Read: 1 call, $1.50, none failed. The same from the
 * session's transcripts and from the facts (the project's statistics job).
 */
class FailedCallCostTests extends RealDataWebTest {

	private static final String SESSION = "fa11ed00-0000-4000-8000-000000000001";

	private static String response(String id, int output, String calls, String time) {
		return "{\"type\":\"assistant\",\"uuid\":\"a-" + id + "\",\"requestId\":\"req_" + id + "\",\"timestamp\":\""
				+ time + "\",\"sessionId\":\"" + SESSION + "\",\"message\":{\"id\":\"msg_" + id
				+ "\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[" + calls
				+ "],\"usage\":{\"input_tokens\":0,\"output_tokens\":" + output + "}}}\n";
	}

	private static String call(String id, String name) {
		return "{\"type\":\"tool_use\",\"id\":\"toolu_" + id + "\",\"name\":\"" + name + "\",\"input\":{}}";
	}

	private static String result(String id, boolean error, String time) {
		return "{\"type\":\"user\",\"uuid\":\"r-" + id + "\",\"timestamp\":\"" + time + "\",\"sessionId\":\"" + SESSION
				+ "\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_"
				+ id + "\",\"is_error\":" + error + ",\"content\":\"out\"}]}}\n";
	}

	@Test
	void failedCallsCostTheirShareOfTheirResponse() throws Exception {
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-failed-calls"));
		Files.writeString(dir.resolve(SESSION + ".jsonl"),
				response("1", 200_000, call("b1", "Bash") + "," + call("r1", "Read"), "2026-03-02T10:00:00Z")
						+ result("b1", true, "2026-03-02T10:00:01Z") + result("r1", false, "2026-03-02T10:00:01Z")
						+ response("2", 400_000, call("b2", "Bash"), "2026-03-02T10:00:02Z")
						+ result("b2", true, "2026-03-02T10:00:03Z"));
		indexed();
		check(get("/api/sessions/-failed-calls/" + SESSION + "/tools").body().get("tools"));
		check(resultOf(get("/api/projects/-failed-calls/tools")).get("tools"));
		assertThat(get("/projects/-failed-calls/sessions/" + SESSION).text()).contains("Cost of failed calls")
			.containsSubsequence("<td>Bash</td>", "$7.50", "$7.50", "<td>Read</td>", "$1.50");
	}

	private static void check(JsonNode tools) {
		JsonNode bash = find(tools, "name", "Bash");
		assertThat(bash.get("calls").asLong()).isEqualTo(2);
		assertThat(bash.get("errors").asLong()).isEqualTo(2);
		assertThat(bash.get("cost").asDouble()).isCloseTo(7.50, within(1e-9));
		assertThat(bash.get("failed_cost").asDouble()).isCloseTo(7.50, within(1e-9));
		JsonNode read = find(tools, "name", "Read");
		assertThat(read.get("cost").asDouble()).isCloseTo(1.50, within(1e-9));
		assertThat(read.get("failed_cost").asDouble()).isZero();
	}

}
