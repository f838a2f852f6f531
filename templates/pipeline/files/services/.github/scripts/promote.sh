#!/usr/bin/env bash
# Promote images to one environment in ONE commit: every service built by this run gets its new
# image tag and digest in its values file for the environment. Three ways to land it:
#   push          a commit pushed to the branch Argo CD syncs (retried on a race);
#   api           a commit made through the GitHub API against the branch head it read
#                 (createCommitOnBranch, retried on a race): with a GitHub App's token it passes
#                 a protected branch (the App on the ruleset's bypass list), and it is signed;
#   pull-request  the pull request of the environment (branch promote/<environment>): images
#                 it already proposes and that are not merged yet are kept, so a second
#                 promotion adds to it instead of replacing it; a pull request closed without
#                 merging (rejected) is not carried over: the next one starts from the branch.
# A service whose environment already runs an image of a newer commit (an older run finishing
# late) is left as it is: an image is never replaced by one built from an ancestor commit. With
# PREVIOUS_ENVIRONMENT, a service whose previous environment already runs an image of a newer
# commit is left to the run that put it there (this run was overtaken).
#
# Usage: promote.sh <environment> <images-json>
#        promote.sh <environment> from:<environment>
#   images-json: [{"name":"api","tag":"sha-0123456789ab","digest":"sha256:..."}, ...]
#   from:<env>:  every service's image as <env>'s values files name it (tag and digest), read from
#                the same branch: a promotion by hand carries exactly what <env> runs
# Environment:
#   REPO_DIR         checkout of the repository that holds the values files (default: .)
#   VALUES_PATTERN   path of a values file, {name} and {env} replaced
#                    (default: charts/{name}/values-{env}.yaml)
#   BRANCH           the branch Argo CD syncs (required: never guessed from a remote's default)
#   PROMOTE_VIA      push (default), api or pull-request
#   SOURCE_DIR       checkout of the application repository with its history, to tell which of
#                    two images is newer (default: .); its .github/services/*.json name the
#                    services for from:<env>
#   PREVIOUS_ENVIRONMENT  the environment promoted before this one (the overtaken-run check)
#   GITHUB_API_URL, GITHUB_GRAPHQL_URL, TARGET_REPOSITORY (owner/name; default
#   GITHUB_REPOSITORY), GH_TOKEN: for api and pull-request
#   GITHUB_SERVER_URL  where REPO_DIR's origin is (default https://github.com): with GH_TOKEN, git
#                    sends the token as an HTTP header for that server, set through the
#                    environment (GIT_CONFIG_COUNT/KEY/VALUE), never in a URL or an argument
#                    (https://git-scm.com/docs/git-config#ENVIRONMENT)
# A service whose values file is missing (a service just added, whose values files the config
# repository does not have yet) is not promoted; the others are, and the script then names each
# missing file and how to write it (::error::) and exits 1, so the job does not pass as if every
# service had been promoted.
# A refused GitHub API call prints its HTTP status and GitHub's message.
# With api, a commit made writes sha=<commit> and services=<JSON list of the services it changed>
# to GITHUB_OUTPUT; every way writes missing=<JSON list of the services not promoted for a
# missing values file>.
# Needs git, jq, curl and yq (mikefarah v4, as on GitHub's runners).
set -euo pipefail
# A failure inside $(...) stops the script too (bash does not carry set -e into them by default).
shopt -s inherit_errexit

env_name="${1:?usage: promote.sh <environment> <images-json>}"
images="${2:?usage: promote.sh <environment> <images-json>}"
repo_dir="${REPO_DIR:-.}"
source_dir="$(cd "${SOURCE_DIR:-.}" && pwd)"
pattern="${VALUES_PATTERN:-}"
if [ -z "$pattern" ]; then pattern='charts/{name}/values-{env}.yaml'; fi
via="${PROMOTE_VIA:-push}"
api="${GITHUB_API_URL:-https://api.github.com}"
graphql="${GITHUB_GRAPHQL_URL:-${api}/graphql}"
target="${TARGET_REPOSITORY:-${GITHUB_REPOSITORY:-}}"

