#!/usr/bin/env bash
# End-to-end import figures (issue 4): a generated N-row CSV statement
# imported into PostgreSQL through `scale import` (parse, normalize,
# fingerprint, classify, store in one transaction), reported next to a raw
# COPY of the same rows into a bare table, plus the importer's peak RSS.
#
#   BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres ROWS=1000000 deploy/bench-import.sh
#
# The generated rows cycle through six years of dates again and again (the
# worst case for the date-ordered index and the occurrence index);
# ORDER=date sorts the same rows by date, as a bank's export is.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BENCH_PG:?set BENCH_PG to a PostgreSQL URL (a database bench_import_* is created and dropped)}"
ROWS=${ROWS:-1000000}
ORDER=${ORDER:-generated}
db="bench_import_$$"
admin=$BENCH_PG
psql "$admin" -qc "CREATE DATABASE $db"
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null' EXIT
url=$(echo "$BENCH_PG" | sed -E "s#/[^/?]*(\?|$)#/$db\1#")
mkdir -p bin tmp
go build -o bin/scale ./cmd/scale
csv=tmp/bench-$ROWS.csv
if [ ! -f "$csv" ]; then
  awk -v n="$ROWS" 'BEGIN {
    print "Date,Description,Amount,Currency"
    split("REWE MARKT|CARD PAYMENT STARBUCKS|UBER *TRIP|NETFLIX.COM|AMAZON MKTPLACE|SHELL STATION|PHARMACY|SALARY ACME GMBH", m, "|")
    for (i = 0; i < n; i++) {
      d = 1 + i % 28; mo = 1 + int(i / 28) % 12; y = 2020 + int(i / 336) % 6
      amt = (i % 8 == 7) ? 3000 + i % 500 : -(1 + (i * 7919) % 20000) / 100
      printf "%04d-%02d-%02d,%s %d,%.2f,EUR\n", y, mo, d, m[1 + i % 8], i, amt
    }
  }' > "$csv"
fi
if [ "$ORDER" = date ]; then
  sorted=tmp/bench-$ROWS-by-date.csv
  [ -f "$sorted" ] || { head -1 "$csv"; tail -n +2 "$csv" | sort -t, -k1,1 -s; } > "$sorted"
  csv=$sorted
fi
echo "== $ROWS rows ($ORDER order), $(du -h "$csv" | cut -f1)"
SCALE_DATABASE_URL=$url bin/scale migrate up >/dev/null
/usr/bin/time -v -o tmp/import.time env SCALE_DATABASE_URL=$url bin/scale import --user bench --json "$csv" > tmp/import.json
secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' tmp/import.time)
rss=$(awk -F': ' '/Maximum resident set size/ {print int($2/1024)}' tmp/import.time)
inserted=$(sed -n 's/.*"inserted": \([0-9]*\).*/\1/p' tmp/import.json | head -1)
echo "scale import: $inserted rows in ${secs}s = $(awk -v r="$inserted" -v s="$secs" 'BEGIN{printf "%.0f", r/s}') rows/s, peak RSS ${rss} MB"
psql "$url" -qc "CREATE TABLE bare_copy (booked_on date, description text, amount numeric, currency text)"
start=$(date +%s%N)
psql "$url" -qc "\\copy bare_copy FROM '$csv' WITH (FORMAT csv, HEADER true)"
copy_s=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN{print (b-a)/1e9}')
echo "raw COPY into a bare table: ${copy_s}s = $(awk -v r="$ROWS" -v s="$copy_s" 'BEGIN{printf "%.0f", r/s}') rows/s"
echo "ratio (import / COPY rows/s): $(awk -v a="$copy_s" -v b="$secs" 'BEGIN{printf "%.2f", a/b}')"
