package dev.cctracer.web.system;

import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code cctracer.web.*}.
 *
 * @param allowedHosts host names accepted in the {@code Host} header besides loopback
 * names
 * @param heavyRequestsPerMinute per-client limit of the heavy endpoints
 * @param adminUser the admin console's user name
 * @param adminPassword its password; empty: a random one, printed once at start
 * @param maxStreams NDJSON streams served at once (each holds a thread while it writes);
 * past it a new stream gets 503
 * @param streamsPerClient NDJSON streams one client address may hold at once; past it 429
 */
@ConfigurationProperties("cctracer.web")
record WebProperties(@DefaultValue Set<String> allowedHosts, @DefaultValue("60") int heavyRequestsPerMinute,
		@DefaultValue("admin") String adminUser, String adminPassword, @DefaultValue("64") int maxStreams,
		@DefaultValue("6") int streamsPerClient) {

}
