package dev.cctracer.shared.transcript;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Replaces secrets in transcript text before it leaves the server: Anthropic and OpenAI
 * style keys, AWS access key ids (long-term and temporary), secret access keys and
 * session tokens written with their name, session tokens by their own beginning, a value
 * of 32 or more key characters given to a name ending in {@code secret}, Google API keys,
 * Stripe live keys, GitHub, GitLab, Hugging Face, npm and Slack tokens, Slack webhook
 * URLs, JSON Web Tokens, a URL's user and password, HTTP Basic credentials after
 * {@code Authorization:}, private key blocks and bearer tokens. The token shapes are
 * those the providers document (and gitleaks' rules match). A password with no such shape
 * or name around it (a {@code password=} in code) is not found: masking every assignment
 * of a password would mask the code transcripts are full of.
 */
public final class Redactor {

	/** What a secret is replaced with. */
	public static final String MASK = "[REDACTED]";

	/**
	 * A private key block's first line: PEM's ({@code RSA}, {@code EC}, {@code OPENSSH}…)
	 * and OpenPGP's armor ({@code PGP PRIVATE KEY BLOCK}, RFC 4880 §6.2), which a trial
	 * found shown whole.
	 */
	private static final String KEY_BEGIN = "-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----";

	private static final String KEY_END = "-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----";

	/** An optional quote around a name or value, JSON-escaped or not. */
	private static final String QUOTE = "(?:\\\\?[\"'])?";

	/**
	 * Where a key of the {@code sk} shapes may start, for RE2 (DuckDB): at the start of a
	 * word ({@code \b}, ASCII in RE2), or after an escaped control char of JSON text
	 * ({@code \n}, whose {@code n} is a word char; the escape is masked with the key).
	 * Prose and code are full of words ending in {@code sk} and a dash
	 * ({@code task-1234-fix-login-redirect-bug}, {@code disk-usage-analyzer-cli-tool},
	 * {@code risk-assessment-report}), which were masked from their {@code sk} on (a
	 * trial), and search could not find them.
	 */
	private static final String SK_START = "(?:\\\\[nrtbf]|\\b)";

	/**
	 * {@link #SK_START} for {@link java.util.regex}, whose {@code \b} also counts
	 * non-ASCII letters as word chars (RE2's does not): ASCII look-behinds, so both
	 * engines mask the same keys (after an escape, the key alone: a match starts where
	 * {@link #spans} tries one).
	 */
	private static final String SK_START_JAVA = "(?:(?<![A-Za-z0-9_])|(?<=\\\\[nrtbf]))";

	/**
	 * The token shapes, the {@code sk} ones starting at {@code skStart} but Anthropic's
	 * own prefixes ({@code sk-ant-api03-}, {@code sk-ant-admin01-},
	 * {@code sk-ant-oat01-}…), which no word holds: such a key glued to a word
	 * ({@code fix_sk-ant-api03-…}, {@code mcp__sk-ant-api03-…}) was shown whole (a
	 * trial).
	 */
	private static String tokens(String skStart) {
		return String.join("|", "sk-ant-[a-z]{2,8}[0-9]{2}-[A-Za-z0-9_\\-]{8,}", skStart + "sk-ant-[A-Za-z0-9_\\-]{8,}",
				skStart + "sk-(?:proj-)?[A-Za-z0-9_\\-]{20,}", "(?:AKIA|ASIA)[0-9A-Z]{16}",
				"gh[pousr]_[A-Za-z0-9]{20,}", "github_pat_[A-Za-z0-9_]{20,}", "xox[abposr]-[A-Za-z0-9\\-]{10,}",
				// Slack's app-level tokens (a trial found them shown whole)
				"xapp-[0-9]+-[A-Za-z0-9\\-]{10,}", "AIza[0-9A-Za-z_\\-]{35}", skStart + "[sr]k_live_[0-9A-Za-z]{16,}",
				"glpat-[0-9A-Za-z_\\-]{20,}", "hf_[A-Za-z0-9]{30,}", "npm_[A-Za-z0-9]{36,}",
				"eyJ[A-Za-z0-9_\\-]{10,}\\.eyJ[A-Za-z0-9_\\-]{10,}\\.[A-Za-z0-9_\\-]{8,}",
				"(?:(?i:aws_?secret_?access_?key)|SecretAccessKey)" + QUOTE + "\\s*[=:]\\s*" + QUOTE
						+ "[A-Za-z0-9/+=]{40,}",
				// an AWS session token by its name (the CLI's, the SDKs' and STS's JSON),
				// and by its own beginning (STS's tokens are base64 of a binary header)
				"(?:(?i:aws_?session_?token)|SessionToken)" + QUOTE + "\\s*[=:]\\s*" + QUOTE + "[A-Za-z0-9/+=]{40,}",
				"(?:FwoGZXIvYXdz|IQoJb3JpZ2lu)[A-Za-z0-9/+=]{40,}",
				// a value of 32 or more key chars given to a name that ends in "secret"
				// (an AWS secret key after "secret:", a client_secret): a trial found an
				// AWS secret key shown whole after "secret:"
				"(?i:secret)(?:_?(?i:access))?(?:_?(?i:key))?" + QUOTE + "\\s*[=:]\\s*" + QUOTE
						+ "[A-Za-z0-9/+]{32,}={0,2}",
				"://hooks\\.slack\\.com/services/[A-Za-z0-9/]{16,}",
				// a URL's user (may be empty) and password, from its "://": a match that
				// began at the scheme was tried again at every letter of the text; the
				// password runs to the last "@" before the host (one with an "@" in it
				// was shown from there on: a trial)
				"://[^\\s:/@\"'\\\\]{0,256}:[^\\s/\"'\\\\]{1,256}@",
				"(?i:authorization)" + QUOTE + "\\s*:\\s*" + QUOTE + "(?i:basic)\\s+[A-Za-z0-9+/]{8,}={0,2}");
	}

	private static final String BEARER_TOKEN = "[A-Za-z0-9\\-._~+/]{8,}=*";

	/**
	 * The secrets in plain text, as a regular expression both {@link java.util.regex} and
	 * RE2 (DuckDB's {@code regexp_replace}) read the same way. {@code Bearer} may be
	 * followed by an escaped line break too, since text read from a JSON column (search
	 * over raw transcripts) still has its escapes.
	 */
	public static final String PATTERN = plain(SK_START);

	private static String plain(String skStart) {
		return String.join("|", KEY_BEGIN + "[\\s\\S]*?(?:" + KEY_END + "|\\z)", tokens(skStart),
				"(?i:bearer)(?:\\s|\\\\[nrt])+" + BEARER_TOKEN);
	}

	/**
	 * The same secrets inside JSON-encoded text (RE2, for DuckDB over a JSON column's
	 * text): a private key block runs over escaped line breaks to its end or to the end
	 * of its JSON string, never past a closing quote, and {@code Bearer} may be followed
	 * by an escaped line break. Token characters are never escaped by a JSON writer, so
	 * tokens match as in plain text; a token written with {@code \\u} escapes is not
	 * found.
	 */
	public static final String JSON_TEXT_PATTERN = String.join("|",
			KEY_BEGIN + "(?:[^\"\\\\]|\\\\.)*?" + KEY_END + "|" + KEY_BEGIN + "(?:[^\"\\\\]|\\\\.)*", tokens(SK_START),
			"(?i:bearer)(?:\\s|\\\\[nrt])+" + BEARER_TOKEN);

	/** {@link #PATTERN} as Java reads it the way RE2 does ({@link #SK_START_JAVA}). */
	private static final Pattern SECRETS = Pattern.compile(plain(SK_START_JAVA));

	private Redactor() {
	}

	/**
	 * The text redacted whole ({@link #redact(String)}), then cut to {@code max}
	 * characters (never half of a surrogate pair): a secret is never cut into a piece the
	 * patterns miss, as redacting what was cut first let through the start of a key that
	 * crossed the cut.
	 * @return {@code null} for {@code null}
	 */
	public static String redactThenCut(String text, int max) {
		String safe = redact(text);
		if (safe == null || safe.length() <= max) {
			return safe;
		}
		return safe.substring(0, Character.isHighSurrogate(safe.charAt(max - 1)) ? max - 1 : max);
	}

	/**
	 * The text with every secret of {@link #PATTERN} replaced by {@link #MASK}. Text
	 * without any of the patterns' literal beginnings ({@code -----BEGIN}, {@code sk-},
	 * {@code AKIA}, {@code gh?_}, {@code xox}, {@code bearer} in any case…;
	 * {@link #mayHoldSecret(String)}) cannot hold one and is returned as it is without
	 * running the expression: a character scan is ~50× faster than the expression's
	 * alternation at every position, and most text has none.
	 */
	public static String redact(String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		List<int[]> spans = spans(text);
		if (spans.isEmpty()) {
			return text;
		}
		StringBuilder out = new StringBuilder(text.length());
		int last = 0;
		for (int[] span : spans) {
			out.append(text, last, span[0]).append(MASK);
			last = span[1];
		}
		return out.append(text, last, text.length()).toString();
	}

	/**
	 * Where the secrets of the text are, as {@code [start, end)} spans in order: what
	 * {@code SECRETS.matcher(text).replaceAll} replaces, found by trying the expression
	 * only where one of its beginnings stands ({@link #secretBeginsAt}; every alternative
	 * of {@link #PATTERN} starts at one) instead of at every position, which made it ~3×
	 * slower with the providers' patterns added.
	 */
	private static List<int[]> spans(String text) {
		List<int[]> spans = List.of();
		Matcher m = null;
		int n = text.length();
		for (int i = nextBeginning(text, 0); i >= 0; i = nextBeginning(text, i + 1)) {
			m = (m != null) ? m : SECRETS.matcher(text).useTransparentBounds(true);
			// transparent: a word boundary sees the char before the region
			m.region(i, n);
			if (m.lookingAt()) {
				spans = spans.isEmpty() ? new ArrayList<>() : spans;
				spans.add(new int[] { i, m.end() });
				i = m.end() - 1;
			}
		}
		return spans;
	}

	/**
	 * The first position from {@code from} on where one of the patterns' beginnings
	 * stands ({@link #BEGINNINGS}, then {@link #secretBeginsAt}), or {@code -1}.
	 */
	private static int nextBeginning(String text, int from) {
		int n = text.length();
		for (int i = from; i + 2 < n; i++) {
			char c = text.charAt(i);
			char d = text.charAt(i + 1);
			if (c < 256 && d < 256 && BEGINNINGS[(c << 8) | d] && secretBeginsAt(text, i)) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * Whether the text holds a literal beginning of one of the patterns (and, for the
	 * beginnings common in prose and code, {@code ://}, {@code eyJ},
	 * {@code authorization}, what must follow it): a pair of chars looked up in
	 * {@link #BEGINNINGS}, then {@link #secretBeginsAt}. It never says no where the
	 * expression would find a secret; the UTF-8 check answers the same on ASCII.
	 */
	static boolean mayHoldSecret(String text) {
		return nextBeginning(text, 0) >= 0;
	}

	/**
	 * {@link #redact(String)} for well-formed UTF-8 text (the facts' text, which is never
	 * made a Java string unless it may hold a secret): the same bytes when it cannot hold
	 * one, else the redacted text encoded again.
	 */
	public static byte[] redact(byte[] utf8) {
		if (utf8 == null || !mayHoldSecret(utf8)) {
			return utf8;
		}
		String text = new String(utf8, StandardCharsets.UTF_8);
		String redacted = redact(text);
		return (redacted == text) ? utf8 : redacted.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Whether UTF-8 text holds a literal beginning of one of the patterns: the same
	 * answer as the check on a string, read on the bytes (every beginning is ASCII, and
	 * no byte of a multi-byte UTF-8 sequence is), two bytes a step. Where the string
	 * check lets {@code gh}, any char, {@code _} through, this one lets any byte through:
	 * a non-ASCII char there is more than one byte, and no pattern matches it anyway.
	 * (The string check stays apart: it runs on every string the API and the pages write,
	 * where encoding each one first would cost.)
	 */
	static boolean mayHoldSecret(byte[] text) {
		int n = text.length;
		if (n < 3) {
			return false;
		}
		// two bytes a step: the pairs (i - 1, i) and (i, i + 1), each looked up in a
		// table of the patterns' first two bytes; the full check only where one is there
		int previous = text[0] & 0xFF;
		int i = 1;
		for (; i + 2 < n; i += 2) {
			int first = text[i] & 0xFF;
			int second = text[i + 1] & 0xFF;
			if ((BEGINNINGS[(previous << 8) | first] | BEGINNINGS[(first << 8) | second])
					&& (secretBeginsAt(text, i - 1) || secretBeginsAt(text, i))) {
				return true;
			}
			previous = second;
		}
		for (; i + 1 < n; i++) {
			int current = text[i] & 0xFF;
			if (BEGINNINGS[(previous << 8) | current] && secretBeginsAt(text, i - 1)) {
				return true;
			}
			previous = current;
		}
		return false;
	}

	/**
	 * The first two bytes of each pattern's literal beginning, as {@code (first << 8) |
	 * second}: 64 KiB looked up once per byte, half the CPU of a switch on each byte
	 * under C1 (BENCHMARKS.md).
	 */
	private static final boolean[] BEGINNINGS = new boolean[1 << 16];

	/**
	 * The third byte of each pattern's literal beginning, by its first two as in
	 * {@link #BEGINNINGS}, in lower case ({@code 0}: several): most pairs common in prose
	 * ({@code ey} of "they", {@code au} of "because") are turned down on their third byte
	 * before the full check.
	 */
	private static final byte[] THIRD = new byte[1 << 16];

	static {
		String[] beginnings = { "---", "sk", "rk_", "AKI", "ASI", "AIz", "aws", "aWs", "Aws", "AWs", "aut", "aUt",
				"Aut", "AUt", "Sec", "Ses", "sec", "sEc", "SEc", "gh", "git", "glp", "hf_", "npm", "eyJ", "xox", "xap",
				"bea", "bEa", "Bea", "BEa", "://", "Fwo", "IQo" };
		for (String b : beginnings) {
			int pair = (b.charAt(0) << 8) | b.charAt(1);
			byte third = (b.length() > 2) ? (byte) Character.toLowerCase(b.charAt(2)) : 0;
			// two beginnings of one pair with other third bytes ("Sec", "Ses"): any third
			THIRD[pair] = (BEGINNINGS[pair] && THIRD[pair] != third) ? 0 : third;
			BEGINNINGS[pair] = true;
		}
	}

	/**
	 * {@link #secretBeginsAt(CharSequence, int)} on UTF-8 bytes, after a look at the
	 * beginning's third byte ({@link #THIRD}): the pairs of the table that prose is full
	 * of end here without a view of the bytes made.
	 */
	private static boolean secretBeginsAt(byte[] text, int i) {
		if (i + 2 >= text.length) {
			return false;
		}
		int pair = ((text[i] & 0xFF) << 8) | (text[i + 1] & 0xFF);
		int c = text[i + 2] & 0xFF;
		byte third = THIRD[pair];
		return BEGINNINGS[pair] && (third == 0 || ((c >= 'A' && c <= 'Z') ? c | 0x20 : c) == third)
				&& secretBeginsAt(new AsciiView(text), i);
	}

	/**
	 * Whether one of the patterns' literal beginnings starts at {@code text[i]}, with
	 * what must follow the ones common in prose and code.
	 */
	private static boolean secretBeginsAt(CharSequence text, int i) {
		int n = text.length();
		if (i + 2 >= n) {
			return false;
		}
		char c = text.charAt(i);
		char d = text.charAt(i + 1);
		return switch (c) {
			case '-' -> d == '-' && startsWith(text, i, "-----BEGIN");
			case 's', 'r' -> d == 'k' && (c == 's' && text.charAt(i + 2) == '-' || startsWith(text, i + 2, "_live_"))
					|| c == 's' && (d == 'e' || d == 'E') && secretNameAt(text, i);
			case 'A',
					'a' ->
				c == 'A' && (d == 'K' && startsWith(text, i, "AKIA") || d == 'S' && startsWith(text, i, "ASIA")
						|| d == 'I' && startsWith(text, i, "AIza"))
						|| (d == 'w' || d == 'W') && (startsWithIgnoringCase(text, i, "aws_secret")
								|| startsWithIgnoringCase(text, i, "awssecret")
								|| startsWithIgnoringCase(text, i, "aws_session")
								|| startsWithIgnoringCase(text, i, "awssession"))
						|| (d == 'u' || d == 'U') && startsWithIgnoringCase(text, i, "authorization")
								&& basicAfter(text, i + 13);
			case 'S' -> d == 'e' && (startsWith(text, i, "SecretAccessKey") || startsWith(text, i, "SessionToken"))
					|| (d == 'e' || d == 'E') && secretNameAt(text, i);
			case 'F' -> d == 'w' && startsWith(text, i, "FwoGZXIvYXdz");
			case 'I' -> d == 'Q' && startsWith(text, i, "IQoJb3JpZ2lu");
			case 'g' -> d == 'h' && i + 3 < n && text.charAt(i + 3) == '_'
					|| d == 'i' && startsWith(text, i, "github_pat_") || d == 'l' && startsWith(text, i, "glpat-");
			case 'h' -> d == 'f' && text.charAt(i + 2) == '_';
			case 'n' -> d == 'p' && startsWith(text, i, "npm_");
			case 'e' -> d == 'y' && text.charAt(i + 2) == 'J' && jwtBodyAt(text, i + 3);
			case ':' -> d == '/' && text.charAt(i + 2) == '/' && credentialsOrHookAfter(text, i + 3);
			case 'x' -> d == 'o' && text.charAt(i + 2) == 'x' || d == 'a' && startsWith(text, i, "xapp-");
			case 'b', 'B' -> (d == 'e' || d == 'E') && startsWithIgnoringCase(text, i, "bearer");
			default -> false;
		};
	}

	/**
	 * Whether the text after a {@code ://} at {@code at} is {@code user:password@} (a
	 * colon, then an {@code @}, before any white space, slash or quote) or Slack's
	 * webhook host and path: the URL patterns' check, since {@code ://} alone is in every
	 * link. No length bound: the pattern's bounds count chars, and a multi-byte char is
	 * several bytes here.
	 */
	private static boolean credentialsOrHookAfter(CharSequence text, int at) {
		if (startsWith(text, at, "hooks.slack.com/services/")) {
			return true;
		}
		boolean colon = false;
		for (int k = at; k < text.length(); k++) {
			char c = text.charAt(k);
			if (c == '@') {
				return colon;
			}
			if (c == ':') {
				colon = true;
			}
			else if (c == '/' || c == '"' || c == '\'' || c == '\\' || c == ' ' || c == '\t' || c == '\n' || c == '\r'
					|| c == '\f') {
				// what ends the pattern's user and password in both java.util.regex and
				// RE2 (their \s differ on \v, which this lets through)
				return false;
			}
		}
		return false;
	}

	/**
	 * Whether a name ending in {@code secret} ({@code secret}, {@code secret_access_key},
	 * {@code secretKey}… in any case) starts at {@code at} and is given a value: past it,
	 * quotes and white space, then {@code =} or {@code :}. Prose is full of "secret".
	 */
	private static boolean secretNameAt(CharSequence text, int at) {
		if (!startsWithIgnoringCase(text, at, "secret")) {
			return false;
		}
		int k = at + 6;
		k = afterWord(text, afterWord(text, k, "access"), "key");
		k = skipQuotesAndSpace(text, k);
		return k < text.length() && (text.charAt(k) == '=' || text.charAt(k) == ':');
	}

	/**
	 * Past {@code word} (any case, after an optional {@code _}) at {@code at}, else at.
	 */
	private static int afterWord(CharSequence text, int at, String word) {
		int k = (at < text.length() && text.charAt(at) == '_') ? at + 1 : at;
		return startsWithIgnoringCase(text, k, word) ? k + word.length() : at;
	}

	/**
	 * Whether {@code Basic} follows an {@code authorization} that ends at {@code at},
	 * past a colon and any quotes and white space.
	 */
	private static boolean basicAfter(CharSequence text, int at) {
		int k = skipQuotesAndSpace(text, at);
		if (k >= text.length() || text.charAt(k) != ':') {
			return false;
		}
		return startsWithIgnoringCase(text, skipQuotesAndSpace(text, k + 1), "basic");
	}

	private static int skipQuotesAndSpace(CharSequence text, int at) {
		int k = at;
		while (k < text.length() && " \t\n\r\f\u000B\"'\\".indexOf(text.charAt(k)) >= 0) {
			k++;
		}
		return k;
	}

	/**
	 * Whether a JSON Web Token's header goes on at {@code at} (after {@code eyJ}): ten
	 * token chars or more, then a dot.
	 */
	private static boolean jwtBodyAt(CharSequence text, int at) {
		int k = at;
		while (k < text.length() && isTokenChar(text.charAt(k))) {
			k++;
		}
		return k - at >= 10 && k < text.length() && text.charAt(k) == '.';
	}

	private static boolean isTokenChar(char c) {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
	}

	private static boolean startsWith(CharSequence text, int at, String ascii) {
		if (at + ascii.length() > text.length()) {
			return false;
		}
		for (int k = 0; k < ascii.length(); k++) {
			if (text.charAt(at + k) != ascii.charAt(k)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * UTF-8 bytes read as chars, one a byte: ASCII as itself, every byte of a multi-byte
	 * char as a char no pattern's check takes for one of its own.
	 */
	private record AsciiView(byte[] bytes) implements CharSequence {

		@Override
		public int length() {
			return this.bytes.length;
		}

		@Override
		public char charAt(int index) {
			return (char) (this.bytes[index] & 0xFF);
		}

		@Override
		public CharSequence subSequence(int start, int end) {
			throw new UnsupportedOperationException();
		}

	}

	/** ASCII letters of {@code lower} in either case (its other chars as they are). */
	private static boolean startsWithIgnoringCase(CharSequence text, int at, String lower) {
		if (at + lower.length() > text.length()) {
			return false;
		}
		for (int k = 0; k < lower.length(); k++) {
			char c = text.charAt(at + k);
			if (((c >= 'A' && c <= 'Z') ? (char) (c | 0x20) : c) != lower.charAt(k)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * A run of token characters this long at a cut edge may be a secret's tail or head.
	 */
	static final int EDGE_RUN = 8;

	private static final Pattern TRAILING_RUN = Pattern.compile("[A-Za-z0-9_\\-+/=.~]{" + EDGE_RUN + ",}\\z");

	/**
	 * What may remain of a secret whose head a cut removed: a run of token characters,
	 * then base64 lines (a private key's body) up to the key block's end.
	 */
	private static final Pattern LEADING_REMAINS = Pattern.compile("\\A(?:[A-Za-z]{1,6}[ \\t]+)?[A-Za-z0-9_\\-+/=.~]*"
			+ "(?:\\r?\\n[A-Za-z0-9+/=]{16,})*(?:\\r?\\n[A-Za-z0-9+/=]{1,15})?"
			+ "(?:\\r?\\n?-----END [A-Z0-9 ]*PRIVATE KEY-----)?");

	/**
	 * The rest of a private key block whose header a cut split: header's end, body, end.
	 */
	private static final Pattern LEADING_KEY = Pattern
		.compile("\\A[A-Z0-9 \\-]{0,40}-----\\r?\\n[A-Za-z0-9+/=\\r\\n]*(?:-----END [A-Z0-9 ]*PRIVATE KEY-----)?");

	/**
	 * Redacts a window cut out of a longer text, then cuts an excerpt of it around a
	 * position: secrets are found in the whole window first, and a cut never splits one
	 * (the excerpt widens to the whole mask). Where the window itself was cut from a
	 * longer text, what may be the remains of a secret at that edge — a run of 8 or more
	 * token characters, or base64 lines up to a private key's end — is masked too
	 * (over-redaction, never under-redaction).
	 * @param window the text as cut (may be {@code null})
	 * @param cutAtStart whether text preceded the window
	 * @param cutAtEnd whether text followed the window
	 * @param at position in {@code window} the excerpt is centred on (e.g. a search
	 * match)
	 * @param length length of that span
	 * @param radius characters kept on each side of the span
	 * @return the excerpt, with {@code …} where it does not reach the window's ends or
	 * the window was cut
	 */
	public static String excerpt(String window, boolean cutAtStart, boolean cutAtEnd, int at, int length, int radius) {
		if (window == null) {
			return null;
		}
		// secret spans in the window, edges included
		List<int[]> spans = new ArrayList<>();
		if (cutAtStart) {
			Matcher key = LEADING_KEY.matcher(window);
			Matcher remains = LEADING_REMAINS.matcher(window);
			if (key.lookingAt()) {
				spans.add(new int[] { 0, key.end() });
			}
			else if (remains.lookingAt() && remains.end() - newlines(window, remains.end()) >= EDGE_RUN) {
				// one run (no key body's lines): masked up to the match at most, which
				// the
				// asker typed; no secret pattern is longer than a stream's window
				int end = (newlines(window, remains.end()) == 0 && at > 0) ? Math.min(remains.end(), at)
						: remains.end();
				if (end >= EDGE_RUN) {
					spans.add(new int[] { 0, end });
				}
			}
		}
		spans.addAll(spans(window));
		if (cutAtEnd) {
			Matcher run = TRAILING_RUN.matcher(window);
			if (run.find()) {
				spans.add(new int[] { run.start(), window.length() });
			}
		}
		spans.sort((a, b) -> Integer.compare(a[0], b[0]));
		int start = Math.max(0, Math.min(at, window.length()) - radius);
		int end = Math.min(window.length(), Math.max(0, at) + Math.max(0, length) + radius);
		// widen the cut to whole spans
		for (int[] s : spans) {
			if (s[0] < start && start < s[1]) {
				start = s[0];
			}
			if (s[0] < end && end < s[1]) {
				end = s[1];
			}
		}
		StringBuilder out = new StringBuilder(end - start + 16);
		if (start > 0 || cutAtStart) {
			out.append('…');
		}
		int pos = start;
		for (int[] s : spans) {
			if (s[1] <= pos || s[0] >= end) {
				continue;
			}
			int from = Math.max(s[0], pos);
			out.append(window, pos, from).append(MASK);
			pos = Math.max(pos, s[1]);
		}
		if (pos < end) {
			out.append(window, pos, end);
		}
		if (end < window.length() || cutAtEnd) {
			out.append('…');
		}
		return out.toString();
	}

	private static int newlines(String text, int end) {
		int n = 0;
		for (int i = 0; i < end; i++) {
			n += (text.charAt(i) == '\n' || text.charAt(i) == '\r') ? 1 : 0;
		}
		return n;
	}

	/** A copy of the tree with every string value (and field name) redacted. */
	public static JsonNode redact(JsonNode node) {
		if (node == null) {
			return null;
		}
		if (node.isTextual()) {
			return JsonNodeFactory.instance.textNode(redact(node.asText()));
		}
		if (node.isArray()) {
			ArrayNode copy = JsonNodeFactory.instance.arrayNode();
			node.forEach((n) -> copy.add(redact(n)));
			return copy;
		}
		if (node.isObject()) {
			ObjectNode copy = JsonNodeFactory.instance.objectNode();
			Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
			while (fields.hasNext()) {
				Map.Entry<String, JsonNode> f = fields.next();
				copy.set(redact(f.getKey()), redact(f.getValue()));
			}
			return copy;
		}
		return node;
	}

}