previous="${PREVIOUS_ENVIRONMENT:-}"
from_env=""
branch="${BRANCH:-}"
if [ -z "$branch" ]; then
  echo "::error::BRANCH is not set: name the branch Argo CD syncs (e.g. BRANCH=main); it is never guessed" >&2
  exit 2
fi
if ! git check-ref-format --branch "$branch" > /dev/null 2>&1; then echo "::error::bad BRANCH '${branch}'" >&2; exit 2; fi
# The token goes to curl in a header file (-H @file), not on its command line.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
auth="${tmp}/auth-header"
if [ -n "${GH_TOKEN:-}" ]; then (umask 077 && printf 'Authorization: Bearer %s\n' "$GH_TOKEN" > "$auth"); fi

if ! [[ "$env_name" =~ ^[a-z0-9-]+$ ]]; then echo "::error::bad environment name '${env_name}'" >&2; exit 2; fi
if [ -n "$previous" ] && ! [[ "$previous" =~ ^[a-z0-9-]+$ ]]; then echo "::error::bad PREVIOUS_ENVIRONMENT '${previous}'" >&2; exit 2; fi
case "$via" in push | api | pull-request) ;; *) echo "::error::PROMOTE_VIA must be push, api or pull-request, not '${via}'" >&2; exit 2 ;; esac
if [[ "$images" == from:* ]]; then
  from_env="${images#from:}"
  if ! [[ "$from_env" =~ ^[a-z0-9-]+$ ]] || [ "$from_env" = "$env_name" ]; then
    echo "::error::bad source environment '${from_env}' (from:<environment>, not ${env_name} itself)" >&2
    exit 2
  fi
  # Every service of the repository, by its .github/services/<name>.json.
  images="$(find "${source_dir}/.github/services" -maxdepth 1 -name '*.json' -printf '%f\n' 2> /dev/null | sed 's/\.json$//' | sort \
    | jq -Rnc '[inputs | select(length > 0) | {name: .}]')"
  if [ "$(jq length <<< "$images")" -eq 0 ]; then echo "::error::no services in ${source_dir}/.github/services" >&2; exit 1; fi
elif ! jq -e 'type == "array"' <<< "$images" > /dev/null 2>&1; then
  echo "::error::images must be a JSON list or from:<environment>, not '${images}'" >&2
  exit 2
fi
count="$(jq 'length' <<< "$images")"
if [ "$count" -eq 0 ]; then echo "Nothing to promote to ${env_name}."; exit 0; fi

# Services skipped for a missing values file: "<service> <file>" lines, collected by the
# functions below (they run in $(...), so in a file) and reported once by finish.
missing_log="${tmp}/missing"
: > "$missing_log"
missing() { printf '%s %s\n' "$1" "$2" >> "$missing_log"; }
# Ends the run: 0 when no service was skipped; else each missing file as an error annotation
# with the command that writes it, and 1 (the other services were promoted all the same).
finish() {
  local names name file where others=""
  names="$(cut -d' ' -f1 "$missing_log" | sort -u)"
  echo "missing=$(jq -Rnc '[inputs | select(length > 0)]' <<< "$names")" >> "${GITHUB_OUTPUT:-/dev/null}"
  if [ -z "$names" ]; then exit 0; fi
  if [ "$(wc -l <<< "$names")" -lt "$count" ]; then others=" (the other services were)"; fi
  where="${branch}"
  if [ -n "$target" ] && [ "$target" != "${GITHUB_REPOSITORY:-}" ]; then where="${branch} of ${target}"; fi
  sort -u "$missing_log" | while read -r name file; do
    if [ -n "$target" ] && [ "$target" != "${GITHUB_REPOSITORY:-}" ]; then
      echo "::error title=${name} not promoted to ${env_name}::${file} is missing on ${where}, so ${name} was not promoted to ${env_name}${others}. The config repository needs a new service's values files before its first promotion: in a checkout of ${target}, run create-pipeline's \`create --config-repo-for <this repository's folder>\` (the command \`add\` printed; docs/pipeline.md), commit, then re-run this job." >&2
    else
      echo "::error title=${name} not promoted to ${env_name}::${file} is missing on ${where}, so ${name} was not promoted to ${env_name}${others}. Commit the service's values files (written by create-pipeline's \`add\`), then re-run this job." >&2
    fi
  done
  exit 1
}
# Nothing to commit: every image already there (or newer), or every service skipped.
unchanged() {
  if [ -s "$missing_log" ]; then echo "Nothing else to promote to ${env_name}."; else echo "${env_name} already runs these images (or newer)."; fi
  finish
}

