package dev.cctracer.benchmark;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The load threads' HTTP client: blocking {@code GET}s over one keep-alive HTTP/1.1
 * connection, the answer read to its end (by its length, its chunks, or the connection's
 * close) and dropped. The JDK's {@code java.net.http.HttpClient} spent ~0.5 ms of CPU a
 * request on this machine (its selector thread, futures and allocation) — more than the
 * app's own work for a cached answer — and took that from the 2 cores the app shares with
 * it; this one spends ~0.08 ms, about what {@code ab} does (measured: BENCHMARKS.md,
 * issue 18 item 3). Not a general client: no TLS, no redirects, no request body.
 */
final class KeepAliveClient implements Closeable {

	private static final int TIMEOUT_MS = 30_000;

	private final String host;

	private final int port;

	private Socket socket;

	private InputStream in;

	private OutputStream out;

	/** A client of the server of {@code base} (its host and port); connects lazily. */
	KeepAliveClient(URI base) {
		this.host = base.getHost();
		this.port = base.getPort();
	}

	/**
	 * {@code GET} of {@code uri} (path and query of the same server); the body is read
	 * and dropped.
	 * @return the status code
	 * @throws IOException when the exchange fails (a kept-alive connection the server
	 * closed meanwhile is opened again once)
	 */
	int get(URI uri) throws IOException {
		String target = uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
		byte[] request = ("GET " + target + " HTTP/1.1\r\nHost: " + this.host + ":" + this.port + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		boolean reused = this.socket != null;
		try {
			return exchange(request);
		}
		catch (EOFException | SocketException ex) {
			close();
			if (!reused) {
				throw ex;
			}
			// the server closed the idle connection between two requests
			return exchange(request);
		}
	}

	private int exchange(byte[] request) throws IOException {
		if (this.socket == null) {
			Socket s = new Socket();
			s.connect(new InetSocketAddress(this.host, this.port), TIMEOUT_MS);
			s.setSoTimeout(TIMEOUT_MS);
			s.setTcpNoDelay(true);
			this.socket = s;
			this.in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
			this.out = s.getOutputStream();
		}
		this.out.write(request);
		this.out.flush();
		String status = line();
		if (!status.startsWith("HTTP/1.") || status.length() < 12) {
			throw new IOException("not an HTTP answer: " + status);
		}
		long length = -1;
		boolean chunked = false;
		boolean close = status.startsWith("HTTP/1.0");
		for (String header = line(); !header.isEmpty(); header = line()) {
			int colon = header.indexOf(':');
			if (colon < 0) {
				continue;
			}
			String name = header.substring(0, colon).trim();
			String value = header.substring(colon + 1).trim();
			if (name.equalsIgnoreCase("Content-Length")) {
				length = Long.parseLong(value);
			}
			else if (name.equalsIgnoreCase("Transfer-Encoding")) {
				chunked = value.equalsIgnoreCase("chunked");
			}
			else if (name.equalsIgnoreCase("Connection")) {
				close = value.equalsIgnoreCase("close");
			}
		}
		if (chunked) {
			for (long size = chunkSize(); size > 0; size = chunkSize()) {
				this.in.skipNBytes(size);
				line();
			}
			// trailers, up to the empty line
			while (!line().isEmpty()) {
				// dropped
			}
		}
		else if (length >= 0) {
			this.in.skipNBytes(length);
		}
		else {
			this.in.transferTo(OutputStream.nullOutputStream());
			close = true;
		}
		if (close) {
			close();
		}
		return Integer.parseInt(status.substring(9, 12));
	}

	private long chunkSize() throws IOException {
		String size = line();
		int extension = size.indexOf(';');
		return Long.parseLong(((extension >= 0) ? size.substring(0, extension) : size).trim(), 16);
	}

	/** One line of the answer's head, without its CRLF. */
	private String line() throws IOException {
		StringBuilder b = new StringBuilder(64);
		for (int c = this.in.read(); c != '\n'; c = this.in.read()) {
			if (c < 0) {
				throw new EOFException("the server closed the connection");
			}
			if (c != '\r') {
				b.append((char) c);
			}
		}
		return b.toString();
	}

	@Override
	public void close() {
		if (this.socket != null) {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
			this.socket = null;
		}
	}

}
