#!/usr/bin/env bash
# Local infrastructure without Docker: a real Apache Kafka broker (KRaft, single node, jars from
# Maven Central) and FerretDB v1 (MongoDB wire protocol on SQLite, built from the Go module proxy).
#
#   infra/local/infra.sh up|down|status|env
#   infra/local/infra.sh kafka-up|kafka-down     only the Kafka broker
#
# Idempotent: `up` when both are running does nothing. Downloads and builds are cached under
# $MLC_INFRA_DIR (default .infra/, git-ignored); data and logs live there too.
#
# A second, isolated broker (the chaos test restarts its own, never the shared one):
#   MLC_KAFKA_DIR=/some/dir MLC_KAFKA_PORT=19092 MLC_KAFKA_CONTROLLER_PORT=19093 infra.sh kafka-up
# keeps that broker's config, data, log and pid in MLC_KAFKA_DIR (the jars stay shared).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/infra/local"
INFRA="${MLC_INFRA_DIR:-$ROOT/.infra}"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/kafka/pom.xml")"
KAFKA_PORT="${MLC_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${MLC_KAFKA_CONTROLLER_PORT:-9093}"
MONGO_PORT="${MLC_MONGO_PORT:-27017}"
KAFKA_HEAP="${MLC_KAFKA_HEAP:--Xms256m -Xmx768m}"

K="${MLC_KAFKA_DIR:-$INFRA/kafka}"
KLIBS="$INFRA/kafka/libs-$KAFKA_VERSION"
F="$INFRA/ferretdb"
FBIN="$INFRA/bin/ferretdb-lite"

say() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is required ($2)"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

install_kafka() {
  [ -f "$KLIBS/.complete" ] && return 0
  need java "Java 17+ runs the Kafka broker; install openjdk-17-jre-headless"
  need mvn "Maven resolves the Kafka jars from Maven Central; install maven"
  say "resolving Apache Kafka $KAFKA_VERSION jars from Maven Central (first run only)"
  rm -rf "$KLIBS" && mkdir -p "$KLIBS"
  mvn -B -q -f "$HERE/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$KLIBS" -DincludeScope=runtime >&2
  ls "$KLIBS" | grep -q '^log4j-slf4j-impl' || die "no SLF4J binding among the Kafka jars"
  touch "$KLIBS/.complete"
}

