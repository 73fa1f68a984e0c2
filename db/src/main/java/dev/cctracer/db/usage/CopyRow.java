package dev.cctracer.db.usage;

import dev.cctracer.shared.log.Usage;
import dev.cctracer.shared.pricing.Cost;
import dev.cctracer.shared.usage.DedupCandidate;
import dev.cctracer.shared.usage.ToolCalls;

/**
 * A stored copy of a usage record (a row of {@code usage_copy}) with its file's path
 * order. Identity matters: the ingest compares rows by reference, so this is a class, not
 * a record.
 */
public final class CopyRow implements DedupCandidate {

	private Long id;

	private final String msgId;

	private final String reqId;

	private final long fileId;

	private final long lineOffset;

	private final boolean sidechain;

	private final String agentId;

	private final long ts;

	private final String model;

	private final long input;

	private final long output;

	private final long write5m;

	private final long write1h;

	private final long read;

	private final boolean fast;

	private final long costInput;

	private final long costOutput;

	private final long costWrite;

	private final long costRead;

	private final Long costLogged;

	private final boolean priced;

	private boolean counted;

	private long webSearches;

	private long costWebSearch;

	private boolean estimated;

	private String inferenceGeo;

	/** The tool calls of the response's lines in this file. */
	private ToolCalls toolCalls = ToolCalls.NONE;

	private final String pathOrder;

	/** Whether the copy's file is deleted (its history kept). */
	private boolean deleted;

	/** Whether the line is Claude Code's copy of another session's line (forkedFrom). */
	private boolean forked;

	public CopyRow(Long id, String msgId, String reqId, long fileId, long lineOffset, boolean sidechain, String agentId,
			long ts, String model, long input, long output, long write5m, long write1h, long read, boolean fast,
			long costInput, long costOutput, long costWrite, long costRead, Long costLogged, boolean priced,
			boolean counted, String pathOrder) {
		this.id = id;
		this.msgId = msgId;
		this.reqId = (reqId != null) ? reqId : "";
		this.fileId = fileId;
		this.lineOffset = lineOffset;
		this.sidechain = sidechain;
		this.agentId = agentId;
		this.ts = ts;
		this.model = model;
		this.input = input;
		this.output = output;
		this.write5m = write5m;
		this.write1h = write1h;
		this.read = read;
		this.fast = fast;
		this.costInput = costInput;
		this.costOutput = costOutput;
		this.costWrite = costWrite;
		this.costRead = costRead;
		this.costLogged = costLogged;
		this.priced = priced;
		this.counted = counted;
		this.pathOrder = pathOrder;
	}

	@Override
	public String messageId() {
		return this.msgId;
	}

	@Override
	public String requestId() {
		return this.reqId;
	}

	@Override
	public boolean sidechain() {
		return this.sidechain;
	}

	@Override
	public long totalTokens() {
		return this.input + this.output + this.write5m + this.write1h + this.read;
	}

	@Override
	public boolean deleted() {
		return this.deleted;
	}

	/**
	 * Sets whether the copy's file is deleted, its history kept (such a copy loses a tie
	 * of the dedup rule to one in a file on disk); returns this row.
	 */
	public CopyRow withDeleted(boolean deleted) {
		this.deleted = deleted;
		return this;
	}

	@Override
	public boolean forked() {
		return this.forked;
	}

	/**
	 * Sets whether the line is Claude Code's copy of another session's line
	 * ({@code forkedFrom}: such a copy loses a tie of the dedup rule to the line it
	 * copies); returns this row.
	 */
	public CopyRow withForked(boolean forked) {
		this.forked = forked;
		return this;
	}

	@Override
	public String pathOrder() {
		return this.pathOrder;
	}

	@Override
	public long lineOffset() {
		return this.lineOffset;
	}

	public Long id() {
		return this.id;
	}

	void id(Long id) {
		this.id = id;
	}

	public long fileId() {
		return this.fileId;
	}

	public String agentId() {
		return this.agentId;
	}

	public long ts() {
		return this.ts;
	}

	public String model() {
		return this.model;
	}

