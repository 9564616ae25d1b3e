#!/usr/bin/env bash
# A small Dockerfile lint, because hadolint is not in Debian and nothing may be downloaded from elsewhere on these
# machines. Each rule below is one line of grep/awk and says which hadolint rule (or issue requirement) it stands
# in for. It is no substitute for building the image: that needs a Docker engine (docs/operations.md).
#
#   bash scripts/ci/lint-dockerfile.sh [Dockerfile]
set -euo pipefail
cd "$(dirname "$0")/../.."
FILE="${1:-Dockerfile}"
[ -f "$FILE" ] || { echo "lint-dockerfile: $FILE not found" >&2; exit 1; }

# Instructions with continuation lines joined and comments dropped, one per line.
instructions="$(sed -e 's/^[[:space:]]*#.*$//' "$FILE" | awk '{ if (sub(/\\$/, "")) { printf "%s ", $0 } else { print } }' | grep -Ev '^[[:space:]]*$')"
fail=0
problem() { echo "lint-dockerfile: $FILE: $*" >&2; fail=1; }
has() { grep -Eiq -- "$1" <<<"$instructions"; }

# ARG defaults that FROM lines use, so `FROM ${NODE_IMAGE}` is checked against the image it names.
resolve_from() {
  local image="$1" name default
  if [[ "$image" =~ ^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$ ]]; then
    name="${BASH_REMATCH[1]}"
    default="$(grep -E "^ARG ${name}=" <<<"$instructions" | head -1 | sed -E "s/^ARG ${name}=//")"
    echo "${default:-$image}"
  else
    echo "$image"
  fi
}

stages=()
while read -r _ image rest; do
  stages+=("$(resolve_from "$image")")
done < <(grep -Ei '^FROM ' <<<"$instructions")

# DL3006/DL3007: every base image has an explicit tag, and none is `latest`.
for image in "${stages[@]}"; do
  name="${image%% *}"
  if grep -q '^[a-z0-9._/-]*$' <<<"$name"; then
    # a previous stage used as a base
    grep -Eiq "^FROM .* AS ${name}\$" <<<"$instructions" && continue
  fi
  [[ "$name" == *:* || "$name" == *@sha256:* ]] || problem "base image '$name' has no tag (DL3006)"
  [[ "$name" == *:latest ]] && problem "base image '$name' uses the latest tag (DL3007)"
done
# The issue: a Node 24 runtime, built in several stages.
[ "${#stages[@]}" -ge 2 ] || problem "a multi-stage build needs at least two FROM lines"
last="${stages[${#stages[@]}-1]}"
[[ "$last" == node:24* ]] || problem "the runtime stage must be node:24 (is '$last')"

# DL3002 / the issue: the final user is not root.
final_user="$(grep -Ei '^USER ' <<<"$instructions" | tail -1 | awk '{print $2}')"
[ -n "$final_user" ] || problem "no USER: the container would run as root (DL3002)"
[[ "$final_user" =~ ^(root|0)(:.*)?$ ]] && problem "the last USER is root (DL3002)"

# The issue: a health check through the gRPC health service, and the ports.
has '^HEALTHCHECK .*CMD' || problem "no HEALTHCHECK"
has '^HEALTHCHECK .*healthcheck' || problem "the HEALTHCHECK does not run the gRPC health probe (dist/cli/healthcheck.command.js)"
has '^EXPOSE .*50051' || problem "the gRPC port 50051 is not EXPOSEd"

# Signal handling: an init (tini) or node itself as PID 1, in exec form so no shell swallows SIGTERM (DL3025).
entry="$(grep -Ei '^(ENTRYPOINT|CMD) ' <<<"$instructions" | head -1)"
[[ "$entry" =~ ^(ENTRYPOINT|CMD)\ +\[ ]] || problem "ENTRYPOINT/CMD must use the exec (JSON) form so the process receives SIGTERM (DL3025)"
grep -Eq '"(/usr/bin/tini|tini|node|dumb-init)"' <<<"$entry" || problem "the entry point must be tini (or node) so SIGTERM reaches node"

# DL3020 and the machines' rule: no ADD (and never of a URL); no curl|wget of binaries into the image.
has '^ADD ' && problem "use COPY instead of ADD (DL3020)"
has '(curl|wget) ' && problem "downloads with curl/wget are not allowed: packages come from npm or Debian"

# Production dependencies only, and apt hygiene (DL3009, DL3015).
has 'deploy .*--prod|install .*--prod' || problem "no production-only dependency install (pnpm deploy --prod)"
if has 'apt-get install'; then
  has 'apt-get install [^&]*--no-install-recommends' || problem "apt-get install without --no-install-recommends (DL3015)"
  has 'rm -rf /var/lib/apt/lists' || problem "apt lists are not removed after apt-get install (DL3009)"
fi
# DL4006-ish: no `sudo` in a Dockerfile (DL3004).
has '(^| )sudo ' && problem "sudo in a RUN (DL3004)"
# Secrets never baked in.
has '^(ENV|ARG) [^=]*(PASSWORD|SECRET|TOKEN)[^=]*=' && problem "a secret-looking ENV/ARG has a value baked into the image"
# The HTTP side port serves /metrics without authentication: the image leaves it on loopback (AUTH_HTTP_HOST's default);
# exposing it is the operator's choice at run time. Nor does the image allow embedded mode on a public address itself.
has '^ENV .*AUTH_HTTP_HOST=' && problem "the image must not set AUTH_HTTP_HOST: the side port (/metrics, no authentication) stays on loopback unless the operator exposes it"
has '^ENV .*AUTH_ALLOW_INSECURE_EMBEDDED=' && problem "the image must not set AUTH_ALLOW_INSECURE_EMBEDDED: that is the operator's decision at run time"

# The image builds with the pnpm the repository pins (package.json's packageManager).
pinned="$(sed -nE 's/.*"packageManager": *"pnpm@([^"+]+).*/\1/p' package.json)"
arg="$(grep -E '^ARG PNPM_VERSION=' <<<"$instructions" | sed -E 's/^ARG PNPM_VERSION=//')"
if [ -n "$arg" ] && [ "$arg" != "$pinned" ]; then problem "ARG PNPM_VERSION=$arg differs from package.json's pnpm@$pinned"; fi

[ "$fail" -eq 0 ] || exit 1
echo "lint-dockerfile: $FILE passes ($(grep -c . <<<"$instructions") instructions, ${#stages[@]} stages, runtime $last, user $final_user)"
