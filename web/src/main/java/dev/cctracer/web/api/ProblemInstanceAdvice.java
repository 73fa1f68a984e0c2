package dev.cctracer.web.api;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

import dev.cctracer.web.system.Problems;

/**
 * Every problem detail MVC writes names the redacted path as its {@code instance}
 * ({@link Problems#instance}), also those of Spring's own handlers (a 405, 406 or 415, a
 * body that cannot be read), which set the raw request path: a key pasted into a URL came
 * back in it.
 */
@ControllerAdvice
class ProblemInstanceAdvice implements ResponseBodyAdvice<Object> {

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
			Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
			ServerHttpResponse response) {
		if (body instanceof ProblemDetail problem && request instanceof ServletServerHttpRequest servlet) {
			HttpServletRequest http = servlet.getServletRequest();
			problem.setInstance(Problems.instance(http));
		}
		return body;
	}

}
