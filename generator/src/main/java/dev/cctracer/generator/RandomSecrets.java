package dev.cctracer.generator;

import java.util.Random;

/**
 * Random secrets of every pattern the redaction knows, for property tests: Anthropic,
 * OpenAI project, AWS, GitHub (classic and fine-grained) and Slack tokens, bearer tokens
 * and private key blocks, each with a random body. Deterministic by seed.
 */
public final class RandomSecrets {

	/** How many patterns there are ({@link #next(int)} takes 0 to {@code KINDS - 1}). */
	public static final int KINDS = 8;

	private static final String TOKEN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	/**
	 * One secret.
	 *
	 * @param text the secret as it would stand in a transcript
	 * @param body its random part: no output may show 8 characters of it
	 */
	public record Secret(String text, String body) {

	}

	private final Random random;

	public RandomSecrets(long seed) {
		this.random = new Random(seed);
	}

	/** The random source, for placing secrets at random offsets. */
	public Random random() {
		return this.random;
	}

	/** A new secret of pattern {@code kind} (taken modulo {@link #KINDS}). */
	public Secret next(int kind) {
		int k = Math.floorMod(kind, KINDS);
		String body = switch (k) {
			case 0, 1, 4 -> run(TOKEN + "_", 40);
			case 2 -> run("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 16);
			case 3 -> run(TOKEN, 36);
			case 5 -> run(TOKEN + "-", 30);
			case 6 -> run(TOKEN + "-._~+/", 40);
			default -> run(TOKEN + "+/", 64) + "\n" + run(TOKEN + "+/", 64);
		};
		String text = switch (k) {
			case 0 -> "sk-ant-api03-" + body;
			case 1 -> "sk-proj-" + body;
			case 2 -> "AKIA" + body;
			case 3 -> "ghp_" + body;
			case 4 -> "github_pat_" + body;
			case 5 -> "xoxb-" + body;
			case 6 -> (this.random.nextBoolean() ? "Bearer " : "bearer\n") + body;
			default -> "-----BEGIN RSA PRIVATE KEY-----\n" + body
					+ (this.random.nextBoolean() ? "\n-----END RSA PRIVATE KEY-----" : "");
		};
		return new Secret(text, body);
	}

	private String run(String of, int n) {
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < n; i++) {
			sb.append(of.charAt(this.random.nextInt(of.length())));
		}
		return sb.toString();
	}

}
