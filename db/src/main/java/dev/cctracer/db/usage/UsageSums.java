package dev.cctracer.db.usage;

import java.sql.PreparedStatement;
import java.sql.SQLException;

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

	/** Adds ({@code sign} 1) or removes ({@code sign} -1) one counted copy. */
	public void add(CopyRow c, int sign) {
		this.messages += sign;
		this.input += sign * c.input();
		this.output += sign * c.output();
		this.write5m += sign * c.write5m();
		this.write1h += sign * c.write1h();
		this.read += sign * c.read();
		this.costInput += sign * c.costInput();
		this.costOutput += sign * c.costOutput();
		this.costWrite += sign * c.costWrite();
		this.costRead += sign * c.costRead();
		if (c.costLogged() != null) {
			this.costLogged += sign * c.costLogged();
			this.costCalcOfLogged += sign * (c.costInput() + c.costOutput() + c.costWrite() + c.costRead());
		}
		if (!c.priced()) {
			this.unpriced += sign;
		}
	}

	public boolean isZero() {
		return this.messages == 0 && this.input == 0 && this.output == 0 && this.write5m == 0 && this.write1h == 0
				&& this.read == 0 && this.costInput == 0 && this.costOutput == 0 && this.costWrite == 0
				&& this.costRead == 0 && this.costLogged == 0 && this.costCalcOfLogged == 0 && this.unpriced == 0;
	}

	/**
	 * Binds the 13 values from parameter {@code first}; returns the next parameter index.
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
				this.unpriced };
	}

	public long messages() {
		return this.messages;
	}

}
