#!/usr/bin/env bash
# Which services a change touches, as JSON for a GitHub Actions matrix (one object per service,
# from .github/services/<name>.json, which create-pipeline writes).
#
# A service changed when a file changed under its folder, its chart (charts/<name>/), its
# service file or what its build reads outside its folder (its `watch` list: a parent pom, the
# sibling modules or workspace packages it uses, a Go replace target), or when a shared file changed: a file at the repository root (build files such
# as pom.xml, mvnw, package-lock.json, go.work; Markdown aside), a workflow or one of these
# scripts. The answers file (.create-pipeline.yaml) and .create-pipeline/ are not shared: what
# an answer changes shows in the files generated from it (a service's own, or the workflows).
# Neither are the release tools' files (.release-please-manifest.json, release-please-config.json,
# .releaserc.json) nor the hook and YAML lint configs: merging a release pull request rebuilds
# only the services it released (their version files and changelogs are in their folders).
# Without a usable base commit (first push, force push, manual run) every service counts.
# A promotion commit is not a change of the service: a chart's values-<env>.yaml whose only
# difference is image.tag and image.digest (what the promotion writes) is left out, compared as
# YAML with those two keys removed; any other change to it still counts. This needs mikefarah's
# yq v4, which GitHub's Ubuntu runners have
# (https://github.com/actions/runner-images/blob/main/images/ubuntu/Ubuntu2404-Readme.md).
#
# SERVICE_BASES (optional, a JSON object: service name → commit) gives a service its own base:
# Delivery compares each service with the commit it was last delivered from, so one service's
# failures never make the others count as changed. A service it does not name takes <base-sha>.
#
# Usage: [SERVICE_BASES=<json>] changed-services.sh <base-sha> [<head-sha>]
# Prints `services=<json list>` and `any=<true|false>`, ready for "$GITHUB_OUTPUT".
set -euo pipefail

base="${1:-}"
head="${2:-HEAD}"
dir="${SERVICES_DIR:-.github/services}"

shopt -s nullglob
files=("$dir"/*.json)
if [ "${#files[@]}" -eq 0 ]; then
  echo "::error::no service files in ${dir}" >&2
  exit 1
fi
all="$(jq -cs 'sort_by(.name)' "${files[@]}")"
# Root files that build nothing: the answers file, and the release tools' own files (a release
# pull request's merge changes them and, for each released service, files in its folder).
not_shared='[".create-pipeline.yaml", ".release-please-manifest.json", "release-please-config.json", ".releaserc.json", ".pre-commit-config.yaml", ".yamllint.yaml"]'

# The services changed between the commit $1 and $head, as a JSON list.
changed_since() {
  local base="$1" changed files f before after charts
  if [ -z "$base" ] || [[ "$base" =~ ^0+$ ]] || ! git cat-file -e "${base}^{commit}" 2>/dev/null; then
    echo "No base commit${base:+ ${base}} to compare with: every service counts as changed." >&2
    changed="$all"
  else
    # The values file $1 of a chart, without image.tag and image.digest, at commit $2 (fails when
    # it is not there or is not YAML).
    values_without_image() { git show "${2}:${1}" 2> /dev/null | yq -o=json -I=0 'del(.image.tag, .image.digest)' 2> /dev/null; }
    charts="$(jq -r '.[].chart' <<< "$all")"
    # --no-renames: a file moved out of a service counts for it too (both names are listed).
    files=""
    while IFS= read -r f; do
      [ -n "$f" ] || continue
      if [[ "$f" =~ ^(.+)/values-[^/]+\.yaml$ ]] && grep -qxF "${BASH_REMATCH[1]}" <<< "$charts" \
        && before="$(values_without_image "$f" "$base")" && after="$(values_without_image "$f" "$head")" \
        && [ "$before" = "$after" ]; then
        echo "${f}: only image.tag/image.digest changed (a promotion), not counted" >&2
        continue
      fi
      files+="${f}"$'\n'
    done < <(git diff --no-renames --name-only "$base" "$head")
    changed="$(printf '%s' "$files" | jq -R . | jq -cs --argjson all "$all" --arg dir "$dir" --argjson own "$not_shared" '
      . as $files
      | def shared: (contains("/") | not) and (endswith(".md") | not) and (IN($own[]) | not)
          or startswith(".github/workflows/") or startswith(".github/scripts/");
        def touches($s): . as $f
          | ($s.path == ".") or startswith($s.path + "/") or startswith($s.chart + "/")
            or . == ($dir + "/" + $s.name + ".json")
            or any(($s.watch // [])[]; . as $w | $f == $w or ($f | startswith($w + "/")));
      if any($files[]; shared) then $all
      else [$all[] | . as $s | select(any($files[]; touches($s)))]
      end')"
  fi
  printf '%s\n' "$changed"
}

if [ -n "${SERVICE_BASES:-}" ]; then
  # Once per distinct base, keeping the services whose base it is.
  changed="[]"
  while IFS= read -r b; do
    part="$(changed_since "$b")"
    changed="$(jq -c --argjson part "$part" --argjson bases "$SERVICE_BASES" --arg b "$b" --arg default "$base" \
      '(. + [$part[] | select(($bases[.name] // $default) == $b)]) | sort_by(.name)' <<< "$changed")"
  done < <(jq -r --argjson all "$all" --arg default "$base" '. as $bases | [$all[] | $bases[.name] // $default] | unique[]' <<< "$SERVICE_BASES")
else
  changed="$(changed_since "$base")"
fi

echo "services=${changed}"
if [ "$(jq length <<< "$changed")" -gt 0 ]; then echo "any=true"; else echo "any=false"; fi
