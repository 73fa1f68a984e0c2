package dev.cctracer.db.usage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Signed sums of counted usage (tokens in units, costs in pico-USD), as added to a rollup
 * or a file's totals. Mutable accumulator: used only inside one ingest commit.
 */
public final class UsageSums {

	long messages;

	long input;

	long output;

	long write5m;

	long write1h;

	long read;

	long costInput;

	long costOutput;

	long costWrite;

	long costRead;

	long costLogged;

	long costCalcOfLogged;

	long unpriced;

	long webSearches;

	long costWebSearch;

	long estimated;

	/**
	 * {@code tool_use} blocks of the counted copies: a file's total only (not in
	 * {@link #COLUMNS}; the rollups do not keep them).
	 */
	long toolUses;

	/**
	 * Adds ({@code sign} 1) or removes ({@code sign} -1) one counted copy.
	 * @throws ArithmeticException when a sum would pass 64 bits (only crafted counts
	 * reach it: ~$9.2M of cost in one quarter-hour of one model, or in one file; a real
	 * response costs under $100); the commit then fails rather than store a wrapped,
	 * negative cost
	 */
	public void add(CopyRow c, int sign) {
		this.messages = Math.addExact(this.messages, sign);
		this.input = Math.addExact(this.input, sign * c.input());
		this.output = Math.addExact(this.output, sign * c.output());
		this.write5m = Math.addExact(this.write5m, sign * c.write5m());
		this.write1h = Math.addExact(this.write1h, sign * c.write1h());
		this.read = Math.addExact(this.read, sign * c.read());
		this.costInput = Math.addExact(this.costInput, sign * c.costInput());
		this.costOutput = Math.addExact(this.costOutput, sign * c.costOutput());
		this.costWrite = Math.addExact(this.costWrite, sign * c.costWrite());
		this.costRead = Math.addExact(this.costRead, sign * c.costRead());
		if (c.costLogged() != null) {
			this.costLogged = Math.addExact(this.costLogged, sign * c.costLogged());
			long calculated = Math.addExact(Math.addExact(Math.addExact(c.costInput(), c.costOutput()),
					Math.addExact(c.costWrite(), c.costRead())), c.costWebSearch());
			this.costCalcOfLogged = Math.addExact(this.costCalcOfLogged, sign * calculated);
		}
		if (!c.priced()) {
			this.unpriced += sign;
		}
		this.webSearches = Math.addExact(this.webSearches, sign * c.webSearches());
		this.costWebSearch = Math.addExact(this.costWebSearch, sign * c.costWebSearch());
		if (c.estimated()) {
			this.estimated += sign;
		}
		this.toolUses += sign * c.toolUses();
	}

	/** Adds tool uses alone (a counted copy's response grew by more lines). */
	public void addToolUses(long more) {
		this.toolUses += more;
	}

	/** The tool uses to add to a file's {@code tool_uses} (not in {@link #COLUMNS}). */
	public long toolUses() {
		return this.toolUses;
	}

	/**
	 * Adds ({@code sign} 1) or removes ({@code sign} -1) another set of sums.
	 * @throws ArithmeticException when a sum would pass 64 bits (see
	 * {@link #add(CopyRow, int)})
	 */
	public void add(UsageSums other, int sign) {
		this.messages = Math.addExact(this.messages, sign * other.messages);
		this.input = Math.addExact(this.input, sign * other.input);
		this.output = Math.addExact(this.output, sign * other.output);
		this.write5m = Math.addExact(this.write5m, sign * other.write5m);
		this.write1h = Math.addExact(this.write1h, sign * other.write1h);
		this.read = Math.addExact(this.read, sign * other.read);
		this.costInput = Math.addExact(this.costInput, sign * other.costInput);
		this.costOutput = Math.addExact(this.costOutput, sign * other.costOutput);
		this.costWrite = Math.addExact(this.costWrite, sign * other.costWrite);
		this.costRead = Math.addExact(this.costRead, sign * other.costRead);
		this.costLogged = Math.addExact(this.costLogged, sign * other.costLogged);
		this.costCalcOfLogged = Math.addExact(this.costCalcOfLogged, sign * other.costCalcOfLogged);
		this.unpriced += sign * other.unpriced;
		this.webSearches = Math.addExact(this.webSearches, sign * other.webSearches);
		this.costWebSearch = Math.addExact(this.costWebSearch, sign * other.costWebSearch);
		this.estimated += sign * other.estimated;
		this.toolUses += sign * other.toolUses;
	}

	/** The sums of a result row holding the {@link #COLUMNS} by name. */
	static UsageSums read(ResultSet rs) throws SQLException {
		UsageSums s = new UsageSums();
		s.messages = rs.getLong("messages");
		s.input = rs.getLong("input_tokens");
		s.output = rs.getLong("output_tokens");
		s.write5m = rs.getLong("cache_write_5m");
		s.write1h = rs.getLong("cache_write_1h");
		s.read = rs.getLong("cache_read");
		s.costInput = rs.getLong("cost_input");
		s.costOutput = rs.getLong("cost_output");
		s.costWrite = rs.getLong("cost_cache_write");
		s.costRead = rs.getLong("cost_cache_read");
		s.costLogged = rs.getLong("cost_logged");
		s.costCalcOfLogged = rs.getLong("cost_calc_of_logged");
		s.unpriced = rs.getLong("unpriced_messages");
		s.webSearches = rs.getLong("web_searches");
		s.costWebSearch = rs.getLong("cost_web_search");
		s.estimated = rs.getLong("estimated_messages");
		return s;
	}

	public boolean isZero() {
		return this.messages == 0 && this.input == 0 && this.output == 0 && this.write5m == 0 && this.write1h == 0
				&& this.read == 0 && this.costInput == 0 && this.costOutput == 0 && this.costWrite == 0
				&& this.costRead == 0 && this.costLogged == 0 && this.costCalcOfLogged == 0 && this.unpriced == 0
				&& this.webSearches == 0 && this.costWebSearch == 0 && this.estimated == 0;
	}

	/**
	 * Binds the 16 values (in the order of {@link #COLUMNS}) from parameter
	 * {@code first}; returns the next parameter index.
	 */
	public int bind(PreparedStatement ps, int first) throws SQLException {
		long[] v = values();
		for (int i = 0; i < v.length; i++) {
			ps.setLong(first + i, v[i]);
		}
		return first + v.length;
	}

	long[] values() {
		return new long[] { this.messages, this.input, this.output, this.write5m, this.write1h, this.read,
				this.costInput, this.costOutput, this.costWrite, this.costRead, this.costLogged, this.costCalcOfLogged,
				this.unpriced, this.webSearches, this.costWebSearch, this.estimated };
	}

	/** The columns {@link #bind} binds, in order (of a rollup or a file's totals). */
	public static final List<String> COLUMNS = List.of("messages", "input_tokens", "output_tokens", "cache_write_5m",
			"cache_write_1h", "cache_read", "cost_input", "cost_output", "cost_cache_write", "cost_cache_read",
			"cost_logged", "cost_calc_of_logged", "unpriced_messages", "web_searches", "cost_web_search",
			"estimated_messages");

	/**
	 * {@code col = col + ?, …} over {@link #COLUMNS}, for an UPDATE that adds a delta.
	 */
	public static String addAssignments() {
		return String.join(", ", COLUMNS.stream().map((c) -> c + " = " + c + " + ?").toList());
	}

	public long messages() {
		return this.messages;
	}

}
