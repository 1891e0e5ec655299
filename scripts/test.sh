#!/usr/bin/env bash
# Runs the project's tests with node's built-in runner (results counted in its closing lines).
#   scripts/test.sh            unit tests (*.test.ts, not *.int.test.ts) — need nothing running
#   scripts/test.sh --int      integration tests (*.int.test.ts) — need `make infra-up`
#   scripts/test.sh --all      both
#   scripts/test.sh FILE...    just these files
set -euo pipefail
cd "$(dirname "$0")/.."

mode=unit
if [ "${1:-}" = "--int" ]; then mode=int; shift; elif [ "${1:-}" = "--all" ]; then mode=all; shift; fi

if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t all < <(find libs services simulators cli e2e -name '*.test.ts' -not -path '*/node_modules/*' | sort)
  files=()
  for f in "${all[@]}"; do
    case "$mode:$f" in
      unit:*.int.test.ts) ;;
      unit:*) files+=("$f") ;;
      int:*.int.test.ts) files+=("$f") ;;
      all:*) files+=("$f") ;;
    esac
  done
fi
[ ${#files[@]} -gt 0 ] || { echo "no test files for mode $mode" >&2; exit 1; }

# Where the local stack listens (honours MLC_KAFKA_PORT / MLC_MONGO_PORT overrides).
eval "$(bash infra/local/infra.sh env | sed 's/^/export /')"

# Integration suites share one broker and one database: run files one at a time.
concurrency=$([ "$mode" = unit ] && echo 2 || echo 1)
# Spec output for people; a TAP copy to print the plain closing count CI reads.
tap="$(mktemp)"; trap 'rm -f "$tap"' EXIT
status=0
# A test may take 10 minutes at most and the whole run an hour, so a hang fails here instead of
# eating CI's 90 minutes. (--test-force-exit would cut the TAP copy's closing counts.)
timeout 3600 node --import tsx --test --test-concurrency="$concurrency" --test-timeout=600000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" "${files[@]}" || status=$?
count() { sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$tap" | tail -1; }
echo "tests: $(count pass) passed, $(count fail) failed, $(count skipped) skipped"
exit $status
