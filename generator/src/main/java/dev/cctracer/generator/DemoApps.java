package dev.cctracer.generator;

import java.util.List;
import java.util.Map;

import dev.cctracer.generator.DemoScript.Agent;
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
 * The demo's other two projects: {@code weather-cli} in Python (a cache, type hints) and
 * {@code dashboard-ui} in TypeScript (a loading state, price formatting).
 */
final class DemoApps {

	private DemoApps() {
	}

	private static final String FORECAST = """
			import requests

			API = "https://api.open-meteo.com/v1/forecast"


			def forecast(lat, lon):
			    response = requests.get(API, params={"latitude": lat, "longitude": lon, "hourly": "temperature_2m"})
			    response.raise_for_status()
			    return response.json()["hourly"]
			""";

	private static final String PARSER = """
			def parse_location(text):
			    lat, lon = text.split(",")
			    return float(lat), float(lon)


			def parse_units(text):
			    return "imperial" if text.lower() in ("f", "imperial") else "metric"
			""";

	private static final String ORDERS_PAGE = """
			import { useEffect, useState } from "react";
			import { fetchOrders, Order } from "../api";
			import { OrderTable } from "./OrderTable";

			export function OrdersPage() {
			  const [orders, setOrders] = useState<Order[]>([]);

			  useEffect(() => {
			    fetchOrders().then(setOrders);
			  }, []);

			  return <OrderTable orders={orders} />;
			}
			""";

	private static final String FORMAT = """
			export function formatPrice(cents: number): string {
			  return "$" + (cents / 100).toFixed(2);
			}
			""";

	static Project weather() {
		return new Project("weather-cli", Map.of("weather/forecast.py", FORECAST, "weather/parser.py", PARSER),
				List.of(cache(), typeHints()));
	}

	static Project dashboard() {
		return new Project("dashboard-ui", Map.of("src/orders/OrdersPage.tsx", ORDERS_PAGE, "src/format.ts", FORMAT),
				List.of(spinner(), prices()));
	}

	static Task cache() {
		return new Task("Cache forecast responses for ten minutes", """
				The CLI calls open-meteo on every run and we hit their rate limit in the cron job. Cache forecast() \
				results for 10 minutes per location.""", List.of(new Read(null, "weather/forecast.py"),
				new Edit("A small in-process TTL cache keyed by the rounded coordinates is enough for the cron job.",
						"weather/forecast.py",
						"""
								def forecast(lat, lon):
								    response = requests.get(API, params={"latitude": lat, "longitude": lon, "hourly": "temperature_2m"})
								    response.raise_for_status()
								    return response.json()["hourly"]
								""",
						"""
								TTL_SECONDS = 600
								_cache = {}


								def forecast(lat, lon, now=time.monotonic):
								    key = (round(lat, 2), round(lon, 2))
								    hit = _cache.get(key)
								    if hit and now() - hit[0] < TTL_SECONDS:
								        return hit[1]
								    response = requests.get(API, params={"latitude": lat, "longitude": lon, "hourly": "temperature_2m"})
								    response.raise_for_status()
								    hourly = response.json()["hourly"]
								    _cache[key] = (now(), hourly)
								    return hourly
								"""),
				new Edit(null, "weather/forecast.py", "import requests\n", "import time\n\nimport requests\n"),
				new Write(null, "tests/test_cache.py", """
						from unittest import mock

						from weather import forecast as f


						def test_second_call_within_ttl_uses_the_cache():
						    clock = iter([0, 0, 300]).__next__
						    with mock.patch.object(f.requests, "get") as get:
						        get.return_value.json.return_value = {"hourly": {"temperature_2m": [12.5]}}
						        f.forecast(52.52, 13.41, now=clock)
						        f.forecast(52.52, 13.41, now=clock)
						    assert get.call_count == 1
						"""), new Bash(null, "python -m pytest -q tests/test_cache.py", "Run the cache test", """
						.                                                                        [100%]
						1 passed in 0.21s""", false)), """
						`forecast()` now keeps each location's result for 10 minutes (keyed by coordinates rounded \
						to 2 decimals, about 1 km), so the cron job calls open-meteo at most once per location per \
						10 minutes. `tests/test_cache.py` covers the hit.""");
	}

