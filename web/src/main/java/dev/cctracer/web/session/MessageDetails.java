package dev.cctracer.web.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.transcript.MessageItem;
import dev.cctracer.shared.transcript.MessageKind;
import dev.cctracer.shared.transcript.Redactor;
import dev.cctracer.shared.transcript.TranscriptIndex;
import dev.cctracer.shared.transcript.TranscriptText;
import dev.cctracer.web.session.MessageDtos.MessageDetailDto;
import dev.cctracer.web.session.MessageDtos.MessageRefDto;
import dev.cctracer.web.session.MessageDtos.ToolCallDto;
import dev.cctracer.web.session.MessageDtos.ToolResultDto;
import dev.cctracer.web.session.TranscriptCache.Open;
import dev.cctracer.web.usage.Dtos.TokensDto;
import dev.cctracer.web.usage.IndexedFiles.FileRef;
import dev.cctracer.web.usage.NotFoundException;

/**
 * One message of a transcript in full, found by uuid or by position: text, thinking, tool
 * calls with their input and the entry of their result, tool results (with the persisted
 * output they refer to) and the entry of their call, tokens, what it adds to the totals
 * (cost and whether they count it here, as in the list), working directory and the
 * previous and next entries.
 */
@Component
class MessageDetails {

	private final TranscriptCache cache;

	private final MessageCosts costs;

	MessageDetails(TranscriptCache cache, MessageCosts costs) {
		this.cache = cache;
		this.costs = costs;
	}

	/**
	 * The message with this uuid.
	 * @throws Ids.InvalidIdException when the uuid is not letters, digits, {@code _} and
	 * {@code -} (at most 100)
	 * @throws NotFoundException when the transcript has no such message
	 * @throws UncheckedIOException when the transcript cannot be read
	 */
	MessageDetailDto byUuid(FileRef file, String uuid) {
		if (uuid == null || uuid.length() > 100 || !uuid.matches("[A-Za-z0-9_-]+")) {
			throw new Ids.InvalidIdException("message", uuid);
		}
		try (Open open = this.cache.open(file)) {
			MessageItem item = open.index().byUuid(uuid);
			if (item == null) {
				throw new NotFoundException("message not found: " + uuid);
			}
			return detail(open, item, this.costs.of(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The message at a 1-based position of the transcript.
	 * @throws IllegalArgumentException when the position is below 1
	 * @throws NotFoundException when the transcript has fewer messages
	 * @throws UncheckedIOException when the transcript cannot be read
	 */
	MessageDetailDto byIndex(FileRef file, int index) {
		if (index < 1) {
			throw new IllegalArgumentException("index must be 1 or more (a 1-based position): " + index);
		}
		try (Open open = this.cache.open(file)) {
			MessageItem item = open.index().get(index - 1);
			if (item == null) {
				throw new NotFoundException(
						"no message " + index + " (the transcript has " + open.index().size() + ")");
			}
			return detail(open, item, this.costs.of(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static MessageDetailDto detail(Open open, MessageItem item, MessageCosts.Counted counted)
			throws IOException {
		TranscriptIndex index = open.index();
		TranscriptText.Content c = TranscriptText.read(open.channel(), item);
		List<ToolCallDto> calls = c.toolCalls()
			.stream()
			.map((t) -> new ToolCallDto(t.id(), t.name(), t.input(),
					(t.id() != null) ? MessageRefDto.of(index.resultItem(t.id())) : null))
			.toList();
		List<ToolResultDto> results = c.toolResults()
			.stream()
			.map((r) -> new ToolResultDto(r.toolUseId(), r.error(), r.content(), PersistedOutputs.name(r.content()),
					(r.toolUseId() != null) ? MessageRefDto.of(index.callItem(r.toolUseId())) : null))
			.toList();
		// a system line, or a stop hook's summary, says what it says beside its text
		String text = ((item.kind() == MessageKind.SYSTEM || item.kind() == MessageKind.HOOK) && c.text().isBlank())
				? c.extra() : c.text();
		MessageCosts.Row cost = counted.row(item);
		return new MessageDetailDto(item.uuid(), item.parentUuid(), item.messageId(), item.kind().wireName(),
				DtoFields.iso(item.timestamp()), item.model(), text, c.thinking(), calls, results,
				TokensDto.of(item.usage()), (c.cwd() != null) ? Redactor.redact(c.cwd()) : null, item.sidechain(),
				item.agentId(), item.ordinal() + 1, index.size(), MessageRefDto.of(index.get(item.ordinal() - 1)),
				MessageRefDto.of(index.get(item.ordinal() + 1)), cost.usd(), cost.counted(), cost.priced(),
				cost.estimated());
	}

}
