package dev.cctracer.worker.startup;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link StartupRefusal} into Spring Boot's failure analysis (no stack trace).
 */
class StartupRefusalAnalyzer extends AbstractFailureAnalyzer<StartupRefusal> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, StartupRefusal cause) {
		return new FailureAnalysis(cause.getMessage(), "", cause);
	}

}
