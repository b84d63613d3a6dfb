#!/usr/bin/env bash
# HTTP load test of the portal on the national catalog (514 kab/kota x 100
# services), as reported in BENCHMARKS.md. It builds pendopo, generates the
# catalog into $DATA once, starts the server, runs wrk against a static
# asset (the baseline of this machine at this moment), service pages and
# searches, $RUNS times each, and prints requests per second per run and the
# server's peak memory.
#
#   bash scripts/load.sh            # defaults below
#   DATA=/tmp/cat RUNS=5 SECONDS_PER_RUN=15 CONNS=64 bash scripts/load.sh
#   SEARCH_CACHE=-1 bash scripts/load.sh   # searches without the result cache
#   MEMORY_LIMIT=0 bash scripts/load.sh    # without the soft memory limit
#
# Needs wrk (apt-get install wrk). The server and wrk share this machine's
# cores, so the numbers include wrk's own CPU use.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-/tmp/pendopo-national}
RUNS=${RUNS:-3}
DUR=${SECONDS_PER_RUN:-10}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
ADDR=${ADDR:-127.0.0.1:8089}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk"; exit 1; }

go build -o /tmp/pendopo-load ./cmd/pendopo
if [ ! -f "$DATA/pendopo.db" ]; then
  echo "generating the national catalog into $DATA (about half a minute)"
  /tmp/pendopo-load gen --data "$DATA"
fi
/tmp/pendopo-load serve --data "$DATA" --addr "$ADDR" --log-level error --search-cache "${SEARCH_CACHE:-4096}" --memory-limit "${MEMORY_LIMIT:-256MiB}" >/tmp/pendopo-load.out 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fs "http://$ADDR/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
echo "server ready: $(grep -c . /tmp/pendopo-load.out || true) log lines; RSS after start: $(awk '/VmRSS/{print $2" kB"}' /proc/$PID/status)"
MAXID=$(curl -fs "http://$ADDR/api/v1/stats" | sed -E 's/.*"services":([0-9]+).*/\1/')
CSS=$(curl -fs "http://$ADDR/" | grep -oE '/static/[0-9a-f]+/pendopo.css' | head -1)

LUA=$(mktemp -d)
cat >"$LUA/service.lua" <<LUAEOF
-- Random published services over the whole catalog: mostly cache misses.
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/layanan/" .. (1 + (n * 7919) % $MAXID))
end
LUAEOF
cat >"$LUA/hot.lua" <<'LUAEOF'
-- A hot set of 1,000 services, as when a few services draw most visits.
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/layanan/" .. (1 + (n * 7919) % 1000))
end
LUAEOF
cat >"$LUA/search.lua" <<'LUAEOF'
-- The benchmark query mix; half within a kabupaten/kota, half nationwide.
local qs = {"bikin+ktp", "akta+kelahiran", "akte+lahir+anak", "kk+hilang", "imb", "izin+usaha", "surat+pindah",
  "pbb", "skck", "kartu+kuning", "sktm", "kelahrian", "pajak+motor", "surat+keterangan+domisili",
  "legalisir+ijazah", "pemakaman", "ktp+rusak", "cerai", "sertifkat+laik+fungsi", "daftar+sekolah"}
local regions = {"33.74", "33.72", "11.01", "35.78", "51.71", "73.71", "91.71", "12.75", "32.73", "64.72"}
local n = 0
request = function()
  n = n + 1
  local path = "/cari?q=" .. qs[(n % #qs) + 1]
  if n % 2 == 0 then path = path .. "&daerah=" .. regions[(n % #regions) + 1] end
  return wrk.format("GET", path)
end
LUAEOF

bench() { # name, wrk args...
  local name=$1; shift
  local all=()
  for r in $(seq 1 "$RUNS"); do
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"${DUR}s" --latency "$@")
    rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
    p99=$(echo "$out" | awk '$1=="99%"{print $2}')
    errs=$(echo "$out" | awk '/Non-2xx/{print $NF}')
    all+=("$rps")
    printf '%-14s run %d: %10s req/s  p99 %-8s %s\n' "$name" "$r" "$rps" "$p99" "${errs:+non-2xx $errs}"
  done
  printf '%-14s median: %s req/s\n' "$name" "$(printf '%s\n' "${all[@]}" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')"
}

bench baseline-css "http://$ADDR$CSS"
bench service-cold -s "$LUA/service.lua" "http://$ADDR"
bench service-hot -s "$LUA/hot.lua" "http://$ADDR"
bench search -s "$LUA/search.lua" "http://$ADDR"
echo "server peak memory (VmHWM): $(awk '/VmHWM/{print $2" kB"}' /proc/$PID/status)"
