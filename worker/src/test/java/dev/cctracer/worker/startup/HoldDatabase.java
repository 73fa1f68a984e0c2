package dev.cctracer.worker.startup;

import java.sql.Connection;
import java.sql.DriverManager;

/**
 * Another process holding an H2 database open (for {@link DataDirCheckTests}): opens the
 * URL given, says {@code ready}, and waits up to a minute.
 */
public final class HoldDatabase {

	private HoldDatabase() {
	}

	public static void main(String[] args) throws Exception {
		try (Connection c = DriverManager.getConnection(args[0], "sa", "")) {
			c.createStatement().execute("CREATE TABLE IF NOT EXISTS held (id INT)");
			System.out.println("ready");
			System.out.flush();
			Thread.sleep(60_000);
		}
	}

}
