package dev.cctracer.web.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Metrics, health and the OpenAPI description.
 */
class ObservabilityTests extends RealDataWebTest {

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Test
	void shouldCountWhatWasIngestedInPrometheus() throws Exception {
		indexed();
		double before = metric("cctracer_ingest_lines_total");
		double runs = metric("cctracer_ingest_run_seconds_count");
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-metrics"));
		Files.writeString(dir.resolve("abababab-0000-4000-8000-000000000001.jsonl"),
				"{\"type\":\"user\"}\n{\"type\":\"system\"}\nnot json\n");
		indexed();
		assertThat(metric("cctracer_ingest_lines_total")).isEqualTo(before + 3);
		assertThat(metric("cctracer_ingest_invalid_lines_total")).isGreaterThanOrEqualTo(1);
		// the ingest that read the new file was timed
		assertThat(metric("cctracer_ingest_run_seconds_count")).isGreaterThanOrEqualTo(runs + 1);
		get("/api/projects");
		String text = prometheus();
		assertThat(text).contains("http_server_requests_seconds_count{").contains("uri=\"/api/projects\"");
		assertThat(text).contains("cctracer_ingest_file_seconds_count").contains("cctracer_scan_seconds_count");
		assertThat(text).contains("cctracer_cache_requests_total{");
		// anyone gets the status, the admin its parts (which name the data dirs' paths
		// and
		// the disk's sizes)
		JsonNode anonymous = get("/actuator/health").body();
		assertThat(anonymous.get("status").asText()).isEqualTo("UP");
		assertThat(anonymous.has("components")).isFalse();
		JsonNode health = this.json.readTree(HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health"))
				.header("Authorization", adminBasic())
				.build(), HttpResponse.BodyHandlers.ofString())
			.body());
		assertThat(health.get("status").asText()).isEqualTo("UP");
		assertThat(health.get("components").get("db").get("status").asText()).isEqualTo("UP");
	}

	@Test
	void shouldDescribeEveryApiEndpointInOpenApi() throws Exception {
		JsonNode doc = get("/api/docs/openapi.json").body();
		assertThat(doc.get("openapi").asText()).startsWith("3.");
		// its own title and the build's version, not springdoc's "OpenAPI definition v0"
		assertThat(doc.at("/info/title").asText()).isEqualTo("Claude Code Tracer API");
		assertThat(doc.at("/info/version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
		Set<String> documented = new TreeSet<>();
		doc.get("paths").fieldNames().forEachRemaining(documented::add);
		Set<String> served = new TreeSet<>();
		this.mappings.getHandlerMethods().keySet().forEach((info) -> info.getPatternValues().forEach((p) -> {
			if (p.startsWith("/api/") && !p.startsWith("/api/docs")) {
				served.add(p);
			}
		}));
		assertThat(served).hasSizeGreaterThan(30);
		assertThat(documented).containsAll(served);
		assertThat(get("/api/docs").status()).isIn(200, 302);
	}

	@Test
	void shouldDescribeTheJobAnswersAndWhatTheFiltersAskInOpenApi() throws Exception {
		JsonNode doc = get("/api/docs/openapi.json").body();
		// the answer of an endpoint whose result is not computed yet: springdoc had
		// listed a 200 only
		indexed();
		Response search = postJson("/api/search", "{\"q\": \"openapi-described\"}");
		assertThat(search.status()).isEqualTo(202);
		assertThat(search.body().get("status_url").asText()).startsWith("/api/jobs/");
		for (String operation : List.of("post /api/queries", "post /api/search", "post /api/exports",
				"post /api/admin/verify", "post /api/admin/archive", "get /api/tools", "get /api/hooks",
				"get /api/projects/{project}/tools", "get /api/projects/{project}/hooks",
				"get /api/sessions/{project}/{session}/tools")) {
			JsonNode accepted = operation(doc, operation).at("/responses/202");
			assertThat(accepted.at("/headers/Location").isObject()).as(operation).isTrue();
			assertThat(accepted.at("/content/application~1json/schema/properties").fieldNames()).toIterable()
				.as(operation)
				.containsExactlyInAnyOrder("job_id", "status_url");
		}
		// an export and the admin's jobs always start one; a report never does
		assertThat(operation(doc, "post /api/exports").at("/responses/200").isMissingNode()).isTrue();
		assertThat(operation(doc, "post /api/search").at("/responses/200").isObject()).isTrue();
		assertThat(operation(doc, "get /api/metrics/daily").at("/responses/202").isMissingNode()).isTrue();
		// a state change under /api/ needs its header: without it, the 403 described
		assertThat(raw("POST", "/api/search", "localhost:" + this.port).status()).isEqualTo(403);
		List<String> withoutHeader = new ArrayList<>();
		doc.get("paths").fields().forEachRemaining((path) -> path.getValue().fields().forEachRemaining((op) -> {
			boolean names = false;
			for (JsonNode p : op.getValue().path("parameters")) {
				names |= p.get("in").asText().equals("header") && p.get("name").asText().equals("X-Requested-By")
						&& p.get("required").asBoolean();
			}
			boolean changes = !op.getKey().equals("get") && path.getKey().startsWith("/api/");
			if (changes != names || (changes && !op.getValue().at("/responses/403").isObject())) {
				withoutHeader.add(op.getKey() + " " + path.getKey());
			}
		}));
		assertThat(withoutHeader).isEmpty();
		// the admin API's login
		assertThat(doc.at("/components/securitySchemes/admin/scheme").asText()).isEqualTo("basic");
		assertThat(operation(doc, "post /api/admin/verify").at("/security/0/admin").isArray()).isTrue();
		assertThat(operation(doc, "post /api/admin/verify").at("/responses/401").isObject()).isTrue();
		assertThat(operation(doc, "post /api/search").at("/security").isMissingNode()).isTrue();
		// a query's fields as it takes them: the catch-all that refuses any other is none
		// (a trial read a field "unknown" in it)
		JsonNode query = doc.at("/components/schemas/QueryRequest/properties");
		List<String> fields = new ArrayList<>();
		query.fieldNames().forEachRemaining(fields::add);
		assertThat(fields).containsExactlyInAnyOrder("group_by", "from", "to", "tz", "project", "session", "model");
		// nor any other request's (the search's and the export's had one too)
		doc.at("/components/schemas")
			.fields()
			.forEachRemaining((schema) -> assertThat(schema.getValue().at("/properties/unknown").isMissingNode())
				.as(schema.getKey())
				.isTrue());
	}

	/** An operation of the OpenAPI description, by {@code "get /api/path"}. */
	private static JsonNode operation(JsonNode doc, String methodAndPath) {
		String[] parts = methodAndPath.split(" ");
		JsonNode operation = doc.get("paths").path(parts[1]).path(parts[0]);
		assertThat(operation.isObject()).as(methodAndPath).isTrue();
		return operation;
	}

	@Test
	void shouldDocumentTheQueryParametersTheApiReads() throws Exception {
		JsonNode doc = get("/api/docs/openapi.json").body();
		// a query record is its parameters; the cost mode is cost_mode, lower case,
		// optional
		Map<String, JsonNode> daily = parameters(doc.at("/paths/~1api~1metrics~1daily/get/parameters"));
		assertThat(daily).containsKeys("from", "to", "tz", "cost_mode").doesNotContainKeys("query", "mode");
		assertThat(daily.get("cost_mode").get("required").asBoolean()).isFalse();
		assertThat(daily.get("cost_mode").at("/schema/enum").toString())
			.isEqualTo("[\"calculate\",\"auto\",\"display\"]");
		assertThat(parameters(doc.at("/paths/~1api~1sessions/get/parameters"))).containsKeys("sort", "order", "project",
				"model", "from", "to", "q", "cursor", "limit", "cost_mode");
		// and the API reads the documented name: an unknown mode under it is refused
		assertThat(get("/api/metrics/daily?cost_mode=bogus").status()).isEqualTo(400);
		// nowhere a parameter nothing reads: an object in the query, or the Java name of
		// the mode
		List<String> wrong = new ArrayList<>();
		doc.get("paths").fields().forEachRemaining((path) -> path.getValue().fields().forEachRemaining((op) -> {
			for (JsonNode p : op.getValue().path("parameters")) {
				if (p.get("name").asText().equals("mode") || p.at("/schema/$ref").isTextual()) {
					wrong.add(op.getKey() + " " + path.getKey() + " " + p.get("name").asText());
				}
			}
		}));
		assertThat(wrong).isEmpty();
	}

	/**
	 * Every query parameter the OpenAPI description documents for a {@code GET} of the
	 * API (springdoc reads it from the handlers' own signatures) passes the check of
	 * unknown parameters: asked with all of them at once (each with the value 1, which
	 * most refuse as a value, and dummy path variables), no answer says a parameter is
	 * unknown or given twice.
	 */
	@Test
	void shouldAcceptEveryDocumentedQueryParameter() throws Exception {
		JsonNode doc = get("/api/docs/openapi.json").body();
		List<String> refused = new ArrayList<>();
		int asked = 0;
		for (Map.Entry<String, JsonNode> path : (Iterable<Map.Entry<String, JsonNode>>) doc.get("paths")::fields) {
			JsonNode get = path.getValue().get("get");
			if (!path.getKey().startsWith("/api/") || path.getKey().startsWith("/api/docs") || get == null) {
				continue;
			}
			List<String> query = new ArrayList<>();
			for (JsonNode p : get.path("parameters")) {
				if (p.get("in").asText().equals("query")) {
					query.add(p.get("name").asText() + "=1");
				}
			}
			if (query.isEmpty()) {
				continue;
			}
			String uri = path.getKey().replaceAll("\\{[^}]+}", "-x") + "?" + String.join("&", query);
			Response answer = get(uri);
			asked++;
			String detail = (answer.body() != null) ? answer.body().path("detail").asText() : "";
			if (detail.startsWith("unknown parameter") || detail.contains("given more than once")) {
				refused.add(uri + ": " + detail);
			}
		}
		assertThat(asked).isGreaterThan(15);
		assertThat(refused).isEmpty();
	}

	private static Map<String, JsonNode> parameters(JsonNode list) {
		Map<String, JsonNode> byName = new HashMap<>();
		list.forEach((p) -> byName.put(p.get("name").asText(), p));
		return byName;
	}

	private String prometheus() throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/prometheus"))
				.header("Authorization", adminBasic())
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

	private double metric(String name) throws Exception {
		Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.Ee+-]+)$").matcher(prometheus());
		double total = 0;
		while (m.find()) {
			total += Double.parseDouble(m.group(2));
		}
		return total;
	}

}
