#!/usr/bin/env bash
# Builds (skipping tests) and starts Claude Code Tracer on http://127.0.0.1:8420
# against ~/.claude and ~/.config/claude (or CLAUDE_CONFIG_DIR), or a demo dataset when there are none.
# Extra arguments go to the app, e.g. ./run.sh --server.port=9000 --cctracer.claude-dirs=/path/to/.claude
#
# JVM options (override with CCTRACER_JAVA_OPTS): the 512 MB heap bound the benchmarks hold to, a
# 64 MB initial heap and the serial collector (the heap grows for a first index and is given back once
# its facts are written, or once the app is idle after a later burst: resident memory once idle after a
# first index and 16 busy clients ~380 MB on the benchmark's 0.9 and 4.4 GB sets, against 450-600 MB with
# G1 and the JVM's default initial heap of 1/64 of RAM without the trim); during a first index the heap
# grows to 5x what is live (Min/MaxHeapFreeRatio 80/95; the app sets 10/30 while it serves, see
# docs/configuration.md) and survivors are promoted after 2 young collections, which halved the
# collector's pauses of a 4 GB first index (12 -> 6 s); a young generation of a quarter of the heap
# (NewRatio=3, not a third), which leaves ~30 MB less heap after the idle trim (378 against 403-415 MB
# resident on the 4.4 GB set) for ~0.4 s more young pauses in its first index; a heap that shrinks to what
# the free ratios allow at one full collection, not in damped steps over several (-ShrinkHeapInSteps: with the
# app's serving ratios, resident memory right after 16 and 100 busy clients on the 4.4 GB set ~310 instead of
# ~385 MB, BENCHMARKS.md); and the C1 compiler only. On 2 cores the C2
# compiler's own work competed with the first index: C1 alone indexes the 918 MB medium set in 2.6 s
# instead of 4.2 s and starts in 3.7 s instead of 5.3 s, with warm API latencies within their
# targets (BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -B -q -DskipTests package
# two C-heap arenas instead of glibc's 8 per core: the app's native allocations are few, and each
# thread's own arena holds resident memory after a load (no cost to the first index, BENCHMARKS.md)
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# shellcheck disable=SC2086
exec java ${CCTRACER_JAVA_OPTS:--Xms64m -Xmx512m -XX:+UseSerialGC -XX:MinHeapFreeRatio=80 -XX:MaxHeapFreeRatio=95 -XX:MaxTenuringThreshold=2 -XX:NewRatio=3 -XX:-ShrinkHeapInSteps -XX:TieredStopAtLevel=1} -jar web/target/cctracer-web-exec.jar "$@"
