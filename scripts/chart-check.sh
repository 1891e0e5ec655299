#!/usr/bin/env bash
# Offline checks of the Kubernetes delivery (`make chart-check`, part of `make check`):
#   1. the four services/*/Dockerfile are still one pattern (they differ only in name, EXPOSE and CMD);
#   2. `helm lint --strict` of charts/ml-connector with its defaults and with each ci/*-values.yaml;
#   3. `helm template` of each, validated by kubectl-validate against the built-in Kubernetes 1.30 schemas and,
#      for ServiceMonitor and PrometheusRule, the minimal CRDs in ci/crds/ (--local-crds).
# Helm and kubectl-validate are built from the Go module proxy on first use and cached in .infra/bin.
# Nothing here talks to a cluster: KUBECONFIG=/dev/null.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="$PWD/.infra/bin"
HELM="$BIN/helm"
KV="$BIN/kubectl-validate"
HELM_VERSION=v3.21.4
KV_VERSION=v0.0.4
KUBE_VERSION=1.30
CHART=charts/ml-connector

export KUBECONFIG=/dev/null
# Keep Helm's own config, cache and data out of $HOME.
export HELM_CONFIG_HOME="$PWD/.infra/helm/config" HELM_CACHE_HOME="$PWD/.infra/helm/cache" HELM_DATA_HOME="$PWD/.infra/helm/data"

install_tool() { # name path module
  [ -x "$2" ] && return 0
  command -v go >/dev/null || { echo "chart-check: Go is needed to build $1 (or put it at $2)" >&2; exit 1; }
  echo "chart-check: building $1 into .infra/bin (once; takes a few minutes)…"
  mkdir -p "$BIN"
  GOBIN="$BIN" nice -n 19 go install "${@:4}" "$3"
}
install_tool helm "$HELM" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" \
  -ldflags "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
install_tool kubectl-validate "$KV" "sigs.k8s.io/kubectl-validate@$KV_VERSION"

failed=0
fail() { echo "chart-check: FAIL $*" >&2; failed=1; }

# 1. Dockerfiles: one pattern.
normalise() { # file service
  sed -e "s/$2/SERVICE/g" -e 's/^EXPOSE .*/EXPOSE PORTS/' "$1"
}
reference=""
for dockerfile in services/*/Dockerfile; do
  service="$(basename "$(dirname "$dockerfile")")"
  grep -qx "CMD \[\"node\", \"--import\", \"tsx\", \"services/$service/src/server.ts\"\]" "$dockerfile" ||
    fail "$dockerfile: CMD does not run services/$service/src/server.ts through tsx"
  if [ -z "$reference" ]; then
    reference="$dockerfile"
  elif ! diff -q <(normalise "$reference" "$(basename "$(dirname "$reference")")") <(normalise "$dockerfile" "$service") >/dev/null; then
    fail "$dockerfile differs from $reference beyond the service name, EXPOSE and CMD"
  fi
done
for service in services/*/; do
  [ -f "$service/Dockerfile" ] || fail "${service%/} has no Dockerfile"
done

# 2 and 3. Lint, render and validate each values case.
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cases=("defaults:")
for values in "$CHART"/ci/*-values.yaml; do cases+=("$(basename "$values" .yaml):$values"); done
for entry in "${cases[@]}"; do
  name="${entry%%:*}"
  values="${entry#*:}"
  args=(--kube-version "$KUBE_VERSION.0" --namespace mlc)
  [ -n "$values" ] && args+=(--values "$values")
  if ! "$HELM" lint --strict --quiet "$CHART" "${args[@]}" >"$out/$name.lint" 2>&1; then
    cat "$out/$name.lint" >&2
    fail "helm lint --strict ($name)"
    continue
  fi
  if ! "$HELM" template mlc "$CHART" "${args[@]}" >"$out/$name.yaml" 2>"$out/$name.err"; then
    cat "$out/$name.err" >&2
    fail "helm template ($name)"
    continue
  fi
  if ! "$KV" --version "$KUBE_VERSION" --local-crds "$CHART/ci/crds" "$out/$name.yaml" >"$out/$name.validate" 2>&1; then
    cat "$out/$name.validate" >&2
    fail "kubectl-validate ($name)"
    continue
  fi
  echo "chart-check: ok   $name ($(grep -c '^kind:' "$out/$name.yaml") resources)"
done

[ "$failed" = 0 ] || exit 1
echo "chart-check: all passed"
