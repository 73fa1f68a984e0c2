package dev.cctracer.generator;

import java.util.List;
import java.util.Map;

import dev.cctracer.generator.DemoScript.Agent;
import dev.cctracer.generator.DemoScript.BadEdit;
import dev.cctracer.generator.DemoScript.Bash;
import dev.cctracer.generator.DemoScript.Edit;
import dev.cctracer.generator.DemoScript.Grep;
import dev.cctracer.generator.DemoScript.MultiEdit;
import dev.cctracer.generator.DemoScript.Project;
import dev.cctracer.generator.DemoScript.Read;
import dev.cctracer.generator.DemoScript.Search;
import dev.cctracer.generator.DemoScript.Task;
import dev.cctracer.generator.DemoScript.Write;

/**
 * The demo's Java project {@code acme-shop}: a retry for its HTTP client (a subagent, a
 * web search, a failed edit, a failing then passing build), a flaky test and a paginated
 * endpoint.
 */
final class DemoShop {

	static final String CLIENT = "src/main/java/com/acme/shop/catalog/CatalogClient.java";

	static final String CLIENT_TEST = "src/test/java/com/acme/shop/catalog/CatalogClientTest.java";

	static final String ORDER_TEST = "src/test/java/com/acme/shop/order/OrderServiceTest.java";

	static final String ORDERS = "src/main/java/com/acme/shop/order/OrderController.java";

	private DemoShop() {
	}

	private static final String CLIENT_SOURCE = """
			package com.acme.shop.catalog;

			import java.io.IOException;
			import java.net.URI;
			import java.net.http.HttpClient;
			import java.net.http.HttpRequest;
			import java.net.http.HttpResponse;
			import java.time.Duration;

			public class CatalogClient {

			    private final HttpClient http;
			    private final URI baseUri;

			    public CatalogClient(HttpClient http, URI baseUri) {
			        this.http = http;
			        this.baseUri = baseUri;
			    }

			    public String fetchProduct(String sku) throws IOException, InterruptedException {
			        HttpRequest request = HttpRequest.newBuilder(baseUri.resolve("/products/" + sku))
			            .timeout(Duration.ofSeconds(5))
			            .GET()
			            .build();
			        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			        if (response.statusCode() != 200) {
			            throw new IOException("catalog answered " + response.statusCode() + " for " + sku);
			        }
			        return response.body();
			    }
			}
			""";

	private static final String ORDER_TEST_SOURCE = """
			package com.acme.shop.order;

			import java.time.Instant;
			import java.time.temporal.ChronoUnit;

			import org.junit.jupiter.api.Test;

			import static org.assertj.core.api.Assertions.assertThat;

			class OrderServiceTest {

			    private final OrderService orders = new OrderService(new InMemoryOrders());

			    @Test
			    void shouldExpireUnpaidOrdersAfterOneHour() {
			        Order order = orders.place("sku-42", 2);
			        Instant later = Instant.now().plus(1, ChronoUnit.HOURS);
			        assertThat(orders.expireUnpaid(later)).containsExactly(order.id());
			    }
			}
			""";

	private static final String ORDERS_SOURCE = """
			package com.acme.shop.order;

			import java.util.List;

			import org.springframework.web.bind.annotation.GetMapping;
			import org.springframework.web.bind.annotation.RestController;

			@RestController
			class OrderController {

			    private final OrderRepository orders;

			    OrderController(OrderRepository orders) {
			        this.orders = orders;
			    }

			    @GetMapping("/api/orders")
			    List<OrderView> list() {
			        return orders.findAllByOrderByPlacedAtDesc();
			    }
			}
			""";

	private static final String RETRY_LOOP = """
			        IOException last = null;
			        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
			            try {
			                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			                if (response.statusCode() == 200) {
			                    return response.body();
			                }
			                last = new IOException("catalog answered " + response.statusCode() + " for " + sku);
			                if (response.statusCode() < 500 && response.statusCode() != 429) {
			                    throw last;
			                }
			            }
			            catch (HttpTimeoutException ex) {
			                last = ex;
			            }
			            Thread.sleep(backoffMillis(attempt));
			        }
			        throw last;
			""";

