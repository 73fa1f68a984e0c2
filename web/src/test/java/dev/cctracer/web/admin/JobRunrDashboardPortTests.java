package dev.cctracer.web.admin;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dashboard whose port another process holds is not started, said once however often
 * the lifecycle asks it to start (a trial saw the WARN line twice).
 */
@ExtendWith(OutputCaptureExtension.class)
class JobRunrDashboardPortTests {

	@Test
	void shouldSayOnceThatThePortIsInUse(CapturedOutput output) throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			JobRunrDashboard dashboard = new JobRunrDashboard(new JobsDashboardProperties(true, taken.getLocalPort()),
					null, null, null, null, null);
			dashboard.start();
			dashboard.start();
			assertThat(dashboard.isRunning()).isFalse();
			assertThat(dashboard.url()).isNull();
			assertThat(output.getAll().split("JobRunr dashboard not started", -1)).hasSize(2);
		}
	}

}
