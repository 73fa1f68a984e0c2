package dev.cctracer.web.system;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.BeanUtils;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.util.StringUtils;
import org.springframework.validation.BindingResult;
import org.springframework.validation.DataBinder;
import org.springframework.validation.Errors;
import org.springframework.validation.annotation.ValidationAnnotationUtils;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.BindParam;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.annotation.ModelFactory;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.ExtendedServletRequestDataBinder;

/**
 * Binds a handler's query record — a record of {@code String} components, taken without
 * an annotation of Spring MVC (such as {@code Period.Query} or the session list's query)
 * — as Spring MVC's constructor binding does, without its reflection per request. Spring
 * builds a fresh {@link MethodParameter} for every component of every request and asks it
 * for its annotations, which the JDK parses anew each time (a third of a cached list
 * answer's CPU, measured with JFR); here the record's constructor and component names are
 * looked up once per type.
 * <p>
 * The same rules apply: each value is found by Spring's own resolver (the request
 * parameter; its {@code !name} default or {@code _name} marker; a URI template variable;
 * a request header of that name; nothing is looked up for a component that none of the
 * request's names can fill), several values are joined with commas, the record is
 * validated by the binder Spring would create (its validator and {@code @InitBinder}
 * methods) with the hints of {@code @Valid} or {@code @Validated}, and a failure is the
 * same {@link MethodArgumentNotValidException} unless an {@link Errors} parameter
 * follows. The record and its binding result are added to the model as Spring adds them.
 */
@Configuration(proxyBeanMethods = false)
class QueryRecordArguments implements HandlerMethodArgumentResolver, WebMvcConfigurer {

	private final Map<Class<?>, Shape> shapes = new ConcurrentHashMap<>();

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(this);
	}

	/**
	 * A record parameter whose components are all strings; Spring asks once per handler
	 * parameter, after its annotation-driven resolvers (which take any parameter
	 * annotated for them) and before its fallback, the model attribute.
	 */
	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return binds(parameter.getParameterType());
	}

	/** Whether a parameter of this type is a query record this binds. */
	static boolean binds(Class<?> type) {
		return type.isRecord() && type.getRecordComponents().length > 0
				&& Arrays.stream(type.getRecordComponents()).allMatch((c) -> c.getType() == String.class);
	}

	/** The names a query record's components bind from, in their order. */
	static List<String> names(Class<?> type) {
		return List.of(shape(type).names());
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
			WebDataBinderFactory binders) throws Exception {
		String name = ModelFactory.getNameForParameter(parameter);
		Shape shape = this.shapes.computeIfAbsent(parameter.getParameterType(), QueryRecordArguments::shape);
		ServletRequest servletRequest = request.getNativeRequest(ServletRequest.class);
		DataBinder.ValueResolver values = new Values().resolver(servletRequest);
		Present present = Present.in(servletRequest);
		String[] args = new String[shape.names().length];
		for (int i = 0; i < args.length; i++) {
			String component = shape.names()[i];
			args[i] = present.mayHold(component) ? text(values.resolveValue(component, String.class)) : null;
		}
		Object target = BeanUtils.instantiateClass(shape.constructor(), (Object[]) args);
		WebDataBinder binder = binders.createBinder(request, target, name);
		BindingResult result = binder.getBindingResult();
		for (int i = 0; i < args.length; i++) {
			if (args[i] != null) {
				result.recordFieldValue(shape.names()[i], String.class, args[i]);
			}
		}
		for (Annotation annotation : parameter.getParameterAnnotations()) {
			Object[] hints = ValidationAnnotationUtils.determineValidationHints(annotation);
			if (hints != null) {
				binder.validate(hints);
				break;
			}
		}
		if (result.hasErrors() && !followedByErrors(parameter)) {
			throw new MethodArgumentNotValidException(parameter, result);
		}
		if (mav != null) {
			Map<String, Object> model = result.getModel();
			mav.removeAttributes(model);
			mav.addAllAttributes(model);
		}
		return target;
	}

	/**
	 * A value as a string, as Spring's conversion makes one: several values (parameters,
	 * or a header sent more than once) joined with commas.
	 */
	private static String text(Object value) {
		if (value instanceof String[] several) {
			return StringUtils.arrayToCommaDelimitedString(several);
		}
		if (value instanceof Collection<?> several) {
			return StringUtils.collectionToCommaDelimitedString(several);
		}
		return (value != null) ? value.toString() : null;
	}

	/** Whether the handler takes the binding result itself (the next parameter). */
	private static boolean followedByErrors(MethodParameter parameter) {
		int i = parameter.getParameterIndex();
		Class<?>[] types = parameter.getExecutable().getParameterTypes();
		return types.length > i + 1 && Errors.class.isAssignableFrom(types[i + 1]);
	}

	/** A record's canonical constructor and the name each component binds from. */
	private static Shape shape(Class<?> type) {
		RecordComponent[] components = type.getRecordComponents();
		Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
		String[] names = new String[components.length];
		try {
			Constructor<?> constructor = type.getDeclaredConstructor(types);
			for (int i = 0; i < components.length; i++) {
				BindParam renamed = constructor.getParameters()[i].getAnnotation(BindParam.class);
				names[i] = (renamed != null && StringUtils.hasText(renamed.value())) ? renamed.value()
						: components[i].getName();
			}
			return new Shape(constructor, names);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException("a record without its canonical constructor: " + type, ex);
		}
	}

	private record Shape(Constructor<?> constructor, String[] names) {

	}

	/**
	 * The names a request carries values under — its parameters, URI template variables
	 * and headers (any case) — read once, so that a component none of them can fill costs
	 * no lookups: Spring's resolver looks for each component under three names
	 * ({@code name}, {@code !name}, {@code _name}) in three places, each through the
	 * firewall's checks (9 % of {@code GET /api/sessions}, JFR). A multipart request is
	 * left to the resolver whole (its files and parts).
	 */
	private record Present(Set<String> names, Set<String> headers, boolean everything) {

		static Present in(ServletRequest request) {
			String type = request.getContentType();
			if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
				return new Present(Set.of(), Set.of(), true);
			}
			Set<String> names = new HashSet<>(Collections.list(request.getParameterNames()));
			if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> vars) {
				vars.keySet().forEach((k) -> names.add(String.valueOf(k)));
			}
			Set<String> headers = new HashSet<>();
			if (request instanceof HttpServletRequest http) {
				for (String header : Collections.list(http.getHeaderNames())) {
					headers.add(header.toLowerCase(Locale.ROOT));
				}
			}
			return new Present(names, headers, false);
		}

		/** Whether Spring's resolver may find a value for {@code component}. */
		boolean mayHold(String component) {
			if (this.everything) {
				return true;
			}
			for (String name : new String[] { component, "!" + component, "_" + component }) {
				if (this.names.contains(name) || this.headers.contains(name.toLowerCase(Locale.ROOT))) {
					return true;
				}
			}
			return false;
		}

	}

	/**
	 * Spring's value resolver for constructor binding (request parameters with their
	 * default and marker prefixes, URI template variables, headers), which its binder
	 * keeps to itself.
	 */
	private static final class Values extends ExtendedServletRequestDataBinder {

		Values() {
			super(null);
		}

		DataBinder.ValueResolver resolver(ServletRequest request) {
			return createValueResolver(request);
		}

	}

}
