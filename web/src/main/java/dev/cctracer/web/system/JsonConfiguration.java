package dev.cctracer.web.system;

import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cctracer.shared.transcript.RedactingModule;

/**
 * The app's {@code ObjectMapper} redacts every string it writes
 * ({@link RedactingModule}): Spring Boot registers module beans in it. It reads a number
 * or a boolean where a request body asks for text as the 400 it is: Jackson's default
 * coerces {@code {"q": 123}} to {@code "123"}.
 */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

	@Bean
	RedactingModule redactingModule() {
		return new RedactingModule();
	}

	@Bean
	Jackson2ObjectMapperBuilderCustomizer textIsNotCoerced() {
		return (builder) -> builder.postConfigurer((mapper) -> mapper.coercionConfigFor(LogicalType.Textual)
			.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
	}

}
