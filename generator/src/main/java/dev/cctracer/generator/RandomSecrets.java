package dev.cctracer.generator;

import java.util.Random;

/**
 * Random secrets of every pattern the redaction knows, for property tests: Anthropic,
 * OpenAI project, AWS (key ids, temporary ids, secret keys after their name, session
 * tokens by name and by their beginning), a value given to a name ending in "secret",
 * GitHub (classic and fine-grained), GitLab, Hugging Face, npm, Google, Stripe and Slack
 * tokens, Slack webhooks, JSON Web Tokens, a URL's password, HTTP Basic credentials,
 * bearer tokens and private key blocks, each with a random body. Deterministic by seed.
 */
public final class RandomSecrets {

	/** How many patterns there are ({@link #next(int)} takes 0 to {@code KINDS - 1}). */
	public static final int KINDS = 25;

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
			case 2, 8 -> run("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 16);
			case 3 -> run(TOKEN, 36);
			case 5 -> run(TOKEN + "-", 30);
			case 6 -> run(TOKEN + "-._~+/", 40);
			case 7 -> run(TOKEN + "+/", 64) + "\n" + run(TOKEN + "+/", 64);
			case 9 -> run(TOKEN + "_-", 35);
			case 10, 11, 15, 17 -> run(TOKEN, 24);
			case 12 -> run(TOKEN, 34);
			case 13 -> run(TOKEN, 36);
			case 14 -> run(TOKEN + "/+", 40);
			case 16 -> run(TOKEN + "+/", 24);
			case 19 -> run(TOKEN + "/+", 60);
			case 20 -> run(TOKEN + "/+", 80);
			case 21 -> run(TOKEN + "/+", 40);
			case 22 -> run(TOKEN + "+/", 64) + "\n" + run(TOKEN + "+/", 20) + "=";
			case 23 -> run(TOKEN, 40);
			case 24 -> run(TOKEN, 10) + "@" + run(TOKEN + "!:", 10);
			default -> run(TOKEN + "_-", 30);
		};
		String text = switch (k) {
			case 0 -> "sk-ant-api03-" + body;
			case 1 -> "sk-proj-" + body;
			case 2 -> "AKIA" + body;
			case 3 -> "ghp_" + body;
			case 4 -> "github_pat_" + body;
			case 5 -> "xoxb-" + body;
			case 6 -> (this.random.nextBoolean() ? "Bearer " : "bearer\n") + body;
			case 7 -> "-----BEGIN RSA PRIVATE KEY-----\n" + body
					+ (this.random.nextBoolean() ? "\n-----END RSA PRIVATE KEY-----" : "");
			case 8 -> "ASIA" + body;
			case 9 -> "AIza" + body;
			case 10 -> (this.random.nextBoolean() ? "sk_live_" : "rk_live_") + body;
			case 11 -> "glpat-" + body;
			case 12 -> "hf_" + body;
			case 13 -> "npm_" + body;
			case 14 -> (this.random.nextBoolean() ? "AWS_SECRET_ACCESS_KEY=" : "\"SecretAccessKey\": \"") + body;
			case 15 -> "postgres://" + (this.random.nextBoolean() ? "admin" : "") + ":" + body + "@db.example.com/app";
			case 16 -> "Authorization: Basic " + body + "==";
			case 17 -> "https://hooks.slack.com/services/T01/B02/" + body;
			case 19 -> (this.random.nextBoolean() ? "AWS_SESSION_TOKEN=" : "\"SessionToken\": \"") + body;
			case 20 -> (this.random.nextBoolean() ? "FwoGZXIvYXdz" : "IQoJb3JpZ2lu") + body;
			case 21 -> (this.random.nextBoolean() ? "secret: " : "client_secret=\"") + body;
			case 22 -> "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + body + "\n-----END PGP PRIVATE KEY BLOCK-----";
			case 23 -> "xapp-1-A0" + body;
			case 24 ->
				"postgres://" + (this.random.nextBoolean() ? "admin" : "") + ":" + body + "@db.example.com:5432/x";
			default -> "eyJhbGciOiJIUzI1NiJ9.eyJ" + body + "." + run(TOKEN + "_-", 43);
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
