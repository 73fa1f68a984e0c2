#!/usr/bin/env python3
"""Independent recount of the hook runs in transcripts, used to pin the numbers of the hook tests.

Usage: python3 hooks_recount.py FILE_OR_DIR...   (every *.jsonl under a dir, all together; JSON on stdout)

Nothing is shared with the Java code. Rules (Claude Code's hook lines as 2.1.39-2.1.150 write them):
- A line counts only if it ends with "\\n"; json.loads; lines without "hook" are not hook lines.
- progress with data.type "hook_progress": a run of (toolUseID, data.hookEvent, data.command).
- system with subtype "stop_hook_summary": a run of (toolUseID, "Stop", info.command) per hookInfos
  entry, its durationMs kept (the largest of a run's).
- attachment whose attachment.type starts with "hook_": a run of (toolUseID, attachment.hookEvent,
  command) where command is attachment.command or attachment.blockingError.command; failures are
  hook_non_blocking_error, hook_error_during_execution and hook_cancelled, blocks hook_blocking_error;
  exitCode and durationMs kept. (The transcripts of realdata have no attachment without a command,
  so the Java rule for those is not exercised here.)
- Rows per (event, command): runs, failed runs, blocked runs, sorted exit codes, summed durations.
"""
import json, os, sys
from collections import defaultdict


def files(args):
    for a in args:
        if os.path.isdir(a):
            for d, _, names in sorted(os.walk(a)):
                for n in sorted(names):
                    if n.endswith('.jsonl'):
                        yield os.path.join(d, n)
        else:
            yield a


def main(args):
    runs = {}
    for path in files(args):
        with open(path, encoding='utf-8', errors='surrogatepass') as f:
            for line in f:
                if not line.endswith('\n') or 'hook' not in line:
                    continue
                try:
                    o = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(o, dict):
                    continue
                t = o.get('type')
                if t == 'progress' and isinstance(o.get('data'), dict) and o['data'].get('type') == 'hook_progress':
                    d = o['data']
                    runs.setdefault((o.get('toolUseID'), d.get('hookEvent'), d.get('command')), {})
                elif t == 'system' and o.get('subtype') == 'stop_hook_summary':
                    for info in o.get('hookInfos') or []:
                        r = runs.setdefault((o.get('toolUseID'), 'Stop', info.get('command')), {})
                        if isinstance(info.get('durationMs'), (int, float)):
                            r['ms'] = max(r.get('ms', 0), info['durationMs'])
                elif t == 'attachment' and isinstance(o.get('attachment'), dict) \
                        and str(o['attachment'].get('type', '')).startswith('hook_'):
                    a = o['attachment']
                    be = a.get('blockingError')
                    cmd = a.get('command') or (be.get('command') if isinstance(be, dict) else None)
                    r = runs.setdefault((o.get('toolUseID') or a.get('toolUseID'), a.get('hookEvent'), cmd), {})
                    if a['type'] in ('hook_non_blocking_error', 'hook_error_during_execution', 'hook_cancelled'):
                        r['failed'] = True
                    if a['type'] == 'hook_blocking_error':
                        r['blocked'] = True
                    if a['type'] != 'hook_success' and isinstance(a.get('exitCode'), int):
                        r.setdefault('codes', set()).add(a['exitCode'])
                    if isinstance(a.get('durationMs'), (int, float)):
                        r['ms'] = max(r.get('ms', 0), a['durationMs'])
    rows = defaultdict(lambda: {'runs': 0, 'failures': 0, 'blocks': 0, 'exit_codes': set(), 'duration_ms': 0, 'timed_runs': 0})
    for (_, event, cmd), r in runs.items():
        row = rows[(event, cmd)]
        row['runs'] += 1
        row['failures'] += 1 if r.get('failed') else 0
        row['blocks'] += 1 if r.get('blocked') else 0
        row['exit_codes'] |= r.get('codes', set())
        if 'ms' in r:
            row['duration_ms'] += int(r['ms'])
            row['timed_runs'] += 1
    out = [dict(event=e, command=c, **{k: (sorted(v) if isinstance(v, set) else v) for k, v in row.items()})
           for (e, c), row in rows.items()]
    out.sort(key=lambda r: (-(r['failures'] + r['blocks']), -r['runs'], r['event'], r['command'] or '\uffff'))
    json.dump({'rows': out, 'runs': sum(r['runs'] for r in out), 'failures': sum(r['failures'] for r in out),
               'blocks': sum(r['blocks'] for r in out)}, sys.stdout, indent=1)
    print()


if __name__ == '__main__':
    main(sys.argv[1:])
