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

	/** A session no project has. */
	public static NotFoundException session(String session) {
		return new NotFoundException("session not found: " + session);
	}

	/**
	 * A session known from its subagents' transcripts alone (Claude Code wrote no main
	 * transcript, or an empty one): what reads the main transcript (its timeline, its
	 * prompts) says where its lines are instead of "not found".
	 */
	public static NotFoundException noMainTranscript(String project, String session) {
		return new NotFoundException("session " + project + "/" + session
				+ " has no main transcript, only its subagents': open a subagent's timeline (/api/subagents/" + project
				+ "/" + session + "/{agent}/messages, its agents listed by /api/sessions/" + project + "/" + session
				+ "/subagents)");
	}

	/**
	 * A transcript the database knows that is not on this machine's disk: removed since
	 * (Claude Code's cleanup), or logged on another machine (a teammate's).
	 */
	public static NotFoundException notOnThisDisk(String relPath) {
		return new NotFoundException(
				"transcript not on this machine's disk (removed, or logged on another machine): " + relPath);
	}

	/**
	 * A session whose main transcript is not on this machine's disk (removed, or a
	 * teammate's; its subagents' may be here): what reads the main transcript cannot
	 * answer.
	 */
	public static NotFoundException mainTranscriptGone(String project, String session) {
		return new NotFoundException("the main transcript of session " + project + "/" + session
				+ " is not on this machine's disk (Claude Code removes transcripts older than its "
				+ "cleanupPeriodDays, 30 days by default; a teammate's stays on the machine it was logged on): "
				+ "its prompts need it; its totals, cost and timeline remain");
	}

	/**
	 * A session none of whose transcripts is on this machine's disk: its totals and
	 * timeline remain, what reads the transcripts does not.
	 */
	public static NotFoundException transcriptsGone(String project, String session) {
		return new NotFoundException("the transcripts of session " + project + "/" + session
				+ " are not on this machine's disk (Claude Code removes transcripts older than its "
				+ "cleanupPeriodDays, 30 days by default; a teammate's stay on the machine they were logged on): "
				+ "its totals, cost and timeline remain, and its tools and errors from the facts; prompts and "
				+ "code changes need the transcripts");
	}

}
