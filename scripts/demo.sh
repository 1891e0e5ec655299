#!/usr/bin/env bash
# `make demo` / `make down`: the whole product on this machine (see e2e/src/demo.ts).
#   scripts/demo.sh up|down
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
eval "$(bash infra/local/infra.sh env | sed 's/^/export /')"
exec node --import tsx e2e/src/demo.ts "${1:-up}"
