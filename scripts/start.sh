#!/usr/bin/env bash
# The README's start command: set up, then serve the default deployment in config/.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
source scripts/server-env.sh
exec node bin/rankd.js serve --config config "$@"
