package dev.cctracer.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.cctracer.db.support.SlowStatements;

/**
 * The slow log: a request, database statement or DuckDB job slower than
 * {@code cctracer.slow-threshold} is logged once, at WARN under
 * {@code dev.cctracer.slow}, with its endpoint pattern, statement (the application's SQL
 * text, never its parameters) or job type, its duration and, where known, its row count.
 * Never transcript text.
 */
@Component
public class SlowLog implements BeanPostProcessor, SlowStatements {

	private static final Logger log = LoggerFactory.getLogger("dev.cctracer.slow");

	private final long thresholdNanos;

	/**
	 * Reads {@code cctracer.slow-threshold} (as {@link TracerProperties#slowThreshold}
	 * does, 500 ms by default) from the environment: a post-processor that took the
	 * properties bean had it made before the other post-processors, which Spring warned
	 * about at every start (twice, with Flyway's converter it then needed).
	 */
	public SlowLog(Environment environment) {
		this.thresholdNanos = Binder.get(environment)
			.bind("cctracer.slow-threshold", Duration.class)
			.orElse(Duration.ofMillis(500))
			.toNanos();
	}

	public boolean isSlow(long nanos) {
		return nanos >= this.thresholdNanos;
	}

	/**
	 * A slow request: method, endpoint pattern (not the raw URL, which may carry search
	 * text), status.
	 */
	public void request(String method, String pattern, int status, long nanos) {
		if (isSlow(nanos)) {
			log.warn("slow request {} {} -> {} in {} ms", method, pattern, status,
					TimeUnit.NANOSECONDS.toMillis(nanos));
		}
	}

	/** A batch run below the statement-logging proxy (see {@code DirectBatch}). */
	@Override
	public void batch(String sql, int rows, long nanos) {
		if (isSlow(nanos)) {
			log.warn("slow sql in {} ms (batch of {}): {}", TimeUnit.NANOSECONDS.toMillis(nanos), rows, brief(sql));
		}
	}

	private static String brief(String sql) {
		String text = sql.replaceAll("\\s+", " ").strip();
		return (text.length() > 160) ? text.substring(0, 160) + "…" : text;
	}

	/** A slow DuckDB job. */
	public void duckdb(String type, long nanos, Long rows) {
		if (isSlow(nanos)) {
			log.warn("slow duckdb job {} in {} ms, {} rows", type, TimeUnit.NANOSECONDS.toMillis(nanos),
					(rows != null) ? rows : "?");
		}
	}

	/**
	 * Wraps the DataSource so that slow statements are logged (SQL text only, no
	 * parameters).
	 */
	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource ds && !(bean instanceof ProxyDataSource)) {
			return ProxyDataSourceBuilder.create(ds).name(beanName).listener(new QueryExecutionListener() {
				@Override
				public void beforeQuery(ExecutionInfo info, List<QueryInfo> queries) {
				}

				@Override
				public void afterQuery(ExecutionInfo info, List<QueryInfo> queries) {
					long nanos = TimeUnit.MILLISECONDS.toNanos(info.getElapsedTime());
					if (isSlow(nanos) && !queries.isEmpty()) {
						log.warn("slow sql in {} ms{}: {}", info.getElapsedTime(),
								info.isBatch() ? " (batch of " + info.getBatchSize() + ")" : "",
								brief(queries.get(0).getQuery()));
					}
				}
			}).build();
		}
		return bean;
	}

}