install_ferretdb() {
  local stamp="$INFRA/bin/.ferretdb-lite.sum"
  local want; want="$(cat "$HERE/ferretdb/go.mod" "$HERE/ferretdb/go.sum" "$HERE/ferretdb/main.go" | sha256sum | cut -d' ' -f1)"
  if [ -x "$FBIN" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
  need go "Go 1.24+ builds FerretDB from the Go module proxy"
  say "building FerretDB v1 (embedded wrapper) from the Go module proxy (first run only, a few minutes)"
  mkdir -p "$INFRA/bin"
  (cd "$HERE/ferretdb" && go build -o "$FBIN" .)
  echo "$want" > "$stamp"
}

kafka_java() {
  java $KAFKA_HEAP -Dlog4j2.configurationFile="$HERE/kafka/log4j2.properties" -cp "$KLIBS/*" "$@"
}

start_kafka() {
  if pid_alive "$K/pid" && port_open "$KAFKA_PORT"; then say "kafka already running on 127.0.0.1:$KAFKA_PORT"; return 0; fi
  port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken by another process; set MLC_KAFKA_PORT"
  mkdir -p "$K/data"
  sed -e "s#@KAFKA_PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" -e "s#@DATA_DIR@#$K/data#g" \
    "$HERE/kafka/server.properties.template" > "$K/server.properties"
  if [ ! -f "$K/data/meta.properties" ]; then
    local cid; cid="$(kafka_java kafka.tools.StorageTool random-uuid | tail -1)"
    kafka_java kafka.tools.StorageTool format --standalone -t "$cid" -c "$K/server.properties" >&2
  fi
  say "starting kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT"
  : > "$K/broker.log"
  # setsid: its own session, so stopping the job that happened to start it (a test run, a killed
  # shell) does not take the broker down with it.
  setsid nohup java $KAFKA_HEAP -Dlog4j2.configurationFile="$HERE/kafka/log4j2.properties" -cp "$KLIBS/*" \
    kafka.Kafka "$K/server.properties" >> "$K/broker.log" 2>&1 &
  echo $! > "$K/pid"
  for _ in $(seq 1 120); do
    grep -q 'Kafka Server started' "$K/broker.log" && port_open "$KAFKA_PORT" && return 0
    pid_alive "$K/pid" || { tail -40 "$K/broker.log" >&2; die "kafka exited during start-up (log: $K/broker.log)"; }
    sleep 0.5
  done
  tail -40 "$K/broker.log" >&2; die "kafka did not start within 60 s (log: $K/broker.log)"
}

start_ferretdb() {
  if pid_alive "$F/pid" && port_open "$MONGO_PORT"; then say "ferretdb already running on 127.0.0.1:$MONGO_PORT"; return 0; fi
  port_open "$MONGO_PORT" && die "port $MONGO_PORT is taken by another process; set MLC_MONGO_PORT"
  mkdir -p "$F/data"
  say "starting ferretdb on 127.0.0.1:$MONGO_PORT"
  # setsid, as for Kafka: not killed with whatever process group started it.
  # Appended, not truncated: when FerretDB dies, the reason stays in the log across the restart.
  echo "=== $(date -u +%FT%TZ) starting ferretdb" >> "$F/ferretdb.log"
  setsid nohup "$FBIN" --listen-addr="127.0.0.1:$MONGO_PORT" --sqlite-url="file:$F/data/" >> "$F/ferretdb.log" 2>&1 &
  echo $! > "$F/pid"
  for _ in $(seq 1 60); do
    port_open "$MONGO_PORT" && return 0
    pid_alive "$F/pid" || { tail -20 "$F/ferretdb.log" >&2; die "ferretdb exited during start-up"; }
    sleep 0.5
  done
  die "ferretdb did not start within 30 s (log: $F/ferretdb.log)"
}

stop_one() { # name pidfile
  if pid_alive "$2"; then
    local pid; pid="$(cat "$2")"
    say "stopping $1 (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { say "$1 did not stop in 30 s; killing"; kill -9 "$pid" 2>/dev/null || true; }
  fi
  rm -f "$2"
}

status() {
  local rc=0
  if pid_alive "$K/pid" && port_open "$KAFKA_PORT"; then echo "kafka     up    127.0.0.1:$KAFKA_PORT (pid $(cat "$K/pid"), $KAFKA_VERSION)"; else echo "kafka     down"; rc=1; fi
  if pid_alive "$F/pid" && port_open "$MONGO_PORT"; then echo "ferretdb  up    127.0.0.1:$MONGO_PORT (pid $(cat "$F/pid"))"; else echo "ferretdb  down"; rc=1; fi
  return $rc
}

case "${1:-}" in
  up) install_kafka; install_ferretdb; start_kafka; start_ferretdb; status ;;
  down) stop_one kafka "$K/pid"; stop_one ferretdb "$F/pid" ;;
  kafka-up) install_kafka; start_kafka ;;
  kafka-down) stop_one kafka "$K/pid" ;;
  status) status ;;
  reset) stop_one kafka "$K/pid"; stop_one ferretdb "$F/pid"; rm -rf "$K/data" "$F/data"; say "data removed" ;;
  env)
    echo "MLC_KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
    echo "MLC_MONGO_URL_BASE=mongodb://127.0.0.1:$MONGO_PORT"
    echo "MLC_MONGO_URL=mongodb://127.0.0.1:$MONGO_PORT/ml-connector"
    ;;
  *) echo "usage: $0 up|down|status|reset|env|kafka-up|kafka-down" >&2; exit 2 ;;
esac