	static Task typeHints() {
		return new Task("Add type hints to the parser", """
				Add type hints to weather/parser.py and make mypy --strict pass on it.""", List
			.of(new Read(null, "weather/parser.py"), new MultiEdit(null, "weather/parser.py", List.of(
					List.of("def parse_location(text):\n", "def parse_location(text: str) -> tuple[float, float]:\n"),
					List.of("def parse_units(text):\n",
							"def parse_units(text: str) -> Literal[\"metric\", \"imperial\"]:\n"))),
					new Bash(null, "mypy --strict weather/parser.py", "Type-check the parser", """
							weather/parser.py:6: error: Name "Literal" is not defined  [name-defined]
							Found 1 error in 1 file (checked 1 source file)""", true),
					new Edit(null, "weather/parser.py", "def parse_location(text: str)",
							"from typing import Literal\n\n\ndef parse_location(text: str)"),
					new Bash(null, "mypy --strict weather/parser.py", "Type-check again",
							"Success: no issues found in 1 source file", false)),
				"""
						`parse_location` returns `tuple[float, float]` and `parse_units` a \
						`Literal["metric", "imperial"]`; `mypy --strict` is clean.""");
	}

	static Task spinner() {
		return new Task("Show a spinner while orders load", """
				The orders page shows "No orders" for a second before the data arrives. Show a spinner while \
				loading, and an error message if the request fails.""", List.of(
				new Read(null, "src/orders/OrdersPage.tsx"), new Edit(null, "src/orders/OrdersPage.tsx", """
						  const [orders, setOrders] = useState<Order[]>([]);

						  useEffect(() => {
						    fetchOrders().then(setOrders);
						  }, []);

						  return <OrderTable orders={orders} />;
						""", """
						  const [orders, setOrders] = useState<Order[] | null>(null);
						  const [error, setError] = useState<string | null>(null);

						  useEffect(() => {
						    fetchOrders()
						      .then(setOrders)
						      .catch((e: Error) => setError(e.message));
						  }, []);

						  if (error) return <p role="alert">Could not load orders: {error}</p>;
						  if (orders === null) return <Spinner label="Loading orders" />;
						  return <OrderTable orders={orders} />;
						"""),
				new Edit(null, "src/orders/OrdersPage.tsx", "import { OrderTable } from \"./OrderTable\";\n",
						"import { OrderTable } from \"./OrderTable\";\nimport { Spinner } from \"../ui/Spinner\";\n"),
				new Bash(null, "npm test -- --run src/orders", "Run the orders tests", """
						✓ src/orders/OrdersPage.test.tsx (3 tests) 412ms

						Test Files  1 passed (1)
						     Tests  3 passed (3)""", false)), """
						The page now starts in a loading state (`orders === null`) and shows the shared `Spinner`; \
						a failed request shows an alert instead of an empty table.""");
	}

	static Task prices() {
		return new Task("Format prices with Intl.NumberFormat", """
				Prices show as $1234.50 everywhere. Use the user's locale and the order currency.""", List.of(
				new Agent(null, "general-purpose", null, "Find hand-formatted prices",
						"List every place in src/ that formats money by hand (toFixed, string concatenation with $).",
						List.of(new Grep(null, "toFixed\\(2\\)", """
								src/format.ts:2:  return "$" + (cents / 100).toFixed(2);
								src/cart/CartSummary.tsx:18:        Total: ${(total / 100).toFixed(2)}""")),
						"Two places: `formatPrice` in src/format.ts and the total in src/cart/CartSummary.tsx."),
				new Search(null, "Intl.NumberFormat currency minor units cents", 1, """
						Intl.NumberFormat with style "currency" takes the amount in major units and knows each \
						currency's fraction digits; divide cents by 100 for EUR and USD."""),
				new Edit(null, "src/format.ts", """
						export function formatPrice(cents: number): string {
						  return "$" + (cents / 100).toFixed(2);
						}
						""", """
						export function formatPrice(cents: number, currency = "USD", locale?: string): string {
						  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
						}
						"""), new Bash(null, "npm run typecheck", "Type-check", "", false)), """
						`formatPrice(cents, currency, locale)` now uses `Intl.NumberFormat`, so €1.234,50 shows as \
						such for a German user. `CartSummary` still formats by hand: want me to switch it too?""");
	}

}
