package dev.cctracer.db.usage;

/**
 * The key of a {@code usage_rollup} row.
 *
 * @param fileId the file whose copies are counted
 * @param bucket UTC 15-minute bucket start (epoch seconds)
 * @param model model name ('' when missing)
 * @param agentId subagent id ('' for the main agent)
 */
public record RollupKey(long fileId, long bucket, String model, String agentId) {

	public static RollupKey of(CopyRow c) {
		return new RollupKey(c.fileId(), c.bucket(), c.model(), c.agentId());
	}

}
