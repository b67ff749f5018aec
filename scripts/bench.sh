#!/usr/bin/env bash
# `make bench`: seeds 100,000 leads in one tenant (50 reps in 5 departments), drives the API
# from a separate process (wrk) with 8 concurrent clients, and prints p50/p99 and requests/s
# next to the same queries run directly against the database (pgbench) at the same
# concurrency, with the ratio API ÷ raw SQL. Also: cold start to ready, idle and loaded RSS,
# and the gzipped SPA size.
#
# Everything runs on this machine: a throwaway PostgreSQL cluster (fsync on) and the release
# server, both on 127.0.0.1, both stopped on exit. Every wait and every load run is bounded.
#
# Customers: 1,000,000 in the same tenant; the duplicate check (a different probe each
# request: exact names, other spellings, prefixes as typed) and the customer list, each next
# to its SQL.
#
# Opportunities: 10,000 open ones on the default pipeline, all visible to the director; the
# board (totals per stage and currency, 50 cards per column) next to its SQL. Prices: 2,000
# products on two tier price lists with quantity breaks; resolving a 200-line quote. Quotes:
# creating that 200-line quote, and printing it as a PDF.
#
# Receivables: 1,000,000 open instalments (250,000 confirmed, shipped and completed orders of
# 4 instalments) bulk-inserted in SQL (bench/receivables_seed.sql) over the first 20,000
# customers with an owner; the aging table by customer and by department as the director,
# next to the same statements in SQL (bench/aging.sql, over the aging balances), and the
# first read that counts the balances (bench/aging_recount.sql). An order of 200 lines and 50 shipments,
# made through the API (create, submit, ship, sign for, pay, invoice); its page and timeline.
#
# Webhooks: a local receiver (bench/webhook_receiver.py) subscribed to customer.created while
# wrk creates customers at a steady 200/s (8 connections on a fixed schedule); the receiver
# records each event's lag from commit to arrival. Then the whole run is replayed to the
# endpoint at once: the arrival rate is the dispatcher's throughput.
#
# Knobs (environment): BENCH_LEADS (100000), BENCH_CUSTOMERS (1000000),
# BENCH_OPPORTUNITIES (10000), BENCH_PRODUCTS (2000), BENCH_INSTALMENTS (1000000, a
# multiple of 4), BENCH_DEBTORS (20000: customers the orders are spread over),
# BENCH_DURATION (15 s per run), BENCH_OUT (where the raw wrk/pgbench outputs, EXPLAIN plans
# and server log are kept).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/bench-lib.sh
source "$ROOT/scripts/bench-lib.sh"
BENCH_LUA_DIR=$ROOT/bench
export BENCH_LUA_DIR
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR=$ROOT/$TARGET_DIR ;; esac
CRM_BIN=$TARGET_DIR/release/crm
OUT=${BENCH_OUT:-$TARGET_DIR/bench}

LEADS=${BENCH_LEADS:-100000}
CUSTOMERS=${BENCH_CUSTOMERS:-1000000}
OPPORTUNITIES=${BENCH_OPPORTUNITIES:-10000}
PRODUCTS=${BENCH_PRODUCTS:-2000}
INSTALMENTS=${BENCH_INSTALMENTS:-1000000}
DEBTORS=${BENCH_DEBTORS:-20000}
RESOLVE_LINES=200
ORDER_LINES=200         # the order page: 200 lines of 50 pieces each,
ORDER_SHIPMENTS=50      # shipped one piece of every line per shipment
REPS_PER_DEPARTMENT=10
DEPARTMENTS=5
CONNECTIONS=8           # wrk -c and pgbench -c: the issue's 8 concurrent clients
THREADS=2               # wrk -t and pgbench -j: the machine has 2 cores
DURATION=${BENCH_DURATION:-15}
PAGE_SIZE=50
DEEP_PAGES=200          # 200 × 50 = 10,000 rows deep
SLUG=bench
EMAIL=director@$SLUG.cn # sales director: data scope `all`, so the list has no owner subquery
PASSWORD='Demo@2026'
LIST_QUERY="limit=$PAGE_SIZE&status=new&sort=-created_at"

# The PostgreSQL directory must sit directly under /tmp so the postgres user can reach it.
PG_DIR=/tmp/crm-bench-pg-$$
WORK=$(mktemp -d /tmp/crm-bench-work.XXXXXX)
SERVER_PID=""
SAMPLER_PID=""
RECEIVER_PID=""
API=""
DB_URL=""
TENANT_ID=""

# Results, keyed by scenario (list_first, list_deep, create).
declare -A API_P50 API_P99 API_RPS API_ERR SQL_P50 SQL_P99 SQL_TPS CPU_US
CLK_TCK=$(getconf CLK_TCK)
CHILDREN_MS=0
COLD_START_MS="" IDLE_RSS_KB="" IMPORT_RPS="" QUOTE_PDF_KB="" ORDER_KB="" TIMELINE_KB="" AGING_KB="" AGING_ROWS=""
SEED_RECEIVABLES_S="" SEED_ORDER_S="" LOADED_RSS_KB=0 START_MS="" DEEP_CURSOR="" CRM_TOKEN="" PGBENCH=""

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Stops what this script started, and only that, whatever way it exits.
cleanup() {
    local rc=$?
    set +e
    [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null
    [ -n "$RECEIVER_PID" ] && kill "$RECEIVER_PID" 2>/dev/null
    stop_server
    if [ -d "$PG_DIR" ]; then
        [ -f "$PG_DIR/log" ] && mkdir -p "$OUT" && cp "$PG_DIR/log" "$OUT/postgres.log" 2>/dev/null
        bash "$ROOT/scripts/pg.sh" stop "$PG_DIR"
    fi
    rm -rf "$WORK"
    [ "$rc" -ne 0 ] && log "failed (exit $rc); logs in $OUT"
    exit "$rc"
}
trap cleanup EXIT
# Name the failing command: under `set -e` a script otherwise dies silently.
set -E
trap 'log "failed at line $LINENO: $BASH_COMMAND"' ERR
trap 'exit 130' INT TERM

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }


# wrk, psql and pgbench come from Debian; pgbench ships in the `postgresql-NN` server package
# on Debian 12 (not in the client one), so the server package is part of the list.
ensure_tools() {
    local missing=()
    for tool in wrk psql curl python3 gzip; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    [ -x "$(pg_bin)/pgbench" ] && [ -x "$(pg_bin)/initdb" ] || missing+=(pgbench)
    command -v cargo >/dev/null || die "cargo is not installed"
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]} from Debian's packages"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            wrk postgresql-client postgresql curl python3 gzip >/dev/null
    fi
    PGBENCH=$(pg_bin)/pgbench
}

build() {
    log "building the release server (cargo waits if another build holds the lock)"
    (cd "$ROOT" && cargo build --release -q -p crm-server)
    [ -x "$CRM_BIN" ] || die "no binary at $CRM_BIN"
}


start_postgres() {
    local base
    base=$(bash "$ROOT/scripts/pg.sh" start "$PG_DIR" on)
    psql "$base/postgres" -qXc 'create database crm' >/dev/null
    DB_URL=$base/crm
    log "PostgreSQL (fsync=on) at $base"
}

sql() { psql "$DB_URL" -qXAt -v ON_ERROR_STOP=1 "$@"; }

