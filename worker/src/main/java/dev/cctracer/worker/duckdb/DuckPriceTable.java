package dev.cctracer.worker.duckdb;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.shared.pricing.Rates;

/**
 * The price table as a DuckDB table, for the models a query meets: one row per model and
 * period with the four rate sets (base, long context, fast, fast long context) in
 * pico-USD per token, computed by {@link PriceTable} itself, so SQL costs equal the Java
 * ones to the pico-dollar, and how the model is priced: {@code card}, the id of the card
 * used, and {@code estimated}, whether that card is its family's newest (the id is not
 * listed). {@code geo} is {@code ''} for the card's rates and an {@code inference_geo}
 * the card has a multiplier for ({@code "us"}: Anthropic's US-only inference, 1.1×) on a
 * row of its own, every rate set times that multiplier after the fast one, as
 * {@link PriceTable} applies it. A model no card applies to has no row.
 */
public final class DuckPriceTable {

	private DuckPriceTable() {
	}

	public static String load(Connection connection, PriceTable prices, Collection<String> models) throws SQLException {
		String table = "prices_" + System.nanoTime();
		StringBuilder ddl = new StringBuilder("CREATE TABLE " + table
				+ " (model VARCHAR, geo VARCHAR, card VARCHAR, estimated BOOLEAN, from_ms BIGINT, to_ms BIGINT, "
				+ "threshold BIGINT");
		for (String set : List.of("b", "l", "fb", "fl")) {
			for (String kind : List.of("in", "out", "w5", "w1", "rd")) {
				ddl.append(", ").append(set).append('_').append(kind).append(" BIGINT");
			}
		}
		try (Statement s = connection.createStatement()) {
			s.execute(ddl.append(")").toString());
		}
		try (DuckDBAppender a = ((DuckDBConnection) connection).createAppender(DuckDBConnection.DEFAULT_SCHEMA,
				table)) {
			for (String model : models) {
				PriceTable.Resolution resolved = prices.resolve(model);
				PriceTable.ModelPrices mp = resolved.card();
				if (mp == null) {
					continue;
				}
				boolean estimated = resolved.kind() == PriceTable.Resolution.Kind.ESTIMATED;
				Map<String, BigDecimal> geos = new TreeMap<>(mp.geoMultipliers());
				geos.put("", null);
				for (Map.Entry<String, BigDecimal> geo : geos.entrySet()) {
					for (int i = 0; i < mp.periods().size(); i++) {
						appendRow(a, model, geo.getKey(), geo.getValue(), mp.id(), estimated, mp.periods(), i);
					}
				}
			}
		}
		return table;
	}

	/**
	 * One row: period {@code i} of a card for one {@code inference_geo}, its four rate
	 * sets (base, long context, fast, fast long context) times the geo's multiplier
	 * ({@code null}: none) after the fast one, as {@link PriceTable} applies them.
	 */
	private static void appendRow(DuckDBAppender a, String model, String geo, BigDecimal geoMultiplier, String card,
			boolean estimated, List<PriceTable.Period> periods, int i) throws SQLException {
		PriceTable.Period p = periods.get(i);
		Rates base = p.base();
		Rates lc = (p.longContext() != null) ? p.longContext() : base;
		a.beginRow();
		a.append(model);
		a.append(geo);
		a.append(card);
		a.append(estimated);
		a.append((i == 0) ? Long.MIN_VALUE : p.effectiveFromMillis());
		a.append((i + 1 < periods.size()) ? periods.get(i + 1).effectiveFromMillis() : Long.MAX_VALUE);
		a.append((p.longContext() != null) ? p.longContextThreshold() : Long.MAX_VALUE);
		for (Rates r : List.of(base, lc, base.times(p.fastMultiplier()), lc.times(p.fastMultiplier()))) {
			Rates priced = (geoMultiplier != null) ? r.times(geoMultiplier) : r;
			a.append(priced.input());
			a.append(priced.output());
			a.append(priced.cacheWrite5m());
			a.append(priced.cacheWrite1h());
			a.append(priced.cacheRead());
		}
		a.endRow();
	}

}
