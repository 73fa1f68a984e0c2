package dev.cctracer.web.api;

import org.junit.jupiter.api.Test;

import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request the API cannot answer as asked is a 400 titled "Bad request" that names what
 * was wrong: a query parameter the endpoint does not read (it was ignored: a trial's
 * {@code /api/sessions?offset=-5} got the first page), a value of the wrong type, a body
 * that is not JSON or has a field of the wrong type — never Spring's own text ("Failed to
 * convert 'limit' with value: 'abc'", "Failed to read request") or its title ("Bad
 * Request").
 */
class BadRequestsApiTests extends RealDataWebTest {

	@Test
	void aQueryParameterTheEndpointDoesNotReadIsRefusedNamingThoseItReads() throws Exception {
		indexed();
		Response offset = get("/api/sessions?offset=-5");
		assertBadRequest(offset, "unknown parameter offset: this endpoint takes ");
		assertThat(offset.body().get("detail").asText()).contains("cursor", "limit", "cost_mode");
		// a typo of a range's bound, and a parameter of an endpoint that takes none
		assertBadRequest(get("/api/metrics/daily?form=2026-01-01"), "unknown parameter form: this endpoint takes ");
		assertBadRequest(get("/api/projects/" + RealDataLayout.SPOTTER + "/sessions?bogus=1"),
				"unknown parameter bogus");
		assertBadRequest(get("/api/index/status?x=1"), "unknown parameter x: this endpoint takes none");
		// a parameter given twice: neither value is the one asked (Spring joined texts
		// with a comma and took a number's first)
		assertBadRequest(get("/api/sessions?sort=cost&sort=tokens"), "parameter 'sort' given more than once");
		assertBadRequest(get("/api/sessions?limit=1&limit=2"), "parameter 'limit' given more than once");
		assertBadRequest(get("/api/metrics/daily?from=2026-01-01&from=2026-06-01"),
				"parameter 'from' given more than once");
		// a HEAD is judged as its GET
		assertThat(raw("HEAD", "/api/sessions?offset=-5", "localhost:" + this.port).status()).isEqualTo(400);
		// what is echoed of a name is safe to show: no markup, no control character (a
		// control character the firewall refuses as it is read: a 400, not echoed; a
		// right-to-left override is a ?)
		assertBadRequest(get("/api/sessions?%3Cb%3E%E2%80%AE=1"), "unknown parameter ?b??: this endpoint takes");
		assertBadRequest(get("/api/sessions?%3Cb%3E%0A=1"), "refused by the firewall: a parameter's name");
		// a project's metrics take no range
		assertBadRequest(get("/api/projects/" + RealDataLayout.SPOTTER + "/metrics?days=7"),
				"unknown parameter days: this endpoint takes cost_mode");
		// the parameters an endpoint reads still answer: its own, its range's and the
		// cost mode
		assertThat(get("/api/sessions?limit=5&sort=cost&order=asc&cost_mode=auto").status()).isEqualTo(200);
		assertThat(get("/api/metrics/daily?from=2020-01-01&to=2030-01-01&tz=UTC&cost_mode=display").status())
			.isEqualTo(200);
		assertThat(get("/api/metrics/daily/" + RealDataLayout.SPOTTER + "?days=7").status()).isEqualTo(200);
	}

	@Test
	void anOffsetTypedInAUrlIsTheOffsetItSays() throws Exception {
		// "+" in a query is an encoded space: ?tz=+05:30 had been "unknown time zone:
		// ?05:30"
		Response typed = get("/api/metrics/daily?tz=+05:30");
		assertThat(typed.status()).isEqualTo(200);
		assertThat(typed.body().get("timezone").asText()).isEqualTo("+05:30");
		assertThat(typed.body().get("metrics")).isEqualTo(get("/api/metrics/daily?tz=%2B05:30").body().get("metrics"));
	}

	@Test
	void aValueOfTheWrongTypeNamesItsParameter() throws Exception {
		indexed();
		// a malformed id keeps its own title
		Response id = get("/api/projects/not-a-project-dir!/sessions");
		assertThat(id.status()).isEqualTo(400);
		assertThat(id.body().get("title").asText()).isEqualTo("Malformed id");
		assertBadRequest(get("/api/sessions?limit=abc"), "parameter 'limit' has the wrong type");
		assertBadRequest(get("/api/metrics/daily/" + RealDataLayout.SPOTTER + "?days=abc"),
				"parameter 'days' has the wrong type");
		// a query record's size limit names its field
		assertBadRequest(get("/api/sessions?q=" + "a".repeat(201)), "parameter 'q' size must be between 0 and 200");
	}

	@Test
	void aBodyThatIsNotJsonOrHasAFieldOfTheWrongTypeSaysWhich() throws Exception {
		assertBadRequest(postJson("/api/queries", "{bad"), "the request body is not valid JSON");
		assertBadRequest(postJson("/api/queries", "{\"group_by\": \"day\"}"),
				"field 'group_by' of the request body has the wrong type");
		assertBadRequest(postJson("/api/queries", "[1]"),
				"the request body is not the JSON object this endpoint takes");
		assertBadRequest(postJson("/api/queries", ""), "a JSON object is required");
		assertBadRequest(postJson("/api/search", "{\"q\": [\"a\"]}"),
				"field 'q' of the request body has the wrong type");
		// named as the records' component for the other fields: one of them (it was
		// taken for that component, accepted and dropped)
		assertBadRequest(postJson("/api/queries", "{\"group_by\": [\"model\"], \"unknown\": {}}"),
				"unknown field 'unknown'; fields are group_by, from, to, tz, project, session, model");
	}

	private static void assertBadRequest(Response response, String detail) {
		assertThat(response.status()).as(response.text()).isEqualTo(400);
		assertThat(response.body().get("title").asText()).isEqualTo("Bad request");
		assertThat(response.body().get("detail").asText()).contains(detail).doesNotContain("java.", "Failed to");
	}

}
