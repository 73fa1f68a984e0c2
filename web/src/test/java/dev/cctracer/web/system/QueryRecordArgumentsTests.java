package dev.cctracer.web.system;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.core.MethodParameter;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.validation.BindingResult;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.BindParam;
import org.springframework.web.bind.support.ConfigurableWebBindingInitializer;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ServletModelAttributeMethodProcessor;
import org.springframework.web.servlet.mvc.method.annotation.ServletRequestDataBinderFactory;

import dev.cctracer.web.usage.Period;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link QueryRecordArguments} binds a query record exactly as Spring MVC's constructor
 * binding (its model attribute processor) does: the same record, model and validation
 * failure for the same request, whichever way a value arrives.
 */
class QueryRecordArgumentsTests {

	private static final String LONG = "x".repeat(65);

	private static LocalValidatorFactoryBean validator;

	private final HandlerMethodArgumentResolver ours = new QueryRecordArguments();

	private final HandlerMethodArgumentResolver springs = new ServletModelAttributeMethodProcessor(true);

	@BeforeAll
	static void validator() {
		validator = new LocalValidatorFactoryBean();
		validator.afterPropertiesSet();
	}

	@AfterAll
	static void close() {
		validator.close();
	}

	@Test
	void takesRecordsOfStringsOnly() throws Exception {
		assertThat(this.ours.supportsParameter(parameter("period", 0))).isTrue();
		assertThat(this.ours.supportsParameter(parameter("renamed", 0))).isTrue();
		assertThat(this.ours.supportsParameter(parameter("mixed", 0))).isFalse();
		assertThat(this.ours.supportsParameter(parameter("text", 0))).isFalse();
	}

	@Test
	void bindsEveryWayAValueArrivesAsSpringDoes() throws Exception {
		List<Consumer<MockHttpServletRequest>> requests = List.of((r) -> {
		}, (r) -> {
			r.addParameter("from", "2026-01-05");
			r.addParameter("to", "2026-01-09");
			r.addParameter("tz", "Europe/Paris");
		}, (r) -> r.addParameter("from", "2026-01-05", "2026-01-06"), (r) -> r.addParameter("!tz", "Asia/Tokyo"),
				(r) -> r.addParameter("_tz", ""), (r) -> r.addParameter("from", ""), (r) -> r.addHeader("Tz", "UTC"),
				(r) -> {
					r.addHeader("tz", "UTC");
					r.addHeader("TZ", "Asia/Tokyo");
				}, (r) -> r.addHeader("!to", "2026-03-01"), (r) -> r.addHeader("From", "someone@example.com"),
				(r) -> r.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, Map.of("to", "2026-02-01")),
				(r) -> {
					r.addParameter("q", "renamed");
					r.addParameter("text", "not this");
					r.addParameter("sort", "abc");
				});
		for (String handler : List.of("period", "renamed")) {
			for (Consumer<MockHttpServletRequest> request : requests) {
				Bound spring = bind(this.springs, handler, request);
				Bound our = bind(this.ours, handler, request);
				assertThat(our.value()).isEqualTo(spring.value());
				assertThat(our.model()).isEqualTo(spring.model());
				assertThat(our.errors()).isEqualTo(spring.errors());
			}
		}
	}

	@Test
	void failsValidationWithSpringsException() throws Exception {
		Consumer<MockHttpServletRequest> tooLong = (r) -> {
			r.addParameter("from", LONG);
			r.addParameter("tz", LONG);
		};
		Throwable spring = catchThrowable(() -> bind(this.springs, "period", tooLong));
		Throwable our = catchThrowable(() -> bind(this.ours, "period", tooLong));
		assertThat(spring).isInstanceOf(MethodArgumentNotValidException.class);
		assertThat(our).isInstanceOf(MethodArgumentNotValidException.class);
		// the same errors (Bean Validation reports them in no set order) for the same
		// parameter
		MethodArgumentNotValidException expected = (MethodArgumentNotValidException) spring;
		MethodArgumentNotValidException actual = (MethodArgumentNotValidException) our;
		assertThat(actual.getParameter()).isEqualTo(expected.getParameter());
		assertThat(actual.getFieldErrors()).map(Object::toString)
			.hasSize(2)
			.containsExactlyInAnyOrderElementsOf(expected.getFieldErrors().stream().map(Object::toString).toList());
		String head = expected.getMessage().substring(0, expected.getMessage().indexOf(": ["));
		assertThat(actual.getMessage()).startsWith(head + ": [").contains("with 2 errors");
	}

	@Test
	void leavesTheErrorsToAHandlerThatTakesThem() throws Exception {
		Consumer<MockHttpServletRequest> tooLong = (r) -> r.addParameter("to", LONG);
		Bound spring = bind(this.springs, "periodWithErrors", tooLong);
		Bound our = bind(this.ours, "periodWithErrors", tooLong);
		assertThat(our.errors()).isEqualTo(spring.errors()).contains("to is limited to 64 characters");
		assertThat(our.value()).isEqualTo(spring.value());
	}

	private Bound bind(HandlerMethodArgumentResolver resolver, String handler, Consumer<MockHttpServletRequest> prepare)
			throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/anything");
		prepare.accept(request);
		ModelAndViewContainer mav = new ModelAndViewContainer();
		Object value = resolver.resolveArgument(parameter(handler, 0), mav,
				new ServletWebRequest(request, new MockHttpServletResponse()), binders());
		BindingResult result = (BindingResult) mav.getModel()
			.values()
			.stream()
			.filter(BindingResult.class::isInstance)
			.findFirst()
			.orElseThrow();
		return new Bound(value, List.copyOf(mav.getModel().keySet()), result.getAllErrors().toString());
	}

	/** The binder factory of an MVC app: conversion service and validator. */
	private static WebDataBinderFactory binders() {
		ConfigurableWebBindingInitializer initializer = new ConfigurableWebBindingInitializer();
		initializer.setConversionService(new DefaultFormattingConversionService());
		initializer.setValidator(validator);
		return new ServletRequestDataBinderFactory(null, initializer);
	}

	private static MethodParameter parameter(String handler, int index) {
		for (Method m : Handlers.class.getDeclaredMethods()) {
			if (m.getName().equals(handler)) {
				return new MethodParameter(m, index);
			}
		}
		throw new IllegalArgumentException(handler);
	}

	private record Bound(Object value, List<String> model, String errors) {

	}

	record Renamed(@BindParam("q") String text, @Size(max = 3) String sort) {

	}

	record Mixed(String text, int limit) {

	}

	@SuppressWarnings("unused")
	static class Handlers {

		void period(@Valid Period.Query query) {
		}

		void periodWithErrors(@Valid Period.Query query, BindingResult errors) {
		}

		void renamed(@Valid Renamed renamed) {
		}

		void mixed(Mixed mixed) {
		}

		void text(String text) {
		}

	}

}
