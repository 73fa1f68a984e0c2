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

	private static final int FIELDS = 16;

	/** The SQL select list matching {@link #read}: sums over table alias {@code t}. */
	static final String SELECT = """
			COALESCE(SUM(t.messages), 0), COALESCE(SUM(t.input_tokens), 0), COALESCE(SUM(t.output_tokens), 0),
			COALESCE(SUM(t.cache_write_5m), 0), COALESCE(SUM(t.cache_write_1h), 0), COALESCE(SUM(t.cache_read), 0),
			COALESCE(SUM(t.cost_input), 0), COALESCE(SUM(t.cost_output), 0), COALESCE(SUM(t.cost_cache_write), 0),
			COALESCE(SUM(t.cost_cache_read), 0), COALESCE(SUM(t.cost_logged), 0), COALESCE(SUM(t.cost_calc_of_logged), 0),
			COALESCE(SUM(t.unpriced_messages), 0), COALESCE(SUM(t.web_searches), 0), COALESCE(SUM(t.cost_web_search), 0),
			COALESCE(SUM(t.estimated_messages), 0)
			""";

	static Sums read(ResultSet rs, int first) throws SQLException {
		long[] v = new long[FIELDS];
		for (int i = 0; i < FIELDS; i++) {
			v[i] = rs.getLong(first + i);
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
