package dev.cctracer.web.system;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.cctracer.worker.system.ClaudeRoots;

/**
 * The start page until the dashboard arrives: where logs are looked for and the API's
 * entry points.
 */
@Controller
class HomeController {

	private static final String VIEW_HOME = "home";

	private final ClaudeRoots roots;

	HomeController(ClaudeRoots roots) {
		this.roots = roots;
	}

	@GetMapping("/")
	String home(Model model) {
		model.addAttribute("candidates", this.roots.candidates());
		model.addAttribute("roots", this.roots.current());
		model.addAttribute("demo", this.roots.isDemo());
		return VIEW_HOME;
	}

}
