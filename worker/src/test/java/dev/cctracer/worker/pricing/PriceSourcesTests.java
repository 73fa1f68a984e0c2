package dev.cctracer.worker.pricing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.PayloadApplicationEvent;

import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.worker.DataChanged;
import dev.cctracer.worker.PriceAdmin;
import dev.cctracer.worker.indexing.TracerContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * New prices without a new release, on a real worker context and H2 file: a card added in
 * the admin console (stored in the data dir, kept across restarts, re-pricing what is
 * stored) and an import of LiteLLM's price file from a local HTTP server serving a
 * fixture written here (the last good import kept when a refresh fails).
 */
class PriceSourcesTests {

	private static final String SESSION = "aaaaaaaa-0000-4000-8000-000000000001";

	@TempDir
	Path tmp;

	private TracerContext app;

	private HttpServer server;

	@AfterEach
	void close() {
		if (this.app != null) {
			this.app.close();
		}
		if (this.server != null) {
			this.server.stop(0);
		}
	}

	private void transcript() throws IOException {
		Path dir = Files.createDirectories(this.tmp.resolve("claude/projects/-p"));
		Files.writeString(dir.resolve(SESSION + ".jsonl"),
				"{\"type\":\"assistant\",\"sessionId\":\"" + SESSION + "\",\"timestamp\":\"2026-11-29T10:00:00Z\","
						+ "\"requestId\":\"r1\",\"message\":{\"id\":\"m1\",\"model\":\"claude-opus-6\",\"usage\":"
						+ "{\"input_tokens\":1000000,\"output_tokens\":0}}}\n");
	}

	private TracerContext start(String... properties) throws InterruptedException {
		this.app = TracerContext.start(this.tmp.resolve("claude"), this.tmp.resolve("data"), properties);
		this.app.indexer().scanAndIngest();
		return this.app;
	}

	/** The stored input cost (USD) and estimated messages of every file. */
	private double[] stored() {
		return this.app.jdbc()
			.sql("SELECT COALESCE(SUM(cost_input), 0), COALESCE(SUM(estimated_messages), 0) FROM source_file")
			.query((rs, i) -> new double[] { rs.getLong(1) / 1e12, rs.getLong(2) })
			.single();
	}

