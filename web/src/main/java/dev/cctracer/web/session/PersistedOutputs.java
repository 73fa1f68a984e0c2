package dev.cctracer.web.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cctracer.shared.discovery.SafePaths;
import dev.cctracer.shared.transcript.Redactor;
import dev.cctracer.web.usage.IndexedFiles.FileRef;
import dev.cctracer.web.usage.NotFoundException;

/**
 * Tool outputs too large for the transcript, which Claude Code saves beside the session
 * in {@code <session>/tool-results/<id>.txt} and refers to from the tool result.
 */
final class PersistedOutputs {

	/**
	 * Claude Code's reference to an output saved beside the session:
	 * {@code <persisted-output>… Full output saved to: …/<session>/tool-results/<id>.txt}.
	 */
	private static final Pattern PERSISTED = Pattern
		.compile("Full output saved to: [^\\n]{0,4096}?/tool-results/([A-Za-z0-9_-]{1,64}\\.txt)");

	/** Larger persisted outputs are cut here (and say so). */
	static final int TOOL_RESULT_MAX_BYTES = 16 * 1024 * 1024;

	private PersistedOutputs() {
	}

	/** The name of the persisted output a tool result refers to, or {@code null}. */
	static String name(String content) {
		if (content == null || !content.contains("tool-results/")) {
			return null;
		}
		Matcher m = PERSISTED.matcher(content);
		return m.find() ? m.group(1) : null;
	}

	/**
	 * Checks a persisted output's name: letters, digits, {@code _} and {@code -} (1 to
	 * 64), then {@code .txt}.
	 * @throws NotFoundException when the name is not one
	 */
	static void requireName(String name) {
		if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}\\.txt")) {
			throw new NotFoundException("no such tool result (a name is letters, digits, _ and -, then .txt)");
		}
	}

	/**
	 * A persisted output of a session, redacted, at most 16 MiB (a longer one ends with a
	 * note).
	 * @param main the session's main transcript, whose root holds the session's folder
	 * @param name a name {@link #requireName} accepts
	 * @throws NotFoundException when the file is missing or cannot be read
	 */
	static String read(FileRef main, String project, String session, String name) {
		Path path = SafePaths.resolve(Path.of(main.root()), project, session, "tool-results", name)
			.orElseThrow(() -> new NotFoundException("no tool result '" + name + "' in this session"));
		try (InputStream in = Files.newInputStream(path)) {
			byte[] bytes = in.readNBytes(TOOL_RESULT_MAX_BYTES + 1);
			boolean cut = bytes.length > TOOL_RESULT_MAX_BYTES;
			String text = new String(bytes, 0, Math.min(bytes.length, TOOL_RESULT_MAX_BYTES), StandardCharsets.UTF_8);
			return Redactor.redact(text) + (cut ? "\n[… cut at 16 MiB]\n" : "");
		}
		catch (IOException ex) {
			throw new NotFoundException("tool result '" + name + "' cannot be read");
		}
	}

}
