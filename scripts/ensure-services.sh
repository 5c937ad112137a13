# Sourced by the test script: the integration tests start their own etcd,
# redis-server and memcached processes, so the binaries must be installed.
set -euo pipefail

missing=()
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v memcached >/dev/null 2>&1 || missing+=(memcached)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing[*]} (needed by the integration tests)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # The packages start system services; the tests run their own instances.
    for svc in etcd redis-server memcached; do
      service "$svc" stop >/dev/null 2>&1 || true
    done
  else
    echo "rankd tests need etcd, redis-server and memcached: run 'sudo apt-get install -y ${missing[*]}' and try again" >&2
    exit 1
  fi
fi
