package dev.cctracer.worker.indexing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cctracer.db.file.FileState;
import dev.cctracer.db.usage.CopyRow;
import dev.cctracer.shared.discovery.FileKind;
import dev.cctracer.shared.log.LogText;
import dev.cctracer.shared.pricing.Cost;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.shared.transcript.Redactor;
import dev.cctracer.shared.usage.UsageCopy;

/**
 * Turns a parsed usage copy into the row it is stored as: priced with the table in force
 * at its timestamp (USD as pico-dollars), attributed to an agent (a subagent file's agent
 * id, a sidechain's agent id, or {@code ""} for the main session), with text fields cut
 * to their column widths. Its {@code counted} flag starts {@code false}: the dedup of the
 * commit sets it. A model without a price (or priced by its family's newest card) is
 * logged once per mapper, redacted. Also used by the verify's rebuild, so it stores its
 * copies exactly as the ingest does.
 */
public final class UsageCopyMapper {

	private static final Logger log = LoggerFactory.getLogger(UsageCopyMapper.class);

	private final PriceTable prices;

	private final Set<String> unpricedModels = ConcurrentHashMap.newKeySet();

	public UsageCopyMapper(PriceTable prices) {
		this.prices = prices;
	}

	/** The row of copy {@code u} of {@code file}, not yet stored ({@code id} null). */
	public CopyRow toRow(FileState file, UsageCopy u) {
		Cost cost = this.prices.cost(u.model(), u.timestamp(), u.usage());
		if ((!cost.priced() || cost.estimated()) && this.unpricedModels.size() < 1000
				&& this.unpricedModels.add(String.valueOf(u.model()))) {
			if (cost.estimated()) {
				log.warn(
						"model '{}' is not in the price table: priced as {} (the newest of its family) and "
								+ "marked estimated (add it to cctracer.prices-file or the admin console)",
						LogText.safe(Redactor.redact(u.model())), this.prices.find(u.model()).id());
			}
			else {
				log.warn(
						"no price for model '{}': its tokens are counted, its cost is 0 and reported as unpriced "
								+ "(add it to cctracer.prices-file or the admin console)",
						LogText.safe(Redactor.redact(u.model())));
			}
		}
		String agent;
		if (file.kind() != FileKind.MAIN) {
			agent = (file.agentId() != null) ? file.agentId() : "subagent";
		}
		else if (u.sidechain()) {
			agent = (u.agentId() != null && !u.agentId().isBlank()) ? truncate(u.agentId(), 128) : "sidechain";
		}
		else {
			agent = "";
		}
		Long logged = (u.costUsd() != null) ? Cost.pico(u.costUsd()) : null;
		return new CopyRow(null, (u.messageId() != null) ? truncate(u.messageId(), 200) : null,
				(u.requestId() != null) ? truncate(u.requestId(), 200) : "", file.id(), u.lineOffset(), u.sidechain(),
				agent, u.timestamp(), (u.model() != null) ? truncate(u.model(), 200) : "", u.usage().input(),
				u.usage().output(), u.usage().cacheWrite5m(), u.usage().cacheWrite1h(), u.usage().cacheRead(),
				u.usage().fast(), cost.input(), cost.output(), cost.cacheWrite(), cost.cacheRead(), logged,
				cost.priced(), false, file.pathOrder())
			.withServerTools(u.usage().webSearches(), cost.webSearch(), cost.estimated())
			.withGeo(u.usage().inferenceGeo())
			.withToolCalls(u.toolCalls())
			.withDeleted(file.deleted())
			.withForked(u.forked());
	}

	private static String truncate(String s, int max) {
		return (s.length() <= max) ? s : s.substring(0, max);
	}

}
