package dev.cctracer.web.session;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import dev.cctracer.web.session.MessageDtos.FiltersDto;
import dev.cctracer.web.session.MessageDtos.MessageDetailDto;
import dev.cctracer.web.session.MessageDtos.MessagesDto;
import dev.cctracer.web.usage.IndexedFiles.FileRef;

/**
 * Messages of sessions ({@code /api/sessions/{p}/{s}/messages...}) and of subagents
 * ({@code /api/subagents/{p}/{s}/{agent}/messages...}). The list and the stream of a
 * transcript that is not on this machine's disk come from the facts.
 */
@RestController
class MessageApiController {

	private static final String SESSION = "/api/sessions/{project}/{session}/messages";

	private static final String SUBAGENT = "/api/subagents/{project}/{session}/{agent}/messages";

	private final MessageService messages;

	MessageApiController(MessageService messages) {
		this.messages = messages;
	}

	@GetMapping({ SESSION, SUBAGENT })
	MessagesDto list(@PathVariable String project, @PathVariable String session,
			@PathVariable(required = false) String agent, @RequestParam(required = false) String type,
			@RequestParam(required = false) String tool,
			@RequestParam(name = "error_only", required = false) Boolean errorOnly,
			@RequestParam(required = false) String search, @RequestParam(required = false) String cursor,
			@RequestParam(required = false) Integer limit, @RequestParam(required = false) Integer page,
			@RequestParam(name = "per_page", required = false) Integer perPage) {
		MessageQuery query = MessageQuery.of(type, tool, errorOnly, search, cursor, limit, page, perPage);
		return this.messages.timeline(project, session, agent, query);
	}

	/**
	 * Every message (with the same filters as the list) streamed as NDJSON, one JSON
	 * object a line, in constant memory; a client that disconnects stops the work.
	 * Whatever the request accepts: a client that asked for {@code application/json} fell
	 * through to {@code …/messages/{uuid}} and got "message not found: stream" (a fault
	 * trial).
	 */
	@GetMapping({ SESSION + "/stream", SUBAGENT + "/stream" })
	ResponseEntity<StreamingResponseBody> stream(@PathVariable String project, @PathVariable String session,
			@PathVariable(required = false) String agent, @RequestParam(required = false) String type,
			@RequestParam(required = false) String tool,
			@RequestParam(name = "error_only", required = false) Boolean errorOnly,
			@RequestParam(required = false) String search) {
		MessageQuery query = MessageQuery.of(type, tool, errorOnly, search, null, MessageQuery.MAX_LIMIT, null, null);
		FileRef file = this.messages.file(project, session, agent);
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body((out) -> this.messages.stream(project, session, agent, file, query, out));
	}

	@GetMapping({ SESSION + "/filters", SUBAGENT + "/filters" })
	FiltersDto filters(@PathVariable String project, @PathVariable String session,
			@PathVariable(required = false) String agent) {
		return this.messages.filters(this.messages.file(project, session, agent));
	}

	/** A large tool output Claude Code saved beside the session (text, redacted). */
	@GetMapping("/api/sessions/{project}/{session}/tool-results/{name}")
	ResponseEntity<String> toolResult(@PathVariable String project, @PathVariable String session,
			@PathVariable String name) {
		// text whatever the client accepts, and its errors problem JSON: with produces,
		// an Accept of JSON was a 406 that hid a 404
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("text/plain;charset=UTF-8"))
			.body(this.messages.toolResult(project, session, name));
	}

	@GetMapping({ SESSION + "/by-index/{index}", SUBAGENT + "/by-index/{index}" })
	MessageDetailDto byIndex(@PathVariable String project, @PathVariable String session,
			@PathVariable(required = false) String agent, @PathVariable int index) {
		return this.messages.byIndex(this.messages.file(project, session, agent), index);
	}

	@GetMapping({ SESSION + "/{uuid}", SUBAGENT + "/{uuid}" })
	MessageDetailDto detail(@PathVariable String project, @PathVariable String session,
			@PathVariable(required = false) String agent, @PathVariable String uuid) {
		return this.messages.detail(this.messages.file(project, session, agent), uuid);
	}

}
