package dev.cctracer.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Who used the machine's CPU during a measurement: the app, the harness (with the
 * {@code ab} runs it waited for) and every other process, from {@code /proc} (clock
 * ticks). The load average cannot tell a disturbed run from an undisturbed one, as the
 * measurement's own 16 clients keep it high; CPU taken by other processes (another
 * engineer's build or tests on the same 2 cores) can.
 */
final class CpuShare {

	private final long appPid;

	private final long[] start;

	private CpuShare(long appPid) {
		this.appPid = appPid;
		this.start = sample(appPid);
	}

	/** Starts counting now for the app process {@code appPid}. */
	static CpuShare start(long appPid) {
		return new CpuShare(appPid);
	}

	/**
	 * Shares of the machine's CPU time since the start (all 0 without {@code /proc}).
	 */
	Shares shares() {
		long[] end = sample(this.appPid);
		if (this.start == null || end == null || end[0] <= this.start[0]) {
			return new Shares(0, 0, 0, 0);
		}
		double total = end[0] - this.start[0];
		long idle = end[1] - this.start[1];
		long app = end[2] - this.start[2];
		long harness = end[3] - this.start[3];
		long other = Math.max(0, (long) total - idle - app - harness);
		return new Shares(app / total, harness / total, other / total, idle / total);
	}

	/**
	 * Waits, up to a minute, until other processes leave the machine nearly idle (under 5
	 * % of its CPU over 2 s), so that a measurement starts undisturbed.
	 */
	static void waitForQuiet() throws InterruptedException {
		for (int i = 0; i < 30; i++) {
			long[] before = sample(-1);
			Thread.sleep(2_000);
			long[] after = sample(-1);
			if (before == null || after == null) {
				return;
			}
			double total = after[0] - before[0];
			double busy = total - (after[1] - before[1]);
			if (total <= 0 || busy / total < 0.05) {
				return;
			}
		}
	}

	/**
	 * Shares of the machine's CPU time (0 to 1).
	 *
	 * @param app the app's
	 * @param harness the harness's, with the {@code ab} runs it waited for
	 * @param other every other process's
	 * @param idle unused
	 */
	record Shares(double app, double harness, double other, double idle) {

		/** Other processes took more than 5 % of the machine: the figures may be off. */
		boolean disturbed() {
			return this.other > 0.05;
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"CPU: app %.0f %%, harness %.0f %%, other processes %.0f %%, idle %.0f %%", this.app * 100,
					this.harness * 100, this.other * 100, this.idle * 100);
		}

	}

	/**
	 * {total, idle (with I/O wait), app, harness and its waited-for children} in clock
	 * ticks (the last two 0 when {@code appPid} is negative), or {@code null} when
	 * {@code /proc} cannot be read.
	 */
	private static long[] sample(long appPid) {
		try {
			String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long total = 0;
			// user nice system idle iowait irq softirq steal (guest time is in user)
			for (int i = 1; i <= Math.min(8, cpu.length - 1); i++) {
				total += Long.parseLong(cpu[i]);
			}
			long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
			if (appPid < 0) {
				return new long[] { total, idle, 0, 0 };
			}
			return new long[] { total, idle, ticks(Path.of("/proc/" + appPid + "/stat"), false),
					ticks(Path.of("/proc/self/stat"), true) };
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/** utime + stime (+ cutime + cstime) of a {@code /proc/<pid>/stat}. */
	private static long ticks(Path stat, boolean children) throws IOException {
		String text = Files.readString(stat);
		// the fields after the command name, which may hold spaces, in parentheses
		String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
		long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
		return children ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
	}

}
