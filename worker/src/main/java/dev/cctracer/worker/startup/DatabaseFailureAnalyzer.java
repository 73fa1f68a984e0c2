package dev.cctracer.worker.startup;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.SQLException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

import dev.cctracer.db.support.DatabaseNames;
import dev.cctracer.shared.log.Causes;

/**
 * A start that fails on its database (a wrong password, a server that does not answer, a
 * URL no driver takes) in one line naming the database by where it is (never its
 * credentials) and the innermost reason, e.g. {@code cctracer: cannot start: the
 * PostgreSQL database at db:5432/cctracer cannot be used (password authentication failed
 * for user "cctracer") (check spring.datasource.url, .username and .password)}, not
 * Spring Boot's report with a hundred lines of stack trace. A data dir's own H2 database
 * that H2 found damaged is marked for the next start to move it aside and rebuild it from
 * the logs ({@link DataDirCheck#REBUILD_FILE}), and the line says so.
 */
class DatabaseFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

	private final Environment environment;

	DatabaseFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	/**
	 * A URL no driver here takes ({@code jdbc:postgres://…} for {@code jdbc:postgresql:})
	 * fails in HikariCP with no {@link SQLException} in the chain ("Driver org.h2.Driver
	 * claims to not accept jdbcUrl"): 116 lines of stack trace in a team trial; one line
	 * now, the URL named by where it points (never its credentials).
	 */
	@Override
	public FailureAnalysis analyze(Throwable failure) {
		Throwable noDriver = Causes.chain(failure)
			.stream()
			.filter((t) -> String.valueOf(t.getMessage()).contains("claims to not accept jdbcUrl"))
			.findFirst()
			.orElse(null);
		if (noDriver != null) {
			String url = this.environment.getProperty("spring.datasource.url");
			return new FailureAnalysis(
					DatabaseNames.describe(url, Path.of(this.environment.getProperty("cctracer.data-dir", ".")))
							+ " cannot be used (no JDBC driver of cctracer takes its URL)",
					"check spring.datasource.url: jdbc:postgresql://host:5432/name for PostgreSQL, "
							+ "jdbc:h2:file:/path/name for H2",
					noDriver);
		}
		return super.analyze(failure);
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
		String url = this.environment.getProperty("spring.datasource.url");
		String dataDir = this.environment.getProperty("cctracer.data-dir", ".");
		if (Causes.chain(rootFailure)
			.stream()
			.anyMatch((t) -> String.valueOf(t.getMessage()).contains("No space left on device"))) {
			// a full disk is no fault of the database: restoring it would not help
			return new FailureAnalysis(
					DatabaseNames.describe(url, Path.of(dataDir)) + " cannot be written: its disk is full ("
							+ Causes.reason(cause) + ")",
					"free space on the disk of " + Path.of(dataDir).toAbsolutePath().normalize()
							+ ", then start cctracer again",
					cause);
		}
		String damage = DataDirCheck.damage(rootFailure);
		if (damage != null && DataDirCheck.requestRebuild(Path.of(dataDir), url, damage)) {
			// H2 found a damaged page the check before the start did not read
			return new FailureAnalysis(DatabaseNames.describe(url, Path.of(dataDir)) + " is damaged (" + damage + ")",
					"start cctracer again: it moves the database aside and rebuilds it from the logs", cause);
		}
		Throwable migration = Causes.chain(rootFailure)
			.stream()
			.filter((t) -> t.getClass().getName().startsWith("org.flywaydb."))
			.findFirst()
			.orElse(null);
		if (migration != null && !connecting(rootFailure)) {
			// the database answered: a migration failed, not the connection
			return new FailureAnalysis(
					"migrating " + DatabaseNames.describe(url, Path.of(dataDir)) + " failed ("
							+ Causes.headline(migration) + ": " + Causes.reason(cause) + ")",
					"the log above has the migration; restore the database, or report it", cause);
		}
		return new FailureAnalysis(
				DatabaseNames.describe(url, Path.of(dataDir)) + " cannot be used (" + Causes.reason(cause) + ")",
				"check spring.datasource.url, .username and .password", cause);
	}

	/**
	 * Whether the failure is the connection's (a refused or unknown host, a wrong
	 * password, a database the server does not have: SQL states of class 08, 28 and 3D),
	 * which Flyway reports as its own when it is the first to connect.
	 */
	private static boolean connecting(Throwable failure) {
		for (Throwable t : Causes.chain(failure)) {
			if (t instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("08")
					|| sql.getSQLState().startsWith("28") || sql.getSQLState().startsWith("3D"))) {
				return true;
			}
			if (t instanceof ConnectException || t instanceof UnknownHostException) {
				return true;
			}
		}
		return false;
	}

}
