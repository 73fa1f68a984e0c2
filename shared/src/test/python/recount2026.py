#!/usr/bin/env python3
"""Independent recount of Claude Code config dirs, used to pin the numbers in the Java tests.

Usage: python3 recount2026.py CONFIG_DIR...   (JSON on stdout, a short summary on stderr)

Nothing is shared with the Java code or its prices.json. Rules:
- Files: projects/<dir>/<session>.jsonl (main) and projects/<dir>/<session>/subagents/agent-<id>.jsonl
  (belongs to <session>; agent type/description from agent-<id>.meta.json); symlinks followed; all files of all dirs deduplicated together, in sorted
  full-path order. Other *.jsonl files are reported on stderr and skipped.
- A line counts only if it ends with "\\n"; blank lines skip; json.loads; not a dict -> invalid.
- Usage record: message is a dict whose usage is a dict, and not synthetic. Synthetic: message.model
  "<synthetic>" or isApiErrorMessage true. An API error is a line with isApiErrorMessage true; kind
  from its text, first match, case-insensitive: overloaded|529, rate limit|429,
  login|authentication|401|oauth, aborted, timed out|timeout, 500|internal server, else other.
- Tokens: input, output, cache read; cache writes = usage.cache_creation's ephemeral_5m/1h when it has
  either key, else 5m = cache_creation_input_tokens, 1h = 0. Missing/null -> 0.
- Dedup key (message.id, requestId or ""); no message.id -> never deduplicated. If a message.id has a
  non-sidechain copy its sidechain copies are dropped; per key the copy with the most tokens wins
  (ties: first file, then first line).
- Cost: list prices of ../shared/reference/prices-2026-11.md (beside the checkout) (PRICES below); Sonnet 4/4.5 input side
  > 200k -> long-context rates for the whole request; Haiku 5.5 prompt > 100k -> band rates for every
  token; Sonnet 5.5 cache read 0.10 from 2026-10-07 (UTC date of the line); speed "fast" multiplies all
  rates by FAST; web search $10 / 1,000 on top. Unknown model -> cost 0 and listed as unpriced.
- Session title: last non-empty custom-title customTitle of the main file, else last ai-title aiTitle;
  agent_name: last agent-name agentName; cwd: first non-empty cwd of the main file.
- Timestamps: ISO-8601 with Z, an offset or no zone (read as UTC), any fraction length.
"""
import datetime, json, os, re, sys
from collections import Counter
from decimal import Decimal as D

# USD per MTok: input, output, 5m write, 1h write, cache read. Transcribed from
# ../shared/reference/prices-2026-11.md (beside the checkout); the older rows ("as in the current table") from the brief.
P = lambda *r: tuple(D(x) for x in r)
PRICES = {
    "claude-fable-5-2": P("8", "40", "10", "16", "0.20"), "claude-mythos-5-2": P("8", "40", "10", "16", "0.20"),
    "claude-haiku-5-5": P("0.10", "0.50", "0.125", "0.20", "0.01"),
    "claude-sonnet-5-5": P("2", "10", "2.50", "4", "0.20"),  # read 0.10 from 2026-10-07, see cost()
    "claude-opus-5-5": P("4", "20", "5", "8", "0.20"),
    "claude-fable-5-1": P("10", "50", "12.50", "20", "0.25"), "claude-mythos-5-1": P("10", "50", "12.50", "20", "0.25"),
    "claude-opus-5": P("5", "25", "6.25", "10", "0.50"),
    "claude-sonnet-5": P("2", "10", "2.50", "4", "0.20"),
    "claude-fable-5": P("10", "50", "12.50", "20", "1.00"), "claude-mythos-5": P("10", "50", "12.50", "20", "1.00"),
    "claude-opus-4-8": P("5", "25", "6.25", "10", "0.50"),
    "claude-opus-4-7": P("5", "25", "6.25", "10", "0.50"),
    "claude-sonnet-4-6": P("3", "15", "3.75", "6", "0.30"),
    "claude-opus-4-6": P("5", "25", "6.25", "10", "0.50"),
    "claude-sonnet-4-5": P("3", "15", "3.75", "6", "0.30"),
    "claude-sonnet-4": P("3", "15", "3.75", "6", "0.30"),
    "claude-opus-4-5": P("5", "25", "6.25", "10", "0.5"),
    "claude-opus-4-1": P("15", "75", "18.75", "30", "1.5"), "claude-opus-4": P("15", "75", "18.75", "30", "1.5"),
    "claude-haiku-4-5": P("1", "5", "1.25", "2", "0.1"),
    "claude-3-7-sonnet": P("3", "15", "3.75", "6", "0.3"), "claude-3-5-sonnet": P("3", "15", "3.75", "6", "0.3"),
    "claude-3-5-haiku": P("0.8", "4", "1", "1.6", "0.08"),
    "claude-3-haiku": P("0.25", "1.25", "0.3", "0.5", "0.03"),
    "claude-3-opus": P("15", "75", "18.75", "30", "1.5"),
}
LONG_200K = {"claude-sonnet-4", "claude-sonnet-4-5"}, P("6", "22.5", "7.5", "12", "0.6")
HAIKU55_BAND = P("0.50", "2.50", "0.625", "1.00", "0.05")
US_GEO_1_1 = {"claude-opus-4-6", "claude-sonnet-4-6", "claude-opus-4-7", "claude-opus-4-8", "claude-sonnet-5",
              "claude-opus-5", "claude-fable-5", "claude-mythos-5", "claude-fable-5-1", "claude-mythos-5-1",
              "claude-opus-5-5", "claude-sonnet-5-5", "claude-haiku-5-5", "claude-fable-5-2", "claude-mythos-5-2"}
