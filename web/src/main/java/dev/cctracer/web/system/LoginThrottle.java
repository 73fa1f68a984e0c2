package dev.cctracer.web.system;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

import dev.cctracer.shared.log.LogText;

/**
 * Failed logins per client (remote address): {@value #FAILURES} in
 * {@value #WINDOW_MINUTES} minutes, then every login attempt of that client — the form,
 * HTTP Basic on the admin paths, JobRunr's dashboard — is answered 429 with
 * {@code Retry-After} until the window refills (one attempt every
 * {@value #WINDOW_MINUTES}/{@value #FAILURES} minutes). Buckets are Bucket4j token
 * buckets in a Caffeine cache (at most 10,000 clients, dropped an hour after their last
 * use).
 */
@Component
public class LoginThrottle {

	private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

	static final int FAILURES = 5;

	static final int WINDOW_MINUTES = 5;

	private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterAccess(Duration.ofHours(1))
		.build();

	private Bucket bucket(String client) {
		return this.buckets.get(client,
				(c) -> Bucket.builder()
					.addLimit(Bandwidth.builder()
						.capacity(FAILURES)
						.refillGreedy(FAILURES, Duration.ofMinutes(WINDOW_MINUTES))
						.build())
					.build());
	}

	/**
	 * Seconds a client must wait before its next login attempt; 0 when it may try now.
	 * @param client the remote address
	 */
	public long retryAfterSeconds(String client) {
		Bucket b = this.buckets.getIfPresent(client);
		if (b == null || b.getAvailableTokens() > 0) {
			return 0;
		}
		return Math.max(1, (b.estimateAbilityToConsume(1).getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
	}

	/** Records a failed login of a client. */
	public void failed(String client) {
		if (!bucket(client).tryConsume(1)) {
			return;
		}
		if (bucket(client).getAvailableTokens() == 0) {
			log.warn("{} failed logins from {} in {} minutes: its logins are refused for a while", FAILURES,
					LogText.safe(client), WINDOW_MINUTES);
		}
	}

	@EventListener
	void onFailure(AbstractAuthenticationFailureEvent event) {
		if (event.getAuthentication().getDetails() instanceof WebAuthenticationDetails details
				&& details.getRemoteAddress() != null) {
			failed(details.getRemoteAddress());
		}
	}

}
