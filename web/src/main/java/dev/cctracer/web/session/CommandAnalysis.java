package dev.cctracer.web.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.pricing.Cost;
import dev.cctracer.shared.transcript.MessageItem;
import dev.cctracer.shared.transcript.MessageKind;
import dev.cctracer.shared.transcript.TranscriptText;
import dev.cctracer.web.session.AnalysisDtos.CommandDto;
import dev.cctracer.web.session.AnalysisDtos.CommandsDto;
import dev.cctracer.web.session.AnalysisDtos.CommandsSummaryDto;
import dev.cctracer.web.session.TranscriptCache.Open;
import dev.cctracer.web.usage.IndexedFiles.FileRef;

/**
 * The user prompts of a transcript and what each led to: the assistant steps up to the
 * next prompt (an interruption does not end a prompt's turn), the tools they called,
 * their tokens, cost (USD, each step priced by {@link MessageCosts}) and model.
 */
@Component
class CommandAnalysis {

	private final TranscriptCache cache;

	private final MessageCosts costs;

	CommandAnalysis(TranscriptCache cache, MessageCosts costs) {
		this.cache = cache;
		this.costs = costs;
	}

	/**
	 * Every prompt of the main transcript (interruptions excepted), with averages over
	 * them (steps and tool calls per prompt, percentages of prompts calling tools and
	 * followed by an interruption).
	 * @param main the session's main transcript
	 * @throws UncheckedIOException when the transcript cannot be read
	 */
	CommandsDto commands(FileRef main) {
		return commands(main, null);
	}

	/**
	 * The prompts of a subagent's transcript that are its own: those the session's main
	 * transcript also has (by uuid: a side question's transcript starts with a copy of
	 * the session) are the main conversation's, not listed again.
	 * @param session the session's main transcript, or {@code null}
	 */
	CommandsDto commands(FileRef file, FileRef session) {
		Predicate<String> mains = this.cache.entriesOf(session);
		List<CommandDto> commands = new ArrayList<>();
		try (Open open = this.cache.open(file)) {
			List<MessageItem> items = open.index().from(0);
			// a resumed session's copies of earlier responses count in their own session
			MessageCosts.Counted counted = this.costs.of(file);
			for (int i = 0; i < items.size(); i++) {
				MessageItem prompt = items.get(i);
				if (prompt.kind() != MessageKind.USER || prompt.interrupt() || mains.test(prompt.uuid())) {
					continue;
				}
				int steps = 0;
				List<String> toolNames = new ArrayList<>();
				long tokens = 0;
				long costPico = 0;
				String model = null;
				boolean interrupted = false;
				for (int j = i + 1; j < items.size(); j++) {
					MessageItem next = items.get(j);
					if (next.kind() == MessageKind.USER) {
						if (!next.interrupt()) {
							// the next prompt
							break;
						}
						interrupted = true;
						continue;
					}
					if (next.kind() == MessageKind.ASSISTANT) {
						steps++;
						next.tools().forEach((t) -> toolNames.add(t.name()));
						if (Boolean.TRUE.equals(counted.counted(next))) {
							tokens += next.usage().total();
							costPico += counted.pico(next);
						}
						model = (next.model() != null) ? next.model() : model;
					}
				}
				String text = TranscriptText.read(open.channel(), prompt).text();
				commands.add(new CommandDto(DtoFields.preview(text, 500), DtoFields.iso(prompt.timestamp()),
						prompt.uuid(), steps, toolNames.size(), toolNames.stream().distinct().sorted().toList(), tokens,
						interrupted, model, Cost.usd(costPico)));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		int n = commands.size();
		double steps = commands.stream().mapToInt(CommandDto::assistantSteps).sum();
		double tools = commands.stream().mapToInt(CommandDto::toolsUsed).sum();
		long withTools = commands.stream().filter((c) -> c.toolsUsed() > 0).count();
		long interrupted = commands.stream().filter(CommandDto::followedByInterruption).count();
		return new CommandsDto(commands, new CommandsSummaryDto(n, (n == 0) ? 0 : steps / n, (n == 0) ? 0 : tools / n,
				(n == 0) ? 0 : 100.0 * withTools / n, (n == 0) ? 0 : 100.0 * interrupted / n));
	}

}
