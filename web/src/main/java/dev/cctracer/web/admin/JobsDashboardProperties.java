package dev.cctracer.web.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code cctracer.web.jobs-dashboard.*}: JobRunr's own dashboard, on the
 * loopback interface, behind the admin login.
 *
 * @param enabled whether it is served at all
 * @param port its port on the loopback interface (0: any free one)
 */
@ConfigurationProperties("cctracer.web.jobs-dashboard")
record JobsDashboardProperties(@DefaultValue("true") boolean enabled, @DefaultValue("8421") int port) {

}
