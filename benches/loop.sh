#!/usr/bin/env bash
# Interleaved indexing runs of gazette (entities on and off) and tantivy-cli
# on one JSON Lines file, so that all three see the same phase of the machine:
#   benches/loop.sh FILE RUNS [GAZETTE] [TANTIVY_META]
# TANTIVY_META is a tantivy-cli meta.json made with `tantivy new` (see
# benches/README.md); without it, tantivy-cli is left out.
# Prints one line per run: label, wall s, user s, sys s, max RSS KB.
set -euo pipefail
file=$1 runs=$2 gazette=${3:-./target/release/gazette} meta=${4:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for _ in $(seq 1 "$runs"); do
  rm -rf "$work/idx"
  /usr/bin/time -f "on %e %U %S %M" "$gazette" index "$file" --index "$work/idx" --quiet
  rm -rf "$work/idx"
  /usr/bin/time -f "off %e %U %S %M" "$gazette" index "$file" --index "$work/idx" --quiet --no-entities
  if [ -n "$meta" ]; then
    rm -rf "$work/tc"; mkdir "$work/tc"; cp "$meta" "$work/tc/meta.json"
    /usr/bin/time -f "tcli %e %U %S %M" tantivy index -i "$work/tc" -f "$file" -t 2 >/dev/null
  fi
done
