#!/usr/bin/env bash
# HTTP load test of the portal, as reported in BENCHMARKS.md ("Every page
# under load"). For each dataset (the demo, then the national catalog of
# `pendopo gen`, 514 kabupaten/kota x 100 services) it starts the server,
# and in each of $RUNS rounds measures with wrk, $CONNS connections for
# $SECONDS_PER_RUN seconds each:
#
#   - the ceiling: a fixed 20 KB page from bare net/http (scripts/ceiling),
#     on the same cores at the same moment, the yardstick of the ratios;
#   - every public page, API list, Open311 list and open-data file, as
#     visitors who are not signed in (on the national catalog the region
#     pages go round all 514 regions, the service pages round the whole
#     catalog or a hot set of 1,000);
#   - signed-in pages on the demo: a citizen's applications, an officer's
#     queue and the console's start, for the region admin and an officer.
#
# Each measurement follows $WARMUP seconds of the same load, not counted
# (3 on the demo, 6 on the national catalog), so that it sees the steady
# state of a server that has been up a while.
#
# Then a surge: 64, 256 and 1,024 connections on the landing, region and
# service-list pages together (on the national catalog those of Kota
# Bandung, as on the day it opens school enrolment), while 64 connections
# measure another page (a region's performance dashboard); it reports 5xx, timeouts and the
# server's peak memory. At the end: a Markdown table per dataset (medians of
# the rounds, ratios to the median ceiling), the first --demo start and
# the peak memory (VmHWM) of the page rounds and of the surge.
#
#   bash scripts/load.sh                                    # both datasets
#   DATASETS=demo RUNS=1 SECONDS_PER_RUN=3 bash scripts/load.sh   # a quick look
#   PAGES='region|/daerah/33.74' bash scripts/load.sh        # chosen pages only
#   PUBLIC_CACHE=0 bash scripts/load.sh                     # without the public cache
#
# Requests carry Accept-Encoding: gzip, as browsers send (the ceiling
# gzips too). Needs wrk (apt-get install wrk). Server, ceiling and wrk
# share this machine's cores, so the numbers include wrk's own CPU use.
set -euo pipefail
cd "$(dirname "$0")/.."
DATASETS=${DATASETS:-demo national}
RUNS=${RUNS:-3}
DUR=${SECONDS_PER_RUN:-5}
# WARMUP, when set, is the same for both datasets; by default 3 s on the
# demo and 6 s on the national catalog, whose region pages are first made
# when each of the 514 regions is first asked for.
WARMUP_SET=${WARMUP:-}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
SURGE=${SURGE:-64 256 1024}
ADDR=${ADDR:-127.0.0.1:8089}
CEILING=${CEILING_ADDR:-127.0.0.1:8099}
NATIONAL=${NATIONAL:-/tmp/pendopo-national}
WORK=${WORK:-/tmp/pendopo-load}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk"; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
mkdir -p "$WORK"
rm -f "$WORK"/*.tsv
touch "$WORK/results.tsv" "$WORK/facts.tsv"

go build -o "$WORK/pendopo" ./cmd/pendopo
go build -o "$WORK/ceiling" ./scripts/ceiling
"$WORK/ceiling" -addr "$CEILING" &
CEILING_PID=$!
PID=
cleanup() { kill "$CEILING_PID" ${PID:+"$PID"} 2>/dev/null || true; }
trap cleanup EXIT
ready() { # url, tries of 0.1 s
  for _ in $(seq 1 "${2:-600}"); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "not ready: $1"; exit 1
}
ready "http://$CEILING/"

# wrk's output, reduced to: req/s, p50 ms, p99 ms, errors (non-2xx/3xx
# responses and socket errors, timeouts included).
reduce() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { err += $NF }
    /Socket errors/ { gsub(",", ""); err += $4 + $6 + $8 + $10 }
    END { printf "%.0f\t%.1f\t%.1f\t%d\n", rps, p50, p99, err }'
}

# wrk through a Lua script that goes round a list of paths.
LUA="$WORK/lua"
mkdir -p "$LUA"
roundrobin() { # name, paths... (one Lua file that requests them in turn)
  local f="$LUA/$1.lua"; shift
  {
    echo "local paths = {"
    printf '  "%s",\n' "$@"
    echo "}"
    echo 'local n = 0'
    echo 'request = function() n = n + 1; return wrk.format("GET", paths[((n * 7919) % #paths) + 1]) end'
  } >"$f"
  echo "$f"
}

measure() { # dataset, round, name, target (a path or a .lua file), [cookie]
  local ds=$1 round=$2 name=$3 target=$4 cookie=${5:-} args=()
  [ -n "$cookie" ] && args+=(-H "Cookie: $cookie")
  if [[ $target == *.lua ]]; then args+=(-s "$target" "http://$ADDR"); else args+=("http://$ADDR$target"); fi
  local line
  # A steady state, as a server that has been up for a while: the same
  # load for $WARMUP seconds first, not counted.
  [ "$WARMUP" -gt 0 ] && wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" -H 'Accept-Encoding: gzip' "${args[@]}" >/dev/null
  line=$(wrk -t"$THREADS" -c"$CONNS" -d"${DUR}s" --latency -H 'Accept-Encoding: gzip' "${args[@]}" | reduce)
  printf '%s\t%s\t%s\t%s\n' "$ds" "$name" "$round" "$line" >>"$WORK/results.tsv"
  printf '  %-28s %s\n' "$name" "$line"
}

ceiling() { # dataset, round
  local line
  line=$(wrk -t"$THREADS" -c"$CONNS" -d"${DUR}s" --latency -H 'Accept-Encoding: gzip' "http://$CEILING/" | reduce)
  printf '%s\t%s\t%s\t%s\n' "$1" "ceiling" "$2" "$line" >>"$WORK/results.tsv"
  printf '  %-28s %s\n' "ceiling (bare net/http)" "$line"
}

serve() { # data dir, extra flags...
  local data=$1; shift
  "$WORK/pendopo" serve --data "$data" --addr "$ADDR" --log-level error --public-cache "${PUBLIC_CACHE:-32MiB}" "$@" >"$WORK/server.log" 2>&1 &
  PID=$!
}

stop() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=; }

rss() { awk -v k="$1" '$1 == k":" {printf "%.0f", $2 / 1024}' "/proc/$PID/status"; }

session() { # login → the session cookie's value
  curl -fs -c - -o /dev/null -d "login=$1&password=$2" "http://$ADDR/masuk" | awk '$6 == "pendopo_sesi" {print $7}'
}

for ds in $DATASETS; do
  echo "== $ds"
  if [ "$ds" = national ]; then WARMUP=${WARMUP_SET:-6}; else WARMUP=${WARMUP_SET:-3}; fi
  case $ds in
  demo)
    data="$WORK/demo"
    # The first --demo start on a fresh directory, $RUNS times; the last
    # one serves.
    starts=()
    for i in $(seq 1 "$RUNS"); do
      [ -n "$PID" ] && stop
      rm -rf "$data"
      t0=$(date +%s.%N)
      serve "$data" --demo
      ready "http://$ADDR/readyz"
      t1=$(date +%s.%N)
      starts+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')")
      echo "first --demo start: ${starts[-1]} s to /readyz 200; RSS $(rss VmRSS) MB"
    done
    start="$(printf '%s\n' "${starts[@]}" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}') (runs: ${starts[*]})"
    printf 'demo\tstart\t1\t%s\n' "$start" >>"$WORK/facts.tsv"
    svc=$(curl -fs "http://$ADDR/daerah/33.74/layanan" | grep -oE 'href="/layanan/[0-9]+"' | head -1 | grep -oE '[0-9]+')
    hot=$(roundrobin demo-services $(curl -fs "http://$ADDR/daerah/33.74/layanan" | grep -oE 'href="/layanan/[0-9]+"' | grep -oE '/layanan/[0-9]+' | sort -u))
    pages=(
      "landing|/" "regions|/daerah" "region|/daerah/33.74" "province|/daerah/33" "service-list|/daerah/33.74/layanan"
      "category|/daerah/33.74/kategori/kependudukan" "life-event|/daerah/33.74/peristiwa/kelahiran" "agencies|/daerah/33.74/opd"
      "agency|/daerah/33.74/opd/disdukcapil" "service-points|/daerah/33.74/unit-layanan" "online|/daerah/33.74/online"
      "dashboard|/daerah/33.74/kinerja" "report-list|/daerah/33.74/laporan" "report-map-geojson|/daerah/33.74/laporan.geojson"
      "branding|/daerah/33.74/branding" "report-card|/daerah/33.74/opd/disdukcapil/rapor" "report-form|/daerah/33.74/lapor"
      "service|/layanan/$svc" "services-hot|$hot" "history|/layanan/$svc/riwayat" "compare-index|/bandingkan"
      "compare|/bandingkan/ktp-el" "ranking|/indeks" "ranking-province|/indeks/33" "search|/cari?q=akta+kelahiran"
      "about|/tentang" "privacy|/privasi" "sign-in|/masuk" "track|/lacak" "verify|/verifikasi"
      "api-regions|/api/v1/regions" "api-services|/api/v1/regions/33.74/services" "api-search|/api/v1/search?q=ktp"
      "api-compare|/api/v1/compare?kind=ktp-el" "open311-services|/open311/v2/services.json?jurisdiction_id=33.74"
      "open311-requests|/open311/v2/requests.json?jurisdiction_id=33.74" "data-catalog|/data/catalog.json"
      "data-ranking|/data/indeks.csv" "data-region|/data/daerah/33.74/kinerja.csv"
    )
    ;;
  national)
    if [ ! -f "$NATIONAL/pendopo.db" ]; then
      echo "generating the national catalog into $NATIONAL (about half a minute)"
      "$WORK/pendopo" gen --data "$NATIONAL"
    fi
    serve "$NATIONAL"
    ready "http://$ADDR/readyz"
    echo "ready; RSS $(rss VmRSS) MB"
    codes=$(curl -fs "http://$ADDR/api/v1/regions?per_page=1000" | grep -oE '"code":"[0-9]{2}\.[0-9]{2}"' | grep -oE '[0-9]{2}\.[0-9]{2}')
    provinces=$(curl -fs "http://$ADDR/api/v1/regions?level=provinsi&per_page=100" | grep -oE '"code":"[0-9]{2}"' | grep -oE '[0-9]{2}')
    each() { local out=() c; for c in $codes; do out+=("${1//@/$c}"); done; printf '%s\n' "${out[@]}"; }
    maxid=$(curl -fs "http://$ADDR/api/v1/stats" | sed -E 's/.*"services":([0-9]+).*/\1/')
    services=$(roundrobin national-services $(seq 1 97 "$maxid" | sed 's|^|/layanan/|'))
    hot=$(roundrobin national-hot $(seq 1 1000 | sed 's|^|/layanan/|'))
    # The hot set is hot: its pages have been asked for before.
    wrk -t"$THREADS" -c16 -d10s -s "$hot" "http://$ADDR" >/dev/null
    kinds=$(roundrobin national-compare $(curl -fs "http://$ADDR/api/v1/kinds?per_page=100" | grep -oE '"code":"[a-z0-9-]+"' | cut -d'"' -f4 | sed 's|^|/bandingkan/|'))
    pages=(
      "landing|/" "regions|/daerah" "region|$(roundrobin n-region $(each /daerah/@))"
      "province|$(roundrobin n-province $(printf '/daerah/%s\n' $provinces))"
      "service-list|$(roundrobin n-list $(each /daerah/@/layanan))"
      "category|$(roundrobin n-category $(each /daerah/@/kategori/kependudukan))"
      "agencies|$(roundrobin n-agencies $(each /daerah/@/opd))"
      "dashboard|$(roundrobin n-dashboard $(each /daerah/@/kinerja))"
      "report-list|$(roundrobin n-reports $(each /daerah/@/laporan))"
      "branding|$(roundrobin n-branding $(each /daerah/@/branding))"
      "services-cold|$services" "services-hot|$hot" "compare|/bandingkan/ktp-el" "compare-kinds|$kinds"
      "ranking|/indeks" "ranking-province|$(roundrobin n-ranking $(printf '/indeks/%s\n' $provinces))"
      "search|/cari?q=akta+kelahiran" "search-mix|$(roundrobin n-search $(for q in bikin+ktp akta+kelahiran kk+hilang imb izin+usaha surat+pindah pbb skck sktm pajak+motor; do echo "/cari?q=$q"; echo "/cari?q=$q&daerah=33.74"; done))"
      "api-regions|/api/v1/regions" "api-services|$(roundrobin n-api $(each /api/v1/regions/@/services))"
      "api-search|/api/v1/search?q=ktp" "api-compare|/api/v1/compare?kind=ktp-el"
      "open311-requests|$(roundrobin n-311 $(each '/open311/v2/requests.json?jurisdiction_id=@'))"
      "data-catalog|/data/catalog.json" "data-ranking|/data/indeks.csv"
    )
    ;;
  esac
  if [ -n "${PAGES:-}" ]; then IFS=' ' read -r -a pages <<<"$PAGES"; fi
  if [ "$ds" = demo ]; then
    # Signed in once, before the peak is reset: each password check takes
    # 64 MiB (argon2id) for a moment, by design and bounded apart.
    pw=$(head -1 "$WORK/demo/demo-accounts.txt")
    citizen=$(session warga@pendopo.test "$pw")
    officer=$(session petugas.3374@pendopo.test "$pw")
    admin=$(session admin.3374@pendopo.test "$pw")
    sleep 10 # time for the runtime to give those 64 MiB back
  fi
  echo 5 >"/proc/$PID/clear_refs" 2>/dev/null || true # the peak from here on
  for round in $(seq 1 "$RUNS"); do
    echo "-- round $round"
    ceiling "$ds" "$round"
    for p in "${pages[@]}"; do measure "$ds" "$round" "${p%%|*}" "${p#*|}"; done
    if [ "$ds" = demo ] && [ -z "${PAGES:-}" ]; then
      measure "$ds" "$round" "signed-in:my-applications" /permohonan "pendopo_sesi=$citizen"
      measure "$ds" "$round" "signed-in:officer-queue" /admin/daerah/33.74/permohonan "pendopo_sesi=$officer"
      measure "$ds" "$round" "signed-in:officer-console" /admin/daerah/33.74 "pendopo_sesi=$officer"
      measure "$ds" "$round" "signed-in:admin-console" /admin/daerah/33.74 "pendopo_sesi=$admin"
      measure "$ds" "$round" "signed-in:service-page" "/layanan/$svc" "pendopo_sesi=$citizen"
    fi
  done
  peak=$(rss VmHWM)
  echo "peak memory over the rounds (VmHWM): $peak MB"
  printf '%s\tpeak\t1\t%s\n' "$ds" "$peak" >>"$WORK/facts.tsv"

  # The surge: landing, region and service list together, 64 → 1,024
  # connections, while 64 others read the dashboard.
  if [ -z "${PAGES:-}" ]; then
    echo 5 >"/proc/$PID/clear_refs" 2>/dev/null || true
    if [ "$ds" = demo ]; then
      mix=$(roundrobin surge-demo / /daerah/33.74 /daerah/33.74/layanan)
      side=/daerah/33.74/kinerja
    else
      # The day Kota Bandung opens school enrolment; meanwhile people
      # open Kota Semarang's dashboard.
      mix=$(roundrobin surge-national / /daerah/32.73 /daerah/32.73/layanan)
      side=/daerah/33.74/kinerja
    fi
    for c in $SURGE; do
      wrk -t"$THREADS" -c"$c" -d"$((DUR * 2))s" --timeout 5s --latency -H 'Accept-Encoding: gzip' -s "$mix" "http://$ADDR" >"$WORK/surge.out" &
      surge_pid=$!
      sleep 1
      if [[ $side == *.lua ]]; then sargs=(-s "$side" "http://$ADDR"); else sargs=("http://$ADDR$side"); fi
      sline=$(wrk -t1 -c"$CONNS" -d"${DUR}s" --latency -H 'Accept-Encoding: gzip' "${sargs[@]}" | reduce)
      wait "$surge_pid"
      line=$(reduce <"$WORK/surge.out")
      printf '%s\tsurge-%s\t1\t%s\n' "$ds" "$c" "$line" >>"$WORK/results.tsv"
      printf '%s\tsurge-%s-side\t1\t%s\n' "$ds" "$c" "$sline" >>"$WORK/results.tsv"
      printf '  surge %5s connections: %s | dashboard (64) meanwhile: %s\n' "$c" "$line" "$sline"
    done
    speak=$(rss VmHWM)
    echo "peak memory in the surge (VmHWM): $speak MB"
    printf '%s\tsurge-peak\t1\t%s\n' "$ds" "$speak" >>"$WORK/facts.tsv"
  fi
  stop
