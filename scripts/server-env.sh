# Sourced by the start and bench scripts: the glibc malloc settings and node
# flags rankd serves with, so that benches measure what the start command
# runs. Values already set win.
#
# - Few arenas, and large buffers always mmapped (so freed ones go back to the
#   system) instead of a threshold that creeps up to 32 MiB. Each table load
#   and UpdateWork starts threads; with the defaults RSS crept up over a soak.
# - Transparent huge pages for malloc'd memory (glibc >= 2.35; ignored by
#   older ones): SharedArrayBuffers come from malloc, so each global table sits
#   in 2 MiB pages and a random lookup no longer misses the TLB first.
#   bench:globaldb measured 10M-entry map gets 10.2 -> 11.0 M/s with it.
# - A larger starting old generation for V8. Request buffers live outside the
#   JS heap but count towards V8's first collection limits, so with the
#   default the main thread ran a full collection every ~300 calls of 74 KB
#   (bench:engine, --trace-gc) although scavenges free those buffers. With
#   128 MiB it ran none: +15 % calls/s, for ~60 MiB more RSS. Only accepted
#   on node's command line (not in NODE_OPTIONS), hence a variable of its own.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
case "${GLIBC_TUNABLES:-}" in
  *glibc.malloc.hugetlb=*) ;;
  *) export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.malloc.hugetlb=1" ;;
esac
export RANKD_NODE_FLAGS="${RANKD_NODE_FLAGS---initial-old-space-size=128}"
