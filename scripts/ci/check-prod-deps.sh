#!/usr/bin/env bash
# Fails when a test-only package reaches the server's production install: vitest or vite (and their @vitest/*
# parts), or the workspace's test packages @authsvc/core-testing and @authsvc/test-support. Issue #7: core once
# declared vitest as an optional peer for its contract suites, and `pnpm deploy --prod` then put ~40 MB of test
# runner into the image. A wrong `dependencies` entry or a non-optional peer anywhere would do it again.
#
#   bash scripts/ci/check-prod-deps.sh              # runs the Dockerfile's own `pnpm ... deploy` into a temp dir
#   bash scripts/ci/check-prod-deps.sh DEPLOY_DIR   # checks an existing deploy output (e.g. the image's /out)
#
# It reads what is on disk rather than `pnpm list --prod`: that listing does not show peer dependencies, so it
# reported nothing while vitest sat in the deploy output.
set -euo pipefail
cd "$(dirname "$0")/../.."

FORBIDDEN='^(vitest|vite|@vitest/.+|@authsvc/core-testing|@authsvc/test-support)$'

if [ $# -ge 1 ]; then
  DIR="$1"
else
  # The exact command of the Dockerfile's build stage, so the check cannot drift from what ships.
  deploy="$(sed -nE 's#^.*(pnpm --filter [^ ]+ deploy [^/]*)/out.*$#\1#p' Dockerfile | head -1)"
  [ -n "$deploy" ] || { echo "check-prod-deps: no 'pnpm --filter ... deploy ... /out' line in the Dockerfile" >&2; exit 1; }
  DIR="$(mktemp -d "${TMPDIR:-/tmp}/authsvc-prod-deploy.XXXXXX")"
  trap 'rm -rf "$DIR"' EXIT
  echo "check-prod-deps: ${deploy}${DIR}"
  # deploy wants an empty or missing target directory.
  rmdir "$DIR"
  $deploy "$DIR" >/dev/null
fi

NM="$DIR/node_modules"
[ -d "$NM" ] || { echo "check-prod-deps: $NM does not exist" >&2; exit 1; }

# Every package present: pnpm's virtual store names each as <name>@<version>[_peers], with a scope's "/" as
# "+" (@vitest+spy@5.1.2); the top level holds the direct dependencies (scoped ones one level down).
packages() {
  if [ -d "$NM/.pnpm" ]; then
    find "$NM/.pnpm" -mindepth 1 -maxdepth 1 -type d ! -name node_modules -printf '%f\n' \
      | sed -E 's/^(@?[^@]+)@.*$/\1/; s/^@([^+]+)\+/@\1\//'
  fi
  find "$NM" -mindepth 1 -maxdepth 1 ! -name '.*' ! -name '@*' -printf '%f\n'
  find "$NM" -mindepth 2 -maxdepth 2 -path "$NM/@*/*" -printf '%P\n'
}

names="$(packages | sort -u)"
found="$(grep -E "$FORBIDDEN" <<<"$names" || true)"
if [ -n "$found" ]; then
  echo "check-prod-deps: test-only packages in the production install ($NM):" >&2
  sed 's/^/  /' <<<"$found" >&2
  echo "  A runtime package lists one in dependencies or peerDependencies (pnpm installs even an optional peer" >&2
  echo "  the workspace resolves); it belongs in devDependencies." >&2
  exit 1
fi
echo "check-prod-deps: $(grep -c . <<<"$names") packages, none test-only; node_modules $(du -sh "$NM" | cut -f1)"