# The server reads everything from CRM_* variables; a private data dir keeps its JWT secret
# away from a developer's own data/.
configure_server() {
    export CRM_DATABASE_URL=$DB_URL
    export CRM_DATA_DIR=$WORK/data
    export CRM_LOG=warn
    export CRM_WORKERS=2
    export CRM_SHUTDOWN_TIMEOUT_SECS=2
    # The overdue-reminder job runs at every start; over the seeded receivables it would load
    # every overdue instalment and write per order, during the cold starts and the load runs.
    export CRM_REMINDER_INTERVAL_SECS=0
    # wrk drives one user's token far past the default rate limit on purpose.
    export CRM_RATE_LIMIT_USER_PER_SECOND=1000000 CRM_RATE_LIMIT_USER_BURST=1000000
    export CRM_RATE_LIMIT_ANONYMOUS_PER_SECOND=1000000 CRM_RATE_LIMIT_ANONYMOUS_BURST=1000000
    local port
    port=$(free_port)
    export CRM_LISTEN=127.0.0.1:$port
    API=http://127.0.0.1:$port
}

seed() {
    local started=$SECONDS
    log "seeding $LEADS leads, $CUSTOMERS customers and $OPPORTUNITIES opportunities over $((DEPARTMENTS * REPS_PER_DEPARTMENT)) reps (crm demo)"
    (cd "$WORK" && timeout 1800 "$CRM_BIN" demo --slug "$SLUG" --leads "$LEADS" --customers "$CUSTOMERS" \
        --opportunities "$OPPORTUNITIES" --products "$PRODUCTS" --reps-per-department "$REPS_PER_DEPARTMENT") >"$OUT/seed.log" 2>&1 \
        || { cat "$OUT/seed.log" >&2; die "crm demo failed"; }
    TENANT_ID=$(sql -c "select id from tenants where slug = '$SLUG'")
    [ -n "$TENANT_ID" ] || die "tenant $SLUG not found after seeding"
    seed_receivables
    # A bulk-loaded table has no statistics or visibility map until autovacuum gets to it,
    # and it may do so in the middle of a run; a production table has both. The checkpoint
    # keeps the seed's WAL flush out of the measurements.
    sql -c 'vacuum analyze' -c 'checkpoint'
    log "seeded in $((SECONDS - started)) s"
}

# $INSTALMENTS open instalments in one INSERT … SELECT generate_series (with their orders):
# through the API they would take hours.
seed_receivables() {
    local started=$SECONDS director
    [ $((INSTALMENTS % 4)) -eq 0 ] && [ "$INSTALMENTS" -gt 0 ] || die "BENCH_INSTALMENTS must be a positive multiple of 4"
    director=$(sql -c "select id from users where tenant_id = '$TENANT_ID' and email = '$EMAIL'")
    log "seeding $INSTALMENTS instalments ($((INSTALMENTS / 4)) orders) over up to $DEBTORS customers (SQL)"
    render "$ROOT/bench/receivables_seed.sql" "$WORK/receivables_seed.sql" TENANT="$TENANT_ID" \
        DIRECTOR="$director" ORDERS=$((INSTALMENTS / 4)) DEBTORS="$DEBTORS"
    cp "$WORK/receivables_seed.sql" "$OUT/"
    timeout 1200 psql "$DB_URL" -qXAt -v ON_ERROR_STOP=1 -f "$WORK/receivables_seed.sql" >>"$OUT/seed.log" 2>&1 \
        || { tail -n 20 "$OUT/seed.log" >&2; die "seeding the receivables failed"; }
    SEED_RECEIVABLES_S=$((SECONDS - started))
    log "receivables seeded in $SEED_RECEIVABLES_S s"
}

now_us() { local t=$EPOCHREALTIME; echo "${t//[.,]/}"; }

# Spawns `crm serve` and polls /readyz; START_MS = ms from spawn to the first 200.
start_server() {
    local t0 t1 deadline
    t0=$(now_us)
    (cd "$WORK" && exec "$CRM_BIN" serve) >>"$OUT/server.log" 2>&1 &
    SERVER_PID=$!
    deadline=$((SECONDS + 30))
    until curl -fs -o /dev/null --max-time 1 "$API/readyz"; do
        kill -0 "$SERVER_PID" 2>/dev/null || { SERVER_PID=""; die "crm serve exited; see $OUT/server.log"; }
        [ "$SECONDS" -lt "$deadline" ] || die "crm serve not ready within 30 s"
        sleep 0.005
    done
    t1=$(now_us)
    START_MS=$(((t1 - t0) / 1000))
}


rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status"; }

# Three starts on the migrated database; the median is the figure (the machine is shared,
# one start can be unlucky). The last start stays up for the load runs.
measure_cold_start() {
    local runs=()
    for i in 1 2 3; do
        start_server
        runs+=("$START_MS")
        [ "$i" -lt 3 ] && stop_server
    done
    COLD_START_MS=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)
    log "cold start to ready: ${runs[*]} ms (median $COLD_START_MS)"
    sleep 2
    IDLE_RSS_KB=$(rss_kb)
    log "idle RSS: $((IDLE_RSS_KB / 1024)) MiB"
}

# Samples VmRSS every 100 ms while the load runs; keeps the maximum in a file.
start_rss_sampler() {
    local pid=$SERVER_PID file=$WORK/rss_max
    echo 0 >"$file"
    (
        max=0
        end=$((SECONDS + 1200))
        while [ "$SECONDS" -lt "$end" ] && [ -r "/proc/$pid/status" ]; do
            kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
            if [ "${kb:-0}" -gt "$max" ]; then max=$kb; echo "$max" >"$file"; fi
            sleep 0.1
        done
    ) &
    SAMPLER_PID=$!
}

stop_rss_sampler() {
    kill "$SAMPLER_PID" 2>/dev/null || true
    wait "$SAMPLER_PID" 2>/dev/null || true
    SAMPLER_PID=""
    LOADED_RSS_KB=$(cat "$WORK/rss_max")
    log "max RSS during these runs: $(mib "$LOADED_RSS_KB") MiB"
}

# A fresh token per phase: they live 15 minutes and the whole run may come close.
# login [EMAIL]: as the director unless another user is named.
login() {
    local body email=${1:-$EMAIL}
    body=$(curl -fsS --max-time 10 -H 'Content-Type: application/json' \
        -d "{\"tenant\":\"$SLUG\",\"email\":\"$email\",\"password\":\"$PASSWORD\"}" \
        "$API/api/v1/auth/login") || die "login as $email failed"
    CRM_TOKEN=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' <<<"$body")
    export CRM_TOKEN
}

get_page() {
    curl -fsS --max-time 10 -H "Authorization: Bearer $CRM_TOKEN" "$API/api/v1/leads?$1"
}

# Prints "<items> <next_cursor or empty>" of a page.
page_summary() {
    python3 -c 'import json,sys; p=json.load(sys.stdin); print(len(p["items"]), p.get("next_cursor") or "")'
}

# Follows next_cursor DEEP_PAGES times, as a user paging through the list; the cursor after
# the last page is the deep-page scenario.
find_deep_cursor() {
    local cursor="" count next i
    for ((i = 1; i <= DEEP_PAGES; i++)); do
        read -r count next < <(get_page "$LIST_QUERY${cursor:+&cursor=$cursor}" | page_summary)
        [ "$count" = "$PAGE_SIZE" ] && [ -n "$next" ] || die "page $i had $count rows and cursor '$next'"
        cursor=$next
    done
    DEEP_CURSOR=$cursor
    read -r count next < <(get_page "$LIST_QUERY&cursor=$DEEP_CURSOR" | page_summary)
    [ "$count" = "$PAGE_SIZE" ] || die "the deep page has $count rows"
    log "deep page: rows $((DEEP_PAGES * PAGE_SIZE + 1))–$(((DEEP_PAGES + 1) * PAGE_SIZE))"
}

