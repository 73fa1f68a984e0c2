package dev.cctracer.web.system;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Keeps NDJSON streams ({@code /api/**}{@code /stream}) from starving each other: at most
 * {@link WebProperties#streamsPerClient()} at once per client address (past it: 429 with
 * {@code Retry-After}) and {@link WebProperties#maxStreams()} in all (past it: 503 with
 * {@code Retry-After}), answered before any work starts. The streams run on a pool of
 * their own sized to the cap, so they never wait in a queue behind stalled ones, and a
 * reader that stops reading is dropped by Tomcat's write timeout
 * ({@code server.tomcat.connection-timeout}), which frees its slot. A slot is held from
 * the request until the stream's async request completes, fails or times out.
 */
@Configuration(proxyBeanMethods = false)
class StreamLimitFilter extends OncePerRequestFilter implements WebMvcConfigurer {

	private static final int RETRY_AFTER_SECONDS = 5;

	private final int max;

	private final int perClient;

	private final AtomicInteger active = new AtomicInteger();

	private final ThreadPoolTaskExecutor executor;

	private final Map<String, Integer> byClient = new ConcurrentHashMap<>();

	StreamLimitFilter(WebProperties properties) {
		this.max = Math.max(1, properties.maxStreams());
		this.perClient = Math.max(1, properties.streamsPerClient());
		// the pool MVC runs streams (and any other async handler) on: as many threads as
		// streams allowed, no queue
		this.executor = new ThreadPoolTaskExecutor();
		this.executor.setThreadNamePrefix("cctracer-stream-");
		this.executor.setCorePoolSize(this.max);
		this.executor.setMaxPoolSize(this.max);
		this.executor.setQueueCapacity(0);
		this.executor.setAllowCoreThreadTimeOut(true);
		this.executor.initialize();
	}

	/** Streams being served now. */
	int active() {
		return this.active.get();
	}

	@Override
	public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
		configurer.setTaskExecutor(this.executor);
	}

	@Override
	public void destroy() {
		this.executor.shutdown();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = SecurityConfiguration.path(request);
		return !(path.startsWith("/api/") && path.endsWith("/stream"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String client = request.getRemoteAddr();
		if (this.byClient.merge(client, 1, Integer::sum) > this.perClient) {
			release(client, false);
			refuse(response, HttpStatus.TOO_MANY_REQUESTS, "Too many streams",
					"one client may hold " + this.perClient + " streams at once; retry after one ends");
			return;
		}
		if (this.active.incrementAndGet() > this.max) {
			release(client, true);
			refuse(response, HttpStatus.SERVICE_UNAVAILABLE, "Too many streams",
					"the server streams to " + this.max + " readers at once; retry in a few seconds");
			return;
		}
		AtomicBoolean released = new AtomicBoolean();
		Runnable done = () -> {
			if (released.compareAndSet(false, true)) {
				release(client, true);
			}
		};
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (request.isAsyncStarted()) {
				request.getAsyncContext().addListener(new Release(done));
			}
			else {
				done.run();
			}
		}
	}

	private void release(String client, boolean global) {
		if (global) {
			this.active.decrementAndGet();
		}
		this.byClient.computeIfPresent(client, (c, n) -> (n <= 1) ? null : n - 1);
	}

	private static void refuse(HttpServletResponse response, HttpStatus status, String title, String detail)
			throws IOException {
		response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
		Problems.write(response, status, title, detail);
	}

	private record Release(Runnable done) implements AsyncListener {

		@Override
		public void onComplete(AsyncEvent event) {
			this.done.run();
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			this.done.run();
		}

		@Override
		public void onError(AsyncEvent event) {
			this.done.run();
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			// the same request: its slot is still held
		}

	}

}
