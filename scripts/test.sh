#!/usr/bin/env bash
# The README's test command: set up, make sure the service binaries exist, run the whole suite.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
source scripts/ensure-services.sh
exec npx vitest run "$@"
