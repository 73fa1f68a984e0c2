package dev.cctracer.web.job;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an API endpoint that answers {@code 202 Accepted} with a job to poll when its
 * answer is not computed yet: {@code {"job_id": …, "status_url": "/api/jobs/{id}"}} and a
 * {@code Location} header naming the status ({@link JobService#accepted}). The OpenAPI
 * description lists that answer beside the endpoint's {@code 200} ({@link JobApiDocs}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AnswersWithJob {

	/**
	 * Whether the endpoint always answers 202 (a job started each time it is asked),
	 * never 200.
	 */
	boolean always() default false;

}
