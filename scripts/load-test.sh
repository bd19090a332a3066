#!/usr/bin/env bash
# Load test of the scoring service (samples/ScoringService), on loopback only, bounded in count and time.
#
#   bash scripts/load-test.sh --model output/model.zip            # a model trained by the TrafficSigns sample
#
# For each scoring mode (EnginePool, MicroBatch) it starts the built service on 127.0.0.1, warms it up, then sends
# --requests single-image POST /predict requests at each --concurrency with `hey` (Debian package; installed when
# missing and possible), and reports images/s, p50 / p99 latency, errors (non-200 or failed), the service's CPU time
# per image and its resident memory before and after. Then, in the default mode: --leak-requests more at 32 concurrent
# (memory after each half), batch requests (POST /predict/batch, --batch-size images each) against in-process batch
# scoring of the same image (scripts/serving/InProcessBatch.cs: model.Transform over image files). Every hey run is
# also bounded by `timeout`. Results: <out>/summary.md (and the raw hey outputs and service logs next to it).
set -euo pipefail
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT_DIR"

MODEL="output/model.zip"
IMAGE=""
REQUESTS=20000
CONCURRENCY="1 8 32"
LEAK_REQUESTS=100000
MODES="EnginePool MicroBatch"
BATCH_SIZE=64
BATCH_REQUESTS=150
PORT=5091
OUT="load-test-results"
BUILD=1
IN_PROCESS=1
SERVICE_ARGS=""
usage() { sed -n '2,13p' "$0"; echo "options: --model --image --requests --concurrency \"1 8 32\" --leak-requests --modes \"EnginePool MicroBatch\" --batch-size --batch-requests --port --out --service-args \"--Scoring:OnnxIntraOpThreads=0 …\" --no-build --no-in-process"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODEL="$2"; shift 2 ;;
    --image) IMAGE="$2"; shift 2 ;;
    --requests) REQUESTS="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --leak-requests) LEAK_REQUESTS="$2"; shift 2 ;;
    --modes) MODES="$2"; shift 2 ;;
    --batch-size) BATCH_SIZE="$2"; shift 2 ;;
    --batch-requests) BATCH_REQUESTS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --service-args) SERVICE_ARGS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-in-process) IN_PROCESS=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "load-test.sh: unknown option '$1'"; usage; exit 2 ;;
  esac
done

log() { printf '[load-test] %s\n' "$*"; }
[ -f "$MODEL" ] || { log "No model at '$MODEL'. Train one (dotnet run -c Release --project samples/TrafficSigns -- train --images <folder>) or pass --model."; exit 2; }
if ! command -v hey >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "Installing hey (HTTP load generator, Debian package)."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hey >/dev/null 2>&1 || true
  fi
  command -v hey >/dev/null 2>&1 || { log "hey is not installed: apt-get install hey (Debian/Ubuntu)."; exit 2; }
fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
MODEL="$(cd "$(dirname "$MODEL")" && pwd)/$(basename "$MODEL")"
[ -n "$IMAGE" ] || IMAGE="data/gtsrb-subset/Train/14/00014_00000_00007.png"   # a 32×32 stop sign of the built-in subset
IMAGE="$(cd "$(dirname "$IMAGE")" && pwd)/$(basename "$IMAGE")"
case "$IMAGE" in
  *.png) TYPE=image/png ;; *.jpg|*.jpeg) TYPE=image/jpeg ;; *.bmp) TYPE=image/bmp ;; *.gif) TYPE=image/gif ;; *.webp) TYPE=image/webp ;;
  *) TYPE=application/octet-stream ;;
esac
BATCH_BODY="$OUT/batch.body"
BATCH_TYPE=$(python3 scripts/serving/batch-body.py "$IMAGE" "$BATCH_SIZE" "$BATCH_BODY")

if [ "$BUILD" -eq 1 ]; then
  log "Building samples/ScoringService (Release)."
  dotnet build samples/ScoringService -c Release -nologo -v quiet >/dev/null
fi
DLL="samples/ScoringService/bin/Release/net10.0/ScoringService.dll"
URL="http://127.0.0.1:$PORT"
SERVICE_PID=""
stop_service() {
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true
  fi
  SERVICE_PID=""
}
trap stop_service EXIT

start_service() {  # $1 = mode
  # shellcheck disable=SC2086 # SERVICE_ARGS: several arguments
  dotnet "$DLL" --model "$MODEL" --urls "$URL" --Scoring:Mode="$1" --Scoring:WatchModelFile=false $SERVICE_ARGS > "$OUT/service-$1.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 120); do
    curl -sf "$URL/health" >/dev/null 2>&1 && return 0
    kill -0 "$SERVICE_PID" 2>/dev/null || { log "The service exited:"; cat "$OUT/service-$1.log"; exit 1; }
    sleep 1
  done
  log "The service did not answer /health within 120 s."; exit 1
}

rss_mib() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVICE_PID/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVICE_PID/stat"; }
load_now() { cut -d' ' -f1-3 /proc/loadavg; }
others() { ps -eo pcpu=,comm= --sort=-pcpu | awk 'NR <= 4 { printf "%s%s %s%%", (NR > 1 ? ", " : ""), $2, $1 }'; }

