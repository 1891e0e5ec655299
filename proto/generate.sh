#!/usr/bin/env bash
# Generates TypeScript types for every .proto under proto/ into libs/grpc-contracts/src/generated.
#   proto/generate.sh          regenerate
#   proto/generate.sh --check  fail when the committed generated code is stale
# The loader options used at run time (libs/grpc-contracts/src/load.ts) must match the flags here.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/libs/grpc-contracts/src/generated"
GEN="$ROOT/node_modules/.bin/proto-loader-gen-types"
[ -x "$GEN" ] || { echo "proto-loader-gen-types missing: run npm ci" >&2; exit 1; }

generate() {
  local out="$1"
  rm -rf "$out" && mkdir -p "$out"
  (cd "$ROOT/proto" && find . -name '*.proto' | sort | sed 's#^\./##' | xargs "$GEN" \
    --grpcLib=@grpc/grpc-js --longs=String --enums=String --defaults --oneofs --keepCase \
    --importFileExtension=.js --includeDirs=. --outDir="$out" >/dev/null)
  "$ROOT/node_modules/.bin/biome" format --write "$out" >/dev/null 2>&1 || true
}

if [ "${1:-}" = "--check" ]; then
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  generate "$tmp/generated"
  if ! diff -r "$tmp/generated" "$OUT" >/dev/null 2>&1; then
    echo "proto: generated code in libs/grpc-contracts/src/generated is stale; run npm run proto:gen" >&2
    diff -r "$tmp/generated" "$OUT" | head -20 >&2 || true
    exit 1
  fi
  echo "proto: generated code is up to date"
else
  generate "$OUT"
  echo "proto: generated $(find "$OUT" -name '*.ts' | wc -l) files"
fi
