#!/usr/bin/env python3
"""Independent count of the messages a person sees in a transcript (pins TranscriptIndexTests).

Usage: python3 messages.py FILE [--subagent-file]
Rules: assistant lines of one (message.id, requestId) are one message; a user line with tool_result
blocks is a tool_result; a meta user line or one whose text starts with a command/hook tag is a hook;
system and summary lines are system; in a main file, sidechain user/assistant lines are subagent.
"""
import json, sys
from collections import Counter
HOOKS = ("<command-name>", "<command-message>", "<local-command-caveat>", "<local-command-stdout>",
         "<local-command-stderr>", "<user-prompt-submit-hook>", "Caveat: The messages below")
main = "--subagent-file" not in sys.argv
kinds = Counter(); seen = set(); tools = Counter(); errors = 0; results = 0
for raw in open(sys.argv[1], "rb"):
    if not raw.endswith(b"\n"):
        continue
    try:
        e = json.loads(raw)
    except ValueError:
        continue
    if not isinstance(e, dict):
        continue
    t = e.get("type"); m = e.get("message") if isinstance(e.get("message"), dict) else {}
    c = m.get("content")
    blocks = c if isinstance(c, list) else []
    for b in blocks:
        if isinstance(b, dict) and b.get("type") == "tool_use":
            tools[b.get("name")] += 1
    if t == "assistant":
        kind = "assistant"
        key = (m.get("id"), e.get("requestId"))
        if m.get("id") is not None:
            if key in seen:
                continue
            seen.add(key)
    elif t == "user":
        trs = [b for b in blocks if isinstance(b, dict) and b.get("type") == "tool_result"]
        if trs:
            kind = "tool_result"; results += 1
            errors += any(b.get("is_error") is True for b in trs)
        else:
            first = c if isinstance(c, str) else next((b.get("text") for b in blocks if isinstance(b, dict) and b.get("type") == "text"), None)
            kind = "hook" if e.get("isMeta") is True or (first or "").lstrip().startswith(HOOKS) else "user"
    elif t in ("system", "summary"):
        kind = "system"
    else:
        continue
    if kind != "system" and main and e.get("isSidechain") is True:
        kind = "subagent"
    kinds[kind] += 1
print(dict(kinds), "total", sum(kinds.values()), "tool_uses", sum(tools.values()), dict(tools), "error_results", errors)
