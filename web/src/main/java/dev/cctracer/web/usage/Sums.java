package dev.cctracer.web.usage;

import java.sql.ResultSet;
import java.sql.SQLException;

import dev.cctracer.shared.pricing.Cost;
import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.usage.Dtos.CostDto;
import dev.cctracer.web.usage.Dtos.TokensDto;

/**
 * Summed usage as read from the rollups or file totals (costs in pico-USD).
 */
record Sums(long messages, long input, long output, long write5m, long write1h, long read, long costInput,
		long costOutput, long costWrite, long costRead, long costLogged, long costCalcOfLogged, long unpriced,
		long webSearches, long costWebSearch, long estimated) {

	static final Sums ZERO = new Sums(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

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

	/** The sums of one row, read by the names {@link #select} gives them. */
	static Sums read(ResultSet rs) throws SQLException {
		long[] v = new long[COLUMNS.length];
		for (int i = 0; i < COLUMNS.length; i++) {
			v[i] = rs.getLong(COLUMNS[i]);
		}
		return new Sums(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14],
				v[15]);
	}

	Sums plus(Sums o) {
		return new Sums(this.messages + o.messages, this.input + o.input, this.output + o.output,
				this.write5m + o.write5m, this.write1h + o.write1h, this.read + o.read, this.costInput + o.costInput,
				this.costOutput + o.costOutput, this.costWrite + o.costWrite, this.costRead + o.costRead,
				this.costLogged + o.costLogged, this.costCalcOfLogged + o.costCalcOfLogged, this.unpriced + o.unpriced,
				this.webSearches + o.webSearches, this.costWebSearch + o.costWebSearch, this.estimated + o.estimated);
	}

	/** Calculated cost: tokens and the web-search fee, pico-USD. */
	long calculated() {
		return this.costInput + this.costOutput + this.costWrite + this.costRead + this.costWebSearch;
	}

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