	public long input() {
		return this.input;
	}

	public long output() {
		return this.output;
	}

	public long write5m() {
		return this.write5m;
	}

	public long write1h() {
		return this.write1h;
	}

	public long read() {
		return this.read;
	}

	public boolean fast() {
		return this.fast;
	}

	public long costInput() {
		return this.costInput;
	}

	public long costOutput() {
		return this.costOutput;
	}

	public long costWrite() {
		return this.costWrite;
	}

	public long costRead() {
		return this.costRead;
	}

	public Long costLogged() {
		return this.costLogged;
	}

	public boolean priced() {
		return this.priced;
	}

	public boolean counted() {
		return this.counted;
	}

	public void counted(boolean counted) {
		this.counted = counted;
	}

	/** This copy with other costs (same id and tokens). */
	public CopyRow withCost(Cost cost) {
		return new CopyRow(this.id, this.msgId, this.reqId, this.fileId, this.lineOffset, this.sidechain, this.agentId,
				this.ts, this.model, this.input, this.output, this.write5m, this.write1h, this.read, this.fast,
				cost.input(), cost.output(), cost.cacheWrite(), cost.cacheRead(), this.costLogged, cost.priced(),
				this.counted, this.pathOrder)
			.withServerTools(this.webSearches, cost.webSearch(), cost.estimated())
			.withGeo(this.inferenceGeo)
			.withToolCalls(this.toolCalls)
			.withDeleted(this.deleted)
			.withForked(this.forked);
	}

	/**
	 * Sets the tool calls of the response's lines in this file (they count where the copy
	 * counts); returns this row.
	 */
	public CopyRow withToolCalls(ToolCalls calls) {
		this.toolCalls = calls;
		return this;
	}

	/**
	 * Adds the tool calls of other lines of the same response in the same file, each id
	 * once.
	 * @return how many calls that added (0 for lines Claude Code wrote again)
	 */
	public long addToolCalls(ToolCalls more) {
		long before = this.toolCalls.count();
		this.toolCalls = this.toolCalls.plus(more);
		return this.toolCalls.count() - before;
	}

	/** The tool calls of the response's lines in this file. */
	public ToolCalls toolCalls() {
		return this.toolCalls;
	}

	/**
	 * The tool calls ({@code tool_use} blocks, each id once) of the response's lines in
	 * this file.
	 */
	public long toolUses() {
		return this.toolCalls.count();
	}

	/** Their ids ({@link ToolCalls#ids}), or {@code null}. */
	public String toolUseIds() {
		return this.toolCalls.ids();
	}

	/**
	 * Sets the logged {@code inference_geo} that selects a data-residency price
	 * ({@code null}: none); returns this row.
	 */
	public CopyRow withGeo(String inferenceGeo) {
		this.inferenceGeo = inferenceGeo;
		return this;
	}

	public String inferenceGeo() {
		return this.inferenceGeo;
	}

	/**
	 * Sets the billed server-tool use and the estimated flag (columns added after the
	 * constructor's); returns this row.
	 * @param webSearches {@code web_search_requests}
	 * @param costWebSearch their fee, pico-USD
	 * @param estimated whether the family's newest card priced the model
	 */
	public CopyRow withServerTools(long webSearches, long costWebSearch, boolean estimated) {
		this.webSearches = webSearches;
		this.costWebSearch = costWebSearch;
		this.estimated = estimated;
		return this;
	}

	public long webSearches() {
		return this.webSearches;
	}

	public long costWebSearch() {
		return this.costWebSearch;
	}

	public boolean estimated() {
		return this.estimated;
	}

	/** The record's usage as logged (tokens, fast mode, web searches). */
	public Usage usage() {
		return new Usage(this.input, this.output, this.write5m, this.write1h, this.read, this.fast, this.webSearches,
				this.inferenceGeo);
	}

	/** The UTC 15-minute bucket (epoch seconds) of the record. */
	public long bucket() {
		return Math.floorDiv(Math.floorDiv(this.ts, 1000L), 900L) * 900L;
	}

}
