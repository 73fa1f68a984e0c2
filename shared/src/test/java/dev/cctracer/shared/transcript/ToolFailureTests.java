package dev.cctracer.shared.transcript;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kinds of failed tool results, on Claude Code 2.x's own texts as they stand in
 * {@code ../shared/realdata/cc-2026}, and on tools' outputs that only look alike.
 */
class ToolFailureTests {

	@Test
	void claudeCodesOwnTextsTellDeclinedAndCancelledCalls() {
		assertThat(ToolFailure.of("The user doesn't want to proceed with this tool use. The tool use was rejected "
				+ "(eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing"))
			.isEqualTo(ToolFailure.DECLINED);
		assertThat(ToolFailure.of("Permission for this tool use was denied. The tool use was rejected"))
			.isEqualTo(ToolFailure.DECLINED);
		assertThat(ToolFailure
			.of("Permission to use Bash has been denied because Claude Code is running in " + "don't ask mode."))
			.isEqualTo(ToolFailure.DECLINED);
		assertThat(ToolFailure.of("\n  The user doesn't want to take this action right now."))
			.isEqualTo(ToolFailure.DECLINED);
		assertThat(ToolFailure
			.of("<tool_use_error>Cancelled: parallel tool call Bash(which teams) errored" + "</tool_use_error>"))
			.isEqualTo(ToolFailure.CANCELLED);
		assertThat(ToolFailure.of("<tool_use_error>Sibling tool call errored</tool_use_error>"))
			.isEqualTo(ToolFailure.CANCELLED);
	}

	@Test
	void anyOtherFailureIsTheTools() {
		assertThat(ToolFailure.of("<tool_use_error>File has not been read yet. Read it first before writing to it."
				+ "</tool_use_error>"))
			.isEqualTo(ToolFailure.FAILED);
		assertThat(ToolFailure.of("Exit code 128\ngit@github.com: Permission denied (publickey)."))
			.isEqualTo(ToolFailure.FAILED);
		// the text must begin so: a tool's output that quotes it later failed
		assertThat(ToolFailure.of("Exit code 1\nThe user doesn't want to proceed")).isEqualTo(ToolFailure.FAILED);
		assertThat(ToolFailure.of("")).isEqualTo(ToolFailure.FAILED);
		assertThat(ToolFailure.of(null)).isEqualTo(ToolFailure.FAILED);
		assertThat(ToolFailure.CANCELLED.label()).isEqualTo("cancelled");
	}

}
