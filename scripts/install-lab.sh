#!/usr/bin/env bash
# Installs the pieces of the lab (a real Kubernetes control plane on loopback, without Docker)
# into $REPO/.tools/lab, pinned and cached like the other validators:
#
#   bin/etcd, bin/promtool, bin/tini         Debian packages etcd-server, prometheus and tini
#                                            unpacked (apt-get download + dpkg-deb -x; no root needed
#                                            once the package lists are present)
#   bin/kube-apiserver, bin/kube-controller-manager, bin/kube-scheduler, bin/kubectl
#                                            built from the Go module k8s.io/kubernetes (its go.mod
#                                            points the k8s.io/* libraries at ./staging, which the
#                                            module zip lacks: they are pointed at the published
#                                            copies of the same version instead)
#   bin/prometheus                           built from the Go module github.com/prometheus/prometheus
#                                            with the Kubernetes service discovery (Debian's package
#                                            is built without it): the lab's Prometheus server
#   bin/kwok                                 sigs.k8s.io/kwok (fake nodes and pods)
#   bin/rollouts-controller                  the Argo Rollouts controller
#   bin/flagger                              the Flagger controller (github.com/fluxcd/flagger)
#   crds/argo-rollouts/install.yaml, crds/argo-cd/ (Application, AppProject, ApplicationSet),
#   crds/flagger/, crds/gateway-api/, kwok-stages/
#                                            the Rollouts install manifest, CRDs and kwok stage
#                                            files from the same modules
#
# Idempotent: each piece is skipped when present at its pinned version (a stamp file records it).
# The Kubernetes build takes several minutes on two cores; everything else is quick.
#
# Usage: bash scripts/install-lab.sh [--force]
set -Eeuo pipefail

# ---- pinned versions ---------------------------------------------------------
K8S_VERSION=v1.34.2
KWOK_VERSION=v0.8.0
ARGO_ROLLOUTS_VERSION=v1.10.1  # docs/pipeline.md installs v1.10.2, whose module needs Go >= 1.26.10; same minor, same CRDs
ARGO_CD_VERSION=v3.2.0  # newer modules need a newer Go to download; the CRDs are the same API (v1alpha1)
# The Gateway API's standard CRDs (HTTPRoute), from the module the validators are built with.
GATEWAY_API_VERSION="$(sed -n 's/^GATEWAY_API_VERSION=\([^[:space:]]*\).*/\1/p' "$(dirname "${BASH_SOURCE[0]}")/install-tools.sh")"
FLAGGER_VERSION=v1.44.0  # the version docs/pipeline.md installs (tools.flagger in versions.yaml)
ETCD_DEB_VERSION=3.4.23-4+b4
PROMETHEUS_DEB_VERSION=2.42.0+ds-5+deb12u1  # promtool only
# The server: the version the community chart installs (prometheus-community/helm-charts,
# charts/prometheus 27.19.0, appVersion v3.4.1); its Go module is tagged v0.304.1.
PROMETHEUS_VERSION=v3.4.1
PROMETHEUS_MODULE_VERSION=v0.304.1
TINI_DEB_VERSION=0.19.0-1+b3
# ------------------------------------------------------------------------------

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${TOOLS_DIR:-$REPO/.tools}"
LAB="$TOOLS/lab"
BIN="$LAB/bin"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

log() { printf '[install-lab] %s\n' "$*" >&2; }
die() {
  printf '[install-lab] ERROR: %s\n' "$*" >&2
  exit 1
}
trap 'rc=$?; [[ $rc -ne 0 ]] && printf "[install-lab] FAILED (exit %s) at line %s: %s\n" "$rc" "$LINENO" "$BASH_COMMAND" >&2' ERR

command -v go >/dev/null 2>&1 || die "go is not on PATH (Go >= 1.26 builds the control plane)"
mkdir -p "$BIN" "$LAB/src" "$LAB/stamps"

if command -v flock >/dev/null 2>&1; then
  exec 9>"$LAB/.install.lock"
  flock 9
fi

export GOTOOLCHAIN=local
export CGO_ENABLED=0

# have NAME VERSION -> 0 when the stamp says NAME is installed at VERSION
have() { [[ $FORCE -eq 0 && -f "$LAB/stamps/$1" && "$(cat "$LAB/stamps/$1")" == "$2" ]]; }
stamp() { printf '%s' "$2" >"$LAB/stamps/$1"; }

# mod_dir MODULE@VERSION -> prints the read-only folder of the downloaded module
mod_dir() {
  go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p'
}

