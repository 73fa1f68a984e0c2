package dev.cctracer.web.usage;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;

import dev.cctracer.shared.pricing.Cost;
import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.usage.Dtos.CostDto;
import dev.cctracer.web.usage.Dtos.TokensDto;

/**
 * Summed usage as read from the rollups or file totals. Counts are {@code long}; costs
 * are pico-USD (10^-12 USD) as {@link BigInteger}, because a {@code long} holds only
 * about $9.2M of them and a team's whole history on one database can pass that (the
 * database's {@code SUM} of a {@code BIGINT} column is a {@code NUMERIC} either way).
 */
record Sums(long messages, long input, long output, long write5m, long write1h, long read, BigInteger costInput,
		BigInteger costOutput, BigInteger costWrite, BigInteger costRead, BigInteger costLogged,
		BigInteger costCalcOfLogged, long unpriced, long webSearches, BigInteger costWebSearch, long estimated) {

	static final Sums ZERO = new Sums(0, 0, 0, 0, 0, 0, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO,
			BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, 0, 0, BigInteger.ZERO, 0);

	/** The column names {@link #read} reads, in the order of the record's components. */
	private static final String[] COLUMNS = { "sum_messages", "sum_input", "sum_output", "sum_write_5m", "sum_write_1h",
			"sum_read", "sum_cost_input", "sum_cost_output", "sum_cost_write", "sum_cost_read", "sum_cost_logged",
			"sum_cost_calc_of_logged", "sum_unpriced", "sum_web_searches", "sum_cost_web_search", "sum_estimated" };

	/**
	 * The summed columns of a rollup or file-totals table, in {@link #COLUMNS}' order.
	 */
	private static final String[] SUMMED = { "messages", "input_tokens", "output_tokens", "cache_write_5m",
			"cache_write_1h", "cache_read", "cost_input", "cost_output", "cost_cache_write", "cost_cache_read",
			"cost_logged", "cost_calc_of_logged", "unpriced_messages", "web_searches", "cost_web_search",
			"estimated_messages" };

	/**
	 * The SQL select list matching {@link #read}: sums over the table aliased
	 * {@code alias} ({@code source_file} or {@code usage_rollup}), named as it reads
	 * them.
	 */
	static String select(String alias) {
		StringBuilder sql = new StringBuilder();
		for (int i = 0; i < SUMMED.length; i++) {
			sql.append((i > 0) ? ", " : "")
				.append("COALESCE(SUM(")
				.append(alias)
				.append('.')
				.append(SUMMED[i])
				.append("), 0) AS ")
				.append(COLUMNS[i]);
		}
		return sql.append(' ').toString();
	}

	/**
	 * The SQL select list of one unsummed row of {@code alias} (a rollup's columns),
	 * named as {@link #read} reads them: a single record read as a sum of one.
	 */
	static String columns(String alias) {
		StringBuilder sql = new StringBuilder();
		for (int i = 0; i < SUMMED.length; i++) {
			sql.append((i > 0) ? ", " : "")
				.append(alias)
				.append('.')
				.append(SUMMED[i])
				.append(" AS ")
				.append(COLUMNS[i]);
		}
		return sql.append(' ').toString();
	}

	/**
	 * The sums of one row, read by the names {@link #select} gives them.
	 * @throws SQLException if a count does not fit a {@code long}
	 */
	static Sums read(ResultSet rs) throws SQLException {
		return new Sums(count(rs, 0), count(rs, 1), count(rs, 2), count(rs, 3), count(rs, 4), count(rs, 5), pico(rs, 6),
				pico(rs, 7), pico(rs, 8), pico(rs, 9), pico(rs, 10), pico(rs, 11), count(rs, 12), count(rs, 13),
				pico(rs, 14), count(rs, 15));
	}

	private static long count(ResultSet rs, int column) throws SQLException {
		return rs.getLong(COLUMNS[column]);
	}

	private static BigInteger pico(ResultSet rs, int column) throws SQLException {
		BigDecimal sum = rs.getBigDecimal(COLUMNS[column]);
		return (sum != null) ? sum.toBigIntegerExact() : BigInteger.ZERO;
	}

	Sums plus(Sums o) {
		return new Sums(this.messages + o.messages, this.input + o.input, this.output + o.output,
				this.write5m + o.write5m, this.write1h + o.write1h, this.read + o.read, this.costInput.add(o.costInput),
				this.costOutput.add(o.costOutput), this.costWrite.add(o.costWrite), this.costRead.add(o.costRead),
				this.costLogged.add(o.costLogged), this.costCalcOfLogged.add(o.costCalcOfLogged),
				this.unpriced + o.unpriced, this.webSearches + o.webSearches, this.costWebSearch.add(o.costWebSearch),
				this.estimated + o.estimated);
	}

	/** Calculated cost: tokens and the web-search fee, pico-USD. */
	BigInteger calculated() {
		return this.costInput.add(this.costOutput).add(this.costWrite).add(this.costRead).add(this.costWebSearch);
	}

	/** The total of the cost mode, USD. */
	double totalCost(CostMode mode) {
		return Cost.usd(mode.total(calculated(), this.costLogged, this.costCalcOfLogged));
	}

	TokensDto tokens() {
		return new TokensDto(this.input, this.output, this.write5m + this.write1h, this.read, this.write5m,
				this.write1h);
	}

	CostDto cost(CostMode mode) {
		return new CostDto(Cost.usd(this.costInput), Cost.usd(this.costOutput), Cost.usd(this.costWrite),
				Cost.usd(this.costRead), Cost.usd(this.costWebSearch), totalCost(mode));
	}

}
