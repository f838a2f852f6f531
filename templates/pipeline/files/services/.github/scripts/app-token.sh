#!/usr/bin/env bash
# Mint a short-lived installation token of a GitHub App for ONE repository, with only the
# permissions promotion needs (contents and pull requests: write). No personal token is used.
#
# The App's JWT (RS256, valid 10 minutes) is signed here with openssl, then exchanged for an
# installation token (valid one hour) through the GitHub API.
#
# Environment:
#   APP_ID              the GitHub App's ID (a repository or environment variable)
#   APP_PRIVATE_KEY     a private key of the App, PEM (a secret)
#   TARGET_REPOSITORY   owner/name of the repository the token is for
#   GITHUB_API_URL      API base (set by GitHub Actions; default https://api.github.com)
#   GITHUB_OUTPUT       where `token=<token>` is written (set by GitHub Actions)
set -euo pipefail

: "${APP_ID:?APP_ID (the GitHub App ID) is not set: see docs/pipeline.md}"
: "${APP_PRIVATE_KEY:?APP_PRIVATE_KEY (a private key of the GitHub App) is not set: see docs/pipeline.md}"
: "${TARGET_REPOSITORY:?TARGET_REPOSITORY (owner/name) is not set}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
api="${GITHUB_API_URL:-https://api.github.com}"
repo_name="${TARGET_REPOSITORY#*/}"

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

key="$(mktemp)"
trap 'rm -f "$key"' EXIT
printf '%s\n' "$APP_PRIVATE_KEY" > "$key"

now="$(date +%s)"
header="$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)"
# iat a minute in the past allows for clock drift; GitHub accepts at most 10 minutes in all.
payload="$(printf '{"iat":%d,"exp":%d,"iss":"%s"}' "$((now - 60))" "$((now + 540))" "$APP_ID" | b64url)"
signature="$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | b64url)"
jwt="${header}.${payload}.${signature}"

installation="$(curl -fsS -H "Authorization: Bearer ${jwt}" -H "Accept: application/vnd.github+json" \
  "${api}/repos/${TARGET_REPOSITORY}/installation" | jq -r '.id')" || {
  echo "::error::the GitHub App ${APP_ID} is not installed on ${TARGET_REPOSITORY} (or its key is wrong)" >&2
  exit 1
}

request="$(jq -n --arg r "$repo_name" '{repositories: [$r], permissions: {contents: "write", pull_requests: "write"}}')"
token="$(curl -fsS -X POST -H "Authorization: Bearer ${jwt}" -H "Accept: application/vnd.github+json" \
  "${api}/app/installations/${installation}/access_tokens" -d "$request" | jq -r '.token')"
if [ -z "$token" ] || [ "$token" = "null" ]; then
  echo "::error::no installation token for ${TARGET_REPOSITORY}: does the App have Contents and Pull requests write access?" >&2
  exit 1
fi
echo "::add-mask::${token}"
echo "token=${token}" >> "$GITHUB_OUTPUT"