# ---- Debian packages (unpacked, not installed) ---------------------------------
install_deb() { # NAME PACKAGE VERSION BINARIES...
  local name="$1" pkg="$2" ver="$3"
  shift 3
  have "$name" "$ver" && return 0
  log "unpacking Debian package $pkg=$ver"
  local tmp
  tmp="$(mktemp -d)"
  if ! (cd "$tmp" && apt-get download -q "$pkg=$ver" >/dev/null 2>&1); then
    if [[ $(id -u) -eq 0 ]]; then
      apt-get update -qq >/dev/null
      (cd "$tmp" && apt-get download -q "$pkg=$ver" >/dev/null)
    else
      die "apt-get download $pkg=$ver failed (run apt-get update first)"
    fi
  fi
  dpkg-deb -x "$tmp"/*.deb "$tmp/root"
  local b
  for b in "$@"; do
    install -m 0755 "$tmp/root/usr/bin/$b" "$BIN/$b"
  done
  rm -rf "$tmp"
  stamp "$name" "$ver"
}

# ---- Prometheus from the module source ------------------------------------------
install_prometheus() {
  have prometheus-server "$PROMETHEUS_VERSION kubernetes-sd" && [[ -x "$BIN/prometheus" ]] && return 0
  log "building Prometheus $PROMETHEUS_VERSION (service discovery: kubernetes, file, http)"
  local dir src="$LAB/src/prometheus-$PROMETHEUS_VERSION"
  dir="$(mod_dir "github.com/prometheus/prometheus@$PROMETHEUS_MODULE_VERSION")"
  rm -rf "$src" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  # plugins/plugins.go is what `make plugins` writes from plugins.yml, the list of service
  # discoveries built in: the lab needs Kubernetes' only (file and http are always built in,
  # plugins/minimum.go), which keeps the cloud SDKs out of the build.
  printf '%s\n' '// Code generated by "make plugins". DO NOT EDIT.' '' 'package plugins' '' \
    'import (' '\t// Register kubernetes plugin.' '\t_ "github.com/prometheus/prometheus/discovery/kubernetes"' ')' |
    sed 's/\\t/\t/' >"$src/plugins/plugins.go"
  local ld="-s -w -X github.com/prometheus/common/version.Version=${PROMETHEUS_VERSION#v}"
  (cd "$src" && GOWORK=off GOFLAGS=-mod=mod go build -trimpath -ldflags "$ld" -o "$BIN/prometheus" ./cmd/prometheus)
  rm -rf "$src"
  stamp prometheus-server "$PROMETHEUS_VERSION kubernetes-sd"
}

# ---- Kubernetes from the module source -------------------------------------------
install_kubernetes() {
  have kubernetes "$K8S_VERSION" && [[ -x "$BIN/kubectl" ]] && return 0
  local src="$LAB/src/kubernetes-$K8S_VERSION"
  if [[ ! -f "$src/.prepared" ]]; then
    log "downloading k8s.io/kubernetes@$K8S_VERSION"
    local dir
    dir="$(mod_dir "k8s.io/kubernetes@$K8S_VERSION")"
    [[ -d "$dir" ]] || die "go mod download k8s.io/kubernetes@$K8S_VERSION gave no folder"
    rm -rf "$src"
    cp -r "$dir" "$src"
    chmod -R u+w "$src"
    rm -f "$src/go.work" "$src/go.work.sum"
    local lib="v0${K8S_VERSION#v1}"
    # k8s.io/NAME => ./staging/src/k8s.io/NAME  ->  k8s.io/NAME => k8s.io/NAME v0.x.y
    sed -i -E "s#(k8s\.io/[A-Za-z0-9._-]+) => \./staging/src/k8s\.io/[A-Za-z0-9._-]+#\1 => \1 $lib#" "$src/go.mod"
    touch "$src/.prepared"
  fi
  local minor="${K8S_VERSION#v1.}"
  minor="${minor%%.*}"
  local ld="-s -w"
  local p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  local cmd
  for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    if [[ -x "$BIN/$cmd" && -f "$LAB/stamps/$cmd" && "$(cat "$LAB/stamps/$cmd")" == "$K8S_VERSION" && $FORCE -eq 0 ]]; then
      continue
    fi
    log "building $cmd $K8S_VERSION (the first one takes several minutes)"
    (cd "$src" && GOWORK=off GOFLAGS=-mod=mod go build -trimpath -ldflags "$ld" -o "$BIN/$cmd" "./cmd/$cmd")
    stamp "$cmd" "$K8S_VERSION"
  done
  stamp kubernetes "$K8S_VERSION"
}

install_kwok() {
  have kwok "$KWOK_VERSION" && [[ -x "$BIN/kwok" ]] && return 0
  log "building kwok $KWOK_VERSION"
  GOBIN="$BIN" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  local dir
  dir="$(mod_dir "sigs.k8s.io/kwok@$KWOK_VERSION")"
  rm -rf "$LAB/kwok-stages" && mkdir -p "$LAB/kwok-stages"
  cp "$dir/kustomize/stage/node/fast/node-initialize.yaml" \
    "$dir/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
    "$dir/kustomize/stage/pod/fast/pod-ready.yaml" \
    "$dir/kustomize/stage/pod/fast/pod-complete.yaml" \
    "$dir/kustomize/stage/pod/fast/pod-delete.yaml" "$LAB/kwok-stages/"
  chmod u+w "$LAB/kwok-stages"/*
  stamp kwok "$KWOK_VERSION"
}

install_rollouts() {
  have rollouts "$ARGO_ROLLOUTS_VERSION" && [[ -x "$BIN/rollouts-controller" ]] && return 0
  log "building the Argo Rollouts controller $ARGO_ROLLOUTS_VERSION"
  local dir src="$LAB/src/argo-rollouts-$ARGO_ROLLOUTS_VERSION"
  dir="$(mod_dir "github.com/argoproj/argo-rollouts@$ARGO_ROLLOUTS_VERSION")"
  rm -rf "$src" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  (cd "$src" && GOWORK=off GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$BIN/rollouts-controller" ./cmd/rollouts-controller)
  # The release's install manifest (CRDs, roles, the controller's Deployment), as the docs apply it.
  rm -rf "$LAB/crds/argo-rollouts" && mkdir -p "$LAB/crds/argo-rollouts"
  cp "$src"/manifests/install.yaml "$LAB/crds/argo-rollouts/install.yaml"
  rm -rf "$src"
  stamp rollouts "$ARGO_ROLLOUTS_VERSION"
}

install_flagger() {
  have flagger-controller "$FLAGGER_VERSION" && [[ -x "$BIN/flagger" ]] && return 0
  log "building the Flagger controller $FLAGGER_VERSION"
  local dir src="$LAB/src/flagger-$FLAGGER_VERSION"
  dir="$(mod_dir "github.com/fluxcd/flagger@$FLAGGER_VERSION")"
  rm -rf "$src" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  (cd "$src" && GOWORK=off GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$BIN/flagger" ./cmd/flagger)
  rm -rf "$src"
  stamp flagger-controller "$FLAGGER_VERSION"
}

install_crds() {
  # The stamp names the files too: an install from before the ApplicationSet CRD is redone.
  if ! have argo-cd "$ARGO_CD_VERSION application,appproject,applicationset"; then
    local dir
    dir="$(mod_dir "github.com/argoproj/argo-cd/v3@$ARGO_CD_VERSION")"
    rm -rf "$LAB/crds/argo-cd" && mkdir -p "$LAB/crds/argo-cd"
    cp "$dir"/manifests/crds/application-crd.yaml "$dir"/manifests/crds/appproject-crd.yaml \
      "$dir"/manifests/crds/applicationset-crd.yaml "$LAB/crds/argo-cd/"
    chmod u+w "$LAB/crds/argo-cd"/*
    stamp argo-cd "$ARGO_CD_VERSION application,appproject,applicationset"
  fi
  if ! have gateway-api "$GATEWAY_API_VERSION"; then
    local dir
    dir="$(mod_dir "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION")"
    rm -rf "$LAB/crds/gateway-api" && mkdir -p "$LAB/crds/gateway-api"
    cp "$dir"/config/crd/standard/*.yaml "$LAB/crds/gateway-api/"
    chmod u+w "$LAB/crds/gateway-api"/*
    stamp gateway-api "$GATEWAY_API_VERSION"
  fi
  if ! have flagger "$FLAGGER_VERSION"; then
    local dir
    dir="$(mod_dir "github.com/fluxcd/flagger@$FLAGGER_VERSION")"
    rm -rf "$LAB/crds/flagger" && mkdir -p "$LAB/crds/flagger"
    cp "$dir/artifacts/flagger/crd.yaml" "$LAB/crds/flagger/"
    chmod u+w "$LAB/crds/flagger"/*
    stamp flagger "$FLAGGER_VERSION"
  fi
}

what="${LAB_PIECES:-deb prometheus crds kwok rollouts flagger kubernetes}"
for piece in $what; do
  case "$piece" in
  deb)
    install_deb etcd etcd-server "$ETCD_DEB_VERSION" etcd
    install_deb promtool prometheus "$PROMETHEUS_DEB_VERSION" promtool
    install_deb tini tini "$TINI_DEB_VERSION" tini
    ;;
  prometheus) install_prometheus ;;
  crds) install_crds ;;
  kwok) install_kwok ;;
  rollouts) install_rollouts ;;
  flagger) install_flagger ;;
  kubernetes) install_kubernetes ;;
  *) die "unknown piece $piece" ;;
  esac
done
log "lab ready in $LAB"
