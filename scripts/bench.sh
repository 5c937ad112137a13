#!/usr/bin/env bash
# Runs one bench script from the build: bash scripts/bench.sh bench/NAME.ts [--quick]
set -euo pipefail
source "$(dirname "$0")/setup.sh"
script="$1"; shift
exec node --expose-gc "dist/${script%.ts}.js" "$@"