	@Test
	void anAdminCardPricesAModelAndEveryStoredRecordFollows() throws Exception {
		transcript();
		start();
		PriceSources sources = this.app.context.getBean(PriceSources.class);
		PriceTable table = this.app.context.getBean(PriceTable.class);
		AtomicInteger changed = new AtomicInteger();
		this.app.context.addApplicationListener((ApplicationEvent e) -> {
			if (e instanceof PayloadApplicationEvent<?> p && p.getPayload() instanceof DataChanged) {
				changed.incrementAndGet();
			}
		});
		// not in the table: estimated by Opus 5.5's card, 1M input · $4
		assertThat(stored()).containsExactly(4.0, 1.0);
		sources.putCard(new ObjectMapper().readTree("""
				{"id": "claude-opus-6", "family": "opus", "released": "2026-12-01",
				 "prices": [{"effective_from": "2026-01-01", "input": 7, "output": 35}]}
				"""));
		assertThat(table.resolve("claude-opus-6").kind()).isEqualTo(PriceTable.Resolution.Kind.LISTED);
		assertThat(stored()).containsExactly(7.0, 0.0);
		// said at once: the web's cached answers (which trust a data version for 100 ms)
		// follow the new prices with the next request
		assertThat(changed).hasValue(1);
		// a card over a bundled one keeps what it leaves out: Opus 4.7's fast mode is 6x
		// (prices-2026-11.md), whatever its token prices become
		assertThat(table.resolve("claude-opus-4-7").card().fastMultiplier()).isEqualByComparingTo("6");
		sources.putCard(new ObjectMapper().readTree("""
				{"id": "claude-opus-4-7", "prices": [{"effective_from": "2026-11-01", "input": 10, "output": 50}]}
				"""));
		assertThat(table.resolve("claude-opus-4-7").card().fastMultiplier()).isEqualByComparingTo("6");
		assertThat(table.resolve("claude-opus-4-7").card().family()).isEqualTo("opus");
		sources.putCard(new ObjectMapper().readTree("""
				{"id": "claude-opus-4-7", "fast_multiplier": 1,
				 "prices": [{"effective_from": "2026-11-01", "input": 10, "output": 50}]}
				"""));
		assertThat(table.resolve("claude-opus-4-7").card().fastMultiplier()).isEqualByComparingTo("1");
		assertThat(this.tmp.resolve("data/" + PriceSources.ADMIN_FILE)).exists();
		// an invalid card changes nothing, and says why
		String[][] bad = { { "{\"id\": \"claude-x\", \"prices\": [{\"input\": 1}]}", "needs input and output" },
				{ "{\"id\": \"claude-x\", \"prices\": [{\"input\": -7, \"output\": 35}]}",
						"input must be 0 to 10,000" },
				{ "{\"id\": \"claude-x\", \"prices\": [{\"input\": \"abc\", \"output\": 35}]}",
						"input must be a number" },
				{ "{\"id\": \"claude-x\", \"prices\": [{\"input\": 1, \"output\": 5, \"cache_read\": -1}]}",
						"cache_read must be 0 to 10,000" },
				{ "{\"id\": \"claude-x\", \"fast_multiplier\": -2, \"prices\": [{\"input\": 1, \"output\": 5}]}",
						"fast_multiplier must be a multiplier from 0 to 10,000" },
				{ "{\"id\": \"claude-x\", \"prices\": [{\"input\": 1, \"output\": 5, \"bogus\": 1}]}",
						"no field 'bogus'" },
				// a trial's cards: a negative geo multiplier gave a session a negative
				// cost; an alias that is another card's id took Opus 4.6's usage
				{ "{\"id\": \"claude-x\", \"inference_geo_multipliers\": {\"us\": -5},"
						+ " \"prices\": [{\"input\": 1, \"output\": 5}]}",
						"inference_geo_multipliers.us must be a multiplier from 0 to" },
				{ "{\"id\": \"claude-x\", \"inference_geo_multipliers\": {\"us\": \"x\"},"
						+ " \"prices\": [{\"input\": 1, \"output\": 5}]}",
						"inference_geo_multipliers.us must be a number" },
				{ "{\"id\": \"claude-x\", \"inference_geo_multipliers\": 2, \"prices\": [{\"input\": 1, \"output\": 5}]}",
						"must be an object of multipliers" },
				{ "{\"id\": \"claude-x\", \"aliases\": [\"claude-opus-4-6\"], \"prices\": [{\"input\": 1, \"output\": 5}]}",
						"alias claude-opus-4-6 of claude-x is already a card's id" },
				{ "{\"id\": \"claude-x\", \"aliases\": [\"claude-4-opus\"], \"prices\": [{\"input\": 1, \"output\": 5}]}",
						"alias claude-4-opus of claude-x is already an alias of claude-opus-4" },
				{ "{\"id\": \"claude-x\", \"aliases\": \"claude-y\", \"prices\": [{\"input\": 1, \"output\": 5}]}",
						"must be a list of model ids" },
				{ "{\"id\": \"claude-x\", \"fast_multiplier\": 20000, \"prices\": [{\"input\": 1, \"output\": 5}]}",
						"fast_multiplier must be a multiplier from 0 to 10,000" },
				{ "{\"id\": \"claude-x\", \"prices\": [{\"input\": 1e400, \"output\": 5}]}",
						"input must be 0 to 10,000 USD per million tokens" },
				{ "{\"id\": \"claude-x\", \"prices\": [{\"input\": 1, \"output\": 5, \"long_context\": {\"input\": 2}}]}",
						"long_context needs input and output" },
				{ "{\"id\": \"claude-x\", \"family\": \"" + "f".repeat(1000)
						+ "\", \"prices\": [{\"input\": 1, \"output\": 5}]}",
						"family of claude-x must be one of opus, sonnet, haiku, fable, mythos" },
				{ "{\"id\": \"<script>\", \"prices\": [{\"input\": 1, \"output\": 5}]}", "a model id is" },
				{ "{\"id\": \"claude-x\"}", "a price card needs prices" },
				{ "{\"id\": \"claude-x\", \"prices\": [{\"effective_from\": \"2026-01-01\", \"input\": 1, \"output\": 5},"
						+ " {\"effective_from\": \"2026-01-01\", \"input\": 2, \"output\": 5}]}", "same day" } };
		for (String[] b : bad) {
			assertThatIllegalArgumentException().as(b[0])
				.isThrownBy(() -> sources.putCard(new ObjectMapper().readTree(b[0])))
				.withMessageContaining(b[1])
				// the card named once ("price of claude-x: price of claude-x needs …"
				// once)
				.withMessageNotContaining(": price of ");
		}
		assertThat(stored()).containsExactly(7.0, 0.0);
		// kept across a restart
		this.app.close();
		start();
		assertThat(this.app.context.getBean(PriceTable.class).resolve("claude-opus-6").card().id())
			.isEqualTo("claude-opus-6");
		assertThat(stored()).containsExactly(7.0, 0.0);
		// removed: estimated again
		assertThat(this.app.context.getBean(PriceSources.class).removeCard("claude-opus-6")).isTrue();
		assertThat(stored()).containsExactly(4.0, 1.0);
	}

