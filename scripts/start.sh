#!/usr/bin/env bash
# The README's start command: set up, then serve the default deployment in config/.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
source scripts/server-env.sh
# RANKD_NODE_FLAGS is a list of flags: split on spaces on purpose.
# shellcheck disable=SC2086
exec node $RANKD_NODE_FLAGS bin/rankd.js serve --config config "$@"