# The values file of service $1 in environment $2 (default: the one promoted to).
values_file() {
  local f="${pattern//\{name\}/$1}"
  printf '%s' "${f//\{env\}/${2:-$env_name}}"
}

# from:<env>: the images <env>'s values files under the folder $1 name, for every service.
source_images() {
  local root="$1" out='[]' name file tag digest
  for name in $(jq -r '.[].name' <<< "$images"); do
    file="${root}/$(values_file "$name" "$from_env")"
    if [ ! -f "$file" ]; then
      missing "$name" "$(values_file "$name" "$from_env")"
      continue
    fi
    tag="$(yq '.image.tag // ""' "$file")"
    digest="$(yq '.image.digest // ""' "$file")"
    if [ -z "$tag" ]; then
      echo "::notice::${name} runs no image in ${from_env} yet: not promoted to ${env_name}" >&2
      continue
    fi
    if [[ "$digest" != sha256:* ]]; then
      echo "::error::$(values_file "$name" "$from_env") names ${tag} without an image.digest: nothing exact to promote to ${env_name}" >&2
      exit 1
    fi
    out="$(jq -c --arg n "$name" --arg t "$tag" --arg d "$digest" '. + [{name: $n, tag: $t, digest: $d}]' <<< "$out")"
  done
  printf '%s' "$out"
}

# The service a values file belongs to (the pattern read backwards), or nothing.
service_of() {
  local re
  # shellcheck disable=SC2016 # a sed expression
  re="$(printf '%s' "$pattern" | sed -e 's/[].[*^$()+?|\\]/\\&/g')"
  re="${re//\{env\}/$env_name}"
  re="${re//\{name\}/([a-z0-9]([-a-z0-9]*[a-z0-9])?)}"
  if [[ "$1" =~ ^${re}$ ]]; then printf '%s' "${BASH_REMATCH[1]}"; fi
}

# True when image tag $2 was built from an ancestor of the commit image tag $1 was built from
# (both sha-<hex>): then $1 is the newer one. Unknown commits count as not older.
older_than() {
  local current="${1#sha-}" new="${2#sha-}" c n
  [[ "$current" =~ ^[0-9a-f]{7,40}$ && "$new" =~ ^[0-9a-f]{7,40}$ ]] || return 1
  c="$(git -C "$source_dir" rev-parse --verify -q "${current}^{commit}" 2> /dev/null)" || return 1
  n="$(git -C "$source_dir" rev-parse --verify -q "${new}^{commit}" 2> /dev/null)" || return 1
  [ "$c" != "$n" ] && git -C "$source_dir" merge-base --is-ancestor "$n" "$c"
}