FAST = {"claude-opus-4-6": 6, "claude-opus-4-7": 6, "claude-opus-4-8": 2, "claude-opus-5": 2, "claude-opus-5-5": 2}
WEB_SEARCH = D(10) / 1000
KINDS = [("overloaded", ("overloaded", "529")), ("rate_limit", ("rate limit", "429")),
         ("authentication", ("login", "authentication", "401", "oauth")), ("aborted", ("aborted",)),
         ("timeout", ("timed out", "timeout")), ("server", ("500", "internal server"))]


def norm(model):
    m = model.lower().rsplit("/", 1)[-1]
    if "anthropic." in m:
        m = m.split("anthropic.", 1)[1]
    m = re.sub(r"\[.*\]$", "", m).split("@", 1)[0]
    m = re.sub(r"-v\d+(:\d+)?$", "", m)
    return re.sub(r"-\d{8}$", "", m)


def utc_date(ts):
    g = re.match(r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,]\d+)?)?\s*(Z|[+-]\d\d:?\d\d)?$", ts or "",
                 re.I)
    if not g:
        return None
    t = datetime.datetime(*(int(x or 0) for x in g.groups()[:6]))
    z = (g.group(7) or "Z").upper()
    if z != "Z":
        off = datetime.timedelta(hours=int(z[1:3]), minutes=int(z[-2:]))
        t = t - off if z[0] == "+" else t + off
    return t.date().isoformat()


def cost(c):
    """(token cost, priced?) of one winning record."""
    m = norm(c["model"] or "")
    if m not in PRICES:
        return D(0), False
    rates, (i, o, w5, w1, r) = PRICES[m], c["tok"]
    prompt = i + w5 + w1 + r
    if m in LONG_200K[0] and prompt > 200000:
        rates = LONG_200K[1]
    if m == "claude-haiku-5-5" and prompt > 100000:
        rates = HAIKU55_BAND
    if m == "claude-sonnet-5-5":
        if c["date"] is None:
            print("warning: sonnet-5-5 line without a readable timestamp, read priced 0.20", file=sys.stderr)
        elif c["date"] >= "2026-10-07":
            rates = rates[:4] + (D("0.10"),)
    f = FAST.get(m, 1) if c["fast"] else 1
    # data residency: inference_geo "us" costs 1.1x on Claude 4.6 and later (pricing page)
    if c.get("geo") == "us" and m in US_GEO_1_1:
        f = f * D("1.1")
    return sum(n * p * f for n, p in zip(c["tok"], rates)) / 1000000, True


