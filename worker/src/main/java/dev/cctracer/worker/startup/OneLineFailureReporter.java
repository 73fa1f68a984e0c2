package dev.cctracer.worker.startup;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * A start-up failure Spring Boot could analyze (a {@link StartupRefusal}, a port already
 * in use, …) is printed as one line on standard error, {@code cctracer: cannot start: …},
 * with no stack trace (Boot's own multi-line report is switched off in
 * {@code application.properties}); the launcher then exits with 1.
 */
public class OneLineFailureReporter implements FailureAnalysisReporter {

	@Override
	public void report(FailureAnalysis analysis) {
		System.err.println(line(analysis));
		System.err.flush();
	}

	static String line(FailureAnalysis analysis) {
		String description = (analysis.getDescription() != null) ? analysis.getDescription() : "unknown failure";
		String text = description.strip().replaceAll("\\s*\\R\\s*", " ");
		String action = (analysis.getAction() != null) ? analysis.getAction().strip().replaceAll("\\s*\\R\\s*", " ")
				: "";
		return "cctracer: cannot start: " + text + (action.isEmpty() ? "" : " (" + action + ")");
	}

}
