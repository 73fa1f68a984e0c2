package dev.cctracer.web.system;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Costs in the pages' currency ({@code cctracer.display.*}): the amounts worked by hand,
 * and a start refused, naming the property, for a setting that would show wrong money.
 */
class DisplayCurrencyTests {

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(DisplayCurrency.class)
	static class Display {

	}

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Display.class);

	@Test
	void shouldShowDollarsByDefaultAsThePagesAlwaysDid() {
		this.runner.run((context) -> {
			DisplayCurrency usd = context.getBean(DisplayCurrency.class);
			assertThat(usd.isUsd()).isTrue();
			assertThat(usd.format(1234.5)).isEqualTo("$1,234.50");
			assertThat(usd.format(0.0042)).isEqualTo("$0.0042");
			assertThat(usd.format(0.000036)).isEqualTo("$0.000036");
			assertThat(usd.note()).isNull();
		});
	}

	@Test
	void shouldShowAnotherCurrencyAtTheUsersRate() {
		DisplayCurrency eur = new DisplayCurrency("eur", new BigDecimal("0.92"));
		// $1,234.50 × 0.92 = €1,135.74; $0.004 × 0.92 = €0.00368, below a cent: four
		// decimals; $0.00002 × 0.92 = €0.0000184, below a hundredth of a cent: two
		// significant digits
		assertThat(eur.format(1234.5)).isEqualTo("€1,135.74");
		assertThat(eur.format(0.004)).isEqualTo("€0.0037");
		assertThat(eur.format(0.00002)).isEqualTo("€0.000018");
		assertThat(eur.format(0)).isEqualTo("€0.00");
		assertThat(eur.note()).isEqualTo(
				"Costs in EUR at 0.92 EUR per US dollar (cctracer.display.usd-rate); the API, exports and prices "
						+ "are in USD.");
		// the yen has no minor unit: $12.34 × 150 = ¥1,851; $0.004 × 150 = ¥0.6, below
		// one yen: two decimals
		DisplayCurrency jpy = new DisplayCurrency("JPY", new BigDecimal("150"));
		assertThat(jpy.format(12.34)).isEqualTo("¥1,851");
		assertThat(jpy.format(0.004)).isEqualTo("¥0.60");
		// the Bahraini dinar has three digits: $10 × 0.376 = 3.760
		assertThat(new DisplayCurrency("BHD", new BigDecimal("0.376")).format(10)).endsWith("3.760");
		// a symbol of letters stands apart; a negative amount keeps its sign first
		DisplayCurrency chf = new DisplayCurrency("CHF", new BigDecimal("0.8"));
		assertThat(chf.format(15)).isEqualTo("CHF 12.00");
		assertThat(new DisplayCurrency("GBP", new BigDecimal("0.5")).format(-3)).isEqualTo("-£1.50");
		// the pages' formats go through it
		assertThat(new Formats(eur).money(2.10)).isEqualTo("€1.93");
	}

	@Test
	void shouldFailTheStartNamingThePropertyForASettingThatWouldShowWrongMoney() {
		String[][] refused = { { "cctracer.display.currency=EUR" }, { "cctracer.display.usd-rate=0.92" },
				{ "cctracer.display.currency=EURO", "cctracer.display.usd-rate=0.92" },
				{ "cctracer.display.currency=USD", "cctracer.display.usd-rate=0.92" },
				{ "cctracer.display.currency=EUR", "cctracer.display.usd-rate=0" },
				{ "cctracer.display.currency=EUR", "cctracer.display.usd-rate=-1" },
				{ "cctracer.display.currency=XAU", "cctracer.display.usd-rate=0.0004" } };
		String[] says = { "cctracer.display.usd-rate is required with cctracer.display.currency=EUR",
				"cctracer.display.usd-rate is set but cctracer.display.currency is not",
				"cctracer.display.currency 'EURO' is not an ISO 4217 currency code",
				"cctracer.display.usd-rate must be 1 (or unset) when cctracer.display.currency is USD",
				"cctracer.display.usd-rate must be above 0", "cctracer.display.usd-rate must be above 0",
				"cctracer.display.currency 'XAU' is not a currency money is shown in" };
		for (int i = 0; i < refused.length; i++) {
			String message = says[i];
			this.runner.withPropertyValues(refused[i]).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(message);
			});
		}
		this.runner.withPropertyValues("cctracer.display.currency=gbp", "cctracer.display.usd-rate=0.79")
			.run((context) -> assertThat(context.getBean(DisplayCurrency.class).format(10)).isEqualTo("£7.90"));
	}

}