# Write the images of $1 (a JSON list) into their values files under the folder $2; prints the
# names of the services whose file changed. A newer image already there is kept.
apply() {
  local list="$1" root="$2" i name tag digest file current
  for ((i = 0; i < $(jq length <<< "$list"); i++)); do
    name="$(jq -r ".[$i].name" <<< "$list")"
    tag="$(jq -r ".[$i].tag" <<< "$list")"
    digest="$(jq -r ".[$i].digest" <<< "$list")"
    if ! [[ "$name" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]]; then echo "::error::bad service name '${name}'" >&2; exit 2; fi
    file="${root}/$(values_file "$name")"
    if [ ! -f "$file" ]; then
      missing "$name" "$(values_file "$name")"
      continue
    fi
    if [ -n "$previous" ] && [ -f "${root}/$(values_file "$name" "$previous")" ]; then
      current="$(yq '.image.tag // ""' "${root}/$(values_file "$name" "$previous")")"
      if [ -n "$current" ] && [ "$current" != "$tag" ] && older_than "$current" "$tag"; then
        echo "::notice::${name} in ${previous} already runs ${current}, newer than ${tag}: this run was overtaken and leaves ${name} in ${env_name} to the newer one" >&2
        continue
      fi
    fi
    current="$(yq '.image.tag // ""' "$file")"
    if [ -n "$current" ] && [ "$current" != "$tag" ] && older_than "$current" "$tag"; then
      echo "::notice::${name} in ${env_name} already runs ${current}, newer than ${tag}: kept" >&2
      continue
    fi
    cp "$file" "${file}.before"
    IMAGE_TAG="$tag" IMAGE_DIGEST="$digest" yq -i '.image.tag = strenv(IMAGE_TAG) | .image.digest = strenv(IMAGE_DIGEST)' "$file"
    if ! cmp -s "$file" "${file}.before"; then echo "$name"; fi
    rm -f "${file}.before"
  done
}

# GitHub's message in an API answer (REST: .message; GraphQL: .errors[].message), else its start.
api_message() {
  local m
  m="$(jq -r '[.message // empty, (.errors // [] | .[] | .message? // empty)] | join("; ")' "$1" 2> /dev/null || true)"
  if [ -z "$m" ]; then m="$(head -c 300 "$1" 2> /dev/null | tr '\n' ' ')"; fi
  printf '%s' "${m:-no answer}"
}

author=(-c "user.name=${GIT_AUTHOR_NAME:-github-actions[bot]}" -c "user.email=${GIT_AUTHOR_EMAIL:-41898282+github-actions[bot]@users.noreply.github.com}")

