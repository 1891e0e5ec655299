#!/usr/bin/env bash
# Starts (or stops) the four services as separate background processes on the local stack,
# with logs and pids under .run/. Used by `make demo` and `make down`.
#   scripts/demo.sh up|down|status
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUN="$ROOT/.run"
mkdir -p "$RUN"
eval "$(bash "$ROOT/infra/local/infra.sh" env | sed 's/^/export /')"

# name:admin-port
SERVICES=(token-broker:9404 amazon-ingest:9401 mapping:9402 jde-poster:9403)

alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

start_service() {
  local name="$1" port="$2"
  if alive "$name"; then echo "  $name already running (pid $(cat "$RUN/$name.pid"))"; return; fi
  MLC_ADMIN_PORT="$port" MLC_MONGO_URL="${MLC_MONGO_URL}" MLC_KAFKA_BROKERS="${MLC_KAFKA_BROKERS}" \
    nohup node --import tsx "$ROOT/services/$name/src/server.ts" > "$RUN/$name.log" 2>&1 &
  echo $! > "$RUN/$name.pid"
}

wait_ready() {
  local name="$1" port="$2"
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    alive "$name" || { tail -20 "$RUN/$name.log" >&2; echo "$name exited during start-up (log: $RUN/$name.log)" >&2; return 1; }
    sleep 0.5
  done
  echo "$name not ready after 60 s (log: $RUN/$name.log)" >&2; return 1
}

status() {
  printf '%-15s %-7s %s\n' SERVICE STATE ADMIN
  for entry in "${SERVICES[@]}"; do
    local name="${entry%%:*}" port="${entry##*:}" state=down
    alive "$name" && state=running
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && state=ready
    printf '%-15s %-7s http://127.0.0.1:%s/metrics\n' "$name" "$state" "$port"
  done
}

case "${1:-}" in
  up)
    for entry in "${SERVICES[@]}"; do start_service "${entry%%:*}" "${entry##*:}"; done
    for entry in "${SERVICES[@]}"; do wait_ready "${entry%%:*}" "${entry##*:}"; done
    status
    echo
    echo "Logs: $RUN/*.log   Stop everything: make down"
    ;;
  down)
    for entry in "${SERVICES[@]}"; do
      name="${entry%%:*}"
      if alive "$name"; then kill "$(cat "$RUN/$name.pid")"; fi
    done
    for entry in "${SERVICES[@]}"; do
      name="${entry%%:*}"
      for _ in $(seq 1 40); do alive "$name" || break; sleep 0.25; done
      rm -f "$RUN/$name.pid"
    done
    echo "services stopped"
    ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
