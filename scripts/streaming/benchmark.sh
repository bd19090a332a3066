#!/usr/bin/env bash
# The streaming benchmark of docs/performance.md ("Reading the data"): `TrafficSigns train --images` on image folders
# made by scripts/streaming/GenerateImages.cs, one run per line of a plan, each under GNU time: peak resident set size,
# user and system CPU, wall time, and from the run's summary.md the training images/s of each epoch, the time to the
# first training step and the test accuracy. Runs are niced (19: the machine is shared) and bounded by
# RUN_TIMEOUT seconds each (default 1800); the load average at each start is recorded with the result. KEEP_SUMMARIES=<dir>
# keeps each run's summary.md there as <label>.md.
#
# usage: scripts/streaming/benchmark.sh <plan> <results.tsv>
#   plan: one run per line, '#' starts a comment:
#     <label> <TrafficSigns binary> <image folder> <image size> <epochs> [more train options, e.g. --in-memory-limit 0]
#   A build of an earlier commit takes no --in-memory-limit and writes no read and first-step times (shown as '-').
set -euo pipefail
if [ $# -ne 2 ]; then
  sed -n '2,12p' "$0"
  exit 2
fi
plan=$1
results=$2
[ -f "$results" ] || printf 'label\timages\tsize\tepochs\tpeak_rss_mb\tuser_s\tsys_s\twall_s\tfolder_read_s\tfirst_batch_s\timages_per_s\ttest_accuracy\tload_1min\n' > "$results"

while read -r label binary folder size epochs extra; do
  case "$label" in ''|'#'*) continue ;; esac
  work=$(mktemp -d)
  load=$(cut -d' ' -f1 /proc/loadavg)
  images=$(find -L "$folder" -type f | wc -l)
  echo "== $label: $images images at ${size}×${size}, $epochs epoch(s) $extra (load $load)"
  # shellcheck disable=SC2086 # $extra is a list of options
  if ! nice -n 19 /usr/bin/time -v -o "$work/time" timeout "${RUN_TIMEOUT:-1800}" "$binary" train --images "$folder" --image-size "$size" --epochs "$epochs" \
      --patience 0 --seed 0 --output "$work/run" $extra > "$work/log" 2>&1; then
    echo "   failed:"; tail -5 "$work/log"
  fi
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time")
  user=$(awk -F': ' '/User time/ {print $2}' "$work/time")
  sys=$(awk -F': ' '/System time/ {print $2}' "$work/time")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.0f", s}' "$work/time")
  summary="$work/run/summary.md"
  ips=$( [ -f "$summary" ] && awk -F'|' '/^\| [0-9]+ \|/ {gsub(/ /, "", $6); printf "%s%s", sep, $6; sep = "/"}' "$summary" || true)
  first=$( [ -f "$summary" ] && grep -o 'first training step done after [0-9.]* s' "$summary" | grep -o '[0-9.]*' || true)
  reading=$( [ -f "$summary" ] && grep -o 'read in [0-9.]* s' "$summary" | head -1 | grep -o '[0-9.]*' || true)
  accuracy=$( [ -f "$summary" ] && grep -o 'micro accuracy \*\*[0-9.]* %' "$summary" | grep -o '[0-9.]* %' || true)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$images" "$size" "$epochs" "$rss" "$user" "$sys" "$wall" \
    "${reading:--}" "${first:--}" "${ips:--}" "${accuracy:--}" "$load" | tee -a "$results"
  if [ -n "${KEEP_SUMMARIES:-}" ] && [ -f "$summary" ]; then mkdir -p "$KEEP_SUMMARIES"; cp "$summary" "$KEEP_SUMMARIES/$label.md"; fi
  rm -rf "$work"
done < "$plan"