# --- api: one commit through the GitHub API, against the head it read -------------------------
if [ "$via" = api ]; then
  : "${target:?TARGET_REPOSITORY or GITHUB_REPOSITORY (owner/name) is needed}"
  : "${GH_TOKEN:?GH_TOKEN is needed}"
  work="$tmp"
  # GET $1 into ${work}/body.json; a status other than 200 stops with the status and GitHub's
  # message (404 where the file may be missing: returns 1).
  get() {
    local code
    code="$(curl -sS -o "${work}/body.json" -w '%{http_code}' -H "@${auth}" \
      -H "Accept: application/vnd.github+json" "$1")" || code=000
    if [ "$code" = 200 ]; then return 0; fi
    if [ "$code" = 404 ] && [ "${2:-}" = may-miss ]; then return 1; fi
    echo "::error::GitHub API ${1#"$api"}: HTTP ${code}: $(api_message "${work}/body.json")" >&2
    exit 1
  }
  for attempt in 1 2 3 4 5; do
    get "${api}/repos/${target}/commits/${branch}"
    head="$(jq -r '.sha // empty' "${work}/body.json")"
    if [ -z "$head" ]; then echo "::error::cannot read ${branch} of ${target}: no commit in GitHub's answer" >&2; exit 1; fi
    rm -rf "${work}/tree" && mkdir -p "${work}/tree"
    : > "$missing_log"
    for name in $(jq -r '.[].name' <<< "$images"); do
      if ! [[ "$name" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]]; then echo "::error::bad service name '${name}'" >&2; exit 2; fi
      # This environment's file; the source's (from:<env>) and the previous environment's when read.
      for e in "$env_name" $from_env $previous; do
        file="$(values_file "$name" "$e")"
        mkdir -p "$(dirname "${work}/tree/${file}")"
        content=""
        if get "${api}/repos/${target}/contents/${file}?ref=${head}" may-miss; then content="$(jq -r '.content // empty' "${work}/body.json")"; fi
        # A missing file is left out of the tree: apply (or source_images) skips its service.
        if [ -z "$content" ]; then continue; fi
        base64 -d <<< "$content" > "${work}/tree/${file}"
      done
    done
    list="$images"
    if [ -n "$from_env" ]; then list="$(source_images "${work}/tree")"; fi
    changed="$(apply "$list" "${work}/tree")"
    if [ -z "$changed" ]; then unchanged; fi
    names="$(paste -sd, <<< "$changed" | sed 's/,/, /g')"
    additions='[]'
    for name in $changed; do
      file="$(values_file "$name")"
      additions="$(jq -c --arg p "$file" --arg c "$(base64 -w0 < "${work}/tree/${file}")" '. + [{path: $p, contents: $c}]' <<< "$additions")"
    done
    jq -n --arg repo "$target" --arg branch "$branch" --arg head "$head" --arg msg "chore(${env_name}): deploy ${names} [skip ci]" --argjson add "$additions" \
      '{query: "mutation($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) { commit { oid } } }",
        variables: {input: {branch: {repositoryNameWithOwner: $repo, branchName: $branch}, expectedHeadOid: $head,
          message: {headline: $msg}, fileChanges: {additions: $add}}}}' > "${work}/request.json"
    code="$(curl -sS -o "${work}/response.json" -w '%{http_code}' -H "@${auth}" \
      -H "Accept: application/vnd.github+json" -X POST "$graphql" --data-binary "@${work}/request.json")" || code=000
    sha="$(jq -r '.data.createCommitOnBranch.commit.oid // empty' "${work}/response.json" 2> /dev/null || true)"
    if [ -n "$sha" ]; then
      echo "${env_name} → ${names} in ${sha}"
      {
        echo "sha=${sha}"
        # The services whose values file this commit changed (the health gate waits for them).
        echo "services=$(jq -Rnc '[inputs | select(length > 0)]' <<< "$changed")"
      } >> "${GITHUB_OUTPUT:-/dev/null}"
      finish
    fi
    if grep -qi 'expected branch to point to\|expectedHeadOid\|is at .* but expected' "${work}/response.json"; then
      echo "${branch} moved while promoting (attempt ${attempt}/5); starting again from the new ${branch}"
      sleep $((attempt * ${PROMOTE_BACKOFF:-3}))
      continue
    fi
    echo "GitHub API createCommitOnBranch: HTTP ${code}: $(api_message "${work}/response.json")" >&2
    app_vars="PIPELINE_APP_ID, PIPELINE_APP_PRIVATE_KEY"
    if [ -n "${GITHUB_REPOSITORY:-}" ] && [ "$target" != "$GITHUB_REPOSITORY" ]; then app_vars="GITOPS_APP_ID, GITOPS_APP_PRIVATE_KEY"; fi
    echo "::error::the promotion commit to ${branch} of ${target} was refused (HTTP ${code}: $(api_message "${work}/response.json")). A protected ${branch} needs the GitHub App of docs/pipeline.md (${app_vars}), on the bypass list of the rules that protect it." >&2
    exit 1
  done
  echo "::error::${branch} kept moving: 5 attempts to commit the promotion lost the race" >&2
  exit 1
fi

