package dev.cctracer.worker;

import java.nio.file.Path;

import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cctracer.worker.startup.DataDirCheck;

/**
 * Starts an application of the platform (the web with its worker, or a worker alone) the
 * way a user meets it: a refusal Spring Boot could analyze is one line on standard error
 * ({@link OneLineFailureReporter}) and exit code 1, never a stack trace; a started
 * process records itself in the data dir ({@code cctracer.pid}) so that a second one on
 * the same data dir can say which process holds it.
 */
public final class Launcher {

	private Launcher() {
	}

	/**
	 * Runs the application; exits the JVM with 1 when it cannot start.
	 * @param application the Spring Boot application class
	 * @param args the command line
	 */
	public static ConfigurableApplicationContext run(Class<?> application, String[] args) {
		quietBootReport();
		housekeepPoolsOften();
		serveSharedH2OnLoopback();
		ConfigurableApplicationContext context;
		try {
			context = SpringApplication.run(application, args);
		}
		catch (Throwable ex) {
			// already reported: one line when analyzed, else Spring's log with the cause
			System.exit(1);
			return null;
		}
		String dataDir = context.getEnvironment().getProperty("cctracer.data-dir");
		if (dataDir != null) {
			DataDirCheck.recordHolder(Path.of(dataDir),
					context.getEnvironment().getProperty("local.server.port", Integer.class));
		}
		return context;
	}

	/**
	 * HikariCP's period of housekeeping in ms (a system property it reads when a pool
	 * starts).
	 */
	static final String POOL_HOUSEKEEPING_PROPERTY = "com.zaxxer.hikari.housekeeping.periodMs";

	/**
	 * Has the connection pools started from now on read their settings every 2 s rather
	 * than every 30 s (left alone when set): the short wait for a connection the storage
	 * guard sets while at fault ({@code StorageGuard}) takes effect within 2 s. Not every
	 * second: HikariCP warns of thread starvation when its housekeeping runs half a
	 * period late, which a busy two-core machine's collector pauses could make it.
	 */
	static void housekeepPoolsOften() {
		if (System.getProperty(POOL_HOUSEKEEPING_PROPERTY) == null) {
			System.setProperty(POOL_HOUSEKEEPING_PROPERTY, "2000");
		}
	}

	/**
	 * H2's system property for the address its servers bind to (read when one starts).
	 */
	static final String H2_BIND_ADDRESS = "h2.bindAddress";

	/**
	 * Has the server H2 starts for a file shared through {@code AUTO_SERVER=TRUE} listen
	 * on the loopback interface only (left alone when set): it listened on every
	 * interface, and anyone who could reach the machine read the database as {@code sa}
	 * with the id in the world-readable {@code .lock.db} file (a trial). The processes of
	 * an H2-shared team are on one machine by design; across machines, use PostgreSQL.
	 */
	static void serveSharedH2OnLoopback() {
		if (System.getProperty(H2_BIND_ADDRESS) == null) {
			System.setProperty(H2_BIND_ADDRESS, "127.0.0.1");
		}
	}

	/**
	 * Boot's own failure report is several lines: {@link OneLineFailureReporter} says it
	 * in one (also set in {@code application.properties}, for failures after logging
	 * starts).
	 */
	private static void quietBootReport() {
		if (LoggerFactory.getLogger(
				"org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter") instanceof ch.qos.logback.classic.Logger logger) {
			logger.setLevel(ch.qos.logback.classic.Level.OFF);
		}
	}

}