	private static final String CLIENT_TEST_SOURCE = """
			package com.acme.shop.catalog;

			import org.junit.jupiter.api.Test;

			import static org.assertj.core.api.Assertions.assertThat;

			class CatalogClientTest {

			    @Test
			    void shouldBackOffExponentiallyWithJitter() {
			        assertThat(CatalogClient.backoffMillis(1)).isBetween(200L, 300L);
			        assertThat(CatalogClient.backoffMillis(2)).isBetween(400L, 600L);
			        assertThat(CatalogClient.backoffMillis(3)).isBetween(800L, 1000L);
			    }
			}
			""";

	static Project project() {
		return new Project("acme-shop",
				Map.of(CLIENT, CLIENT_SOURCE, ORDER_TEST, ORDER_TEST_SOURCE, ORDERS, ORDERS_SOURCE),
				List.of(retry(), flakyTest(), pagination()));
	}

	static Task retry() {
		return new Task("Add retry with backoff to the catalog HTTP client", """
				Add a retry to the HTTP client in CatalogClient: retry timeouts, 429 and 5xx up to 3 times with \
				exponential backoff and jitter. Keep 4xx failing fast, and add a test.""", List.of(new Agent(
				"I'll start by finding every caller of the client, so the retry doesn't surprise them.", "Explore",
				"call-site-finder", "Find CatalogClient call sites",
				"Find every caller of CatalogClient.fetchProduct and say whether it already retries or "
						+ "catches IOException.",
				List.of(new Grep(null, "fetchProduct\\(",
						"""
								src/main/java/com/acme/shop/catalog/CatalogClient.java:20:    public String fetchProduct(String sku) throws IOException, InterruptedException {
								src/main/java/com/acme/shop/cart/CartService.java:41:        String json = catalog.fetchProduct(item.sku());
								src/main/java/com/acme/shop/search/ReindexJob.java:63:                products.add(catalog.fetchProduct(sku));"""),
						new Read(null, CLIENT)),
				"""
						Two callers: `CartService.addItem` (line 41) and `ReindexJob.run` (line 63). Neither \
						retries; both let IOException propagate. A retry inside CatalogClient is safe for both."""),
				new Search("Let me check current guidance on backoff with jitter.",
						"exponential backoff jitter retry 429 Retry-After best practice", 2, """
								Exponential backoff with jitter is the common recommendation: double the delay each \
								attempt (200 ms, 400 ms, 800 ms) and add random jitter so clients don't retry in \
								lockstep. 4xx errors other than 429 should not be retried."""),
				new BadEdit(null, CLIENT, """
						HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
						if (response.statusCode() != 200) {""", """
						HttpResponse<String> response = send(request);
						if (response.statusCode() != 200) {"""),
				new Read("The indentation differs; let me re-read the file.", CLIENT),
				new Edit("Now the retry loop around the send.", CLIENT,
						"""
								        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
								        if (response.statusCode() != 200) {
								            throw new IOException("catalog answered " + response.statusCode() + " for " + sku);
								        }
								        return response.body();
								""",
						RETRY_LOOP),
				new MultiEdit("Adding the import, the constants and the backoff.", CLIENT,
						List.of(List.of("import java.net.http.HttpResponse;\n", """
								import java.net.http.HttpResponse;
								import java.net.http.HttpTimeoutException;
								"""), List.of("import java.time.Duration;\n", """
								import java.time.Duration;
								import java.util.concurrent.ThreadLocalRandom;
								"""), List.of("public class CatalogClient {\n\n", """
								public class CatalogClient {

								    static final int MAX_ATTEMPTS = 3;

								    static final long BASE_DELAY_MS = 200;

								"""), List.of("        throw last;\n    }\n}\n", """
								        throw last;
								    }

								    static long backoffMillis(int attempt) {
								        long delay = BASE_DELAY_MS << (attempt - 1);
								        return delay + ThreadLocalRandom.current().nextLong(delay / 2);
								    }
								}
								"""))),
				new Write(null, CLIENT_TEST, CLIENT_TEST_SOURCE),
				new Bash(null, "./mvnw -q test -Dtest=CatalogClientTest", "Run the new test", """
						[ERROR] Failures:
						[ERROR]   CatalogClientTest.shouldBackOffExponentiallyWithJitter:13
						Expecting actual:
						  1012L
						to be between:
						  [800L, 1000L]
						[ERROR] Tests run: 1, Failures: 1, Errors: 0, Skipped: 0""", true),
				new Edit("The jitter can add up to half the delay, so the upper bounds are 1.5×.", CLIENT_TEST, """
						assertThat(CatalogClient.backoffMillis(3)).isBetween(800L, 1000L);""", """
						assertThat(CatalogClient.backoffMillis(3)).isBetween(800L, 1200L);"""),
				new Bash(null, "./mvnw -q test -Dtest=CatalogClientTest", "Run the test again", """
						[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0
						[INFO] BUILD SUCCESS""", false)), """
						Done. `CatalogClient.fetchProduct` now retries timeouts, 429 and 5xx up to 3 attempts with \
						exponential backoff (200, 400, 800 ms) plus up to 50% jitter; other 4xx fail at once. \
						`CatalogClientTest` checks the delays. Both callers (`CartService`, `ReindexJob`) keep working \
						unchanged.""");
	}

