package dev.cctracer.worker.system;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.shared.pricing.PriceTable;

/**
 * The price table (bundled, overridden by {@code cctracer.prices-file}) and the default
 * cost mode.
 */
@Configuration(proxyBeanMethods = false)
class PricingConfiguration {

	@Bean
	PriceTable priceTable(TracerProperties properties) {
		return PriceTable.load(properties.pricesFile());
	}

	@Bean
	CostMode defaultCostMode(TracerProperties properties) {
		return CostMode.parse(properties.costMode());
	}

}
