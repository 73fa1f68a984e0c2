package dev.cctracer.web.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Transcripts of known totals for the fault tests: every line one assistant response of
 * {@link #INPUT_TOKENS} input and 50 output tokens on {@code claude-sonnet-4-6}, each
 * with its own message and request id.
 */
final class UsageLines {

	static final int INPUT_TOKENS = 1000;

	private UsageLines() {
	}

	/**
	 * Writes {@code sessions} transcripts of {@code each} responses into {@code dir}.
	 * @return how many responses were written
	 */
	static int writeSessions(Path dir, String tag, int sessions, int each) throws IOException {
		Files.createDirectories(dir);
		for (int s = 0; s < sessions; s++) {
			Files.writeString(dir.resolve(sessionId(tag, s) + ".jsonl"), lines(tag, s, each));
		}
		return sessions * each;
	}

	/** The session id of the {@code s}-th transcript of {@code tag}. */
	static String sessionId(String tag, int s) {
		return String.format("%08x-0000-4000-8000-%012d", Math.abs(tag.charAt(0)), s);
	}

	/** {@code count} response lines of one session, ids distinct by {@code tag}. */
	static String lines(String tag, int session, int count) {
		StringBuilder text = new StringBuilder();
		String sessionId = sessionId(tag, session);
		for (int i = 0; i < count; i++) {
			text.append("{\"type\":\"assistant\",\"sessionId\":\"")
				.append(sessionId)
				.append("\",\"timestamp\":\"2026-11-29T10:")
				.append(String.format("%02d:%02dZ", i / 60 % 60, i % 60))
				.append("\",\"requestId\":\"req-")
				.append(tag)
				.append('-')
				.append(session)
				.append('-')
				.append(i)
				.append("\",\"message\":{\"id\":\"msg-")
				.append(tag)
				.append('-')
				.append(session)
				.append('-')
				.append(i)
				.append("\",\"model\":\"claude-sonnet-4-6\",\"usage\":{\"input_tokens\":")
				.append(INPUT_TOKENS)
				.append(",\"output_tokens\":50}}}\n");
		}
		return text.toString();
	}

}
