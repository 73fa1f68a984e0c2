package dev.cctracer.worker.pricing;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.worker.TracerProperties;

/**
 * The default cost mode (the price table in force is built in
 * {@code dev.cctracer.worker.pricing}).
 */
@Configuration(proxyBeanMethods = false)
class CostModeConfiguration {

	@Bean
	CostMode defaultCostMode(TracerProperties properties) {
		return CostMode.parse(properties.costMode());
	}

}
