package dev.cctracer.web.system;

import java.security.SecureRandom;
import java.util.Base64;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may do what: the dashboard and the read API are open (the server binds loopback and
 * checks the Host header); the admin console ({@code /admin/**}), the admin API
 * ({@code /api/admin/**}) and the actuator (except health) need the admin login, by form
 * in a browser or HTTP Basic for scripts. Forms carry CSRF tokens; the JSON API is exempt
 * because its state-changing calls need the {@code X-Requested-By} header instead
 * ({@link StateChangeHeaderFilter}). Every page gets a Content-Security-Policy that
 * allows only this origin's scripts.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
			+ "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
			+ "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

	private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, ObjectMapper json) throws Exception {
		RequestMatcher machines = new OrRequestMatcher(AntPathRequestMatcher.antMatcher("/api/**"),
				EndpointRequest.toAnyEndpoint());
		// a script that lacks the login gets the API's problem JSON, with the Basic
		// challenge
		AuthenticationEntryPoint basic = (request, response, ex) -> {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"cctracer admin\"");
			response.setStatus(HttpStatus.UNAUTHORIZED.value());
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
					(ex instanceof BadCredentialsException)
							? "the admin login failed: wrong user name or password (HTTP Basic)"
							: "the admin login is required: HTTP Basic (cctracer.web.admin-user) or the /login form");
			problem.setTitle("Unauthorized");
			problem.setInstance(Problems.instance(request));
			json.writeValue(response.getOutputStream(), problem);
		};
		// wrong or missing Basic credentials: the problem JSON for a script (also
		// curl's /admin, which accepts */*: it got Spring Boot's default error JSON),
		// the challenge and the error page for a browser
		BasicAuthenticationEntryPoint challenge = new BasicAuthenticationEntryPoint();
		challenge.setRealmName("cctracer admin");
		AuthenticationEntryPoint wrongBasic = (request, response, ex) -> {
			if (machines.matches(request) || !wantsPage(request)) {
				basic.commence(request, response, ex);
			}
			else {
				challenge.commence(request, response, ex);
			}
		};
		http.authorizeHttpRequests((requests) -> requests.requestMatchers("/admin/**", "/api/admin/**")
			.hasRole(Roles.ADMIN)
			.requestMatchers(EndpointRequest.to(HealthEndpoint.class))
			.permitAll()
			.requestMatchers(EndpointRequest.toAnyEndpoint())
			.hasRole(Roles.ADMIN)
			.anyRequest()
			.permitAll())
			.formLogin((form) -> form.loginPage("/login").defaultSuccessUrl("/admin").permitAll())
			.httpBasic((httpBasic) -> httpBasic.authenticationEntryPoint(wrongBasic))
			.logout((logout) -> logout.logoutSuccessUrl("/"))
			.exceptionHandling((errors) -> errors.defaultAuthenticationEntryPointFor(basic, machines)
				// a script refused (a form posted without its CSRF token): problem
				// details; a browser gets the error page
				.defaultAccessDeniedHandlerFor(
						(request, response, ex) -> Problems.write(response, HttpStatus.FORBIDDEN, "Forbidden",
								"refused: a form needs its CSRF token (or use the JSON API with X-Requested-By)"),
						(request) -> !wantsPage(request)))
			.csrf((csrf) -> csrf.ignoringRequestMatchers(machines))
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
				.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
				.frameOptions((frames) -> frames.deny()));
		return http.build();
	}

	/**
	 * A request the firewall refuses (an encoded or traversing path segment, a doubled
	 * slash, a {@code ;}, a method or header it does not allow…) gets 400 with problem
	 * details, as every other error of the API, not Spring Boot's default error body, or
	 * the 400 error page when a browser asks for a page; the path is not echoed.
	 */
	@Bean
	RequestRejectedHandler requestRejectedHandler() {
		return (request, response, ex) -> {
			if (wantsPage(request)) {
				// the error page, rendered by Spring Boot's /error (which the firewall
				// passes): a browser's mistyped or crafted link is a page with a way back
				response.sendError(HttpStatus.BAD_REQUEST.value());
				return;
			}
			Problems.write(response, HttpStatus.BAD_REQUEST, "Bad request",
					"refused by the firewall: an encoded, doubled or traversing path segment, "
							+ "or a method or header it does not allow");
		};
	}

	/**
	 * Whether a request is a browser's for a page: not under {@code /api/}, and it
	 * accepts HTML by name (not only by a wildcard).
	 */
	static boolean wantsPage(HttpServletRequest request) {
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		if (path(request).startsWith("/api/") || accept == null) {
			return false;
		}
		try {
			return MediaType.parseMediaTypes(accept)
				.stream()
				.anyMatch((m) -> m.isCompatibleWith(MediaType.TEXT_HTML) && !m.isWildcardType());
		}
		catch (InvalidMediaTypeException ex) {
			// a malformed Accept header: not a browser's
			return false;
		}
	}

	/**
	 * The open JSON API (everything under {@code /api/} but {@code /api/admin/}, the API
	 * docs and the job polling {@code /api/jobs/}, which shows an admin job to the admin
	 * only) skips the filter chain: it needs no login, session, CSRF token or page
	 * headers, and the chain cost a third of its throughput (measured with wrk: 8,500 →
	 * 5,550 req/s on {@code /api/metrics/aggregate}). The firewall still applies, and
	 * state-changing calls still need {@code X-Requested-By}.
	 */
	@Bean
	WebSecurityCustomizer openApiBypassesTheChain() {
		return (web) -> web.ignoring().requestMatchers(SecurityConfiguration::isOpenApi);
	}

	/**
	 * The read API that skips the security filters (its list endpoints answer in
	 * milliseconds): every {@code /api/} path but the admin API, the API docs and the job
	 * polling, which knows the admin's login to show an admin job. On the decoded,
	 * normalised path (as MVC matches it), never the raw URI: a raw
	 * {@code /api/%61dmin/verify} would otherwise skip the login.
	 */
	static boolean isOpenApi(HttpServletRequest request) {
		String path = path(request);
		return path.startsWith("/api/") && !path.startsWith("/api/admin") && !path.startsWith("/api/docs")
				&& !path.startsWith("/api/swagger-ui") && !path.startsWith("/api/jobs/");
	}

	/**
	 * The decoded, normalised path of a request, as MVC and Spring Security match it:
	 * every filter that decides by path uses this, never the raw URI (where
	 * {@code /%61pi/…} is not {@code /api/…}).
	 */
	static String path(HttpServletRequest request) {
		return request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	UserDetailsService adminUser(WebProperties properties, PasswordEncoder encoder) {
		String password = properties.adminPassword();
		if (password == null || password.isBlank()) {
			byte[] random = new byte[18];
			new SecureRandom().nextBytes(random);
			password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
			log.warn("Admin console: user '{}', generated password {} (set cctracer.web.admin-password "
					+ "or CCTRACER_WEB_ADMIN_PASSWORD to choose one)", properties.adminUser(), password);
		}
		return new InMemoryUserDetailsManager(User.withUsername(properties.adminUser())
			.password(encoder.encode(password))
			.roles(Roles.ADMIN)
			.build());
	}

}
