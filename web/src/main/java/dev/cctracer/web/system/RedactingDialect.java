package dev.cctracer.web.system;

import java.util.Set;

import org.thymeleaf.context.ITemplateContext;
import org.thymeleaf.dialect.AbstractDialect;
import org.thymeleaf.dialect.IPostProcessorDialect;
import org.thymeleaf.engine.AbstractTemplateHandler;
import org.thymeleaf.model.IAttribute;
import org.thymeleaf.model.IModelFactory;
import org.thymeleaf.model.IOpenElementTag;
import org.thymeleaf.model.IProcessableElementTag;
import org.thymeleaf.model.IStandaloneElementTag;
import org.thymeleaf.model.IText;
import org.thymeleaf.postprocessor.IPostProcessor;
import org.thymeleaf.postprocessor.PostProcessor;
import org.thymeleaf.templatemode.TemplateMode;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.transcript.Redactor;

/**
 * Redaction as a property of the pages: after a template is processed, every text node
 * and every attribute value of the output goes through {@link Redactor#redact}, so a
 * model id, tool name, title, path or chart label that carries a secret is masked
 * whichever model attribute it came from. The CSRF token's hidden input is left alone (a
 * random token may look like a key).
 */
@Component
class RedactingDialect extends AbstractDialect implements IPostProcessorDialect {

	RedactingDialect() {
		super("cctracer-redaction");
	}

	@Override
	public int getDialectPostProcessorPrecedence() {
		return 1000;
	}

	@Override
	public Set<IPostProcessor> getPostProcessors() {
		return Set.of(new PostProcessor(TemplateMode.HTML, Handler.class, 1000));
	}

	/** The output handler: redacts text and attribute values. */
	public static final class Handler extends AbstractTemplateHandler {

		private IModelFactory factory;

		@Override
		public void setContext(ITemplateContext context) {
			super.setContext(context);
			this.factory = context.getModelFactory();
		}

		@Override
		public void handleText(IText text) {
			String value = text.getText();
			String redacted = Redactor.redact(value);
			super.handleText(redacted.equals(value) ? text : this.factory.createText(redacted));
		}

		@Override
		public void handleOpenElement(IOpenElementTag tag) {
			super.handleOpenElement(redactAttributes(tag));
		}

		@Override
		public void handleStandaloneElement(IStandaloneElementTag tag) {
			super.handleStandaloneElement(redactAttributes(tag));
		}

		private <T extends IProcessableElementTag> T redactAttributes(T tag) {
			if ("_csrf".equals(tag.getAttributeValue("name"))) {
				return tag;
			}
			T result = tag;
			for (IAttribute attribute : tag.getAllAttributes()) {
				String value = attribute.getValue();
				if (value != null) {
					String redacted = Redactor.redact(value);
					if (!redacted.equals(value)) {
						result = this.factory.setAttribute(result, attribute.getAttributeCompleteName(), redacted);
					}
				}
			}
			return result;
		}

	}

}
