package dev.cctracer.generator;

import java.util.List;
import java.util.Map;

/**
 * What a demo session does, as data: projects with their source files and the tasks a
 * developer asks Claude Code for, each a prompt and the steps Claude takes (one API
 * response a step). {@link DemoSessionWriter} turns a task into transcript lines.
 */
final class DemoScript {

	private DemoScript() {
	}

	/**
	 * A project of the demo.
	 *
	 * @param name its directory name (the cwd is {@code /home/dev/<name>})
	 * @param files its source files before any task, by path relative to the cwd
	 * @param tasks what the developer asks for
	 */
	record Project(String name, Map<String, String> files, List<Task> tasks) {

	}

	/**
	 * One request to Claude Code.
	 *
	 * @param title the title Claude Code gives a session that starts with it
	 * @param prompt what the user types
	 * @param steps what Claude does, in order
	 * @param reply Claude's closing answer
	 */
	record Task(String title, String prompt, List<Step> steps, String reply) {

	}

	/** One API response: an optional note (a text block), then one tool call. */
	sealed interface Step permits Read, Grep, Bash, Edit, BadEdit, MultiEdit, Write, Search, Agent {

		/** The text block before the tool call, or {@code null}. */
		String note();

	}

	/** {@code Read} of a file: its current content, numbered. */
	record Read(String note, String path) implements Step {

	}

	/** {@code Grep} with its output. */
	record Grep(String note, String pattern, String output) implements Step {

	}

	/** {@code Bash} with its output; {@code error} when the command exits non-zero. */
	record Bash(String note, String command, String description, String output, boolean error) implements Step {

	}

	/**
	 * {@code Edit} replacing {@code oldString} (present in the file) by
	 * {@code newString}.
	 */
	record Edit(String note, String path, String oldString, String newString) implements Step {

	}

	/** {@code Edit} whose {@code oldString} is not in the file: a tool error. */
	record BadEdit(String note, String path, String oldString, String newString) implements Step {

	}

	/** {@code MultiEdit}: pairs of old and new strings, applied in order. */
	record MultiEdit(String note, String path, List<List<String>> edits) implements Step {

	}

	/** {@code Write} of a new file. */
	record Write(String note, String path, String content) implements Step {

	}

	/** A response that searched the web ({@code server_tool_use.web_search_requests}). */
	record Search(String note, String query, int searches, String findings) implements Step {

	}

	/**
	 * An {@code Agent} call: a subagent with its own transcript file.
	 *
	 * @param type its {@code subagent_type}
	 * @param name the name it writes in an {@code agent-name} entry
	 * @param description the call's short description
	 * @param prompt the subagent's prompt
	 * @param steps what the subagent does
	 * @param report what it answers
	 */
	record Agent(String note, String type, String name, String description, String prompt, List<Step> steps,
			String report) implements Step {

	}

}