	private static final String LITELLM = """
			{
			  "sample_spec": {"max_tokens": "LEGACY parameter", "litellm_provider": "one of litellm_provider"},
			  "claude-opus-6": {"input_cost_per_token": 6e-06, "output_cost_per_token": 3e-05,
			    "cache_creation_input_token_cost": 7.5e-06, "cache_creation_input_token_cost_above_1hr": 1.2e-05,
			    "cache_read_input_token_cost": 6e-07, "litellm_provider": "anthropic", "mode": "chat",
			    "provider_specific_entry": {"us": 1.1, "fast": 2.0}},
			  "claude-sonnet-4-5": {"input_cost_per_token": 9e-06, "output_cost_per_token": 9e-05,
			    "litellm_provider": "anthropic", "mode": "chat"},
			  "claude-4-opus-20250514": {"input_cost_per_token": 1.5e-05, "output_cost_per_token": 7.5e-05,
			    "litellm_provider": "anthropic", "mode": "chat"},
			  "anthropic.claude-opus-7-v1:0": {"input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06,
			    "litellm_provider": "bedrock", "mode": "chat"},
			  "gpt-4o": {"input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05, "litellm_provider": "openai",
			    "mode": "chat"},
			  "claude-negative-1": {"input_cost_per_token": -1e-06, "output_cost_per_token": 1e-05,
			    "litellm_provider": "anthropic", "mode": "chat"},
			  "claude-huge-1": {"input_cost_per_token": 1e-06, "output_cost_per_token": 1e300,
			    "litellm_provider": "anthropic", "mode": "chat"}
			}
			""";

	/**
	 * An import holds at most {@link LiteLlmPrices#MAX_MODELS} Claude models (a trial's
	 * file of 200,000 took 13 s and 370 MB of heap, and made the console's page 58 MB).
	 */
	@Test
	void anImportOfMoreClaudeModelsThanLiteLlmPublishesIsRefused() {
		ObjectNode file = JsonNodeFactory.instance.objectNode();
		for (int i = 0; i <= LiteLlmPrices.MAX_MODELS; i++) {
			file.putObject("claude-made-up-" + i)
				.put("input_cost_per_token", 1e-06)
				.put("output_cost_per_token", 5e-06)
				.put("litellm_provider", "anthropic")
				.put("mode", "chat");
		}
		assertThatIllegalArgumentException().isThrownBy(() -> LiteLlmPrices.convert(file, "v"))
			.withMessage("the LiteLLM price file holds more than 2000 Claude models of provider anthropic: "
					+ "not the file LiteLLM publishes");
		file.remove("claude-made-up-0");
		assertThat(LiteLlmPrices.convert(file, "v").path("models")).hasSize(LiteLlmPrices.MAX_MODELS);
	}

	/**
	 * A stored card file that cannot be read (cut short) or used (a card an older version
	 * let in) is moved aside at the start, said once, and the console goes on: its cards
	 * are empty, a card saved starts a new file (a trial's cut-short file made the
	 * console and the price API answer 500 until it was removed by hand).
	 */
	@Test
	void aStoredCardFileThatCannotBeReadOrUsedIsSetAsideAndANewCardWorks() throws Exception {
		transcript();
		Path data = Files.createDirectories(this.tmp.resolve("data"));
		String card = "{\"id\": \"claude-opus-6\", \"prices\": [{\"input\": 7, \"output\": 35}]}";
		for (String broken : new String[] { "{\"version\": \"admin-1\", \"models\": [ {\"id\":",
				"{\"version\": \"admin-1\", \"models\": [{\"id\": \"claude-geo-1\", \"inference_geo_multipliers\": "
						+ "{\"us\": -5}, \"prices\": [{\"input\": 1, \"output\": 1}]}]}" }) {
			Files.writeString(data.resolve(PriceSources.ADMIN_FILE), broken);
			start();
			PriceAdmin admin = this.app.context.getBean(PriceAdmin.class);
			assertThat(data.resolve(PriceSources.ADMIN_FILE)).doesNotExist();
			assertThat(admin.setAside()).isNotEmpty()
				.allSatisfy((name) -> assertThat(name).startsWith(PriceSources.ADMIN_FILE + ".corrupt-"));
			assertThat(data.resolve(admin.setAside().get(admin.setAside().size() - 1))).content().isEqualTo(broken);
			assertThat(admin.adminCards()).isEmpty();
			// the bundled prices are in force; claude-opus-6 is an Opus, estimated
			assertThat(stored()).containsExactly(4.0, 1.0);
			admin.putCard(new ObjectMapper().readTree(card));
			assertThat(stored()).containsExactly(7.0, 0.0);
			assertThat(admin.adminCards()).hasSize(1);
			this.app.close();
			this.app = null;
			Files.delete(data.resolve(PriceSources.ADMIN_FILE));
		}
	}