done

# The tables: medians of the rounds; the ratio is to the median ceiling.
echo
awk -F'\t' '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return a[int((n + 1) / 2)]
  }
  FNR == NR { fact[$1 "," $2] = $4; next }
  {
    k = $1 SUBSEP $2
    if (!(k in seen)) { seen[k] = 1; order[++n] = k }
    rps[k] = rps[k] " " $4; p50[k] = p50[k] " " $5; p99[k] = p99[k] " " $6; err[k] += $7; runs[k]++
  }
  END {
    last = ""
    for (i = 1; i <= n; i++) {
      split(order[i], kk, SUBSEP); ds = kk[1]; page = kk[2]
      if (ds != last) {
        c = median(rps[ds SUBSEP "ceiling"])
        printf "\n%s (ceiling %s req/s; %s round(s))\n\n| page | req/s | of ceiling | p50 ms | p99 ms | errors |\n| --- | ---: | ---: | ---: | ---: | ---: |\n", ds, c, runs[ds SUBSEP "ceiling"]
        last = ds
      }
      r = median(rps[order[i]])
      printf "| %s | %d | %.0f %% | %s | %s | %d |\n", page, r, 100 * r / c, median(p50[order[i]]), median(p99[order[i]]), err[order[i]]
    }
    print ""
    for (f in fact) {
      split(f, ff, ",")
      if (ff[2] == "start") printf "%s: first --demo start %s s to /readyz 200\n", ff[1], fact[f]
      if (ff[2] == "peak") printf "%s: peak memory over the page rounds %s MB\n", ff[1], fact[f]
      if (ff[2] == "surge-peak") printf "%s: peak memory in the surge %s MB\n", ff[1], fact[f]
    }
  }' "$WORK/facts.tsv" "$WORK/results.tsv"
