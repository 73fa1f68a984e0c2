package dev.cctracer.web.system;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The admin login page (Spring Security handles the POST).
 */
@Controller
class LoginController implements PageController {

	private static final String VIEW_LOGIN = "login";

	private final String adminUser;

	LoginController(WebProperties properties) {
		this.adminUser = properties.adminUser();
	}

	/**
	 * The form, its user field filled with the one admin's name
	 * ({@code cctracer.web.admin-user}).
	 */
	@GetMapping("/login")
	String login(Model model) {
		model.addAttribute("adminUser", this.adminUser);
		return VIEW_LOGIN;
	}

}
