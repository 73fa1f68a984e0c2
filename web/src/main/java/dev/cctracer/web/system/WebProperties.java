package dev.cctracer.web.system;

import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code cctracer.web.*}.
 *
 * @param allowedHosts host names accepted in the {@code Host} header besides loopback
 * names
 */
@ConfigurationProperties("cctracer.web")
record WebProperties(@DefaultValue Set<String> allowedHosts, @DefaultValue("60") int heavyRequestsPerMinute) {

}
