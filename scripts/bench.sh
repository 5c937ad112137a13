#!/usr/bin/env bash
# Runs one bench script from the build: bash scripts/bench.sh bench/NAME.ts [--quick]
set -euo pipefail
source "$(dirname "$0")/setup.sh"
# The allocator settings of the start command, for the bench and the servers it starts.
source scripts/server-env.sh
script="$1"; shift
exec node --expose-gc "dist/${script%.ts}.js" "$@"
