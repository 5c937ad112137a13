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
  source scripts/apt-install.sh
  apt_install_or_explain "bench:engine needs a C compiler and libnghttp2's headers" "bench:engine's load generator" gcc libc6-dev libnghttp2-dev
fi
if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
  mkdir -p "$(dirname "$out")"
  cc -O2 -Wall -Wextra -o "$out" "$src" -lnghttp2
fi
