#!/usr/bin/env bash
# The README's start command: set up, then serve the default deployment in config/.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
# glibc malloc: few arenas, and large buffers always mmapped (so freed ones go
# back to the system) instead of a threshold that creeps up to 32 MiB. Each
# table load and UpdateWork starts threads; with the defaults RSS crept up
# over a soak (bench/soak.ts sets the same). Values already set win.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
exec node bin/rankd.js serve --config config "$@"
