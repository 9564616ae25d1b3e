#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine: `docker-compose config` (Debian's docker-compose package)
# parses the file against the Compose schema, resolves anchors and variables, and fails on any error. It installs
# the package when missing (apt-get, Debian's archive). Building the image and starting the stack need an engine
# these machines lack; that part is checked by hand (docs/operations.md).
#
#   bash scripts/ci/validate-compose.sh [compose-file]
set -euo pipefail
cd "$(dirname "$0")/../.."
FILE="${1:-docker-compose.yml}"

if ! command -v docker-compose >/dev/null 2>&1; then
  echo "validate-compose: installing Debian's docker-compose package" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
fi

# Variables the file reads get no value from the caller's environment: the check must not depend on who runs it.
env -i PATH="$PATH" HOME="${HOME:-/tmp}" docker-compose -f "$FILE" config --quiet
env -i PATH="$PATH" HOME="${HOME:-/tmp}" docker-compose -f "$FILE" config --services | sort > "${TMPDIR:-/tmp}/authsvc-compose-services.$$"
trap 'rm -f "${TMPDIR:-/tmp}/authsvc-compose-services.$$"' EXIT

# What the issue asks of the stack, beyond the schema: these services, health checks, ordering, named volumes.
expected="authsvc init kafka mailpit migrate postgres redis"
actual="$(tr '\n' ' ' < "${TMPDIR:-/tmp}/authsvc-compose-services.$$" | sed 's/ $//')"
if [ "$actual" != "$expected" ]; then
  echo "validate-compose: services are [$actual], expected [$expected]" >&2
  exit 1
fi
resolved="$(env -i PATH="$PATH" HOME="${HOME:-/tmp}" docker-compose -f "$FILE" config)"
fail=0
check() { # description, extended regex that must match the resolved file
  if ! grep -Eq -- "$2" <<<"$resolved"; then echo "validate-compose: missing $1" >&2; fail=1; fi
}
check "postgres:17 image" '^ +image: postgres:17'
check "redis:7 image" '^ +image: redis:7'
check "apache/kafka:4 image" '^ +image: apache/kafka:4\.'
check "KRaft roles" 'KAFKA_PROCESS_ROLES: broker,controller'
check "service_healthy conditions" 'condition: service_healthy'
check "migrations before the service" 'condition: service_completed_successfully'
check "a health check using the gRPC health probe" 'dist/cli/healthcheck.command.js'
if grep -Eq 'zookeeper' <<<"$resolved"; then echo "validate-compose: ZooKeeper found; Kafka must run in KRaft mode" >&2; fail=1; fi
if grep -Eq '^version:' "$FILE"; then echo "validate-compose: the obsolete top-level 'version:' is set" >&2; fail=1; fi
for volume in postgres-data redis-data kafka-data authsvc-secrets; do
  check "named volume $volume" "^  ${volume}:"
done
[ "$fail" -eq 0 ] || exit 1
echo "validate-compose: $FILE is valid ($(docker-compose version --short 2>/dev/null || echo docker-compose))"
