#!/usr/bin/env bash
# Builds (skipping tests; when sources changed) and starts Claude Code Tracer on http://127.0.0.1:8420
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
jar=web/target/cctracer-web-exec.jar
# builds when nothing was built yet or a pom or a main source changed since the last build this
# script made (web/target/run-sh.built; the jars' own times are the reproducible builds' fixed
# timestamp); CCTRACER_BUILD=always builds every time (the build alone takes ~20-30 s)
built=web/target/run-sh.built
if [ "${CCTRACER_BUILD:-auto}" = always ] || [ ! -f "$jar" ] || [ ! -f "$built" ] \
    || [ -n "$(find . -path '*/target' -prune -o \( -name pom.xml -o -path '*/src/main/*' \) -type f \
      -newer "$built" -print 2>/dev/null | head -n 1)" ]; then
  # stamped as of the build's start: a source changed while it runs is built next time
  mkdir -p web/target && touch "$built.next"
  ./mvnw -B -q -DskipTests package
  mv "$built.next" "$built"
fi
opts="${CCTRACER_JAVA_OPTS:--Xms64m -Xmx512m -XX:+UseSerialGC -XX:MinHeapFreeRatio=80 -XX:MaxHeapFreeRatio=95 -XX:MaxTenuringThreshold=2 -XX:NewRatio=3 -XX:-ShrinkHeapInSteps -XX:TieredStopAtLevel=1}"
# two C-heap arenas instead of glibc's 8 per core: the app's native allocations are few, and each
# thread's own arena holds resident memory after a load (no cost to the first index, BENCHMARKS.md)
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

# Class data sharing (Spring Boot's "Class Data Sharing", JDK 17's dynamic archive): the jar is
# extracted (classes load from plain jars, not nested ones) and a training run that stops once the
# context is refreshed records the loaded classes in an archive; the app then starts in ~2.0 s
# instead of ~3.8 s, same heap and resident memory (BENCHMARKS.md). Built once per jar and JVM (the
# jars are reproducible: an unchanged build keeps its archive), in web/target/cds; CCTRACER_CDS=0
# starts the plain jar. A training run that fails or writes no archive leaves the plain jar. The
# training run has its own H2 database on scratch dirs, whatever SPRING_DATASOURCE_URL says (a team's
# PostgreSQL is not touched). Two run.sh started at once may leave the plain jar for that build.
cds=web/target/cds
case "${CCTRACER_CDS:-1}" in 0|false|off|no) use_cds=0 ;; *) use_cds=1 ;; esac
# the jar's hash keys the archive (sha256sum, or shasum where coreutils is not installed)
hash="$( (sha256sum "$jar" 2>/dev/null || shasum -a 256 "$jar" 2>/dev/null) | cut -d' ' -f1)"
[ -n "$hash" ] || use_cds=0
if [ "$use_cds" = 1 ]; then
  key="$hash $(java -version 2>&1 | tr '\n' ' ') $opts"
  if [ "$(cat "$cds/key" 2>/dev/null)" != "$key" ]; then
    echo "run.sh: preparing a class-data archive for a faster start (once per build, ~10 s)" >&2
    rm -rf "$cds"
    scratch="$(mktemp -d)"
    # the training run starts as the app will (same path, same options), on scratch directories
    # (its temporary files too: Tomcat's are not removed at the exit)
    # shellcheck disable=SC2086
    if java -Djarmode=tools -jar "$jar" extract --destination "$cds" > "$scratch/extract.log" 2>&1 \
        && mkdir -p "$scratch/tmp" \
        && java $opts -XX:ArchiveClassesAtExit="$cds/app.jsa" -Dspring.context.exit=onRefresh \
          -Djava.io.tmpdir="$scratch/tmp" \
          -jar "$cds/cctracer-web-exec.jar" --cctracer.data-dir="$scratch/data" \
          --cctracer.claude-dirs="$scratch/claude" --spring.datasource.url="jdbc:h2:file:$scratch/data/db/cctracer" \
          --spring.datasource.username=sa --spring.datasource.password= > "$scratch/training.log" 2>&1 \
        && [ -s "$cds/app.jsa" ]; then
      rm -rf "$scratch"
    else
      echo "run.sh: no class-data archive (logs in $scratch); the plain jar starts" >&2
      rm -rf "$cds" && mkdir -p "$cds"
    fi
    # a failed training is not tried again for the same jar and JVM
    printf '%s' "$key" > "$cds/key"
  fi
  if [ -s "$cds/app.jsa" ]; then
    # shellcheck disable=SC2086
    exec java $opts -XX:SharedArchiveFile="$cds/app.jsa" -jar "$cds/cctracer-web-exec.jar" "$@"
  fi
fi
# shellcheck disable=SC2086
exec java $opts -jar "$jar" "$@"
