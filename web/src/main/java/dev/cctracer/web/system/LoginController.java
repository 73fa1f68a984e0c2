package dev.cctracer.web.system;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The admin login page (Spring Security handles the POST).
 */
@Controller
class LoginController implements PageController {

	private static final String VIEW_LOGIN = "login";

	@GetMapping("/login")
	String login() {
		return VIEW_LOGIN;
	}

}
