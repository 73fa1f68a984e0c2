#!/usr/bin/env python3
"""Independent check of the counting rules, used to pin the numbers in the Java tests.

Usage: python3 handcheck.py FILE...   (files are deduplicated together, in the order given)

It implements DESIGN.md's rules with nothing shared with the Java code: json.loads per line,
key = (message.id, requestId), sidechain copies dropped when the message.id has a non-sidechain
copy, the copy with the most total tokens kept (ties: first file, then first line), the 5m/1h
split defining cache writes when present.
"""
import json, sys

copies = []
for order, path in enumerate(sys.argv[1:]):
    stats = dict(lines=0, invalid=0, unknown=0, usage=0)
    known = {"user", "assistant", "system", "summary", "progress", "attachment",
             "file-history-snapshot", "queue-operation"}
    with open(path, "rb") as f:
        offset = 0
        for raw in f:
            line_offset = offset
            offset += len(raw)
            if not raw.endswith(b"\n"):
                continue  # partial last line: not consumed
            stats["lines"] += 1
            if not raw.strip():
                continue
            try:
                e = json.loads(raw)
            except ValueError:
                stats["invalid"] += 1
                continue
            if not isinstance(e, dict):
                stats["invalid"] += 1
                continue
            if e.get("type") not in known:
                stats["unknown"] += 1
            m = e.get("message")
            u = m.get("usage") if isinstance(m, dict) else None
            if not isinstance(u, dict):
                continue
            stats["usage"] += 1
            g = lambda d, k: int(d.get(k) or 0) if isinstance(d, dict) else 0
            cc = u.get("cache_creation")
            if isinstance(cc, dict) and ("ephemeral_5m_input_tokens" in cc or "ephemeral_1h_input_tokens" in cc):
                w5, w1 = g(cc, "ephemeral_5m_input_tokens"), g(cc, "ephemeral_1h_input_tokens")
            else:
                w5, w1 = g(u, "cache_creation_input_tokens"), 0
            t = (g(u, "input_tokens"), g(u, "output_tokens"), w5, w1, g(u, "cache_read_input_tokens"))
            copies.append(dict(mid=m.get("id"), rid=e.get("requestId") or "", side=bool(e.get("isSidechain")),
                               tok=t, order=(order, line_offset), model=m.get("model"), file=path))
    print(path, stats, file=sys.stderr)

by_mid = {}
winners = []
for c in copies:
    if c["mid"] is None:
        winners.append(c)
    else:
        by_mid.setdefault(c["mid"], []).append(c)
for mid, group in by_mid.items():
    has_main = any(not c["side"] for c in group)
    best = {}
    for c in group:
        if has_main and c["side"]:
            continue
        b = best.get(c["rid"])
        if b is None or sum(c["tok"]) > sum(b["tok"]) or (sum(c["tok"]) == sum(b["tok"]) and c["order"] < b["order"]):
            best[c["rid"]] = c
    winners.extend(best.values())

for path in sys.argv[1:]:
    ws = [w for w in winners if w["file"] == path]
    tot = [sum(w["tok"][i] for w in ws) for i in range(5)]
    models = {}
    for w in ws:
        mt = models.setdefault(w["model"], [0, 0, 0, 0, 0, 0])
        for i in range(5):
            mt[i] += w["tok"][i]
        mt[5] += 1
    print(json.dumps(dict(file=path, messages=len(ws), input=tot[0], output=tot[1], w5m=tot[2], w1h=tot[3],
                          read=tot[4], by_model=models)))
