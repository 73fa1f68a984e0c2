#!/usr/bin/env bash
# Builds (skipping tests) and starts Claude Code Tracer on http://127.0.0.1:8420
# against ~/.claude and ~/.config/claude (or CLAUDE_CONFIG_DIR), or a demo dataset when there are none.
# Extra arguments go to the app, e.g. ./run.sh --server.port=9000 --cctracer.claude-dirs=/path/to/.claude
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -DskipTests package
exec java -jar web/target/cctracer-web-exec.jar "$@"
