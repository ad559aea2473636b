#!/usr/bin/env bash
# Starts the action server (5055), the Rasa server (5005: REST, socket.io, HTTP API) and the web chat
# page (8080) on the embedded defaults; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
WEB_PORT=${WEB_PORT:-8080}
mkdir -p var

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

"$VENV/bin/python" -m rasa_sdk --actions actions --port "$ACTIONS_PORT" &
pids+=($!)
"$VENV/bin/python" -m http.server "$WEB_PORT" --bind 127.0.0.1 --directory web >/dev/null 2>&1 &
pids+=($!)
echo "Web chat page: http://localhost:$WEB_PORT  (REST: POST http://localhost:$RASA_PORT/webhooks/rest/webhook)"
"$VENV/bin/rasa" run --enable-api --cors "*" --port "$RASA_PORT" --model models &
pids+=($!)
wait -n "${pids[@]}"
