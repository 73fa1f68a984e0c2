package dev.cctracer.shared.transcript;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redact first, cut after: {@link Redactor#excerpt} never emits 8 or more characters of a
 * secret's body, wherever the secret stands relative to the match, the excerpt and the
 * window it was cut from (a property test over random secrets of every pattern at random
 * offsets; the match may fall inside the secret).
 */
class RedactorTests {

	private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	private static String random(Random r, String alphabet, int n) {
		StringBuilder sb = new StringBuilder(n);
		for (int i = 0; i < n; i++) {
			sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
		}
		return sb.toString();
	}

	/** A secret of a random pattern: {prefix, body, suffix}. */
	private static String[] secret(Random r) {
		return switch (r.nextInt(8)) {
			case 0 -> new String[] { "sk-ant-api03-", random(r, ALNUM, 40 + r.nextInt(60)), "" };
			case 1 -> new String[] { "sk-proj-", random(r, ALNUM, 30 + r.nextInt(40)), "" };
			case 2 -> new String[] { "AKIA", random(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16), "" };
			case 3 -> new String[] { "ghp_", random(r, ALNUM, 36), "" };
			case 4 -> new String[] { "github_pat_", random(r, ALNUM, 60), "" };
			case 5 -> new String[] { "xoxb-", random(r, ALNUM, 30), "" };
			case 6 -> new String[] { "Bearer ", random(r, ALNUM, 30 + r.nextInt(30)), "" };
			default -> {
				StringBuilder body = new StringBuilder();
				for (int line = 0; line < 20 + r.nextInt(20); line++) {
					body.append(random(r, ALNUM + "+/", 64)).append('\n');
				}
				yield new String[] { "-----BEGIN RSA PRIVATE KEY-----\n", body.toString(),
						"-----END RSA PRIVATE KEY-----" };
			}
		};
	}

	@Test
	void noExcerptEverShowsEightCharactersOfASecretsBody() {
		Random r = new Random(20261130);
		String prose = "the build failed because the test could not reach the database on port five ";
		for (int trial = 0; trial < 10_000; trial++) {
			String[] s = secret(r);
			String before = prose.repeat(1 + r.nextInt(30)).substring(r.nextInt(prose.length()));
			String after = prose.repeat(1 + r.nextInt(30));
			String text = before + s[0] + s[1] + s[2] + " " + after;
			int secretAt = before.length();
			// a match anywhere, the window around it as the search stream's SQL cuts it
			// (±w characters, w longer than any one-line secret), then an excerpt of the
			// window around the match
			int match = r.nextInt(text.length());
			int len = Math.min(r.nextInt(10), text.length() - match);
			int w = 200 + r.nextInt(700);
			int wStart = r.nextInt(4) == 0 ? 0 : Math.max(0, match - w);
			int wEnd = r.nextInt(4) == 0 ? text.length() : Math.min(text.length(), match + len + w);
			String window = text.substring(wStart, wEnd);
			String excerpt = Redactor.excerpt(window, wStart > 0, wEnd < text.length(), match - wStart, len,
					20 + r.nextInt(200));
			String body = s[1].replace("\n", "");
			for (int i = 0; i + 8 <= body.length(); i++) {
				String piece = body.substring(i, i + 8);
				assertThat(excerpt.replace("\n", ""))
					.as("trial %d, secret at %d, window %d-%d: %s", trial, secretAt, wStart, wEnd, excerpt)
					.doesNotContain(piece);
			}
		}
	}

	@Test
	void anExcerptKeepsTheTextAroundTheMatchAndMarksItsCuts() {
		String text = "a".repeat(50) + " the needle is here " + "b".repeat(50);
		int at = text.indexOf("needle");
		assertThat(Redactor.excerpt(text, false, false, at, 6, 10)).isEqualTo("…aaaaa the needle is here b…");
		assertThat(Redactor.excerpt("short needle", false, false, 6, 6, 100)).isEqualTo("short needle");
		// a secret straddling the cut is masked whole, not cut in two
		String key = "sk-ant-api03-" + "X".repeat(40);
		String withKey = "see " + key + " and the needle";
		assertThat(Redactor.excerpt(withKey, false, false, withKey.indexOf("needle"), 6, 12))
			.isEqualTo("…[REDACTED] and the needle")
			.doesNotContain("XXXXXXXX");
		// a window that began inside a key: its remains at the edge are masked
		assertThat(Redactor.excerpt("Q7xY9pL2mK4n then the needle", true, false, 22, 6, 100))
			.isEqualTo("…[REDACTED] then the needle");
	}

	/**
	 * The scan that skips the expression on text without a secret's beginning changes no
	 * result: on random text mixing every pattern's beginnings (in any case, cut short or
	 * whole) with words, {@link Redactor#redact} equals the expression applied directly.
	 */
	@Test
	void skippingTextWithoutASecretsBeginningChangesNoResult() {
		Pattern secrets = Pattern.compile(Redactor.PATTERN);
		String[] pieces = { "sk-", "sk-ant-", "AKIA", "ghp_", "gho_", "gh", "github_pat_", "xoxb-", "xox", "Bearer ",
				"bEaReR\t", "BEARER\n", "-----BEGIN RSA PRIVATE KEY-----\n", "-----END RSA PRIVATE KEY-----", "though ",
				"high ", "a-b ", " ", "\n", "ASIA", "AIza", "sk_live_", "rk_live_", "glpat-", "hf_", "npm_", "eyJ",
				".eyJ", ".", "AWS_SECRET_ACCESS_KEY=", "aws_secret_access_key: '", "https://", "postgres://", ":", "@",
				"AWS_SESSION_TOKEN=", "\"SessionToken\": \"", "FwoGZXIvYXdz", "IQoJb3JpZ2lu", "secret: ", "Secret_Key=",
				"secrets ", "second ", "client_secret = '", "/", "https://hooks.slack.com/services/",
				"Authorization: Basic ", "authorization: basic ", "they key ", "xapp-1-", "xap",
				"-----BEGIN PGP PRIVATE KEY BLOCK-----\n", "-----END PGP PRIVATE KEY BLOCK-----" };
		Random r = new Random(20261203);
		int withSecrets = 0;
		int skipped = 0;
		for (int n = 0; n < 3000; n++) {
			StringBuilder text = new StringBuilder();
			for (int k = r.nextInt(12); k > 0; k--) {
				text.append(pieces[r.nextInt(pieces.length)]);
				text.append(random(r, ALNUM + "-_", r.nextInt(40)));
			}
			String t = text.toString();
			String expected = secrets.matcher(t).replaceAll(Redactor.MASK);
			assertThat(Redactor.redact(t)).as(t).isEqualTo(expected);
			if (!expected.equals(t)) {
				withSecrets++;
				// the facts' scan of UTF-8 bytes finds every text the expression changes
				assertThat(Redactor.mayHoldSecret(t.getBytes(StandardCharsets.UTF_8))).as(t).isTrue();
			}
			else if (!Redactor.mayHoldSecret(t.getBytes(StandardCharsets.UTF_8))) {
				skipped++;
			}
		}
		assertThat(withSecrets).isGreaterThan(300);
		// the byte scan does skip text: not a filter that lets everything through
		assertThat(skipped).isGreaterThan(300);
		assertThat(Redactor.mayHoldSecret("plain words, a dash-separated phrase and high though")).isFalse();
		assertThat(Redactor
			.mayHoldSecret("plain words, a dash-separated phrase and high though — é".getBytes(StandardCharsets.UTF_8)))
			.isFalse();
	}

	/**
	 * The facts' byte scan flags each kind of secret wherever it sits in a word of eight
	 * bytes (every offset, after and before multi-byte chars, at the very end).
	 */
	@Test
	void theByteScanFindsEveryKindOfSecretAtEveryOffset() {
		String[] secrets = { "sk-ant-abcdefgh12", "sk-proj-abcdefghijklmnopqrst", "AKIAABCDEFGHIJKLMNOP",
				"ghp_abcdefghijklmnopqrstuv", "github_pat_abcdefghijklmnopqrstuv", "xoxb-1234567890",
				"Bearer abcdefgh12", "bEARER\nabcdefgh12", "-----BEGIN RSA PRIVATE KEY-----\nMIIE",
				"ASIAABCDEFGHIJKLMNOP", "AIzaSyA1234567890abcdefghijklmnopqrstuv", "sk_live_abcdefghijklmnop12",
				"rk_live_abcdefghijklmnop12", "glpat-abcdefghijklmnopqrst", "hf_abcdefghijklmnopqrstuvwxyz12345",
				"npm_abcdefghijklmnopqrstuvwxyz0123456789",
				"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
				"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
				"postgres://admin:S3cr3tP4ss@db.example.com:5432/app",
				"https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
				"Authorization: Basic dXNlcjpwYXNzd29yZA==",
				"AWS_SESSION_TOKEN=FwoGZXIvYXdzEFAKEtokenAAAAbbbbCCCCddddEEEEffffGGGG",
				"\"SessionToken\": \"abcdEFGHijklMNOPqrstUVWXyz0123456789abcdEFGH\"",
				"IQoJb3JpZ2luX2VjEFAKE0000111122223333444455556666777788889999",
				"secret: wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKESECRET2", "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGV",
				"xapp-1-A0B1C2D3E4F-1234567890123-abcdef", "postgres://u:p@ss:w0rd@db:5432/x" };
		for (String secret : secrets) {
			for (int pad = 0; pad < 10; pad++) {
				// a space before it: the sk shapes start a word
				String text = "é".repeat(pad) + "x".repeat(pad) + " " + secret;
				assertThat(Redactor.redact(text)).as(text).contains(Redactor.MASK);
				assertThat(Redactor.mayHoldSecret(text.getBytes(StandardCharsets.UTF_8))).as(text).isTrue();
				String inside = text + " — and more words after it";
				assertThat(Redactor.mayHoldSecret(inside.getBytes(StandardCharsets.UTF_8))).as(inside).isTrue();
			}
		}
	}

	/**
	 * On ASCII the byte scan answers as the string check does, for every text of up to
	 * five chars over the patterns' first bytes (both ends of the two-bytes-a-step loop,
	 * odd and even lengths).
	 */
	@Test
	void theByteScanAnswersAsTheStringCheckOnEveryShortText() {
		char[] alphabet = "-skAKghi_xoBbe:/@ayJS".toCharArray();
		int checked = 0;
		int flagged = 0;
		for (int length = 0; length <= 5; length++) {
			int[] digits = new int[length];
			for (long n = (long) Math.pow(alphabet.length, length); n > 0; n--) {
				char[] text = new char[length];
				for (int k = 0; k < length; k++) {
					text[k] = alphabet[digits[k]];
				}
				String t = new String(text);
				boolean expected = Redactor.mayHoldSecret(t);
				assertThat(Redactor.mayHoldSecret(t.getBytes(StandardCharsets.US_ASCII))).as(t).isEqualTo(expected);
				checked++;
				flagged += expected ? 1 : 0;
				for (int k = 0; k < length && ++digits[k] == alphabet.length; k++) {
					digits[k] = 0;
				}
			}
		}
		assertThat(checked).isGreaterThan(1_000_000);
		assertThat(flagged).isGreaterThan(1_000);
	}

	/**
	 * Words ending in {@code sk} and a dash are no key: the {@code sk} shapes start a
	 * word (a trial found {@code ta[REDACTED]} for a branch name, and search could not
	 * find it); a key after a quote, a dash, an equals sign, a colon or a slash still is,
	 * and an Anthropic key ({@code sk-ant-api03-…}) wherever it starts, glued to a word
	 * too (another trial found it whole in a title and a tool's name).
	 */
	@Test
	void wordsEndingInSkAreNoKey() {
		Pattern secrets = Pattern.compile(Redactor.PATTERN);
		for (String plain : new String[] { "git checkout -b task-1234-fix-login-redirect-bug",
				"npm i @acme/disk-usage-analyzer-cli-tool", "risk-assessment-report-2026.pdf",
				"flask-anthropic-integration-tests", "mask-ant-design-tokens-v2", "desk_live_0123456789abcdefgh" }) {
			assertThat(Redactor.redact(plain)).isEqualTo(plain);
			assertThat(secrets.matcher(plain).replaceAll(Redactor.MASK)).isEqualTo(plain);
		}
		Map<String, String> keys = new LinkedHashMap<>();
		String proj = "sk-proj-abcdefghijklmnopqrstuvwx";
		String ant = "sk-ant-api03-abcdefghijkl";
		keys.put("OPENAI_API_KEY=" + proj, "OPENAI_API_KEY=[REDACTED]");
		keys.put("{\"key\":\"" + ant + "\"}", "{\"key\":\"[REDACTED]\"}");
		keys.put("claude-custom-" + ant, "claude-custom-[REDACTED]");
		keys.put("x-api-key: " + ant + " and /keys/" + proj, "x-api-key: [REDACTED] and /keys/[REDACTED]");
		keys.put(ant, "[REDACTED]");
		// after an escaped line break of JSON text, whose n is a word char
		keys.put("first line\\n" + ant, "first line\\n[REDACTED]");
		keys.put("fix_" + ant, "fix_[REDACTED]");
		keys.put("mcp__" + ant + "__run", "mcp__[REDACTED]");
		keys.put("2" + ant, "2[REDACTED]");
		keys.put("key" + ant.replace("api03", "admin01"), "key[REDACTED]");
		Pattern json = Pattern.compile(Redactor.JSON_TEXT_PATTERN);
		keys.forEach((text, expected) -> {
			assertThat(Redactor.redact(text)).as(text).isEqualTo(expected);
			assertThat(json.matcher(text).replaceAll(Redactor.MASK)).as(text).doesNotContain("abcdefgh");
		});
	}

	/**
	 * The secret shapes a trial found shown verbatim (a prompt with an AWS secret key, a
	 * database URL with its password…): each is masked, with what surrounds it kept, and
	 * in the JSON-escaped form DuckDB reads from a raw transcript too.
	 */
	@Test
	void theProvidersOtherSecretShapesAreMasked() {
		Map<String, String> cases = new LinkedHashMap<>();
		cases.put("export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY now", "export [REDACTED] now");
		cases.put("{\"aws_secret_access_key\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}", "{\"[REDACTED]\"}");
		cases.put("temporary ASIAIOSFODNN7EXAMPLE key", "temporary [REDACTED] key");
		cases.put("key=AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe;", "key=[REDACTED];");
		cases.put("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc and rk_live_4eC39HqLyjWDarjtT1zdp7dc",
				"stripe [REDACTED] and [REDACTED]");
		cases.put(
				"glpat-xxxxxxxxxxxxxxxxxxxx1 hf_abcdefghijklmnopqrstuvwxyzABCDEF npm_abcdefghijklmnopqrstuvwxyz0123456789",
				"[REDACTED] [REDACTED] [REDACTED]");
		cases.put("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U.",
				"token [REDACTED].");
		cases.put("DATABASE_URL=postgres://admin:S3cr3tP4ss@db.example.com:5432/app",
				"DATABASE_URL=postgres[REDACTED]db.example.com:5432/app");
		cases.put("curl https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX -d x",
				"curl https[REDACTED] -d x");
		cases.put("-H 'Authorization: Basic dXNlcjpwYXNzd29yZA==' https://api", "-H '[REDACTED]' https://api");
		// a password past many multi-byte chars: the pattern's bounds count chars, the
		// byte scan must not stop early (a trial's cases)
		cases.put("postgres://" + "é".repeat(256) + ":p@host", "postgres[REDACTED]host");
		cases.put("see " + "😀".repeat(200) + "://u:" + "x".repeat(120) + "@host and redis://:pw@cache",
				"see " + "😀".repeat(200) + "[REDACTED]host and redis[REDACTED]cache");
		cases.put("\"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYX1\"", "\"[REDACTED]\"");
		// an AWS secret key after a name of its own, and session tokens (a trial found
		// them whole in pages, search and the facts)
		cases.put("secret: wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKESECRET2 ok", "[REDACTED] ok");
		cases.put("client_secret = \"Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0\";", "client_[REDACTED]\";");
		cases.put("SECRET_KEY=abcdefghijklmnopqrstuvwxyz012345==", "[REDACTED]");
		String sts = "FwoGZXIvYXdzEFAKEtokenAAAAbbbbCCCCddddEEEEffffGGGGhhhhIIIIjjjjKKKK/+==";
		cases.put("export AWS_SESSION_TOKEN=" + sts + " &&", "export [REDACTED] &&");
		cases.put("\"SessionToken\": \"IQoJb3JpZ2luX2VjEFAKE0000111122223333444455556666777788889999\"",
				"\"[REDACTED]\"");
		cases.put("the token " + sts, "the token [REDACTED]");
		// an OpenPGP private key, a Slack app-level token and a URL's password with an
		// "@" in it (a trial found each shown whole, or from the "@" on)
		cases.put("key:\n-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGVfakeKEYdata0123456789+/=\n=ab12\n"
				+ "-----END PGP PRIVATE KEY BLOCK-----\nok", "key:\n[REDACTED]\nok");
		cases.put("SLACK_APP_TOKEN=xapp-1-A0B1C2D3E4F-1234567890123-abcdef0123456789 ok",
				"SLACK_APP_TOKEN=[REDACTED] ok");
		cases.put("postgres://u:p@ss:w0rd-W1thAt@db:5432/x", "postgres[REDACTED]db:5432/x");
		// what looks near but is no secret stays
		for (String plain : new String[] { "basic functionality of the authorization flow, they key it by eye",
				"see https://example.com/a:b@c and ssh://git@github.com/org/repo.git, mail user@host.org",
				"the aws region, ASIA and AIza alone, sk_test_abc, eyJ alone, eyJhbGciOiJIUzI1NiJ9 no dot",
				"password = request.get(\"pw\")", "headers.authorization = basicAuth(user)", "the secret: is out",
				"secret = os.environ[\"APP_SECRET\"]", "secrets: 4", "a secret recipe: sugar",
				"secretsManager: new SecretsManagerClient({ region })", "sessionToken: token", "FwoG alone, IQoJ too",
				"secret_key: ${SECRET_KEY}" }) {
			cases.put(plain, plain);
		}
		Pattern secrets = Pattern.compile(Redactor.PATTERN);
		cases.forEach((text, expected) -> {
			assertThat(Redactor.redact(text)).as(text).isEqualTo(expected);
			assertThat(secrets.matcher(text).replaceAll(Redactor.MASK)).as(text).isEqualTo(expected);
			if (!expected.equals(text)) {
				assertThat(Redactor.mayHoldSecret(text.getBytes(StandardCharsets.UTF_8))).as(text).isTrue();
			}
		});
		// the prose and code around "authorization", "eyJ" and "://" does not run the
		// expression at all
		assertThat(Redactor.mayHoldSecret("the authorization: token-less flow; eyJ0 is not a token; "
				+ "see https://example.com:8080/a and user@host"))
			.isFalse();
		// the JSON-text expression masks the key in a transcript's escaped text too (what
		// DuckDB runs it on; DuckDbRedactionTests checks RE2 answers as Java does)
		Pattern json = Pattern.compile(Redactor.JSON_TEXT_PATTERN);
		assertThat(json.matcher("\\\"AWS_SECRET_ACCESS_KEY\\\": \\\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\\\"")
			.replaceAll(Redactor.MASK)).isEqualTo("\\\"[REDACTED]\\\"");
	}

}
