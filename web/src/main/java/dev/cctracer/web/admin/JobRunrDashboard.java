package dev.cctracer.web.admin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jobrunr.dashboard.JobRunrApiHandler;
import org.jobrunr.dashboard.JobRunrSseHandler;
import org.jobrunr.dashboard.JobRunrStaticFileHandler;
import org.jobrunr.dashboard.server.HttpExchangeHandler;
import org.jobrunr.dashboard.server.http.RedirectHttpHandler;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import dev.cctracer.web.system.LoginThrottle;
import dev.cctracer.web.system.LoopbackHosts;

/**
 * JobRunr's own dashboard (jobs, their progress bars, retries), served on the loopback
 * interface only and behind the admin console's credentials.
 *
 * <p>
 * JobRunr's open-source {@code JobRunrDashboardWebServer} binds every interface and knows
 * one fixed user; so {@code jobrunr.dashboard.enabled} stays off and this component
 * mounts JobRunr's own handlers (UI, REST API, server-sent events) on a JDK
 * {@link HttpServer} bound to {@link InetAddress#getLoopbackAddress()}, with HTTP Basic
 * checked against the admin user (role ADMIN) and the same {@code Host} check as the
 * app's (no DNS rebinding).
 */
@Component
class JobRunrDashboard implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(JobRunrDashboard.class);

	private final JobsDashboardProperties settings;

	private final StorageProvider storage;

	private final JsonMapper json;

	private final UserDetailsService users;

	private final PasswordEncoder encoder;

	/**
	 * SHA-256 of credentials already checked: the dashboard polls, a hash check each time
	 * would cost.
	 */
	private final Set<String> verified = ConcurrentHashMap.newKeySet();

	private volatile HttpServer server;

	/** Whether the port's refusal was logged. */
	private volatile boolean refusalSaid;

	private volatile ExecutorService executor;

	private volatile List<HttpExchangeHandler> handlers = List.of();

	/** Failed logins per client, shared with the app's own logins. */
	private final LoginThrottle throttle;

	JobRunrDashboard(JobsDashboardProperties settings, StorageProvider storage, JsonMapper json,
			UserDetailsService users, PasswordEncoder encoder, LoginThrottle throttle) {
		this.throttle = throttle;
		this.settings = settings;
		this.storage = storage;
		this.json = json;
		this.users = users;
		this.encoder = encoder;
	}

	/** The dashboard's address, or null when it is not running. */
	String url() {
		InetSocketAddress address = address();
		return (address != null) ? "http://127.0.0.1:" + address.getPort() + "/dashboard" : null;
	}

	/** The socket address it listens on, or null when it is not running. */
	InetSocketAddress address() {
		HttpServer running = this.server;
		return (running != null) ? running.getAddress() : null;
	}

	@Override
	public void start() {
		if (!this.settings.enabled()) {
			return;
		}
		HttpServer created;
		try {
			created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.settings.port()),
					0);
		}
		catch (IOException ex) {
			// said once: the lifecycle may start it again (a trial saw the line twice)
			if (!this.refusalSaid) {
				this.refusalSaid = true;
				log.warn("JobRunr dashboard not started: port {} on the loopback interface is not free ({}); "
						+ "set cctracer.web.jobs-dashboard.port", this.settings.port(), ex.getMessage());
			}
			return;
		}
		AtomicInteger threads = new AtomicInteger();
		this.executor = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "jobs-dashboard-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		created.setExecutor(this.executor);
		RedirectHttpHandler redirect = new RedirectHttpHandler("/", "/dashboard");
		List<HttpExchangeHandler> mounted = List.of(new JobRunrStaticFileHandler(),
				new JobRunrApiHandler(this.storage, this.json, false), new JobRunrSseHandler(this.storage, this.json));
		guard(created.createContext(redirect.getContextPath(), redirect));
		for (HttpExchangeHandler handler : mounted) {
			guard(created.createContext(handler.getContextPath(), handler));
		}
		this.handlers = mounted;
		created.start();
		this.server = created;
		log.info("JobRunr dashboard at {} (loopback only; the admin console's user and password)", url());
	}

	private void guard(HttpContext context) {
		context.getFilters().add(new LoopbackHostFilter());
		context.setAuthenticator(new AdminAuthenticator());
	}

	@Override
	public void stop() {
		HttpServer running = this.server;
		this.server = null;
		if (running == null) {
			return;
		}
		for (HttpExchangeHandler handler : this.handlers) {
			try {
				handler.close();
			}
			catch (RuntimeException ex) {
				log.debug("closing a dashboard handler failed", ex);
			}
		}
		running.stop(0);
		this.executor.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.server != null;
	}

	/**
	 * Refuses a {@code Host} that is not a loopback name (as the app's own filter does:
	 * no DNS rebinding), and a state-changing request another site started (and gives
	 * every answer the headers that keep it out of another page's frame): browsers resend
	 * cached Basic credentials with a cross-site form post, so a foreign page could
	 * otherwise trigger or requeue jobs. JobRunr's own UI calls its API from its own
	 * origin.
	 */
	private static final class LoopbackHostFilter extends Filter {

		private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

		@Override
		public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
			if (!LoopbackHosts.isLoopback(LoopbackHosts.hostName(exchange.getRequestHeaders().getFirst("Host")))) {
				refuse(exchange, "Host not allowed");
				return;
			}
			if (!SAFE_METHODS.contains(exchange.getRequestMethod()) && crossSite(exchange)) {
				refuse(exchange, "Cross-site request refused");
				return;
			}
			// as the app's own pages: framed by no other page (a trial found JobRunr's
			// UI could be, to click its buttons), never read as another type; and its UI
			// reaches no other host: JobRunr's page asks api.jobrunr.io for its latest
			// version and notifications at every load, whatever the settings (nothing
			// leaves the machine unless the user turns it on; a trial saw the requests)
			Headers headers = exchange.getResponseHeaders();
			headers.set("X-Frame-Options", "DENY");
			headers.set("Content-Security-Policy", "frame-ancestors 'none'; connect-src 'self'");
			headers.set("X-Content-Type-Options", "nosniff");
			headers.set("Referrer-Policy", "same-origin");
			chain.doFilter(exchange);
		}

		private static boolean crossSite(HttpExchange exchange) {
			String site = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
			if (site != null && !site.equals("same-origin") && !site.equals("none")) {
				return true;
			}
			String origin = exchange.getRequestHeaders().getFirst("Origin");
			if (origin == null) {
				return false;
			}
			try {
				URI uri = URI.create(origin);
				return !LoopbackHosts.isLoopback(LoopbackHosts.hostName(uri.getHost()))
						|| uri.getPort() != exchange.getLocalAddress().getPort();
			}
			catch (IllegalArgumentException ex) {
				return true;
			}
		}

		private static void refuse(HttpExchange exchange, String why) throws IOException {
			byte[] body = (why + "\n").getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
			exchange.sendResponseHeaders(403, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		}

		@Override
		public String description() {
			return "loopback Host only, no cross-site state changes";
		}

	}

	/** HTTP Basic against the admin console's user: the ADMIN role is required. */
	private final class AdminAuthenticator extends BasicAuthenticator {

		AdminAuthenticator() {
			super("cctracer admin");
		}

		/**
		 * A throttled client gets 429 with {@code Retry-After} before its credentials are
		 * checked; a failed check counts against it.
		 */
		@Override
		public Result authenticate(HttpExchange exchange) {
			String client = exchange.getRemoteAddress().getAddress().getHostAddress();
			long wait = JobRunrDashboard.this.throttle.retryAfterSeconds(client);
			if (wait > 0) {
				exchange.getResponseHeaders().set("Retry-After", Long.toString(wait));
				return new Failure(429);
			}
			Result result = super.authenticate(exchange);
			if (result instanceof Failure && exchange.getRequestHeaders().containsKey("Authorization")) {
				JobRunrDashboard.this.throttle.failed(client);
			}
			return result;
		}

		@Override
		public boolean checkCredentials(String username, String password) {
			String key = digest(username + '\0' + password);
			if (JobRunrDashboard.this.verified.contains(key)) {
				return true;
			}
			UserDetails user;
			try {
				user = JobRunrDashboard.this.users.loadUserByUsername(username);
			}
			catch (UsernameNotFoundException ex) {
				return false;
			}
			boolean admin = user.isEnabled() && user.getAuthorities()
				.stream()
				.anyMatch((authority) -> "ROLE_ADMIN".equals(authority.getAuthority()));
			if (admin && JobRunrDashboard.this.encoder.matches(password, user.getPassword())) {
				if (JobRunrDashboard.this.verified.size() < 16) {
					JobRunrDashboard.this.verified.add(key);
				}
				return true;
			}
			return false;
		}

		private static String digest(String text) {
			try {
				return HexFormat.of()
					.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