# hey run → one table row. $1 label, $2 requests, $3 concurrency, $4 path, $5 content type, $6 body, $7 images per request
measure() {
  local label="$1" n="$2" c="$3" path="$4" type="$5" body="$6" per="$7" file ticks_before ticks_after rss_before rss_after
  file="$OUT/hey-$(echo "$label" | tr ' /' '__')-c$c.txt"
  rss_before=$(rss_mib); ticks_before=$(cpu_ticks)
  local load_before; load_before=$(load_now)
  timeout 900 hey -n "$n" -c "$c" -m POST -T "$type" -D "$body" -t 60 "$URL$path" > "$file" 2>&1 || true
  ticks_after=$(cpu_ticks); rss_after=$(rss_mib)
  python3 - "$file" "$n" "$c" "$per" "$label" "$rss_before" "$rss_after" "$(( ticks_after - ticks_before ))" "$(getconf CLK_TCK)" "$load_before" <<'PY'
import re, sys
path, n, c, per, label, rss0, rss1, ticks, hz, load = sys.argv[1:]
text = open(path).read()
def number(pattern, default=float("nan")):
    m = re.search(pattern, text)
    return float(m.group(1)) if m else default
rps = number(r"Requests/sec:\s+([\d.]+)")
p50 = number(r"50% in ([\d.]+) secs") * 1000
p99 = number(r"99% in ([\d.]+) secs") * 1000
ok = int(number(r"\[200\]\s+(\d+) responses", 0))
sent = (int(n) // int(c)) * int(c)
statuses = sum(int(x) for x in re.findall(r"\[\d{3}\]\s+(\d+) responses", text))
errors = sent - ok
images = ok * int(per)
cpu_ms = 1000 * int(ticks) / int(hz) / images if images else float("nan")
print(f"| {label} | {c} | {sent:,} | {rps * int(per):,.0f} | {p50:.1f} | {p99:.1f} | {errors} | {cpu_ms:.2f} | {rss0} → {rss1} | {load} |")
PY
}

HEADER="| run | concurrent | requests | images/s | p50 ms | p99 ms | errors | service CPU ms / image | service RSS MiB before → after | load average before |
|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
{
  echo "# Scoring service load test"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(lscpu | awk -F: '/^Model name/ { gsub(/^ +/, "", $2); print $2 }'), $(nproc) cores; .NET $(dotnet --version)."
  echo "Model: $MODEL ($(stat -c %s "$MODEL") bytes); image: $IMAGE ($(stat -c %s "$IMAGE") bytes, $TYPE)."
  echo "Service settings: Mode per row${SERVICE_ARGS:+, $SERVICE_ARGS}. Busiest processes before the runs: $(others)."
  echo
  echo "$HEADER"
} > "$OUT/summary.md"

FIRST_MODE="${MODES%% *}"
for mode in $MODES; do
  log "Mode $mode: starting the service."
  start_service "$mode"
  timeout 300 hey -n 2000 -c 8 -m POST -T "$TYPE" -D "$IMAGE" "$URL/predict" >/dev/null 2>&1 || true   # warm-up
  for c in $CONCURRENCY; do
    log "Mode $mode: $REQUESTS requests at $c concurrent."
    measure "$mode /predict" "$REQUESTS" "$c" /predict "$TYPE" "$IMAGE" 1 | tee -a "$OUT/summary.md"
  done
  if [ "$mode" = "$FIRST_MODE" ]; then
    half=$(( LEAK_REQUESTS / 2 ))
    for part in 1 2; do
      log "Mode $mode: memory, $half requests at 32 concurrent (part $part of 2)."
      measure "$mode memory, part $part" "$half" 32 /predict "$TYPE" "$IMAGE" 1 | tee -a "$OUT/summary.md"
    done
  fi
  for c in 1 2 4; do
    log "Mode $mode: $BATCH_REQUESTS batch requests of $BATCH_SIZE images at $c concurrent."
    measure "$mode /predict/batch ($BATCH_SIZE images)" "$BATCH_REQUESTS" "$c" /predict/batch "$BATCH_TYPE" "$BATCH_BODY" "$BATCH_SIZE" | tee -a "$OUT/summary.md"
  done
  echo "Service threads at the end ($mode): $(awk '/^Threads/ { print $2 }' "/proc/$SERVICE_PID/status")." >> "$OUT/notes.txt"
  stop_service
done

if [ "$IN_PROCESS" -eq 1 ]; then
  log "In-process batch scoring (the baseline of the batch requests)."
  {
    echo
    echo "In-process, same model and image (scripts/serving/InProcessBatch.cs, model.Transform over $BATCH_SIZE image files per call, one thread):"
    echo
    for threads in 0 1; do
      echo "- $(timeout 900 dotnet run scripts/serving/InProcessBatch.cs -- "$MODEL" "$IMAGE" "$BATCH_SIZE" "$BATCH_REQUESTS" "$threads" 2>&1 | tail -1)"
    done
  } | tee -a "$OUT/summary.md"
fi
{ echo; echo "Busiest processes after the runs: $(others)."; cat "$OUT/notes.txt" 2>/dev/null; } >> "$OUT/summary.md"
rm -f "$OUT/notes.txt"
log "Done: $OUT/summary.md"
cat "$OUT/summary.md"
