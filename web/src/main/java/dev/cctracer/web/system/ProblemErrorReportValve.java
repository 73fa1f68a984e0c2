package dev.cctracer.web.system;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Requests Tomcat refuses before the app sees them (a malformed URL: {@code %00}, an
 * encoded {@code \}, {@code /} or {@code ..}) get a problem+json body, or a plain HTML
 * page when a browser asks for a page, with {@code nosniff}, like every other error,
 * instead of Tomcat's page naming the server.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		try {
			String title = (status == 400) ? "Bad request" : "Error";
			// Tomcat refuses a URL and headers over server.max-http-request-header-size
			// (Spring Boot's 8 KB) the same way, and says nothing to tell the cases apart
			String detail = "the request was refused before it reached the application (a malformed URL or header, "
					+ "or a URL and headers longer than the 8 KB the server takes)";
			String uri = String.valueOf(request.getDecodedRequestURI());
			String accept = String.valueOf(request.getHeader("Accept"));
			boolean page = !uri.startsWith("/api/") && accept.contains("text/html");
			response.setContentType(page ? "text/html" : "application/problem+json");
			response.setCharacterEncoding("UTF-8");
			response.setHeader("X-Content-Type-Options", "nosniff");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(page
						? "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + status + " "
								+ title + "</title></head><body><main><h1>" + status + " " + title
								+ "</h1><p id=\"error-detail\">" + detail
								+ ".</p><p><a href=\"/\">Overview</a></p></main></body></html>"
						: "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
								+ ",\"detail\":\"" + detail + "\"}");
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client is gone
		}
	}

	/** Puts this valve in place of Tomcat's own report valve. */
	@Component
	static class Installer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

		@Override
		public void customize(TomcatServletWebServerFactory factory) {
			factory.addContextCustomizers((context) -> {
				if (context.getParent() instanceof StandardHost host) {
					host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
				}
			});
		}

	}

}
