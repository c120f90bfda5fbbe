#!/usr/bin/env bash
# `make bench`: the production path (gunicorn + PostgreSQL + Redis + Celery) on this machine, measured
# side by side with its references in the same run; writes docs/benchmarks.md and docs/benchmarks.json.
# Scratch database forebyg_bench (dropped and recreated), Redis db 14 (flushed). Only 127.0.0.1.
# Everything started here is stopped on exit (trap). See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
START=$(date +%s)

PY=.venv/bin/python
PORT=${BENCH_PORT:-8765}
BASE="http://127.0.0.1:${PORT}"
OUT=var/bench
WORKERS=${BENCH_WORKERS:-2}
THREADS=${BENCH_THREADS:-2}
RUNS=${BENCH_RUNS:-3}
DURATION=${BENCH_DURATION:-10}
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.log

export DJANGO_SETTINGS_MODULE=learning.settings.production
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/forebyg_bench
export REDIS_URL=redis://127.0.0.1:6379/14
export CACHE_KEY_PREFIX=forebyg-bench
export BENCH_REFERENCES=1
export SECURE_SSL_REDIRECT=false DEBUG=false
export ALLOWED_HOSTS=127.0.0.1,localhost
export LOG_LEVEL=WARNING
# A throwaway key for this run only (sessions, CSRF and playback tokens of the run are signed with it).
SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export MEDIA_ROOT="$PWD/$OUT/media"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM

step() { echo "== $(date +%H:%M:%S) $*"; }

# --- Tools and services ---------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    step "installing wrk (Debian)"
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  else
    echo "wrk is missing: run 'sudo apt-get install wrk' and try again." >&2
    exit 2
  fi
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  step "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  step "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi
if curl -s -o /dev/null "$BASE/" 2>/dev/null; then
  echo "Port $PORT is in use; set BENCH_PORT to a free port." >&2
  exit 2
fi

# --- Data ---------------------------------------------------------------------------------------------------
step "scratch database forebyg_bench (drop and recreate), Redis db 14 (flush)"
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS forebyg_bench" -c "CREATE DATABASE forebyg_bench"
redis-cli -h 127.0.0.1 -p 6379 -n 14 flushdb >/dev/null
rm -rf "$OUT/media"
T0=$(date +%s)
step "migrate"
$PY manage.py migrate --noinput -v0
step "demo content (seed_demo; tasks in-process)"
# seed_demo runs only in demo mode: the dev settings on the same database, tasks eager (no broker).
DJANGO_SETTINGS_MODULE=learning.settings.dev CELERY_BROKER_URL= $PY manage.py seed_demo >"$OUT/seed.log" 2>&1
step "generate_bench_data"
$PY manage.py generate_bench_data | tee "$OUT/generate.log"
T1=$(date +%s)
$PY manage.py collectstatic --noinput -v0
$PY manage.py bench_prepare --out "$OUT/setup.json"

# --- Measurements in one process, before the server starts (no competition for the two cores) -----------
step "queries per request (CaptureQueriesContext, same data)"
$PY manage.py bench_queries --setup "$OUT/setup.json" --out "$OUT/queries.json"
step "certificate PDF rendering rate"
$PY manage.py bench_pdf --count "${BENCH_PDF_COUNT:-60}" --out "$OUT/pdf.json"

# --- The production stack --------------------------------------------------------------------------------------
step "gunicorn (${WORKERS} workers × ${THREADS} threads) and a Celery worker on 127.0.0.1:${PORT}"
.venv/bin/gunicorn learning.wsgi --bind "127.0.0.1:${PORT}" --workers "$WORKERS" --threads "$THREADS" \
  --worker-class gthread --backlog 2048 --timeout 60 --log-level warning >"$OUT/gunicorn.log" 2>&1 &
PIDS+=($!)
.venv/bin/celery -A learning worker -l warning --concurrency 1 --without-gossip --without-mingle \
  >"$OUT/celery.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do curl -s -o /dev/null "$BASE/bench/ceiling/" && break; sleep 0.5; done

step "HTTP scenarios (wrk; ${RUNS} runs × ${DURATION} s, alternating with the references)"
$PY bench/run.py --setup "$OUT/setup.json" --base "$BASE" --out "$OUT/http.json" --runs "$RUNS" --duration "$DURATION"

step "classroom burst (bench/classroom_load.py: 50 classes × 30 pupils)"
$PY bench/classroom_load.py "$BASE" --sessions "${BENCH_CLASSES:-50}" --pupils "${BENCH_PUPILS:-30}" \
  --json "$OUT/classroom.json" --deadline 300 | tail -n 16 || true

step "profile of the slowest scenario (pyinstrument, in process)"
$PY manage.py bench_profile --setup "$OUT/setup.json" --http "$OUT/http.json" --out "$OUT/profile.txt" || true

cleanup
PIDS=()
END=$(date +%s)
$PY bench/machine.py --out "$OUT/machine.json" --wall "$((END - START))" --data "$((T1 - T0))" \
  --workers "$WORKERS" --threads "$THREADS"
step "report"
$PY bench/report.py --dir "$OUT" --md docs/benchmarks.md --json docs/benchmarks.json
step "done in $((END - START)) s: docs/benchmarks.md"
