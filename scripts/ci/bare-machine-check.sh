#!/usr/bin/env bash
# The README's two commands on a bare machine: a fresh clone, PATH holding only the distribution's /usr/bin (its Node,
# 20 here, and npm) and an empty HOME, so no Node 24, no pnpm and no installed workspace can help. Only downloads are
# reused, to keep it fast: npm's cache and pnpm's store hold the registry's bytes, not installed tools.
#
# - `npm start` must fetch the toolchain, install, build, log "gRPC listening" and answer grpc.health.v1 SERVING.
# - `npm test` must get as far as running a suite: the first vitest RUN line of `turbo run test`. What follows that
#   line is `pnpm run test:packages`, the whole suite, which .ci/run runs next through `pnpm test` and the same
#   scripts/bootstrap.mjs; running it twice would add most of an hour and prove nothing more about a bare machine.
#
# The server gets AUTH_GRPC_PORT=0 (the port it picks is read from its log) so that a server already on 50051 does not
# fail the check; everything else is the README's defaults. Under CI=true a machine without /usr/bin/node fails.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TIMEOUT="${BARE_CHECK_TIMEOUT:-900}"

if [ ! -x /usr/bin/node ] || [ ! -x /usr/bin/npm ]; then
  echo "bare-machine check: this machine has no /usr/bin/node and /usr/bin/npm (a distribution's Node)" >&2
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi
echo "bare-machine check: /usr/bin/node $(/usr/bin/node --version), npm $(/usr/bin/npm --version)"

# A failure is printed and also appended to $BARE_CHECK_FAILURE_LOG, which .ci/run repeats at its end.
fail() { echo "bare-machine check: $*" | tee -a "${BARE_CHECK_FAILURE_LOG:-/dev/null}" >&2; exit 1; }

WORK="$(mktemp -d)"
PGIDS=()
cleanup() {
  for pgid in "${PGIDS[@]}"; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

git clone --quiet --no-hardlinks "$ROOT" "$WORK/repo"
mkdir -p "$WORK/home"
NPM_CACHE="$(/usr/bin/npm config get cache 2>/dev/null || echo "$HOME/.npm")"
PNPM_STORE="${PNPM_STORE_DIR:-$HOME/.local/share/pnpm/store}"
BARE_ENV=(env -i "PATH=/usr/bin:/bin" "HOME=$WORK/home" "TERM=dumb" "npm_config_cache=$NPM_CACHE" "npm_config_store_dir=$PNPM_STORE")

# Runs one README command in its own process group, output to $WORK/<name>.log; prints the group id.
launch() {
  local name="$1"; shift
  (cd "$WORK/repo" && exec setsid "${BARE_ENV[@]}" "$@" >"$WORK/$name.log" 2>&1) &
  PGIDS+=("$!")
}
# Waits until the log of the last command launched matches the pattern; fails with the log's end otherwise.
wait_for() {
  local name="$1" pattern="$2" deadline=$((SECONDS + TIMEOUT)) pgid="${PGIDS[-1]}"
  until grep -Eq "$pattern" "$WORK/$name.log" 2>/dev/null; do
    # The leader's pid is checked as well as its group: until the background subshell has exec'd setsid, the group
    # does not exist yet, and a group-only check raced with it (CI failed once that way, the log still empty).
    if { ! kill -0 "$pgid" 2>/dev/null && ! kill -0 -- "-$pgid" 2>/dev/null; } || [ "$SECONDS" -ge "$deadline" ]; then
      {
        echo "bare-machine check: \`$name\` never printed /$pattern/ ($(kill -0 "$pgid" 2>/dev/null && echo "still running after ${TIMEOUT} s" || echo "it exited")); the end of its output:"
        tail -40 "$WORK/$name.log"
      } | tee -a "${BARE_CHECK_FAILURE_LOG:-/dev/null}" >&2
      exit 1
    fi
    sleep 1
  done
}
stop_last() {
  kill -TERM -- "-${PGIDS[-1]}" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 -- "-${PGIDS[-1]}" 2>/dev/null || return 0; sleep 1; done
  kill -KILL -- "-${PGIDS[-1]}" 2>/dev/null || true
}

started=$SECONDS
launch start AUTH_GRPC_PORT=0 npm start
wait_for start 'gRPC listening on [0-9.]+:[0-9]+'
port="$(grep -Eo 'gRPC listening on [0-9.]+:[0-9]+' "$WORK/start.log" | head -1 | sed 's/.*://')"
if ! /usr/bin/node --version | grep -q "^v$(cat "$ROOT/.nvmrc")\."; then
  grep -q "fetching node@" "$WORK/start.log" || fail "npm start did not fetch Node: something pre-installed helped"
fi
NODE_BIN="$WORK/home/.cache/authsvc/node$(cat "$ROOT/.nvmrc")/bin"
[ -x "$NODE_BIN/node" ] || NODE_BIN=/usr/bin
health="$(cd "$WORK/repo" && env -i "PATH=$NODE_BIN:/usr/bin:/bin" "AUTH_GRPC_PORT=$port" node apps/grpc-server/dist/cli/healthcheck.command.js)"
[ "$health" = SERVING ] || fail "health answered '$health'"
echo "bare-machine check: npm start served on port $port (health $health) after $((SECONDS - started)) s, with $("$NODE_BIN/node" --version)"
stop_last

started=$SECONDS
launch test npm test
wait_for test ':test: .*RUN +v[0-9]'
echo "bare-machine check: npm test was running the suites after $((SECONDS - started)) s: $(grep -Em1 ':test: .*RUN +v[0-9]' "$WORK/test.log" | sed 's/^ *//')"
stop_last
