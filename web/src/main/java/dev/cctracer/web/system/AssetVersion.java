package dev.cctracer.web.system;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * The version of the app's own assets ({@code /css}, {@code /js}): the first 12 hex
 * digits of a SHA-256 over their bytes, computed once at start-up. Pages link the assets
 * with it ({@code /css/app.css?v=…}), so an asset can be cached for a year
 * ({@code spring.web.resources.cache.cachecontrol.max-age}) and a new build is fetched at
 * once. Cheaper than Spring's resource chain, which looked up every link of every page.
 * Templates read it as {@code ${@assetVersion.value}}.
 */
@Component("assetVersion")
public class AssetVersion {

	private final String value;

	/**
	 * @throws IOException when an asset cannot be read
	 */
	AssetVersion() throws IOException {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			Resource[] assets = new PathMatchingResourcePatternResolver()
				.getResources("classpath*:static/{css,js}/**/*.*");
			Arrays.sort(assets, Comparator.comparing(Resource::getDescription));
			for (Resource asset : assets) {
				try (InputStream in = asset.getInputStream()) {
					sha.update(in.readAllBytes());
				}
			}
			this.value = HexFormat.of().formatHex(sha.digest()).substring(0, 12);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

	/** The version: 12 lowercase hex digits. */
	public String getValue() {
		return this.value;
	}

}