	static Task flakyTest() {
		return new Task("Fix the flaky OrderServiceTest", """
				OrderServiceTest.shouldExpireUnpaidOrdersAfterOneHour fails about once a week on CI. Can you find \
				out why and fix it?""", List.of(
				new Bash(null, "./mvnw -q test -Dtest=OrderServiceTest -Dsurefire.rerunFailingTestsCount=0",
						"Run the flaky test", """
								[ERROR] OrderServiceTest.shouldExpireUnpaidOrdersAfterOneHour:18
								Expecting actual:
								  []
								to contain exactly (and in same order):
								  ["ord-7f3a"]""", true),
				new Read("It compares against the wall clock; let me look.", ORDER_TEST),
				new Edit("The order is placed at `Instant.now()` and checked against a second `Instant.now()` plus "
						+ "one hour: when the clock ticks between the two, the order is not yet expired. Using the "
						+ "order's own time removes the race.", ORDER_TEST, """
								Instant later = Instant.now().plus(1, ChronoUnit.HOURS);""", """
								Instant later = order.placedAt().plus(1, ChronoUnit.HOURS).plusMillis(1);"""),
				new Bash(null, "for i in 1 2 3 4 5; do ./mvnw -q test -Dtest=OrderServiceTest || exit 1; done",
						"Run the test five times", """
								[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0
								[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0
								[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0
								[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0
								[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0""", false)),
				"""
						The test raced the clock: it took `Instant.now()` twice, so a tick between `place` and the \
						check left the order one millisecond short of expiry. It now measures from \
						`order.placedAt()`; five runs in a row pass.""");
	}

	static Task pagination() {
		return new Task("Paginate GET /api/orders", """
				GET /api/orders returns every order and times out for big customers. Add page and size parameters \
				(default 20, max 100).""", List.of(new Grep(null, "findAllByOrderByPlacedAtDesc",
				"""
						src/main/java/com/acme/shop/order/OrderRepository.java:12:    List<OrderView> findAllByOrderByPlacedAtDesc();
						src/main/java/com/acme/shop/order/OrderController.java:19:        return orders.findAllByOrderByPlacedAtDesc();"""),
				new Read(null, ORDERS),
				new MultiEdit(null, ORDERS,
						List.of(List.of("import org.springframework.web.bind.annotation.GetMapping;\n", """
								import org.springframework.data.domain.PageRequest;
								import org.springframework.web.bind.annotation.GetMapping;
								import org.springframework.web.bind.annotation.RequestParam;
								"""),
								List.of("""
										    List<OrderView> list() {
										        return orders.findAllByOrderByPlacedAtDesc();
										""",
										"""
												    List<OrderView> list(@RequestParam(defaultValue = "0") int page,
												            @RequestParam(defaultValue = "20") int size) {
												        int bounded = Math.min(Math.max(size, 1), 100);
												        return orders.findAllByOrderByPlacedAtDesc(PageRequest.of(Math.max(page, 0), bounded));
												"""))),
				new Bash(null, "./mvnw -q compile", "Compile", """
						[ERROR] OrderController.java:[24,22] method findAllByOrderByPlacedAtDesc in interface \
						OrderRepository cannot be applied to given types;
						  required: no arguments
						  found:    org.springframework.data.domain.PageRequest""", true),
				new Bash("The repository needs the Pageable overload.",
						"sed -i 's/findAllByOrderByPlacedAtDesc();/findAllByOrderByPlacedAtDesc(Pageable page);/' "
								+ "src/main/java/com/acme/shop/order/OrderRepository.java && ./mvnw -q compile",
						"Add the Pageable parameter and compile", "", false)),
				"""
						`GET /api/orders?page=0&size=20` now pages through the orders, newest first; `size` is \
						clamped to 1–100. `OrderRepository.findAllByOrderByPlacedAtDesc` takes a `Pageable`.""");
	}

}
