package dev.cctracer.web.usage;

/**
 * An unknown project or session: answered 404.
 */
public class NotFoundException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public NotFoundException(String message) {
		super(message);
	}

	public static NotFoundException project(String project) {
		return new NotFoundException("project not found: " + project);
	}

	public static NotFoundException session(String project, String session) {
		return new NotFoundException("session not found: " + project + "/" + session);
	}

	/**
	 * A session whose main transcript is gone from the disk (its subagents' may remain):
	 * what reads the main transcript cannot answer.
	 */
	public static NotFoundException mainTranscriptGone(String project, String session) {
		return new NotFoundException("the main transcript of session " + project + "/" + session
				+ " is no longer on this machine's disk (Claude Code removes transcripts older than its "
				+ "cleanupPeriodDays, 30 days by default): its prompts need it; its totals, cost and timeline remain");
	}

	/**
	 * A session whose transcripts are all gone from the disk: its totals and timeline
	 * remain, what reads the transcripts does not.
	 */
	public static NotFoundException transcriptsGone(String project, String session) {
		return new NotFoundException("the transcripts of session " + project + "/" + session
				+ " are no longer on this machine's disk (Claude Code removes transcripts older than its "
				+ "cleanupPeriodDays, 30 days by default): its totals, cost and timeline remain; tool statistics, "
				+ "errors, prompts, subagents and code changes need the transcripts");
	}

}
