package dev.cctracer.web.system;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.stream.Collectors;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.http.HttpStatus;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.view.RedirectView;

import dev.cctracer.shared.log.LogText;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.StorageHealth;

/**
 * What every page's layout shows: the time zone and its choices, whether the data is the
 * demo dataset, and a storage fault in force. Added after a page handler ran, so JSON
 * handlers pay nothing.
 */
@Configuration(proxyBeanMethods = false)
class PageModelInterceptor implements HandlerInterceptor, WebMvcConfigurer {

	private static final Logger log = LoggerFactory.getLogger(PageModelInterceptor.class);

	private final ClaudeRoots roots;

	private final UsageService usage;

	private final ObjectProvider<StorageHealth> storage;

	PageModelInterceptor(ClaudeRoots roots, @Lazy UsageService usage, ObjectProvider<StorageHealth> storage) {
		this.roots = roots;
		this.usage = usage;
		this.storage = storage;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this)
			.excludePathPatterns("/api/**", "/actuator/**", "/webjars/**", "/css/**", "/js/**");
	}

	@Override
	public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler, ModelAndView mav) {
		if (mav == null || mav.getView() instanceof RedirectView
				|| (mav.getViewName() != null && mav.getViewName().startsWith("redirect:"))) {
			return;
		}
		ZoneId zone = zone(request);
		mav.addObject("tz", zone);
		mav.addObject("zones", Zones.choices(zone));
		mav.addObject("demo", this.roots.isDemo());
		if (this.roots.isDemo()) {
			// where logs were looked for: a mistyped cctracer.claude-dirs shows here
			mav.addObject("demoLookedIn",
					this.roots.candidates().stream().map(Path::toString).collect(Collectors.joining(", ")));
		}
		StorageHealth guard = this.storage.getIfAvailable();
		if (guard != null) {
			guard.fault().ifPresent((f) -> mav.addObject("storageFault", f));
		}
		mav.addObject("dataVersion", this.usage.dataVersion());
	}

	/**
	 * The error page ({@code error.html}) of an exception handler, with what the layout
	 * shows on every page: after a handler threw, interceptors do not run, and the zone
	 * selector of such a page had been empty (a trial). A failure to read the data
	 * version (the database that failed the page) leaves the rest of the layout as it is.
	 * @param status the HTTP status, shown with the title
	 * @param title what went wrong, in a few words
	 * @param detail what the page says of it
	 */
	ModelAndView errorPage(HttpStatus status, String title, String detail) {
		ModelAndView mav = new ModelAndView("error", status);
		mav.addObject("status", status.value());
		mav.addObject("title", title);
		mav.addObject("detail", detail);
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			try {
				postHandle(attributes.getRequest(), attributes.getResponse(), null, mav);
			}
			catch (RuntimeException ex) {
				log.debug("error page without its layout's data: {}", LogText.safe(ex.toString()));
			}
		}
		return mav;
	}

	/** The zone of a page request (the {@code tz} cookie, else the server's). */
	static ZoneId zone(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		if (cookies != null) {
			for (Cookie cookie : cookies) {
				if (Zones.COOKIE.equals(cookie.getName())) {
					return Zones.resolve(cookie.getValue());
				}
			}
		}
		return Zones.resolve(null);
	}

}
