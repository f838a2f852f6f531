#!/usr/bin/env bash
# Promote images to one environment in ONE commit: every service built by this run gets its new
# image tag and digest in its values file for the environment, and the change is pushed to the
# branch Argo CD syncs (retrying on a race with another promotion), or proposed as a pull request.
#
# Usage: promote.sh <environment> <images-json>
#   images-json: [{"name":"api","tag":"sha-0123456789ab","digest":"sha256:..."}, ...]
# Environment:
#   REPO_DIR         checkout of the repository that holds the values files (default: .)
#   VALUES_PATTERN   path of a values file, {name} and {env} replaced
#                    (default: charts/{name}/values-{env}.yaml)
#   BRANCH           branch Argo CD syncs (default: the branch checked out in REPO_DIR)
#   PROMOTE_VIA      push (default) or pull-request
#   GITHUB_API_URL, TARGET_REPOSITORY (owner/name), GH_TOKEN: for pull-request only
# Needs git, jq and yq (mikefarah v4, as on GitHub's runners).
set -euo pipefail

env_name="${1:?usage: promote.sh <environment> <images-json>}"
images="${2:?usage: promote.sh <environment> <images-json>}"
repo_dir="${REPO_DIR:-.}"
pattern="${VALUES_PATTERN:-}"
if [ -z "$pattern" ]; then pattern='charts/{name}/values-{env}.yaml'; fi
# The branch to promote on: BRANCH, else the one checked out in the repository.
branch="${BRANCH:-$(git -C "$repo_dir" symbolic-ref --short -q HEAD || echo main)}"
via="${PROMOTE_VIA:-push}"

if ! [[ "$env_name" =~ ^[a-z0-9-]+$ ]]; then echo "::error::bad environment name '${env_name}'" >&2; exit 2; fi
count="$(jq 'length' <<< "$images")"
if [ "$count" -eq 0 ]; then echo "Nothing to promote to ${env_name}."; exit 0; fi
names="$(jq -r '[.[].name] | join(", ")' <<< "$images")"

cd "$repo_dir"
git config user.name "${GIT_AUTHOR_NAME:-github-actions[bot]}"
git config user.email "${GIT_AUTHOR_EMAIL:-41898282+github-actions[bot]@users.noreply.github.com}"

# Write every service's values file; returns 1 when nothing changed.
apply() {
  local i name tag digest file
  for ((i = 0; i < count; i++)); do
    name="$(jq -r ".[$i].name" <<< "$images")"
    tag="$(jq -r ".[$i].tag" <<< "$images")"
    digest="$(jq -r ".[$i].digest" <<< "$images")"
    if ! [[ "$name" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]]; then echo "::error::bad service name '${name}'" >&2; exit 2; fi
    file="${pattern//\{name\}/$name}"
    file="${file//\{env\}/$env_name}"
    if [ ! -f "$file" ]; then echo "::error::${file} is missing (service ${name}, ${env_name})" >&2; exit 1; fi
    IMAGE_TAG="$tag" IMAGE_DIGEST="$digest" yq -i '.image.tag = strenv(IMAGE_TAG) | .image.digest = strenv(IMAGE_DIGEST)' "$file"
    git add -- "$file"
  done
  ! git diff --cached --quiet
}

message="chore(${env_name}): deploy ${names}"

if [ "$via" = "pull-request" ]; then
  : "${TARGET_REPOSITORY:?TARGET_REPOSITORY (owner/name) is needed for a pull request}"
  : "${GH_TOKEN:?GH_TOKEN is needed for a pull request}"
  api="${GITHUB_API_URL:-https://api.github.com}"
  work="promote/${env_name}"
  git fetch --quiet origin "$branch"
  git checkout --quiet -B "$work" "origin/${branch}"
  if ! apply; then echo "${env_name} already runs these images."; exit 0; fi
  git commit --quiet -m "$message"
  git push --quiet --force origin "HEAD:refs/heads/${work}"
  body="$(jq -n --arg t "$message" --arg h "$work" --arg b "$branch" --argjson imgs "$images" \
    '{title: $t, head: $h, base: $b, body: ("Images:\n" + ($imgs | map("- " + .name + ": `" + .tag + "` (" + .digest + ")") | join("\n")))}')"
  status="$(curl -sS -o "${RUNNER_TEMP:-/tmp}/pr.json" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer ${GH_TOKEN}" -H "Accept: application/vnd.github+json" \
    "${api}/repos/${TARGET_REPOSITORY}/pulls" -d "$body")"
  case "$status" in
    201) echo "Opened $(jq -r .html_url "${RUNNER_TEMP:-/tmp}/pr.json") for ${env_name}" ;;
    422) echo "A pull request for ${work} is already open; its branch now holds ${names}." ;;
    *) echo "::error::opening the pull request failed (HTTP ${status})" >&2; cat "${RUNNER_TEMP:-/tmp}/pr.json" >&2; exit 1 ;;
  esac
  exit 0
fi

for attempt in 1 2 3 4 5; do
  git fetch --quiet origin "$branch"
  git reset --quiet --hard "origin/${branch}"
  if ! apply; then echo "${env_name} already runs these images."; exit 0; fi
  git commit --quiet -m "${message} [skip ci]"
  if git push --quiet origin "HEAD:${branch}"; then
    echo "${env_name} → ${names}"
    exit 0
  fi
  echo "Push rejected (attempt ${attempt}); retrying on the new ${branch}"
  sleep $((attempt * ${PROMOTE_BACKOFF:-5}))
done
echo "::error::could not push the promotion to ${branch}" >&2
exit 1
