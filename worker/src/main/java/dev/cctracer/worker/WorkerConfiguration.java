package dev.cctracer.worker;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;

/**
 * Everything the worker brings: imported by the worker application and embedded by the
 * web.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TracerProperties.class)
@ComponentScan(basePackages = { "dev.cctracer.worker", "dev.cctracer.db" },
		excludeFilters = @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = WorkerApplication.class))
public class WorkerConfiguration {

}