	/**
	 * A stored card file of which one card cannot be used keeps its other cards: the file
	 * as it was is set aside, the usable cards are the console's file again and in force,
	 * and one WARN line names the card left out.
	 */
	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aStoredCardFileKeepsItsUsableCardsWhenOneCannotBeUsed(CapturedOutput output) throws Exception {
		transcript();
		Path data = Files.createDirectories(this.tmp.resolve("data"));
		String stored = """
				{"version": "admin-2", "revision": 2, "models": [
				  {"id": "claude-geo-1", "inference_geo_multipliers": {"us": -5}, "prices": [{"input": 1, "output": 1}]},
				  {"id": "claude-opus-6", "prices": [{"input": 7.10, "output": 35}]}
				]}
				""";
		Files.writeString(data.resolve(PriceSources.ADMIN_FILE), stored);
		start();
		PriceAdmin admin = this.app.context.getBean(PriceAdmin.class);
		// the usable card is in force: claude-opus-6 at $7.10 per 1M input tokens
		assertThat(stored()).containsExactly(7.1, 0.0);
		assertThat(admin.adminCards()).singleElement()
			.satisfies((card) -> assertThat(card.path("id").asText()).isEqualTo("claude-opus-6"));
		// written again with its version, revision and exact prices (no binary fraction)
		assertThat(Files.readString(data.resolve(PriceSources.ADMIN_FILE)))
			.contains("\"admin-2\"", "\"revision\" : 2", "\"input\" : 7.1,")
			.doesNotContain("claude-geo-1");
		assertThat(admin.setAside()).singleElement()
			.satisfies((name) -> assertThat(data.resolve(name)).content().isEqualTo(stored));
		assertThat(output).contains("cannot use 1 of the admin console's 2 price cards (")
			.contains("): left out claude-geo-1, the others kept; the file as it was moved aside as "
					+ admin.setAside().get(0))
			.doesNotContain("prices without it");
	}

	@Test
	void anImportFromLiteLlmAddsModelsKeepsCheckedCardsAndSurvivesAFailedRefresh() throws Exception {
		transcript();
		AtomicInteger status = new AtomicInteger(200);
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/prices.json", (exchange) -> {
			byte[] body = LITELLM.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(status.get(), body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.server.start();
		String url = "http://127.0.0.1:" + this.server.getAddress().getPort() + "/prices.json";
		start("cctracer.prices.import=" + url);
		PriceSources sources = this.app.context.getBean(PriceSources.class);
		PriceTable table = this.app.context.getBean(PriceTable.class);
		PriceAdmin.ImportStatus ok = sources.refreshImport();
		assertThat(ok.lastError()).isNull();
		// an entry priced below 0 or past $1,000 per million tokens is left out, the
		// others taken (a negative one failed the whole import: a trial)
		assertThat(ok.models()).isEqualTo(3);
		assertThat(table.resolve("claude-negative-1").kind()).isNotEqualTo(PriceTable.Resolution.Kind.LISTED);
		// an id the bundled table has as an alias (LiteLLM's claude-4-opus-20250514) is
		// that checked card, not a second one (the import was refused for it)
		assertThat(table.resolve("claude-4-opus-20250514").card().id()).isEqualTo("claude-opus-4");
		// the imported card prices its own id: 1M input · $6
		assertThat(table.resolve("claude-opus-6").kind()).isEqualTo(PriceTable.Resolution.Kind.LISTED);
		assertThat(stored()).containsExactly(6.0, 0.0);
		assertThat(table.resolve("claude-opus-6").card().fastMultiplier()).isEqualByComparingTo("2");
		// a model the bundled table lists keeps its checked card ($3, not the import's
		// $9)
		assertThat(table.resolve("claude-sonnet-4-5").card().periods().get(0).base().input()).isEqualTo(3_000_000L);
		// other providers are not taken
		assertThat(table.resolve("gpt-4o").kind()).isEqualTo(PriceTable.Resolution.Kind.UNPRICED);
		// a failed refresh keeps the last good prices and says why
		status.set(500);
		PriceAdmin.ImportStatus failed = sources.refreshImport();
		assertThat(failed.lastError()).contains("HTTP 500");
		assertThat(failed.lastSuccess()).isEqualTo(ok.lastSuccess());
		assertThat(stored()).containsExactly(6.0, 0.0);
		// and a restart with the source gone starts from the last good import
		this.server.stop(0);
		this.server = null;
		this.app.close();
		start("cctracer.prices.import=" + url);
		assertThat(this.app.context.getBean(PriceTable.class).resolve("claude-opus-6").kind())
			.isEqualTo(PriceTable.Resolution.Kind.LISTED);
		assertThat(stored()).containsExactly(6.0, 0.0);
	}

}
