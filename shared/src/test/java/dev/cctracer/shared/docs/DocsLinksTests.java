package dev.cctracer.shared.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link of the README, BENCHMARKS.md and {@code docs/} points at a file
 * that exists, and every {@code #anchor} at a heading of its file (GitHub's heading ids),
 * so a moved class or a renamed section breaks the build, not the reader's click.
 */
class DocsLinksTests {

	private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	@Test
	void everyRelativeLinkAndAnchorResolves() throws IOException {
		List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("BENCHMARKS.md")));
		try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
			docs.filter((p) -> p.toString().endsWith(".md")).forEach(pages::add);
		}
		assertThat(pages).hasSizeGreaterThan(4);
		List<String> broken = new ArrayList<>();
		int checked = 0;
		for (Path page : pages) {
			Matcher m = LINK.matcher(Files.readString(page));
			while (m.find()) {
				String target = m.group(1);
				if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("mailto:")) {
					continue;
				}
				checked++;
				int hash = target.indexOf('#');
				String path = (hash < 0) ? target : target.substring(0, hash);
				Path file = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
				if (!Files.exists(file)) {
					broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
				}
				else if (hash >= 0 && file.toString().endsWith(".md")
						&& !anchors(file).contains(target.substring(hash + 1))) {
					broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
				}
			}
		}
		assertThat(checked).isGreaterThan(20);
		assertThat(broken).isEmpty();
	}

	/**
	 * GitHub's ids of a page's headings: lower case, punctuation dropped, spaces as
	 * dashes.
	 */
	private static List<String> anchors(Path page) throws IOException {
		List<String> ids = new ArrayList<>();
		for (String line : Files.readAllLines(page)) {
			if (line.startsWith("#")) {
				String heading = line.replaceFirst("^#+ ", "").strip().toLowerCase(Locale.ROOT);
				ids.add(heading.replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-'));
			}
		}
		return ids;
	}

}
