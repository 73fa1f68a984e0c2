#!/usr/bin/env python3
"""The shape of real Claude Code transcripts, measured independently of the app.

Usage: python3 realshape.py DIR [DIR...]   (each DIR a set of transcripts, walked for *.jsonl)

Per set: size (MB), lines, usage lines per MB (assistant lines carrying message.usage),
distinct responses (message.id + requestId) and copies per response, the entry-type mix
(share of lines), tool_result content sizes (bytes of its JSON, p50/p90/mean), the subagent
share (bytes in subagents/ files or isSidechain lines), API error lines (isApiErrorMessage),
title lines (ai-title, custom-title), and the bytes a parser stops at inside strings: bytes of
UTF-8 sequences (0x80 and above) and backslashes (escapes), per KiB. Prints one JSON object per set, then Markdown rows.
Reads with json.loads line by line; a line that is not JSON is counted as invalid.
"""
import json
import os
import statistics
import sys
from collections import Counter


def measure(root):
    files = []
    for d, _, names in os.walk(root):
        files += [os.path.join(d, n) for n in names if n.endswith('.jsonl')]
    size = lines = usage = invalid = sub_bytes = api_errors = titles = high = backslashes = 0
    types = Counter()
    responses = Counter()
    result_sizes = []
    for path in files:
        in_subagents = os.sep + 'subagents' + os.sep in path
        with open(path, 'rb') as f:
            for raw in f:
                size += len(raw)
                backslashes += raw.count(b'\\')
                high += len(raw) - len(raw.decode('latin-1').encode('ascii', 'ignore'))
                if not raw.strip():
                    continue
                lines += 1
                try:
                    e = json.loads(raw)
                except ValueError:
                    invalid += 1
                    continue
                if not isinstance(e, dict):
                    invalid += 1
                    continue
                t = e.get('type') or '(none)'
                if t == 'system' and e.get('subtype'):
                    t = 'system/' + str(e.get('subtype'))
                types[t] += 1
                if in_subagents or e.get('isSidechain'):
                    sub_bytes += len(raw)
                if e.get('isApiErrorMessage'):
                    api_errors += 1
                if e.get('type') in ('ai-title', 'custom-title'):
                    titles += 1
                m = e.get('message') if isinstance(e.get('message'), dict) else {}
                if e.get('type') == 'assistant' and isinstance(m.get('usage'), dict):
                    usage += 1
                    responses[(m.get('id'), e.get('requestId'))] += 1
                content = m.get('content')
                if isinstance(content, list):
                    for block in content:
                        if isinstance(block, dict) and block.get('type') == 'tool_result':
                            result_sizes.append(len(json.dumps(block.get('content'), ensure_ascii=False).encode()))
    mb = size / 1e6
    q = statistics.quantiles(result_sizes, n=10) if len(result_sizes) >= 10 else [0] * 9
    return {
        'set': root, 'files': len(files), 'mb': round(mb, 2), 'lines': lines, 'invalid_lines': invalid,
        'usage_lines': usage, 'usage_lines_per_mb': round(usage / mb, 1) if mb else 0,
        'responses': len(responses), 'copies_per_response': round(usage / len(responses), 2) if responses else 0,
        'tool_results': len(result_sizes), 'tool_result_bytes_p50': int(statistics.median(result_sizes)) if result_sizes else 0,
        'tool_result_bytes_p90': int(q[8]), 'tool_result_bytes_mean': int(statistics.mean(result_sizes)) if result_sizes else 0,
        'subagent_byte_share': round(sub_bytes / size, 3) if size else 0, 'api_error_lines': api_errors,
        'title_lines': titles,
        'utf8_sequence_bytes_per_kib': round(high * 1024 / size, 1) if size else 0,
        'backslashes_per_kib': round(backslashes * 1024 / size, 1) if size else 0,
        'type_share': {k: round(v / lines, 3) for k, v in types.most_common(12)},
    }


if __name__ == '__main__':
    results = [measure(d) for d in sys.argv[1:]]
    for r in results:
        print(json.dumps(r))
    print('| set | MB | usage lines/MB | responses/MB | copies/response | tool result p50/p90 B | subagent share | API errors | progress share | non-ASCII / backslash bytes a KiB |')
    print('|---|---|---|---|---|---|---|---|---|---|')
    for r in results:
        print('| %s | %.2f | %.0f | %.0f | %.2f | %d / %d | %.1f%% | %d | %.0f%% | %.1f / %.1f |' % (
            os.path.basename(r['set'].rstrip('/')), r['mb'], r['usage_lines_per_mb'], r['responses'] / r['mb'],
            r['copies_per_response'],
            r['tool_result_bytes_p50'], r['tool_result_bytes_p90'], 100 * r['subagent_byte_share'],
            r['api_error_lines'], 100 * r['type_share'].get('progress', 0),
            r['utf8_sequence_bytes_per_kib'], r['backslashes_per_kib']))
