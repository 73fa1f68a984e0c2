package dev.cctracer.worker.indexing;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cctracer.db.file.SourceFileRepository;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.db.usage.CopyRow;
import dev.cctracer.db.usage.UsageCopyRepository;
import dev.cctracer.db.usage.UsageRollupRepository;
import dev.cctracer.shared.pricing.Cost;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.worker.DataChanged;

/**
 * Keeps stored costs in step with the price table: when the table's fingerprint differs
 * from the one the costs were computed with (a new bundled version, or an edited
 * {@code cctracer.prices-file}), every stored copy is re-priced and the rollups and file
 * totals are rebuilt from the copies, in one transaction under the ingest lock.
 */
@Component
public class Repricer {

	private static final Logger log = LoggerFactory.getLogger(Repricer.class);

	private final PriceTable prices;

	private final MetaRepository meta;

	private final UsageCopyRepository copies;

	private final UsageRollupRepository rollups;

	private final SourceFileRepository files;

	private final TransactionTemplate tx;

	private final ApplicationEventPublisher events;

	public Repricer(PriceTable prices, MetaRepository meta, UsageCopyRepository copies, UsageRollupRepository rollups,
			SourceFileRepository files, TransactionTemplate tx, ApplicationEventPublisher events) {
		this.prices = prices;
		this.events = events;
		this.meta = meta;
		this.copies = copies;
		this.rollups = rollups;
		this.files = files;
		this.tx = tx;
	}

	/** Re-prices when the table changed; returns the number of copies re-priced. */
	public long repriceIfChanged() {
		Long repriced = this.tx.execute((status) -> {
			this.meta.lockIngest("reprice");
			String stored = this.meta.getText(MetaRepository.PRICE_FINGERPRINT).orElse(null);
			String current = this.prices.fingerprint();
			if (current.equals(stored)) {
				return 0L;
			}
			long count = 0;
			for (Long fileId : this.copies.fileIdsWithCopies()) {
				List<CopyRow> updated = new ArrayList<>();
				for (CopyRow c : this.copies.findByFile(fileId)) {
					Cost cost = this.prices.cost(c.model().isEmpty() ? null : c.model(), c.ts(), c.usage());
					updated.add(c.withCost(cost));
				}
				this.copies.updateCosts(updated);
				count += updated.size();
			}
			if (count > 0) {
				this.rollups.rebuildFromCopies();
				this.files.rebuildTotalsFromCopies();
				this.meta.bumpDataVersion();
			}
			this.meta.setText(MetaRepository.PRICE_FINGERPRINT, current);
			return count;
		});
		long n = (repriced != null) ? repriced : 0;
		if (n > 0) {
			log.info("price table {} changed: re-priced {} stored usage records", this.prices.version(), n);
			// the data version moved: answers cached for the old one are not served for
			// the 100 ms the web otherwise trusts its last reading (a price card's
			// removal
			// was answered with the card's prices under a loaded test suite)
			this.events.publishEvent(new DataChanged(0));
		}
		return n;
	}

}
