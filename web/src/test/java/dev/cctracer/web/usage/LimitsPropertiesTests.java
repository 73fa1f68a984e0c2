package dev.cctracer.web.usage;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A monthly budget of 0 or less is refused at start with the property's name (a user
 * trial found it silently taken as "no budget", the page then asking to set what was
 * set).
 */
class LimitsPropertiesTests {

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(LimitsProperties.class)
	static class Limits {

	}

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Limits.class);

	@Test
	void aBudgetOfZeroOrLessFailsTheStartAndNamesTheProperty() {
		for (String budget : new String[] { "0", "-5" }) {
			this.runner.withPropertyValues("cctracer.limits.monthly-budget-usd=" + budget).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("monthlyBudgetUsd")
					.hasMessageContaining("must be greater than 0");
			});
		}
		this.runner.withPropertyValues("cctracer.limits.monthly-budget-usd=12.5")
			.run((context) -> assertThat(context.getBean(LimitsProperties.class).monthlyBudgetUsd()).isEqualTo(12.5));
		this.runner.run((context) -> assertThat(context.getBean(LimitsProperties.class).monthlyBudgetUsd()).isNull());
	}

}
