package dev.cctracer.worker.pricing;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.worker.indexing.Indexer;
import dev.cctracer.worker.indexing.Repricer;

/**
 * The price table in force (one bean, read from {@link PriceFiles} at start-up, its cards
 * swapped whole by {@link PriceSources}) and its sources.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PriceImportProperties.class)
class PricingConfiguration {

	@Bean
	PriceTable priceTable(TracerProperties properties, PriceImportProperties imports) {
		return PriceFiles.initial(properties, imports);
	}

	@Bean
	PriceSources priceSources(PriceTable table, TracerProperties properties, PriceImportProperties imports,
			@Lazy Indexer indexer, @Lazy Repricer repricer) {
		return new PriceSources(table, properties, imports, indexer, repricer);
	}

}