def find_files(config_dirs):
    files = []  # (path, project dir, session id, agent id or None)
    for cd in config_dirs:
        root = os.path.join(cd, "projects")
        for dirpath, _, names in os.walk(root, followlinks=True):
            for n in names:
                if not n.endswith(".jsonl"):
                    continue
                path = os.path.join(dirpath, n)
                parts = os.path.relpath(path, root).split(os.sep)
                if len(parts) == 2:
                    files.append((path, parts[0], n[:-6], None))
                elif len(parts) == 4 and parts[2] == "subagents" and n.startswith("agent-"):
                    files.append((path, parts[0], parts[1], n[6:-6]))
                else:
                    print("skipped (not a session or subagent file):", path, file=sys.stderr)
    return sorted(files)


def text_of(m):
    c = m.get("content") if isinstance(m, dict) else None
    if isinstance(c, str):
        return c
    return "".join(b.get("text") or "" for b in c or [] if isinstance(b, dict) and b.get("type") == "text")


def main(config_dirs):
    files = find_files(config_dirs)
    copies, types, sessions, meta = [], Counter(), {}, {}
    lines = invalid = 0
    for fi, (path, pdir, sid, agent) in enumerate(files):
        s = sessions.setdefault(sid, dict(project=pdir, title=None, agent_name=None, cwd=None, api_errors=[],
                                          subagents={}, _custom=None, _ai=None))
        if s["project"] != pdir:
            print("warning: session", sid, "in two project dirs:", s["project"], pdir, file=sys.stderr)
        if agent is not None:
            mp = path[:-6] + ".meta.json"
            mj = json.load(open(mp)) if os.path.isfile(mp) else {}
            s["subagents"][path] = dict(agent_id=agent, agentType=mj.get("agentType"),
                                        description=mj.get("description"))
        with open(path, "rb") as f:
            for li, raw in enumerate(f):
                if not raw.endswith(b"\n"):
                    continue  # partial last line: not consumed
                lines += 1
                if not raw.strip():
                    continue
                try:
                    e = json.loads(raw)
                except ValueError:
                    e = None
                if not isinstance(e, dict):
                    invalid += 1
                    continue
                t = e.get("type")
                types[str(t) if t != "system" else "system/" + str(e.get("subtype"))] += 1
                if agent is None:
                    if t == "custom-title" and e.get("customTitle"):
                        s["_custom"] = e["customTitle"]
                    if t == "ai-title" and e.get("aiTitle"):
                        s["_ai"] = e["aiTitle"]
                    if t == "agent-name" and e.get("agentName"):
                        s["agent_name"] = e["agentName"]
                    if not s["cwd"] and e.get("cwd"):
                        s["cwd"] = e["cwd"]
                m = e.get("message")
                if e.get("isApiErrorMessage") is True:
                    txt = text_of(m)
                    low = txt.lower()
                    kind = next((k for k, ws in KINDS if any(w in low for w in ws)), "other")
                    s["api_errors"].append(dict(kind=kind, text=txt[:80]))
                u = m.get("usage") if isinstance(m, dict) else None
                if not isinstance(u, dict) or m.get("model") == "<synthetic>" or e.get("isApiErrorMessage") is True:
                    continue
                g = lambda d, k: int(d.get(k) or 0) if isinstance(d, dict) else 0
                cc = u.get("cache_creation")
                if isinstance(cc, dict) and ("ephemeral_5m_input_tokens" in cc or "ephemeral_1h_input_tokens" in cc):
                    w5, w1 = g(cc, "ephemeral_5m_input_tokens"), g(cc, "ephemeral_1h_input_tokens")
                else:
                    w5, w1 = g(u, "cache_creation_input_tokens"), 0
                copies.append(dict(mid=m.get("id"), rid=e.get("requestId") or "", side=bool(e.get("isSidechain")),
                                   tok=(g(u, "input_tokens"), g(u, "output_tokens"), w5, w1,
                                        g(u, "cache_read_input_tokens")),
                                   ws=g(u.get("server_tool_use"), "web_search_requests"), fast=u.get("speed") == "fast", geo=u.get("inference_geo"),
                                   model=m.get("model"), date=utc_date(e.get("timestamp")), order=(fi, li),
                                   file=path, sid=sid))
    for s in sessions.values():
        custom, ai = s.pop("_custom"), s.pop("_ai")
        s["title"] = custom or ai

    by_mid, winners = {}, []
    for c in copies:
        (winners.append(c) if c["mid"] is None else by_mid.setdefault(c["mid"], []).append(c))
    for group in by_mid.values():
        has_main = any(not c["side"] for c in group)
        best = {}
        for c in group:
            if has_main and c["side"]:
                continue
            b = best.get(c["rid"])
            if b is None or sum(c["tok"]) > sum(b["tok"]) or (sum(c["tok"]) == sum(b["tok"]) and c["order"] < b["order"]):
                best[c["rid"]] = c
        winners.extend(best.values())
    winners.sort(key=lambda c: c["order"])

    R = lambda x: float(D(x).quantize(D("1e-10")))
    G = dict(messages=0, tokens=[0] * 5, cost=D(0), ws=0, unpriced=Counter(), by_model={}, daily_output={})
    per_file = {}
    for c in winners:
        tc, priced = cost(c)
        c["cost"] = tc + c["ws"] * WEB_SEARCH
        if not priced:
            G["unpriced"][c["model"]] += 1
        s = sessions[c["sid"]]
        s.setdefault("_w", []).append(c)
        per_file.setdefault(c["file"], []).append(c)
        G["messages"] += 1
        G["tokens"] = [a + b for a, b in zip(G["tokens"], c["tok"])]
        G["cost"] += c["cost"]
        G["ws"] += c["ws"]
        bm = G["by_model"].setdefault(c["model"], dict(messages=0, cost_usd=D(0)))
        bm["messages"] += 1
        bm["cost_usd"] += c["cost"]
        G["daily_output"][c["date"] or "none"] = G["daily_output"].get(c["date"] or "none", 0) + c["tok"][1]

    tok_names = ("input", "output", "cache_write_5m", "cache_write_1h", "cache_read")
    out_s, projects = {}, {}
    for sid, s in sorted(sessions.items()):
        ws = s.pop("_w", [])
        subs = []
        for path, a in sorted(s.pop("subagents").items()):
            fw = per_file.get(path, [])
            subs.append(dict(a, messages=len(fw), cost_usd=R(sum((c["cost"] for c in fw), D(0)))))
        wsr = sum(c["ws"] for c in ws)
        out_s[sid] = dict(s, messages=len(ws), subagents=subs,
                          tokens=dict(zip(tok_names, (sum(c["tok"][i] for c in ws) for i in range(5)))),
                          cost_usd=R(sum((c["cost"] for c in ws), D(0))), web_search_requests=wsr,
                          web_search_cost_usd=R(wsr * WEB_SEARCH), api_error_count=len(s["api_errors"]),
                          models=dict(Counter(c["model"] for c in ws)))
        p = projects.setdefault(s["project"], dict(sessions=0, messages=0, cost_usd=D(0)))
        p["sessions"] += 1
        p["messages"] += len(ws)
        p["cost_usd"] += sum((c["cost"] for c in ws), D(0))
    for p in projects.values():
        p["cost_usd"] = R(p["cost_usd"])
    glob = dict(files=len(files), lines=lines, invalid_lines=invalid, messages=G["messages"],
                tokens=dict(zip(tok_names, G["tokens"])), cost_usd=R(G["cost"]),
                token_cost_usd=R(G["cost"] - G["ws"] * WEB_SEARCH), web_search_requests=G["ws"],
                web_search_cost_usd=R(G["ws"] * WEB_SEARCH), unpriced_models=dict(G["unpriced"]),
                by_model={m: dict(messages=v["messages"], cost_usd=R(v["cost_usd"])) for m, v in G["by_model"].items()},
                daily_output_tokens_utc=G["daily_output"], entry_types=dict(types),
                api_errors=sum(len(s["api_errors"]) for s in out_s.values()), sessions=len(out_s),
                projects=len(projects))
    json.dump(dict(**{"global": glob}, projects=projects, sessions=out_s), sys.stdout, indent=1, sort_keys=True)
    print()
    print("files %d, lines %d (invalid %d), sessions %d, projects %d, messages %d, tokens %s, cost $%.6f "
          "(web search %d = $%.4f), api errors %d, unpriced %s" % (
              len(files), lines, invalid, len(out_s), len(projects), G["messages"], G["tokens"], G["cost"], G["ws"],
              G["ws"] * WEB_SEARCH, glob["api_errors"], dict(G["unpriced"]) or "none"), file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
