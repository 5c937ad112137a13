#!/usr/bin/env bash
# Builds bench:engine's load generator (bench/engine/rank-load.c) into
# dist/bench/engine/rank-load when the source is newer. It needs a C compiler
# and libnghttp2's headers (Debian: gcc, libnghttp2-dev): installed here when
# missing if running as root with apt, else one line says what to install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
src=bench/engine/rank-load.c
out=dist/bench/engine/rank-load

have_headers() { echo '#include <nghttp2/nghttp2.h>' | cc -E -x c - >/dev/null 2>&1; }
if ! command -v cc >/dev/null 2>&1 || ! have_headers; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing gcc and libnghttp2-dev (bench:engine's load generator)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends gcc libc6-dev libnghttp2-dev >/dev/null
  else
    echo "bench:engine needs a C compiler and libnghttp2's headers: run 'sudo apt-get install -y gcc libnghttp2-dev' and try again" >&2
    exit 1
  fi
fi
if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
  mkdir -p "$(dirname "$out")"
  cc -O2 -Wall -Wextra -o "$out" "$src" -lnghttp2
fi
