package dev.cctracer.web.system;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The web's clock: the system's, in UTC. The pages and API answers that name "today",
 * "this week", "this month", the last N days, the active block or the API's prices in
 * force read it (one instant per request), so their tests can fix the day (a Monday, a
 * month's first) instead of depending on the day they run.
 */
@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
