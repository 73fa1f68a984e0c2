package dev.cctracer.worker.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the LiteLLM price list of {@code cctracer.prices.import}: over HTTP(S) (the
 * configured timeout, redirects followed, only status 200 accepted) or from a local file
 * or {@code file:} URI, never more than {@link PriceImportProperties#maxBytes()} bytes.
 */
final class PriceImportFetcher {

	private final PriceImportProperties imports;

	PriceImportFetcher(PriceImportProperties imports) {
		this.imports = imports;
	}

	/**
	 * The source's bytes.
	 * @param source an {@code http(s)://} URL, a {@code file:} URI or a path
	 * @throws IOException when it cannot be read, answers other than HTTP 200, or is
	 * larger than the cap
	 * @throws InterruptedException when interrupted while waiting for the answer
	 */
	byte[] fetch(String source) throws IOException, InterruptedException {
		long max = this.imports.maxBytes();
		if (source.startsWith("http://") || source.startsWith("https://")) {
			HttpClient client = HttpClient.newBuilder()
				.connectTimeout(this.imports.timeout())
				.followRedirects(HttpClient.Redirect.NORMAL)
				.build();
			HttpResponse<InputStream> response = client.send(
					HttpRequest.newBuilder(URI.create(source)).timeout(this.imports.timeout()).GET().build(),
					HttpResponse.BodyHandlers.ofInputStream());
			try (InputStream in = response.body()) {
				if (response.statusCode() != 200) {
					throw new IOException("HTTP " + response.statusCode());
				}
				return readCapped(in, max);
			}
		}
		Path file = Path.of(source.startsWith("file:") ? URI.create(source).getPath() : source);
		if (Files.size(file) > max) {
			throw new IOException("larger than " + max + " bytes");
		}
		return Files.readAllBytes(file);
	}

	private static byte[] readCapped(InputStream in, long max) throws IOException {
		byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
		if (bytes.length > max) {
			throw new IOException("larger than " + max + " bytes");
		}
		return bytes;
	}

}
