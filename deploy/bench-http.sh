#!/usr/bin/env bash
# Load and start-up figures of the reference server against a bare net/http
# baseline, side by side in one run (issues 2 and 8). Loopback only; every
# loop is bounded.
#
#   deploy/bench-http.sh                      # start-up + authenticated GET /api/v1/profile
#   BENCH_PG=postgres://... deploy/bench-http.sh  # + GET /api/v1/transactions over 1M rows
#
# Needs wrk and curl. Prints medians and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-8s}
CONNS=${CONNS:-50}
SECRET=bench-secret-bench-secret-bench-secret-00
mkdir -p bin
go build -o bin/scale ./cmd/scale
go build -o bin/bare ./deploy/loadtest/bare

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# wait_ready URL: poll until 200, print the elapsed milliseconds since $start.
wait_ready() {
  for _ in $(seq 1 2000); do
    if curl -fs -o /dev/null "$1"; then
      echo $(( ($(date +%s%N) - start) / 1000000 )); return 0
    fi
    sleep 0.002
  done
  echo "timeout" >&2; return 1
}

echo "== start-up to ready (median of 15 runs, ms)"
s_times=(); b_times=()
for i in $(seq 1 15); do
  start=$(date +%s%N); SCALE_ADDR=127.0.0.1:18091 SCALE_JWT_SECRET=$SECRET bin/scale serve >/dev/null 2>&1 & pid=$!
  s_times+=("$(wait_ready http://127.0.0.1:18091/ready)"); kill $pid; wait $pid 2>/dev/null || true
  start=$(date +%s%N); bin/bare -addr 127.0.0.1:18090 >/dev/null 2>&1 & pid=$!
  b_times+=("$(wait_ready http://127.0.0.1:18090/api/v1/profile)"); kill $pid; wait $pid 2>/dev/null || true
done
s_med=$(printf '%s\n' "${s_times[@]}" | median); b_med=$(printf '%s\n' "${b_times[@]}" | median)
echo "scale serve (memory, shipped model): ${s_med} ms   bare net/http: ${b_med} ms"

TOKEN=$(SCALE_JWT_SECRET=$SECRET bin/scale token --user bench --ttl 1h)
run_wrk() { wrk -t2 -c"$CONNS" -d"$DURATION" "$@" 2>/dev/null | awk '/Requests\/sec/ {print $2}'; }

compare() { # name scale_url bare_url
  local s=() b=()
  for r in $(seq 1 "$ROUNDS"); do
    s+=("$(run_wrk -H "Authorization: Bearer $TOKEN" "$2")")
    b+=("$(run_wrk "$3")")
  done
  local sm bm; sm=$(printf '%s\n' "${s[@]}" | median); bm=$(printf '%s\n' "${b[@]}" | median)
  echo "$1: scale ${sm} req/s   bare ${bm} req/s   ratio $(awk -v a="$sm" -v b="$bm" 'BEGIN{printf "%.2f", a/b}')"
  echo "   rounds scale: ${s[*]}   bare: ${b[*]}"
}

echo "== authenticated GET /api/v1/profile, whole middleware chain vs bare (wrk -t2 -c$CONNS -d$DURATION, $ROUNDS rounds)"
SCALE_ADDR=127.0.0.1:18091 SCALE_JWT_SECRET=$SECRET SCALE_LOG_LEVEL=info SCALE_RATE_LIMIT=100000000-S bin/scale serve >/dev/null 2>&1 & spid=$!
bin/bare -addr 127.0.0.1:18090 >/dev/null 2>&1 & bpid=$!
trap 'kill $spid $bpid 2>/dev/null || true' EXIT
sleep 1
compare "profile" http://127.0.0.1:18091/api/v1/profile http://127.0.0.1:18090/api/v1/profile
kill $spid $bpid; wait $spid $bpid 2>/dev/null || true

if [ -n "${BENCH_PG:-}" ]; then
  echo "== GET /api/v1/transactions with 1M rows for one user (PostgreSQL)"
  SCALE_DATABASE_URL=$BENCH_PG bin/scale migrate up >/dev/null
  psql "$BENCH_PG" -qv ON_ERROR_STOP=1 <<'SQL'
DELETE FROM transactions WHERE user_id = 'bench';
DELETE FROM accounts WHERE user_id = 'bench';
INSERT INTO accounts (id, user_id, name, kind, currency, institution, created_at, updated_at)
VALUES ('00000000-0000-7000-8000-000000000001', 'bench', 'Main', 'checking', 'EUR', '', now(), now());
INSERT INTO transactions (id, user_id, account_id, booked_on, amount, currency, description, merchant, category,
                          label_source, confidence, fingerprint, fingerprint_version, created_at, updated_at)
SELECT gen_random_uuid(), 'bench', '00000000-0000-7000-8000-000000000001', date '2020-01-01' + (g % 2000),
       -(1 + g % 9000), 'EUR', 'CARD PAYMENT SHOP ' || (g % 500), 'SHOP ' || (g % 500), 'food', 'model', 0.9,
       'bench:' || g, 'v1', now(), now()
FROM generate_series(1, 1000000) g;
ANALYZE transactions;
SQL
  SCALE_ADDR=127.0.0.1:18091 SCALE_JWT_SECRET=$SECRET SCALE_DATABASE_URL=$BENCH_PG SCALE_RATE_LIMIT=100000000-S bin/scale serve >/dev/null 2>&1 & spid=$!
  bin/bare -addr 127.0.0.1:18090 -pg "$BENCH_PG" -user bench >/dev/null 2>&1 & bpid=$!
  sleep 2
  compare "list" "http://127.0.0.1:18091/api/v1/transactions?limit=50" "http://127.0.0.1:18090/api/v1/transactions"
  echo "== page 1,000 deep vs page 1 through the HTTP API (cursor walk, time per page)"
  url="http://127.0.0.1:18091/api/v1/transactions?limit=50"
  first=$( { /usr/bin/time -f %e curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" "$url"; } 2>&1 )
  next=""
  for p in $(seq 1 999); do
    next=$(curl -fs -H "Authorization: Bearer $TOKEN" "$url${next:+&cursor=$next}" | sed -n 's/.*"next":"\([^"]*\)".*/\1/p')
  done
  t1=(); t1000=()
  for r in $(seq 1 20); do
    t1+=("$(curl -fs -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "$url")")
    t1000+=("$(curl -fs -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "$url&cursor=$next")")
  done
  m1=$(printf '%s\n' "${t1[@]}" | median); m1000=$(printf '%s\n' "${t1000[@]}" | median)
  echo "page 1: ${m1}s   page 1000: ${m1000}s   ratio $(awk -v a="$m1000" -v b="$m1" 'BEGIN{printf "%.2f", a/b}')  (first cold call ${first}s)"
  kill $spid $bpid; wait $spid $bpid 2>/dev/null || true
fi
