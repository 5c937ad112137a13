# Sourced by scripts that need Debian packages. apt_install_or_explain NEEDS WHY PACKAGE...
# installs the packages when running as root with apt; otherwise prints
# "NEEDS: run 'sudo apt-get install -y PACKAGE...' and try again" and exits 1.
apt_install_or_explain() {
  local needs="$1" why="$2"
  shift 2
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing $* ($why)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    echo "$needs: run 'sudo apt-get install -y $*' and try again" >&2
    exit 1
  fi
}
