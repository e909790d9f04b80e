#!/usr/bin/env bash
# Installs Debian's redis-server for the fleet-mode tests when it is missing.
# The tests start their own redis-server bound to 127.0.0.1 on a free port;
# nothing here starts a server. Without root and without redis-server, the
# fleet tests are skipped with a message (CI runs as root and installs it).
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing redis-server (Debian package) for the fleet tests"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server >/dev/null 2>&1 || {
    apt-get update -q >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server >/dev/null
  }
  # The package starts a system service on 6379; the tests do not use it.
  (service redis-server stop || systemctl stop redis-server || true) >/dev/null 2>&1
else
  echo "redis-server not found and cannot be installed here: fleet tests will be skipped" >&2
fi
