package dev.cctracer.web.session;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.transcript.MessageItem;
import dev.cctracer.shared.transcript.TranscriptIndex;
import dev.cctracer.shared.transcript.TranscriptText;
import dev.cctracer.web.session.MessageDtos.MessageDto;
import dev.cctracer.web.session.TranscriptCache.Open;
import dev.cctracer.web.usage.IndexedFiles.FileRef;

/**
 * Every matching message of a transcript as NDJSON (one {@link MessageDto} a line), in
 * constant memory; counted in {@code cctracer.stream.messages}.
 */
@Component
class MessageStream {

	/** The app's mapper: snake_case, every string redacted. */
	private final ObjectMapper json;

	private final TranscriptCache cache;

	private final Counter streamed;

	private final MessageCosts costs;

	MessageStream(TranscriptCache cache, MeterRegistry meters, ObjectMapper json, MessageCosts costs) {
		this.json = json;
		this.costs = costs;
		this.cache = cache;
		this.streamed = meters.counter("cctracer.stream.messages");
	}

	/**
	 * Writes every matching message as one JSON line, flushing as it goes; stops at the
	 * first failed write (the client went away). Returns how many were written.
	 * @throws IOException when a write fails or the transcript cannot be read
	 */
	long stream(FileRef file, MessageQuery q, OutputStream out) throws IOException {
		ObjectWriter writer = this.json.writer();
		long written = 0;
		try (Open open = this.cache.open(file)) {
			TranscriptIndex index = open.index();
			MessageCosts.Counted counted = this.costs.of(file);
			for (MessageItem item : index.from(0)) {
				if (!q.matches(item, index)) {
					continue;
				}
				String preview;
				if (q.search() != null) {
					TranscriptText.Content content = TranscriptText.read(open.channel(), item);
					if (!q.found(content)) {
						continue;
					}
					preview = content.preview(MessageDto.PREVIEW_CHARS);
				}
				else {
					preview = TranscriptText.preview(open.channel(), item, MessageDto.PREVIEW_CHARS);
				}
				out.write(writer.writeValueAsBytes(MessageDto.of(item, preview, counted)));
				out.write('\n');
				if (++written % 50 == 0) {
					out.flush();
				}
				this.streamed.increment();
			}
			out.flush();
		}
		return written;
	}

}
