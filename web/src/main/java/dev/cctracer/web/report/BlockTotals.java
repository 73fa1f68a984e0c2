package dev.cctracer.web.report;

import java.util.List;

import dev.cctracer.web.usage.BlocksService.BlockDto;

/**
 * The totals row of the blocks table: the sum of its rows.
 *
 * @param messages responses counted
 * @param inputTokens input tokens
 * @param outputTokens output tokens
 * @param cacheCreation cache-write tokens
 * @param cacheRead cache-read tokens
 * @param totalTokens all tokens
 * @param cost USD
 */
public record BlockTotals(long messages, long inputTokens, long outputTokens, long cacheCreation, long cacheRead,
		long totalTokens, double cost) {

	static BlockTotals of(List<BlockDto> blocks) {
		long messages = 0, in = 0, out = 0, write = 0, read = 0, total = 0;
		double cost = 0;
		for (BlockDto b : blocks) {
			messages += b.messageCount();
			in += b.tokens().inputTokens();
			out += b.tokens().outputTokens();
			write += b.tokens().cacheCreationInputTokens();
			read += b.tokens().cacheReadInputTokens();
			total += b.totalTokens();
			cost += b.cost();
		}
		return new BlockTotals(messages, in, out, write, read, total, cost);
	}

}
