package dev.cctracer.web.system;

import java.util.Arrays;
import java.util.List;

import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.cctracer.shared.pricing.CostMode;

/**
 * Binds a handler's {@link CostMode} parameter from the {@code cost_mode} query parameter
 * ({@code auto}, {@code calculate} or {@code display}, as ccusage names them), falling
 * back to the configured default ({@code cctracer.cost-mode}) when it is absent or blank.
 * An unknown mode is an {@link IllegalArgumentException}, answered 400 by the API's
 * exception handler.
 */
@Configuration(proxyBeanMethods = false)
class CostModeArguments implements HandlerMethodArgumentResolver, WebMvcConfigurer {

	/** The query parameter's name. */
	static final String PARAMETER = "cost_mode";

	private final CostMode defaultMode;

	CostModeArguments(CostMode defaultMode) {
		this.defaultMode = defaultMode;
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(this);
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == CostMode.class;
	}

	/**
	 * The API documentation names the parameter as it is read ({@code cost_mode}, in
	 * lower case, optional), where springdoc documented the handler's Java parameter (a
	 * required {@code mode} of {@code CALCULATE|AUTO|DISPLAY}, which nothing reads).
	 */
	@Bean
	static OperationCustomizer costModeParameter() {
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(CostMode.class);
		return (operation, handler) -> {
			if (Arrays.stream(handler.getMethodParameters()).anyMatch((p) -> p.getParameterType() == CostMode.class)) {
				operation.addParametersItem(new Parameter().in("query")
					.name(PARAMETER)
					.required(false)
					.description("How costs are computed: from the price table (calculate), the logged costUSD "
							+ "when present (auto), or the logged costUSD only (display); default: the app's "
							+ "cctracer.cost-mode")
					.schema(new StringSchema()._enum(List.of("calculate", "auto", "display"))));
			}
			return operation;
		};
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
			WebDataBinderFactory binders) {
		String text = request.getParameter(PARAMETER);
		return (text == null || text.isBlank()) ? this.defaultMode : CostMode.parse(text);
	}

}
