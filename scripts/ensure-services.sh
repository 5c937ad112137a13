# Sourced by the test script: the integration tests start their own etcd,
# redis-server and memcached processes, so the binaries must be installed.
set -euo pipefail

missing=()
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v memcached >/dev/null 2>&1 || missing+=(memcached)

if [ ${#missing[@]} -gt 0 ]; then
  source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"
  apt_install_or_explain "rankd tests need etcd, redis-server and memcached" "needed by the integration tests" "${missing[@]}"
  # The packages start system services; the tests run their own instances.
  for svc in etcd redis-server memcached; do
    service "$svc" stop >/dev/null 2>&1 || true
  done
fi