# wrk_run NAME URL SCRIPT: one wrk run; bench/report.lua prints the BENCH line parsed here.
# Also records where the CPU went (server, PostgreSQL, wrk): on 2 shared cores that is what
# bounds throughput.
wrk_run() {
    local name=$1 url=$2 script=$3 line
    local server0 pg0 wrk0 requests
    log "wrk $name: -t$THREADS -c$CONNECTIONS -d${DURATION}s"
    children_ms
    server0=$(proc_ticks "$SERVER_PID") pg0=$(pg_ticks) wrk0=$CHILDREN_MS
    timeout $((DURATION + 30)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency \
        -s "$script" "$url" >"$OUT/wrk_$name.txt" 2>&1 || die "wrk $name failed; see $OUT/wrk_$name.txt"
    line=$(grep '^BENCH ' "$OUT/wrk_$name.txt") || die "wrk $name printed no summary"
    requests=$(field requests "$line")
    children_ms
    CPU_US[$name]=$(awk -v s=$(($(proc_ticks "$SERVER_PID") - server0)) -v p=$(($(pg_ticks) - pg0)) \
        -v w=$((CHILDREN_MS - wrk0)) -v hz="$CLK_TCK" -v n="$requests" \
        'BEGIN { printf "server %.0f us, PostgreSQL %.0f us, wrk %.0f us", s / hz * 1e6 / n, p / hz * 1e6 / n, w * 1e3 / n }')
    API_P50[$name]=$(field p50_ms "$line")
    API_P99[$name]=$(field p99_ms "$line")
    API_RPS[$name]=$(field rps "$line")
    API_ERR[$name]=$(($(field errors "$line") + $(field non2xx "$line")))
    [ "${API_ERR[$name]}" -eq 0 ] || log "WARNING: $name had ${API_ERR[$name]} failed requests"
}

# CPU ticks (user + system) of one process.
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# CPU ticks of the postmaster and its children: the backends, among them the server's pooled
# connections, which stay open across a run.
pg_ticks() {
    local pm
    pm=$(head -n1 "$PG_DIR/data/postmaster.pid")
    # Processes come and go while cat reads: a vanished one is not an error here.
    { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v pm="$pm" '$1 == pm || $4 == pm { t += $14 + $15 } END { print t + 0 }'
}

# CHILDREN_MS = CPU ms (user + system) of this shell's finished children, i.e. the wrk runs.
# `times` must run in this shell: in a $(…) subshell the children counters start at zero.
children_ms() {
    times >"$WORK/times"
    CHILDREN_MS=$(tail -n1 "$WORK/times" | awk '{ for (i = 1; i <= 2; i++) { split($i, a, "m"); t += a[1] * 60 + a[2] } print int(t * 1000) }')
}


# render TEMPLATE OUT KEY=VALUE…: fills {{KEY}} in a bench/*.sql template with literal values
# (python, so quotes and JSON in values need no sed escaping). KEY@=FILE takes the value from
# a file, for lists longer than one argument may be (128 KiB).
render() {
    local template=$1 out=$2
    shift 2
    python3 - "$template" "$out" "$@" <<'EOF'
import sys
template, out, *pairs = sys.argv[1:]
text = open(template, encoding="utf-8").read()
for pair in pairs:
    key, value = pair.split("=", 1)
    if key.endswith("@"):
        key, value = key[:-1], open(value, encoding="utf-8").read().strip()
    text = text.replace("{{" + key + "}}", value)
assert "{{" not in text, f"unfilled placeholder in {template}"
open(out, "w", encoding="utf-8").write(text)
EOF
}

# pgbench_run NAME SQLFILE: same clients and threads as wrk; prepared statements because sqlx
# prepares and caches every statement per connection. Latencies come from the per-transaction
# log (third column, µs).
pgbench_run() {
    local name=$1 file=$2
    local txt=$OUT/pgbench_$name.txt
    log "pgbench $name: -c$CONNECTIONS -j$THREADS -T$DURATION"
    rm -f "$WORK/pgblog_$name".*
    timeout $((DURATION + 60)) "$PGBENCH" -n -M prepared -c "$CONNECTIONS" -j "$THREADS" -T "$DURATION" \
        -f "$file" --log --log-prefix="$WORK/pgblog_$name" "$DB_URL" >"$txt" 2>&1 \
        || die "pgbench $name failed; see $txt"
    SQL_TPS[$name]=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$txt")
    [ -n "${SQL_TPS[$name]}" ] || die "no tps in $txt"
    read -r "SQL_P50[$name]" "SQL_P99[$name]" < <(cat "$WORK/pgblog_$name".* | percentiles)
}

# Nearest-rank p50 and p99 in ms of the pgbench log's latency column.
percentiles() {
    python3 -c '
import sys
lat = sorted(int(line.split()[2]) for line in sys.stdin if line.strip())
pick = lambda q: lat[max(0, min(len(lat) - 1, -(-len(lat) * q // 100) - 1))] / 1000
print(f"{pick(50):.3f} {pick(99):.3f}")'
}

# The owner ids the API looks up names for on a page (its second query), in the order sea-orm
# sends them (a BTreeSet: sorted).
page_owner_ids() {
    local cursor_filter=$1
    sql -c "select string_agg(quote_literal(owner_id::text), ', ' order by owner_id::text)
            from (select distinct owner_id from (
                select owner_id from leads
                where tenant_id = '$TENANT_ID' and deleted_at is null and status = 'new' $cursor_filter
                order by created_at desc, id desc limit $PAGE_SIZE) page) owners"
}

bench_list() {
    login
    local first_url="$API/api/v1/leads?$LIST_QUERY"
    read -r count _ < <(get_page "$LIST_QUERY" | page_summary)
    [ "$count" = "$PAGE_SIZE" ] || die "first page has $count rows"
    find_deep_cursor

    start_rss_sampler
    wrk_run list_first "$first_url" "$BENCH_LUA_DIR/list.lua"
    wrk_run list_deep "$first_url&cursor=$DEEP_CURSOR" "$BENCH_LUA_DIR/list.lua"
    stop_rss_sampler

    # The cursor is base64url JSON {"v": created_at (RFC 3339), "i": id}: the API binds exactly
    # these two values, so the SQL gets them as literals.
    local cursor_at cursor_id
    read -r cursor_at cursor_id < <(python3 -c '
import base64, json, sys
s = sys.argv[1]; c = json.loads(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)))
print(c["v"], c["i"])' "$DEEP_CURSOR")
    local deep_filter="and (created_at < '$cursor_at' or (created_at = '$cursor_at' and id < '$cursor_id'))"
    render "$ROOT/bench/list_first.sql" "$WORK/list_first.sql" TENANT="$TENANT_ID" \
        OWNERS="$(page_owner_ids '')"
    render "$ROOT/bench/list_deep.sql" "$WORK/list_deep.sql" TENANT="$TENANT_ID" \
        CURSOR_AT="$cursor_at" CURSOR_ID="$cursor_id" OWNERS="$(page_owner_ids "$deep_filter")"
    cp "$WORK/list_first.sql" "$WORK/list_deep.sql" "$OUT/"
    explain list_first "$WORK/list_first.sql"
    explain list_deep "$WORK/list_deep.sql"
    pgbench_run list_first "$WORK/list_first.sql"
    pgbench_run list_deep "$WORK/list_deep.sql"

    # Informational: page 1 plus the four lookups the API's auth extractor makes on every
    # request (session, user, role, department), to show how much of the gap they explain.
    local sid uid role dept
    read -r sid uid < <(python3 -c '
import base64, json, sys
p = sys.argv[1].split(".")[1]; c = json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
print(c["sid"], c["sub"])' "$CRM_TOKEN")
    read -r role dept < <(sql -F ' ' -c "select role_id, department_id from users where id = '$uid'")
    render "$ROOT/bench/auth_lookups.sql" "$WORK/auth_lookups.sql" TENANT="$TENANT_ID" \
        SESSION="$sid" USER="$uid" ROLE="$role" DEPARTMENT="$dept"
    cat "$WORK/auth_lookups.sql" "$WORK/list_first.sql" >"$WORK/list_first_auth.sql"
    cp "$WORK/list_first_auth.sql" "$OUT/"
    pgbench_run list_first_auth "$WORK/list_first_auth.sql"
}

# EXPLAIN (ANALYZE, BUFFERS) of each statement of a rendered script, kept for the report.
explain() {
    local name=$1 file=$2
    python3 - "$file" <<'EOF' | sql -f - >"$OUT/explain_$name.txt" 2>&1 || true
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
body = "\n".join(l for l in lines if not l.lstrip().startswith(("--", "\\")))
for stmt in body.split(";"):
    if stmt.strip():
        print(f"explain (analyze, buffers) {stmt.strip()};")
EOF
}

bench_create() {
    login
    start_rss_sampler
    local before=$LOADED_RSS_KB
    wrk_run create "$API/api/v1/leads" "$BENCH_LUA_DIR/create_lead.lua"
    stop_rss_sampler
    [ "$before" -gt "$LOADED_RSS_KB" ] && LOADED_RSS_KB=$before

    # The raw transaction writes the same row shapes the API just wrote: the director as
    # owner and creator, and an audit entry whose `changes` is one the API produced.
    local director changes
    director=$(sql -c "select id from users where tenant_id = '$TENANT_ID' and email = '$EMAIL'")
    changes=$(sql -c "select changes::text from audit_log where tenant_id = '$TENANT_ID'
                      and actor_id = '$director' and action = 'created' order by id desc limit 1")
    [ -n "$changes" ] || die "the API wrote no audit entry for its leads"
    render "$ROOT/bench/create_lead.sql" "$WORK/create_lead.sql" TENANT="$TENANT_ID" \
        DIRECTOR="$director" CHANGES="${changes//\'/\'\'}"
    cp "$WORK/create_lead.sql" "$OUT/"
    sql -f "$ROOT/bench/uuid_v7.sql" >/dev/null
    pgbench_run create "$WORK/create_lead.sql"
}

# The duplicate check and the customer list at $CUSTOMERS customers.
bench_customers() {
    login
    # 2,000 probes from the seeded names: a third exact, a third spelled otherwise (spaces,
    # 股份有限公司), a third a prefix as someone types it.
    sql -c "select name from customers where tenant_id = '$TENANT_ID' order by random() limit 2000" \
        | python3 -c '
import sys, urllib.parse
for i, name in enumerate(line.strip() for line in sys.stdin):
    probe = [name, name.replace("有限公司", " 股份有限公司"), name[:5]][i % 3]
    print("name=" + urllib.parse.quote(probe))' >"$WORK/probes.txt"
    export BENCH_PROBES=$WORK/probes.txt
    cp "$WORK/probes.txt" "$OUT/"
    wrk_run dup_check "$API/api/v1/customers/duplicate-check" "$BENCH_LUA_DIR/dup_check.lua"
    wrk_run customers_first "$API/api/v1/customers?limit=$PAGE_SIZE&sort=-created_at" "$BENCH_LUA_DIR/list.lua"

    # The SQL of one typical probe: a seeded name's keys, and the owners of what it finds.
    local name key core
    name=$(sql -c "select name from customers where tenant_id = '$TENANT_ID' order by created_at desc limit 1 offset 1234")
    read -r key core < <(sql -F ' ' -c "select name_key, name_core from customers where tenant_id = '$TENANT_ID' and name = '$name'")
    local owners
    owners=$(sql -c "select string_agg(distinct quote_literal(owner_id::text), ', ') from (
        select owner_id from customers where tenant_id = '$TENANT_ID' and deleted_at is null and merged_into is null
          and ((name_core >= '$core' and name_core < '$(successor "$core")') or (name_key >= '$key' and name_key < '$(successor "$key")'))
        limit 11) found where owner_id is not null")
    render "$ROOT/bench/dup_check.sql" "$WORK/dup_check.sql" TENANT="$TENANT_ID" KEY="$key" CORE="$core" \
        KEY_NEXT="$(successor "$key")" CORE_NEXT="$(successor "$core")" OWNERS="${owners:-NULL}"
    local page_owners
    page_owners=$(sql -c "select string_agg(quote_literal(owner_id::text), ', ' order by owner_id::text) from (
        select distinct owner_id from (select owner_id from customers where tenant_id = '$TENANT_ID'
          and deleted_at is null and merged_into is null order by created_at desc, id desc limit $PAGE_SIZE) page
        where owner_id is not null) owners")
    render "$ROOT/bench/customers_first.sql" "$WORK/customers_first.sql" TENANT="$TENANT_ID" OWNERS="${page_owners:-NULL}"
    cp "$WORK/dup_check.sql" "$WORK/customers_first.sql" "$OUT/"
    explain dup_check "$WORK/dup_check.sql"
    explain customers_first "$WORK/customers_first.sql"
    pgbench_run dup_check "$WORK/dup_check.sql"
    pgbench_run customers_first "$WORK/customers_first.sql"
}

# The pipeline board as the director: every open opportunity of the tenant is on it.
bench_board() {
    login
    local open
    open=$(sql -c "select count(*) from opportunities where tenant_id = '$TENANT_ID' and status = 'open'")
    log "board over $open open opportunities"
    wrk_run board "$API/api/v1/opportunities/board" "$BENCH_LUA_DIR/list.lua"
    local pipeline since cards="" stage kind closed
    pipeline=$(sql -c "select id from pipelines where tenant_id = '$TENANT_ID' and is_default")
    since=$(sql -c "select (current_date - 30)::timestamp - interval '8 hours'")
    while read -r stage kind; do
        closed=""
        [ "$kind" = open ] || closed="AND \"closed_at\" >= '$since'"
        render "$ROOT/bench/board_cards.sql" "$WORK/card.sql" TENANT="$TENANT_ID" PIPELINE="$pipeline" \
            STAGE="$stage" CLOSED="$closed"
        cards+=$(cat "$WORK/card.sql")$'\n'
    done < <(sql -F ' ' -c "select id, kind from pipeline_stages where pipeline_id = '$pipeline' order by position")
    render "$ROOT/bench/board.sql" "$WORK/board.sql" TENANT="$TENANT_ID" PIPELINE="$pipeline" SINCE="$since" \
        CARDS="$cards"
    cp "$WORK/board.sql" "$OUT/"
    explain board "$WORK/board.sql"
    pgbench_run board "$WORK/board.sql"
}

# Price resolution of a 200-line quote for a tier-A customer (its tier list has two breaks
# per product), with the customer's last prices.
bench_resolve() {
    login
    local customer products
    customer=$(sql -c "select id from customers where tenant_id = '$TENANT_ID' and tier = 'A' and deleted_at is null limit 1")
    products=$(sql -c "select string_agg(quote_literal(id::text), ', ') from (select id from products
        where tenant_id = '$TENANT_ID' order by random() limit $RESOLVE_LINES) picked")
    python3 - "$customer" "$products" >"$WORK/resolve.json" <<'PY'
import json, sys
customer, products = sys.argv[1], [p.strip().strip("'") for p in sys.argv[2].split(",")]
lines = [{"product_id": p, "quantity": str(1 + i % 9)} for i, p in enumerate(products)]
print(json.dumps({"customer_id": customer, "lines": lines}))
PY
    export BENCH_BODY=$WORK/resolve.json
    cp "$WORK/resolve.json" "$OUT/"
    wrk_run resolve "$API/api/v1/prices/resolve" "$BENCH_LUA_DIR/post_json.lua"
    # The issue's figure is the time to price one quote: one client, one request at a time.
    CONNECTIONS=1 THREADS=1 wrk_run resolve_single "$API/api/v1/prices/resolve" "$BENCH_LUA_DIR/post_json.lua"
    render "$ROOT/bench/resolve.sql" "$WORK/resolve.sql" TENANT="$TENANT_ID" CUSTOMER="$customer" PRODUCTS="$products"
    cp "$WORK/resolve.sql" "$OUT/"
    explain resolve "$WORK/resolve.sql"
    pgbench_run resolve "$WORK/resolve.sql"
}

# A 200-line quote (the resolve run's customer and lines) created by one client, one request
# at a time: settled against the price lists, totalled, numbered and stored with its audit
# entry. Then the last one printed as a PDF the same way (Typst layout, CJK font subset).
bench_quote() {
    login
    export BENCH_BODY=$WORK/resolve.json
    CONNECTIONS=1 THREADS=1 wrk_run quote_create "$API/api/v1/quotes" "$BENCH_LUA_DIR/post_json.lua"
    local quote
    quote=$(sql -c "select id from quotes where tenant_id = '$TENANT_ID' order by created_at desc limit 1")
    CONNECTIONS=1 THREADS=1 wrk_run quote_pdf "$API/api/v1/quotes/$quote/pdf" "$BENCH_LUA_DIR/list.lua"
    QUOTE_PDF_KB=$(( $(curl -sf --max-time 10 -H "Authorization: Bearer $CRM_TOKEN" "$API/api/v1/quotes/$quote/pdf" | wc -c) / 1024 ))
}

# api_post PATH BODY_FILE: POSTs a JSON body as the signed-in user and prints the answer; any
# status but 2xx ends the run, with the problem the API sent.
api_post() {
    local code
    code=$(curl -sS --max-time 60 -o "$WORK/answer.json" -w '%{http_code}' -H "Authorization: Bearer $CRM_TOKEN" \
        -H 'Content-Type: application/json' --data-binary "@$2" "$API/api/v1$1") || die "POST $1 failed"
    case $code in
        2??) cat "$WORK/answer.json" ;;
        *) head -c 2000 "$WORK/answer.json" >&2; echo >&2; die "POST $1 answered $code" ;;
    esac
}

# json_field KEY: a top-level field of the JSON document on stdin.
json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# api_patch PATH JSON: PATCHes as the signed-in user; any status but 2xx ends the run.
api_patch() {
    local code
    code=$(curl -sS --max-time 60 -o "$WORK/answer.json" -w '%{http_code}' -X PATCH -H "Authorization: Bearer $CRM_TOKEN" \
        -H 'Content-Type: application/json' --data-binary "$2" "$API/api/v1$1") || die "PATCH $1 failed"
    case $code in
        2??) ;;
        *) head -c 2000 "$WORK/answer.json" >&2; echo >&2; die "PATCH $1 answered $code" ;;
    esac
}

# wait_lines FILE N SECONDS: waits until FILE has N lines; prints how many it has.
wait_lines() {
    local deadline=$((SECONDS + $3)) n=0
    while :; do
        n=$(wc -l <"$1")
        [ "$n" -ge "$2" ] || [ "$SECONDS" -ge "$deadline" ] && break
        sleep 0.1
    done
    echo "$n"
}

bench_webhooks() {
    local port log from endpoint created before queued t0 t1 n line
    port=$(free_port)
    log=$OUT/webhook_arrivals.txt
    : >"$log"
    python3 "$ROOT/bench/webhook_receiver.py" "$port" "$log" &
    RECEIVER_PID=$!
    # Webhook endpoints and the allow-list are the admin's (settings.manage).
    login "admin@$SLUG.cn"
    api_patch /settings '{"webhook_allowed_hosts": ["127.0.0.1"]}'
    printf '{"url": "http://127.0.0.1:%s/hook", "events": ["customer.created"]}' "$port" >"$WORK/endpoint.json"
    endpoint=$(api_post /webhook-endpoints "$WORK/endpoint.json" | python3 -c 'import json, sys; print(json.load(sys.stdin)["endpoint"]["id"])')
    from=$(date -u -d '-1 second' +%FT%TZ)
    log "webhooks: customers at 200/s for ${DURATION}s, one receiver"
    BENCH_RATE=200 BENCH_THREADS=2 timeout $((DURATION + 30)) wrk -t2 -c8 -d"${DURATION}s" --timeout 10s --latency \
        -s "$ROOT/bench/create_customer_paced.lua" "$API" >"$OUT/wrk_webhooks.txt" 2>&1 || die "wrk webhooks failed"
    line=$(grep '^BENCH ' "$OUT/wrk_webhooks.txt") || die "wrk webhooks printed no summary"
    created=$(($(field requests "$line") - $(field errors "$line") - $(field non2xx "$line")))
    n=$(wait_lines "$log" "${created:-0}" 30)
    WEBHOOK_RATE=$(awk -v n="$created" -v d="$DURATION" 'BEGIN { printf "%.0f", n / d }')
    WEBHOOK_DELIVERED=$n
    WEBHOOK_CREATED=${created:-0}
    read -r WEBHOOK_LAG_P50 WEBHOOK_LAG_P99 < <(awk '$2 >= 0 { print $2 }' "$log" | sort -n |
        awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a n/a"; exit } p50 = v[int(NR * 0.5) > 0 ? int(NR * 0.5) : 1];
              i = int(NR * 0.99); if (i < 1) i = 1; printf "%.0f %.0f\n", p50, v[i] }')
    before=$(wc -l <"$log")
    printf '{"from": "%s", "to": "%s"}' "$from" "$(date -u -d '+1 second' +%FT%TZ)" >"$WORK/replay.json"
    t0=$(now_us)
    queued=$(api_post "/webhook-endpoints/$endpoint/replay" "$WORK/replay.json" | json_field queued)
    n=$(wait_lines "$log" $((before + queued)) 120)
    t1=$(now_us)
    WEBHOOK_REPLAYED=$((n - before))
    WEBHOOK_THROUGHPUT=$(awk -v n="$WEBHOOK_REPLAYED" -v us=$((t1 - t0)) 'BEGIN { printf "%.0f", n / (us / 1e6) }')
    kill "$RECEIVER_PID" 2>/dev/null || true
    RECEIVER_PID=""
}

# size_kb PATH: the size of a GET answer in KiB, as wrk receives it.
size_kb() {
    curl -sf --max-time 30 -H "Authorization: Bearer $CRM_TOKEN" "$API/api/v1$1" | wc -c | awk '{ printf "%.0f", $1 / 1024 }'
}

# An order as a user makes one, through the API: $ORDER_LINES free-text lines of
# $ORDER_SHIPMENTS pieces for a customer that owes on seeded orders (99 CNY a piece keeps the
# 200 × 50 pieces under the 1,000,000 CNY approval policy, so submit confirms it), then
# $ORDER_SHIPMENTS shipments of one piece of every line, half of them signed for, a payment
# and an invoice. Then its page and timeline.
bench_order() {
    login
    local started=$SECONDS customer order status lines_json shipment n
    customer=$(sql -c "select customer_id from instalments where tenant_id = '$TENANT_ID' order by id limit 1")
    python3 - "$customer" "$ORDER_LINES" "$ORDER_SHIPMENTS" >"$WORK/order.json" <<'PY'
import json, sys
customer, count, pieces = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = [{"name": f"压测物料 {i + 1:03d}", "spec": f"B-{i + 1:03d}", "quantity": pieces, "unit": "件",
          "unit_price": "99"} for i in range(count)]
print(json.dumps({"customer_id": customer, "title": "压测订单", "customer_po": "PO-BENCH-1", "lines": lines},
                 ensure_ascii=False))
PY
    api_post /sales-orders "$WORK/order.json" >"$WORK/order_created.json"
    order=$(json_field id <"$WORK/order_created.json")
    echo '{}' >"$WORK/empty.json"
    status=$(api_post "/sales-orders/$order/submit" "$WORK/empty.json" | json_field status)
    [ "$status" = confirmed ] || die "order $order is $status after submit, not confirmed"
    lines_json=$(python3 -c '
import json, sys
print(json.dumps([{"line_id": l["id"], "quantity": "1"} for l in json.load(sys.stdin)["lines"]]))' <"$WORK/order_created.json")
    log "order $order: $ORDER_LINES lines confirmed; $ORDER_SHIPMENTS shipments of $ORDER_LINES lines each"
    for ((n = 1; n <= ORDER_SHIPMENTS; n++)); do
        printf '{"carrier": "顺丰速运", "tracking_number": "SF%010d", "lines": %s}\n' "$n" "$lines_json" >"$WORK/shipment.json"
        api_post "/sales-orders/$order/shipments" "$WORK/shipment.json" >/dev/null
    done
    echo '{"received_by": "王工"}' >"$WORK/deliver.json"
    while read -r shipment; do
        api_post "/shipments/$shipment/deliver" "$WORK/deliver.json" >/dev/null
    done < <(sql -c "select id from shipments where sales_order_id = '$order' order by id limit $((ORDER_SHIPMENTS / 2))")
    printf '{"customer_id": "%s", "amount": "300000.00", "method": "bank_transfer", "reference": "压测回单 001", "sales_order_id": "%s"}\n' \
        "$customer" "$order" >"$WORK/payment.json"
    api_post /payments "$WORK/payment.json" >/dev/null
    echo '{"number": "BENCH0000001", "amount": "300000.00", "tax_amount": "34513.27"}' >"$WORK/invoice.json"
    api_post "/sales-orders/$order/invoices" "$WORK/invoice.json" >/dev/null
    status=$(curl -fsS --max-time 30 -H "Authorization: Bearer $CRM_TOKEN" "$API/api/v1/sales-orders/$order" | json_field status)
    SEED_ORDER_S=$((SECONDS - started))
    log "order $order made through the API in $SEED_ORDER_S s (status $status)"
    # Statistics for the few rows these tables hold, as autovacuum would give them.
    sql -c 'analyze sales_order_lines, shipments, shipment_lines, payments, payment_allocations, invoices'
    ORDER_KB=$(size_kb "/sales-orders/$order")
    TIMELINE_KB=$(size_kb "/sales-orders/$order/timeline")

    local before=$LOADED_RSS_KB
    start_rss_sampler
    wrk_run order "$API/api/v1/sales-orders/$order" "$BENCH_LUA_DIR/list.lua"
    CONNECTIONS=1 THREADS=1 wrk_run order_single "$API/api/v1/sales-orders/$order" "$BENCH_LUA_DIR/list.lua"
    wrk_run order_timeline "$API/api/v1/sales-orders/$order/timeline" "$BENCH_LUA_DIR/list.lua"
    stop_rss_sampler
    [ "$before" -gt "$LOADED_RSS_KB" ] && LOADED_RSS_KB=$before

    local owner audited payments actors
    owner=$(sql -c "select owner_id from sales_orders where id = '$order'")
    audited=$(sql -c "select string_agg(quote_literal(id::text), ', ' order by id) from shipments where sales_order_id = '$order'")", '$order'"
    payments=$(sql -c "select string_agg(quote_literal(payment_id::text), ', ') from payment_allocations where sales_order_id = '$order'")
    actors=$(sql -c "select string_agg(distinct quote_literal(actor_id::text), ', ') from audit_log
                     where tenant_id = '$TENANT_ID' and entity_id in ($audited) and actor_id is not null")
    render "$ROOT/bench/order_page.sql" "$WORK/order_page.sql" TENANT="$TENANT_ID" ORDER="$order" \
        CUSTOMER="$customer" OWNER="$owner"
    render "$ROOT/bench/order_timeline.sql" "$WORK/order_timeline.sql" TENANT="$TENANT_ID" ORDER="$order" \
        AUDITED="$audited" PAYMENTS="${payments:-NULL}" ACTORS="${actors:-NULL}"
    cp "$WORK/order_page.sql" "$WORK/order_timeline.sql" "$OUT/"
    explain order "$WORK/order_page.sql"
    explain order_timeline "$WORK/order_timeline.sql"
    pgbench_run order "$WORK/order_page.sql"
    pgbench_run order_timeline "$WORK/order_timeline.sql"
}

# The aging table over the seeded instalments as the director (scope "all"), by customer and
# by department. A report someone opens: one client at a time is the issue's figure; 8 at
# once shows how it holds up when several open it together. The raw SQL is the aggregate
# (bench/aging.sql); its rows with the names add the lookups the API makes after it.
bench_aging() {
    login
    local as_of b30 b60 b90 b180 open open_count
    read -r as_of b30 b60 b90 b180 < <(sql -F ' ' -c "select d, d - 30, d - 60, d - 90, d - 180
        from (select (now() at time zone 'Asia/Shanghai')::date as d) today")
    open="tenant_id = '$TENANT_ID' and confirmed and outstanding > 0 and currency = 'CNY'"
    read -r open_count AGING_ROWS < <(sql -F ' ' -c "select count(*), count(distinct customer_id) from instalments where $open")
    log "aging over $open_count open instalments of $AGING_ROWS customers, as of $as_of"
    # The seed marked every owing customer stale: the first read counts all balances, as the
    # first read of a day does (unless the reminder job got there first).
    AGING_FIRST_MS=$(curl -sf --max-time 60 -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $CRM_TOKEN" \
        "$API/api/v1/receivables/aging?group_by=customer" | awk '{ printf "%.0f", $1 * 1000 }')
    AGING_KB=$(size_kb "/receivables/aging?group_by=customer")

    # The RSS target holds under every load: 8 answers of several MB at once included.
    local before=$LOADED_RSS_KB
    start_rss_sampler
    CONNECTIONS=1 THREADS=1 wrk_run aging_customer "$API/api/v1/receivables/aging?group_by=customer" "$BENCH_LUA_DIR/list.lua"
    CONNECTIONS=1 THREADS=1 wrk_run aging_department "$API/api/v1/receivables/aging?group_by=department" "$BENCH_LUA_DIR/list.lua"
    wrk_run aging_customer_8 "$API/api/v1/receivables/aging?group_by=customer" "$BENCH_LUA_DIR/list.lua"
    stop_rss_sampler
    [ "$before" -gt "$LOADED_RSS_KB" ] && LOADED_RSS_KB=$before

    local key
    for key in customer_id owner_id; do
        render "$ROOT/bench/aging.sql" "$WORK/aging_$key.sql" TENANT="$TENANT_ID" KEY="$key"
    done
    render "$ROOT/bench/aging_recount.sql" "$OUT/aging_recount.sql" TENANT="$TENANT_ID" AS_OF="$as_of" \
        BACK_30="$b30" BACK_60="$b60" BACK_90="$b90" BACK_180="$b180"
    sql -c "select string_agg(quote_literal(customer_id::text), ', ') from (select distinct customer_id from instalments where $open) k" \
        >"$WORK/aging_ids.txt"
    render "$ROOT/bench/aging_customer_names.sql" "$WORK/aging_customer_names.sql" TENANT="$TENANT_ID" IDS@="$WORK/aging_ids.txt"
    render "$ROOT/bench/aging_departments.sql" "$WORK/aging_departments.sql" TENANT="$TENANT_ID" \
        OWNERS="$(sql -c "select string_agg(quote_literal(owner_id::text), ', ') from (select distinct owner_id from instalments where $open) k")" \
        DEPARTMENTS="$(sql -c "select string_agg(distinct quote_literal(department_id::text), ', ') from users
                               where id in (select distinct owner_id from instalments where $open)")"
    cp "$WORK/aging_customer_id.sql" "$OUT/aging_customer.sql"
    cat "$WORK/aging_customer_id.sql" "$WORK/aging_customer_names.sql" >"$OUT/aging_customer_names.sql"
    cat "$WORK/aging_owner_id.sql" "$WORK/aging_departments.sql" >"$OUT/aging_department.sql"
    explain aging_customer "$OUT/aging_customer_names.sql"
    explain aging_department "$OUT/aging_department.sql"
    explain aging_recount "$OUT/aging_recount.sql"
    CONNECTIONS=1 THREADS=1 pgbench_run aging_customer "$OUT/aging_customer.sql"
    CONNECTIONS=1 THREADS=1 pgbench_run aging_customer_names "$OUT/aging_customer_names.sql"
    CONNECTIONS=1 THREADS=1 pgbench_run aging_department "$OUT/aging_department.sql"
    pgbench_run aging_customer_8 "$OUT/aging_customer.sql"
    CONNECTIONS=1 THREADS=1 pgbench_run aging_recount "$OUT/aging_recount.sql"
}

# The text just after every text starting with $1: $1 with its last character incremented,
# as the API bounds a prefix range.
successor() {
    python3 -c 'import sys; s = sys.argv[1]; print(s[:-1] + chr(ord(s[-1]) + 1))' "$1"
}

# Import throughput: scripts/bench-import.sh (its own PostgreSQL, fsync on) imports 100,000
# customers into a tenant that already holds 100,000, through the API's import code path.
bench_import() {
    log "import throughput (scripts/bench-import.sh)"
    BENCH_OUT=$OUT timeout 900 bash "$ROOT/scripts/bench-import.sh" >"$OUT/bench-import.log" 2>&1 \
        || { tail -n 20 "$OUT/bench-import.log" >&2; die "the import benchmark failed"; }
    IMPORT_RPS=$(sed -n 's/^ *commit run *[0-9.]* s *\([0-9]*\) rows\/s.*/\1/p' "$OUT/import.txt")
    [ -n "$IMPORT_RPS" ] || die "no commit rows/s in $OUT/import.txt"
}

spa_size() {
    local wasm js
    wasm=$(ls "$ROOT"/frontend/dist/pkg/*.wasm 2>/dev/null | head -n1 || true)
    if [ -z "$wasm" ]; then echo "SPA not built"; return; fi
    js=$(ls "$ROOT"/frontend/dist/pkg/*.js 2>/dev/null || true)
    # shellcheck disable=SC2086
    cat "$wasm" $js | gzip -9 | wc -c
}

# ---------------------------------------------------------------- report

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
verdict() { if awk -v v="$1" -v t="$2" "BEGIN { exit !(v $3 t) }"; then echo ok; else echo MISS; fi; }

print_report() {
    local spa leads_now
    spa=$(spa_size)
    leads_now=$(sql -c "select count(*) from leads where tenant_id = '$TENANT_ID' and deleted_at is null")
    echo
    echo "== crm bench: $LEADS leads and $CUSTOMERS customers seeded in tenant '$SLUG' ($DEPARTMENTS departments × $REPS_PER_DEPARTMENT reps)," \
        "$leads_now after the create runs; $INSTALMENTS open instalments of $((INSTALMENTS / 4)) orders over $AGING_ROWS customers"
    echo "== $CONNECTIONS concurrent clients, $THREADS load threads, ${DURATION} s per run; server CRM_WORKERS=2;" \
        "PostgreSQL $(sql -c 'show server_version') fsync=$(sql -c 'show fsync'); $(nproc) cores shared"
    echo "== API: wrk over HTTP as $EMAIL · SQL: pgbench -M prepared, same statements and values"
    echo
    printf '%-22s | %9s | %9s | %9s | %9s | %9s | %9s | %s\n' \
        scenario "API p50" "API p99" "API req/s" "SQL p50" "SQL p99" "SQL tps" "API/SQL throughput"
    printf '%s\n' "-----------------------+-----------+-----------+-----------+-----------+-----------+-----------+-------------------"
    local name label
    for name in list_first list_first_auth list_deep create dup_check customers_first board resolve \
        aging_customer aging_customer_names aging_customer_8 aging_department order order_timeline; do
        case $name in
            list_first) label="leads list, page 1" ;;
            list_first_auth) label="  SQL + caller read" ;;
            list_deep) label="leads list, row 10,001" ;;
            create) label="create lead" ;;
            dup_check) label="duplicate check" ;;
            customers_first) label="customers list, page 1" ;;
            board) label="pipeline board" ;;
            resolve) label="resolve 200 prices" ;;
            aging_customer) label="aging/customer, 1 cl." ;;
            aging_customer_names) label="  SQL + names, 1 cl." ;;
            aging_customer_8) label="aging/customer" ;;
            aging_department) label="aging/department, 1 cl" ;;
            order) label="order 200 lines/50 sh." ;;
            order_timeline) label="order timeline" ;;
        esac
        if [ "$name" = aging_customer_names ]; then
            printf '%-22s | %9s | %9s | %9s | %6.2f ms | %6.2f ms | %9.1f | %s\n' "$label" "" "" "" \
                "${SQL_P50[$name]}" "${SQL_P99[$name]}" "${SQL_TPS[$name]}" "$(ratio "${API_RPS[aging_customer]}" "${SQL_TPS[$name]}")"
            continue
        fi
        if [ "$name" = list_first_auth ]; then
            # The API reads session, user, role and department on every request; this row adds
            # them to the raw page 1 to show how much of the gap they account for.
            printf '%-22s | %9s | %9s | %9s | %6.2f ms | %6.2f ms | %9.1f | %s\n' "$label" "" "" "" \
                "${SQL_P50[$name]}" "${SQL_P99[$name]}" "${SQL_TPS[$name]}" "$(ratio "${API_RPS[list_first]}" "${SQL_TPS[$name]}")"
            continue
        fi
        printf '%-22s | %6.2f ms | %6.2f ms | %9.1f | %6.2f ms | %6.2f ms | %9.1f | %s\n' "$label" \
            "${API_P50[$name]}" "${API_P99[$name]}" "${API_RPS[$name]}" \
            "${SQL_P50[$name]}" "${SQL_P99[$name]}" "${SQL_TPS[$name]}" "$(ratio "${API_RPS[$name]}" "${SQL_TPS[$name]}")"
    done
    echo "(1 cl.: one client at a time, API and SQL alike; every other row $CONNECTIONS clients)"
    echo
    echo "CPU per API request during the wrk runs (2 cores shared by wrk, server and PostgreSQL):"
    for name in list_first list_deep create dup_check customers_first board resolve quote_create quote_pdf \
        aging_customer aging_department aging_customer_8 order order_single order_timeline; do
        printf '  %-24s %s\n' "$name" "${CPU_US[$name]}"
    done
    echo
    echo "targets (from the issue)"
    local r
    row() { printf '  %-40s %-46s %s\n' "$@"; }
    for name in list_first list_deep; do
        r=$(ratio "${API_RPS[$name]}" "${SQL_TPS[$name]}")
        row "$name p99 <= 20 ms" "$(printf '%.1f ms' "${API_P99[$name]}")" "$(verdict "${API_P99[$name]}" 20 '<=')"
        row "$name throughput >= 0.8 x raw SQL" "$(printf '%s (%.0f req/s vs %.0f tps)' "$r" "${API_RPS[$name]}" "${SQL_TPS[$name]}")" \
            "$(verdict "$r" 0.8 '>=')"
    done
    row "duplicate check p99 < 20 ms ($CUSTOMERS customers)" "$(printf '%.1f ms (%.0f req/s)' "${API_P99[dup_check]}" "${API_RPS[dup_check]}")" \
        "$(verdict "${API_P99[dup_check]}" 20 '<')"
    row "customer list p99 < 50 ms ($CUSTOMERS customers)" "$(printf '%.1f ms (%.0f req/s)' "${API_P99[customers_first]}" "${API_RPS[customers_first]}")" \
        "$(verdict "${API_P99[customers_first]}" 50 '<')"
    row "board p99 < 100 ms ($OPPORTUNITIES open opportunities)" "$(printf '%.1f ms (%.0f req/s)' "${API_P99[board]}" "${API_RPS[board]}")" \
        "$(verdict "${API_P99[board]}" 100 '<')"
    row "resolve 200 lines < 10 ms ($PRODUCTS products)" "$(printf 'one client: p50 %.1f ms, p99 %.1f ms; 8 clients: p99 %.1f ms' \
        "${API_P50[resolve_single]}" "${API_P99[resolve_single]}" "${API_P99[resolve]}")" "$(verdict "${API_P99[resolve_single]}" 10 '<')"
    row "quote 200 lines: create (report)" "$(printf 'one client: p50 %.1f ms, p99 %.1f ms' \
        "${API_P50[quote_create]}" "${API_P99[quote_create]}")" "report"
    row "quote 200 lines: PDF < 300 ms" "$(printf 'one client: p50 %.1f ms, p99 %.1f ms; %s KB' \
        "${API_P50[quote_pdf]}" "${API_P99[quote_pdf]}" "$QUOTE_PDF_KB")" "$(verdict "${API_P99[quote_pdf]}" 300 '<')"
    row "aging by customer p99 < 300 ms" "$(printf 'one client: p50 %.1f ms, p99 %.1f ms; %d clients: p99 %.1f ms' \
        "${API_P50[aging_customer]}" "${API_P99[aging_customer]}" "$CONNECTIONS" "${API_P99[aging_customer_8]}")" \
        "$(verdict "${API_P99[aging_customer]}" 300 '<')"
    row "  ($INSTALMENTS instalments, $AGING_ROWS rows)" "$(printf '%s KB answer; raw SQL sums p99 %.1f ms, with the names %.1f ms' \
        "$AGING_KB" "${SQL_P99[aging_customer]}" "${SQL_P99[aging_customer_names]}")" ""
    row "  first read of a day (report)" "$(printf '%s ms: counts every balance; the recount SELECT alone p50 %.1f ms' \
        "$AGING_FIRST_MS" "${SQL_P50[aging_recount]}")" "report"
    row "aging by department p99 < 300 ms" "$(printf 'one client: p50 %.1f ms, p99 %.1f ms' \
        "${API_P50[aging_department]}" "${API_P99[aging_department]}")" "$(verdict "${API_P99[aging_department]}" 300 '<')"
    row "order page p99 < 50 ms ($ORDER_LINES lines, $ORDER_SHIPMENTS shipments)" "$(printf '%d clients: p99 %.1f ms (%.0f req/s); one client: p50 %.1f ms, p99 %.1f ms; %s KB answer' \
        "$CONNECTIONS" "${API_P99[order]}" "${API_RPS[order]}" "${API_P50[order_single]}" "${API_P99[order_single]}" "$ORDER_KB")" \
        "$(verdict "${API_P99[order]}" 50 '<')"
    row "order timeline (report)" "$(printf 'p50 %.1f ms, p99 %.1f ms (%.0f req/s, %d clients); %s KB answer' \
        "${API_P50[order_timeline]}" "${API_P99[order_timeline]}" "${API_RPS[order_timeline]}" "$CONNECTIONS" "$TIMELINE_KB")" "report"
    row "seeding (report)" "receivables (SQL) $SEED_RECEIVABLES_S s; the order through the API $SEED_ORDER_S s" "report"
    row "import 100,000 customers >= 20,000 rows/s" "$IMPORT_RPS rows/s (commit run: validation, duplicate checks, inserts, audit)" \
        "$(verdict "$IMPORT_RPS" 20000 '>=')"
    row "create (peer: 119 req/s, p99 440 ms)" "$(printf '%.0f req/s, p99 %.1f ms' "${API_RPS[create]}" "${API_P99[create]}")" "report"
    row "webhook lag p99 < 1 s at 200 events/s" "$(printf 'p50 %s ms, p99 %s ms at %s events/s; %s of %s delivered' \
        "$WEBHOOK_LAG_P50" "$WEBHOOK_LAG_P99" "$WEBHOOK_RATE" "$WEBHOOK_DELIVERED" "$WEBHOOK_CREATED")" \
        "$(verdict "$WEBHOOK_LAG_P99" 1000 '<')"
    row "webhook throughput (report)" "$WEBHOOK_THROUGHPUT deliveries/s ($WEBHOOK_REPLAYED replayed to one local receiver)" "report"
    row "idle RSS <= 50 MiB" "$(mib "$IDLE_RSS_KB") MiB" "$(verdict "$IDLE_RSS_KB" $((50 * 1024)) '<=')"
    row "RSS under load <= 150 MiB" "$(mib "$LOADED_RSS_KB") MiB (max, sampled every 100 ms)" \
        "$(verdict "$LOADED_RSS_KB" $((150 * 1024)) '<=')"
    row "cold start to ready <= 0.5 s" "$COLD_START_MS ms (median of 3, spawn to first /readyz 200)" "$(verdict "$COLD_START_MS" 500 '<=')"
    if [ "$spa" = "SPA not built" ]; then
        row "SPA gz < 1 MB" "SPA not built" "-"
    else
        row "SPA gz < 1 MB" "$((spa / 1024)) KB (wasm + js, gzip -9)" "$(verdict "$spa" 1000000 '<')"
    fi
    local failed=0
    for name in list_first list_deep create dup_check customers_first board resolve resolve_single quote_create quote_pdf \
        aging_customer aging_department aging_customer_8 order order_single order_timeline; do
        failed=$((failed + API_ERR[$name]))
    done
    [ "$failed" -eq 0 ] || echo "  WARNING: $failed API requests failed (see $OUT/wrk_*.txt)"
    echo
    echo "raw outputs, SQL scripts and EXPLAIN ANALYZE plans: $OUT"
}

main() {
    mkdir -p "$OUT"
    rm -f "$OUT"/*.txt "$OUT"/*.sql "$OUT"/*.log
    ensure_tools
    build
    start_postgres
    configure_server
    seed
    measure_cold_start
    bench_list
    bench_create
    bench_customers
    bench_board
    bench_resolve
    bench_quote
    bench_aging
    bench_order
    bench_webhooks
    stop_server
    bench_import
    print_report | tee "$OUT/report.txt"
}

main "$@"
