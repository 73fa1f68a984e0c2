package dev.cctracer.shared.transcript;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * Redaction as a property of a JSON channel: with this module registered, every string
 * value and every map key an {@code ObjectMapper} writes goes through
 * {@link Redactor#redact}, so a model id, tool name, title or path that carries a secret
 * is masked whichever DTO it travels in. ({@code JsonNode} trees are written by their own
 * serializer: redact their text before building them.)
 */
public final class RedactingModule extends SimpleModule {

	private static final long serialVersionUID = 1L;

	public RedactingModule() {
		super("cctracer-redaction");
		addSerializer(String.class, new Value());
		addKeySerializer(String.class, new Key());
	}

	private static final class Value extends StdSerializer<String> {

		private static final long serialVersionUID = 1L;

		Value() {
			super(String.class);
		}

		@Override
		public void serialize(String value, JsonGenerator gen, SerializerProvider provider) throws IOException {
			gen.writeString(Redactor.redact(value));
		}

	}

	private static final class Key extends JsonSerializer<String> {

		@Override
		public void serialize(String value, JsonGenerator gen, SerializerProvider provider) throws IOException {
			gen.writeFieldName(Redactor.redact(value));
		}

	}

}
