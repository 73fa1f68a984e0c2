package dev.cctracer.shared.log;

import java.io.IOException;
import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cause chain of a failure: outermost first, and finite even when it loops.
 */
class CausesTests {

	@Test
	void aChainIsWalkedOutermostFirstToItsInnermostCause() {
		ConnectException refused = new ConnectException("Connection refused");
		IOException io = new IOException("cannot connect", refused);
		IllegalStateException outer = new IllegalStateException("query failed", io);
		assertThat(Causes.chain(outer)).containsExactly(outer, io, refused);
		assertThat(Causes.innermost(outer)).isSameAs(refused);
		assertThat(Causes.find(outer, IOException.class)).isSameAs(io);
		assertThat(Causes.find(outer, IllegalArgumentException.class)).isNull();
		assertThat(Causes.reason(outer)).isEqualTo("Connection refused");
		assertThat(Causes.reason(new IllegalStateException("closed\nsecond line", new IOException())))
			.as("the innermost message, though outer; an interrupted channel's exception has none")
			.isEqualTo("closed");
		assertThat(Causes.reason(new java.nio.channels.ClosedByInterruptException()))
			.isEqualTo("ClosedByInterruptException");
		assertThat(Causes.headline(new IllegalStateException(" query failed \nSQL [SELECT 1]", io)))
			.isEqualTo("query failed");
		assertThat(Causes.headline(new IllegalStateException())).isEqualTo("null");
		assertThat(Causes.chain(null)).isEmpty();
		assertThat(Causes.innermost(null)).isNull();
	}

	@Test
	void aChainThatLoopsEndsAtTheFirstThrowableMetAgain() {
		IllegalStateException a = new IllegalStateException("a");
		IllegalArgumentException b = new IllegalArgumentException("b", a);
		a.initCause(b);
		assertThat(Causes.chain(a)).containsExactly(a, b);
		assertThat(Causes.innermost(a)).isSameAs(b);
		assertThat(LogText.failure(a)).isEqualTo("java.lang.IllegalArgumentException: b");
		Throwable deep = new RuntimeException("0");
		for (int i = 1; i < 200; i++) {
			deep = new RuntimeException(Integer.toString(i), deep);
		}
		assertThat(Causes.chain(deep)).hasSize(Causes.MAX_DEPTH);
	}

}
