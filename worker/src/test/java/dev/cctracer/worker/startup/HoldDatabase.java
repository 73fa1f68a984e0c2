package dev.cctracer.worker.startup;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;

/**
 * Another process holding an H2 database open (for {@link DataDirCheckTests}): opens the
 * URL given (or, with {@code --lock <file>}, locks that file), says {@code ready}, and
 * waits up to a minute.
 */
public final class HoldDatabase {

	private HoldDatabase() {
	}

	public static void main(String[] args) throws Exception {
		if (args[0].equals("--lock")) {
			// a process holding a data dir's lock file, as the app does
			try (FileChannel channel = FileChannel.open(Path.of(args[1]), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
				System.out.println("ready");
				System.out.flush();
				Thread.sleep(60_000);
			}
			return;
		}
		try (Connection c = DriverManager.getConnection(args[0], "sa", "")) {
			c.createStatement().execute("CREATE TABLE IF NOT EXISTS held (id INT)");
			System.out.println("ready");
			System.out.flush();
			Thread.sleep(60_000);
		}
	}

}