cd "$repo_dir"
# With a token, git authenticates to the server with it as an HTTP header given through the
# environment (as actions/checkout does), so it is in no URL, argument or file.
if [ -n "${GH_TOKEN:-}" ]; then
  n="${GIT_CONFIG_COUNT:-0}"
  export GIT_CONFIG_COUNT=$((n + 1))
  export "GIT_CONFIG_KEY_${n}=http.${GITHUB_SERVER_URL:-https://github.com}/.extraheader"
  export "GIT_CONFIG_VALUE_${n}=AUTHORIZATION: basic $(printf 'x-access-token:%s' "$GH_TOKEN" | base64 -w0)"
fi

# --- pull-request: the environment's promotion branch, pending images kept ---------------------
if [ "$via" = "pull-request" ]; then
  : "${target:?TARGET_REPOSITORY (owner/name) is needed for a pull request}"
  : "${GH_TOKEN:?GH_TOKEN is needed for a pull request}"
  work="promote/${env_name}"
  # The pull request's branch is read against the history it shares with the branch: a shallow
  # clone gets that history first.
  if [ "$(git rev-parse --is-shallow-repository)" = true ]; then git fetch --quiet --unshallow origin "$branch"; fi
  # Whether the environment's pull request is open. The images of a branch whose pull request was
  # closed without merging (rejected) are not carried into the next one.
  pr_open() {
    local code
    code="$(curl -sS -o "${RUNNER_TEMP:-/tmp}/open-pulls.json" -w '%{http_code}' -H "@${auth}" \
      -H "Accept: application/vnd.github+json" "${api}/repos/${target}/pulls?state=open&base=${branch}&head=${target%%/*}:${work}")"
    if [ "$code" != 200 ]; then echo "::error::cannot list the open pull requests of ${target}: HTTP ${code}: $(api_message "${RUNNER_TEMP:-/tmp}/open-pulls.json")" >&2; exit 1; fi
    [ -n "$(jq -r '.[0].number // empty' "${RUNNER_TEMP:-/tmp}/open-pulls.json")" ]
  }
  for attempt in 1 2 3 4 5; do
    git fetch --quiet origin "$branch"
    old="$(git ls-remote origin "refs/heads/${work}" | cut -f1)"
    git checkout --quiet -B "$work" "origin/${branch}"
    pending='[]'
    : > "$missing_log"
    if [ -n "$old" ]; then
      git fetch --quiet origin "+refs/heads/${work}:refs/remotes/origin/${work}"
      old="$(git rev-parse "refs/remotes/origin/${work}")"
    fi
    if [ -n "$old" ] && ! pr_open; then
      echo "${work} has no open pull request (it was closed without merging): its images are not carried over"
    elif [ -n "$old" ]; then
      # What the open promotion proposes and the branch does not have yet: its values files
      # changed since it left the branch (their common commit, which a shallow clone lacks:
      # fetched above), read back into images. Any git failure here stops the promotion: a
      # pull request rebuilt from a partial reading would drop the images it holds.
      if ! base="$(git merge-base "origin/${branch}" "$old")"; then
        echo "::error::${work} and ${branch} have no commit in common (or it could not be read): the images ${work} proposes cannot be told apart. Merge or close its pull request and delete ${work}, then promote again." >&2
        exit 1
      fi
      files="$(git diff --no-renames --name-only "$base" "$old")"
      while read -r file; do
        [ -n "$file" ] || continue
        name="$(service_of "$file")"
        [ -n "$name" ] || continue
        text="$(git show "${old}:${file}")"
        tag="$(yq '.image.tag // ""' <<< "$text")"
        digest="$(yq '.image.digest // ""' <<< "$text")"
        [ -n "$tag" ] || continue
        pending="$(jq -c --arg n "$name" --arg t "$tag" --arg d "$digest" '. + [{name: $n, tag: $t, digest: $d}]' <<< "$pending")"
      done <<< "$files"
    fi
    apply "$pending" . > /dev/null
    list="$images"
    if [ -n "$from_env" ]; then list="$(source_images .)"; fi
    apply "$list" . > /dev/null
    changed="$(git diff --name-only)"
    if [ -z "$changed" ]; then unchanged; fi
    all='[]'
    while read -r file; do
      name="$(service_of "$file")"
      all="$(jq -c --arg n "$name" --arg t "$(yq '.image.tag' "$file")" --arg d "$(yq '.image.digest' "$file")" '. + [{name: $n, tag: $t, digest: $d}]' <<< "$all")"
      git add -- "$file"
    done <<< "$changed"
    names="$(jq -r '[.[].name] | join(", ")' <<< "$all")"
    message="chore(${env_name}): deploy ${names}"
    git "${author[@]}" commit --quiet -m "$message"
    # Replaces the branch only if nobody moved it since it was read (else: read it again).
    if git push --quiet --force-with-lease="refs/heads/${work}:${old}" origin "HEAD:refs/heads/${work}"; then break; fi
    if [ "$attempt" -eq 5 ]; then echo "::error::${work} kept moving: could not update it" >&2; exit 1; fi
    echo "${work} moved while promoting (attempt ${attempt}/5); reading it again"
    sleep $((attempt * ${PROMOTE_BACKOFF:-3}))
  done
  body="$(jq -n --arg t "$message" --arg h "$work" --arg b "$branch" --argjson imgs "$all" \
    '{title: $t, head: $h, base: $b, body: ("Images:\n" + ($imgs | map("- " + .name + ": `" + .tag + "` (" + .digest + ")") | join("\n")))}')"
  out="${RUNNER_TEMP:-/tmp}/pr.json"
  call() { curl -sS -o "$out" -w '%{http_code}' -H "@${auth}" -H "Accept: application/vnd.github+json" "$@"; }
  status="$(call "${api}/repos/${target}/pulls?state=open&base=${branch}&head=${target%%/*}:${work}")"
  if [ "$status" != 200 ]; then echo "::error::cannot list the open pull requests of ${target}: HTTP ${status}: $(api_message "$out")" >&2; exit 1; fi
  number="$(jq -r '.[0].number // empty' "$out")"
  if [ -n "$number" ]; then
    status="$(call -X PATCH "${api}/repos/${target}/pulls/${number}" -d "$(jq -c '{title, body}' <<< "$body")")"
    if [ "$status" != 200 ]; then echo "::error::updating pull request #${number} failed: HTTP ${status}: $(api_message "$out")" >&2; exit 1; fi
    echo "Updated pull request #${number} for ${env_name}: ${names}"
    finish
  fi
  status="$(call -X POST "${api}/repos/${target}/pulls" -d "$body")"
  case "$status" in
    201) echo "Opened $(jq -r .html_url "$out") for ${env_name}: ${names}" ;;
    422) echo "A pull request for ${work} is already open; its branch now holds ${names}." ;;
    *) echo "::error::opening the pull request failed: HTTP ${status}: $(api_message "$out")" >&2; exit 1 ;;
  esac
  finish
fi

# --- push: one commit pushed to the branch ----------------------------------------------------
for attempt in 1 2 3 4 5; do
  git fetch --quiet origin "$branch"
  git reset --quiet --hard "origin/${branch}"
  : > "$missing_log"
  list="$images"
  if [ -n "$from_env" ]; then list="$(source_images .)"; fi
  changed="$(apply "$list" .)"
  if [ -z "$changed" ]; then unchanged; fi
  names="$(paste -sd, <<< "$changed" | sed 's/,/, /g')"
  for name in $changed; do git add -- "$(values_file "$name")"; done
  git "${author[@]}" commit --quiet -m "chore(${env_name}): deploy ${names} [skip ci]"
  if git push --quiet origin "HEAD:${branch}"; then
    echo "${env_name} → ${names}"
    finish
  fi
  echo "Push rejected (attempt ${attempt}); retrying on the new ${branch}"
  sleep $((attempt * ${PROMOTE_BACKOFF:-5}))
done
echo "::error::could not push the promotion to ${branch}" >&2
exit 1
