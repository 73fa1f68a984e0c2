package dev.cctracer.worker.pricing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * {@code cctracer.prices.*}: an import of LiteLLM's public model-price JSON, off unless a
 * source is set.
 *
 * @param source {@code cctracer.prices.import}: a file path or an http(s) URL of a file
 * in the format of LiteLLM's {@code model_prices_and_context_window.json}; empty: no
 * import
 * @param refresh how often the source is read again (default a day)
 * @param timeout how long one read may take
 * @param maxBytes the largest file accepted
 */
@ConfigurationProperties("cctracer.prices")
public record PriceImportProperties(@Name("import") String source, @DefaultValue("1d") Duration refresh,
		@DefaultValue("30s") Duration timeout, @DefaultValue("33554432") long maxBytes) {

	/** Whether an import is configured. */
	public boolean enabled() {
		return this.source != null && !this.source.isBlank();
	}

}
