package dev.cctracer.web.system;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.IndexControl;
import dev.cctracer.worker.TracerProperties;

/**
 * The empty state's button: loads the generated demo dataset and indexes it, only while
 * no Claude Code transcript exists.
 */
@Controller
class DemoController implements PageController {

	private final DemoData demo;

	private final ClaudeRoots roots;

	private final IndexControl indexer;

	private final TracerProperties properties;

	DemoController(DemoData demo, ClaudeRoots roots, IndexControl indexer, TracerProperties properties) {
		this.demo = demo;
		this.roots = roots;
		this.indexer = indexer;
		this.properties = properties;
	}

	@PostMapping("/demo")
	String loadDemo(RedirectAttributes redirect) throws InterruptedException {
		if (!this.properties.ingest().enabled() || "off".equalsIgnoreCase(this.properties.demo())) {
			// a web-only process (shared database) or demo=off: never write demo data
			redirect.addFlashAttribute("notice",
					"This process does not load demo data (it does not ingest, or cctracer.demo=off).");
		}
		else if (this.roots.hasTranscripts()) {
			redirect.addFlashAttribute("notice", "Claude Code logs exist now; the demo dataset was not loaded.");
		}
		else {
			this.demo.load();
			this.indexer.scanAndIngest();
			redirect.addFlashAttribute("notice", "Demo dataset loaded and indexed.");
		}
		return "redirect:/";
	}

}
