#!/usr/bin/env bash
# The reports at scale (part of `make bench`; alone: `make bench-reports`). For each database
# (PostgreSQL with fsync on, then SQLite), `crm demo` seeds one tenant of 200 users: 15 teams
# of 13 reps under 5 regional departments (20 sales departments), 20,000 customers, and two
# years of history bulk-inserted (crm_persistence::history): 200,000 leads, 1,000,000
# follow-ups, 1,000,000 opportunities with their stage changes, 250,000 orders of 4 lines,
# 4 instalments and their payments. Then each
# report is driven through the API by one client (wrk -c1: a person opening a report) as the
# sales director (all data) and as the manager of one region (its three teams), and the same
# numbers are computed by hand-written SQL (bench/reports/*.sql) at the same concurrency:
# pgbench on PostgreSQL, bench/sqlite_timer.py on SQLite. Prints p50/p99 of both and their
# ratio.
#
# Knobs (environment): BENCH_REPORT_OPPORTUNITIES (1000000), BENCH_REPORT_ORDERS (250000),
# BENCH_REPORT_LEADS (200000), BENCH_REPORT_ACTIVITIES (1000000),
# BENCH_REPORT_DATABASES ("postgres sqlite"), BENCH_DURATION (10 s per run), BENCH_OUT (where
# the raw outputs and server logs are kept), BENCH_REPORT_PG_URL (a PostgreSQL database a
# previous run or `crm demo` seeded with the same counts: measured again as it is, without
# seeding, to try a change in minutes; the server migrates it first).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/bench-lib.sh
source "$ROOT/scripts/bench-lib.sh"
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR=$ROOT/$TARGET_DIR ;; esac
CRM_BIN=$TARGET_DIR/release/crm
OUT=${BENCH_OUT:-$TARGET_DIR/bench}/reports
OPPORTUNITIES=${BENCH_REPORT_OPPORTUNITIES:-1000000}
ORDERS=${BENCH_REPORT_ORDERS:-250000}
LEADS=${BENCH_REPORT_LEADS:-200000}
ACTIVITIES=${BENCH_REPORT_ACTIVITIES:-1000000}
DATABASES=${BENCH_REPORT_DATABASES:-postgres sqlite}
DURATION=${BENCH_DURATION:-10}
SLUG=bench
PASSWORD='Demo@2026'
USERS="director manager1"
PG_DIR=/tmp/crm-bench-reports-pg-$$
WORK=$(mktemp -d /tmp/crm-bench-reports.XXXXXX)
SERVER_PID=""
API=""
DB_URL=""
DB=""
TOKEN=""

# Results keyed by "database user scenario".
declare -A API_P50 API_P99 SQL_P50 SQL_P99 API_ERR

log() { printf '[bench-reports %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

cleanup() {
    local rc=$?
    set +e
    stop_server
    [ -d "$PG_DIR" ] && bash "$ROOT/scripts/pg.sh" stop "$PG_DIR"
    rm -rf "$WORK"
    [ "$rc" -ne 0 ] && log "failed (exit $rc); logs in $OUT"
    exit "$rc"
}
trap cleanup EXIT
set -E
trap 'log "failed at line $LINENO: $BASH_COMMAND"' ERR
trap 'exit 130' INT TERM


ensure_tools() {
    local missing=()
    for tool in wrk psql curl python3 sqlite3; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    [ -x "$(pg_bin)/pgbench" ] || missing+=(pgbench)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]} from Debian's packages"
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo=sudo
        $sudo apt-get update -qq
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            wrk postgresql-client postgresql curl python3 sqlite3 >/dev/null
    fi
}


# open_database postgres|sqlite: a fresh, empty database; DB_URL names it for the server.
open_database() {
    DB=$1
    case "$DB" in
        postgres)
            if [ -n "${BENCH_REPORT_PG_URL:-}" ]; then
                DB_URL=$BENCH_REPORT_PG_URL
            else
                local base
                base=$(bash "$ROOT/scripts/pg.sh" start "$PG_DIR" on)
                psql "$base/postgres" -qXc 'create database crm' >/dev/null
                DB_URL=$base/crm
            fi
            ;;
        sqlite)
            mkdir -p "$WORK/sqlite"
            DB_URL="sqlite://$WORK/sqlite/crm.sqlite?mode=rwc"
            ;;
        *) die "unknown database $DB" ;;
    esac
    export CRM_DATABASE_URL=$DB_URL CRM_DATA_DIR=$WORK/data-$DB CRM_LOG=warn CRM_WORKERS=2
    export CRM_SHUTDOWN_TIMEOUT_SECS=2 CRM_REMINDER_INTERVAL_SECS=0
    export CRM_RATE_LIMIT_USER_PER_SECOND=1000000 CRM_RATE_LIMIT_USER_BURST=1000000
    export CRM_RATE_LIMIT_ANONYMOUS_PER_SECOND=1000000 CRM_RATE_LIMIT_ANONYMOUS_BURST=1000000
}

close_database() {
    stop_server
    if reused; then
        return
    elif [ "$DB" = postgres ]; then
        bash "$ROOT/scripts/pg.sh" stop "$PG_DIR"
    else
        rm -rf "$WORK/sqlite"
    fi
}

# query SQL: one statement's rows, tab-separated, on the open database.
query() {
    if [ "$DB" = postgres ]; then
        psql "$DB_URL" -qXAt -F $'\t' -v ON_ERROR_STOP=1 -c "$1"
    else
        sqlite3 -separator $'\t' "$WORK/sqlite/crm.sqlite" "$1"
    fi
}

# reused: whether the open database was seeded before this run.
reused() { [ "$DB" = postgres ] && [ -n "${BENCH_REPORT_PG_URL:-}" ]; }

seed() {
    local started=$SECONDS
    if reused; then
        log "$DB: measuring $DB_URL as it is (BENCH_REPORT_PG_URL)"
        SEED_S[$DB]=reused
        return
    fi
    log "$DB: seeding $LEADS leads, $ACTIVITIES follow-ups, $OPPORTUNITIES opportunities and $ORDERS orders of history (crm demo)"
    (cd "$WORK" && timeout 3600 "$CRM_BIN" demo --slug "$SLUG" --leads 0 --customers 20000 \
        --opportunities 0 --orders 0 --products 200 --reps-per-department 13 --teams-per-region 3 \
        --history-leads "$LEADS" --history-activities "$ACTIVITIES" \
        --history-opportunities "$OPPORTUNITIES" --history-orders "$ORDERS") >"$OUT/seed-$DB.log" 2>&1 \
        || { tail -n 20 "$OUT/seed-$DB.log" >&2; die "crm demo failed"; }
    grep -h '^history:' "$OUT/seed-$DB.log" >&2 || true
    # Statistics as a production database has them (autovacuum would otherwise run mid-bench).
    if [ "$DB" = postgres ]; then
        query 'vacuum analyze' >/dev/null
        query 'checkpoint' >/dev/null
    else
        query 'analyze' >/dev/null
    fi
    SEED_S[$DB]=$((SECONDS - started))
    log "$DB: seeded in ${SEED_S[$DB]} s"
}
declare -A SEED_S

start_server() {
    local port deadline
    port=$(free_port)
    export CRM_LISTEN=127.0.0.1:$port
    API=http://127.0.0.1:$port
    (cd "$WORK" && exec "$CRM_BIN" serve) >>"$OUT/server-$DB.log" 2>&1 &
    SERVER_PID=$!
    deadline=$((SECONDS + 60))
    until curl -fs -o /dev/null --max-time 1 "$API/readyz"; do
        kill -0 "$SERVER_PID" 2>/dev/null || { SERVER_PID=""; die "crm serve exited; see $OUT/server-$DB.log"; }
        [ "$SECONDS" -lt "$deadline" ] || die "crm serve not ready within 60 s"
        sleep 0.05
    done
}


login() {
    local body
    body=$(curl -fsS --max-time 10 -H 'Content-Type: application/json' \
        -d "{\"tenant\":\"$SLUG\",\"email\":\"$1@$SLUG.cn\",\"password\":\"$PASSWORD\"}" \
        "$API/api/v1/auth/login") || die "login as $1 failed"
    TOKEN=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' <<<"$body")
    export CRM_TOKEN=$TOKEN
}


# api_run USER NAME PATH: one client for DURATION seconds; bench/report.lua prints the line.
# A report slower than the run (wrk finishes no request) is reported by the first request,
# which is timed on its own beforehand.
api_run() {
    local user=$1 name=$2 path=$3 key="$DB $1 $2" line file first_s
    file=$OUT/wrk-$DB-$user-$name.txt
    first_s=$(curl -fsS --max-time 120 -o "$OUT/answer-$DB-$user-$name.json" -w '%{time_total}' \
        -H "Authorization: Bearer $TOKEN" "$API/api/v1$path") || die "GET $path as $user failed"
    timeout $((DURATION + 120)) wrk -t1 -c1 -d"${DURATION}s" --timeout 60s \
        -s "$ROOT/bench/list.lua" "$API/api/v1$path" >"$file" 2>&1 || die "wrk $name failed; see $file"
    line=$(grep '^BENCH ' "$file") || die "wrk $name printed no summary"
    API_ERR[$key]=$(($(field errors "$line") + $(field non2xx "$line")))
    if [ "$(field requests "$line")" -gt 0 ]; then
        API_P50[$key]=$(field p50_ms "$line")
        API_P99[$key]=$(field p99_ms "$line")
    else
        API_P50[$key]=$(awk -v s="$first_s" 'BEGIN { printf "%.3f", s * 1000 }')
        API_P99[$key]=${API_P50[$key]}
        API_ERR[$key]=0
    fi
    log "$DB $user $name: API p50 ${API_P50[$key]} ms, p99 ${API_P99[$key]} ms"
}

# The reports as a manager opens them: the last twelve months (forecast: this month and the
# five ahead; performance: this quarter; customer value: dormant after the default 180 days;
# activity: the last thirteen weeks, idle after the default 30 days).
# One line per report: its name (and SQL file), its address, and the values its SQL needs
# beyond the shared ones.
scenarios() {
    local today year_ago weeks_ago this_month month_ago ahead quarter q_first
    today=$(TZ=Asia/Shanghai date +%F)
    year_ago=$(date -d "$today - 364 days" +%F)
    weeks_ago=$(date -d "$today - 90 days" +%F)
    this_month=${today:0:7}
    month_ago=$(date -d "${this_month}-01 - 11 months" +%Y-%m)
    ahead=$(date -d "${this_month}-01 + 5 months" +%Y-%m)
    quarter="${today:0:4}-Q$(( (10#${today:5:2} + 2) / 3 ))"
    q_first=$(printf '%s-%02d-01' "${today:0:4}" $(( (10#${today:5:2} - 1) / 3 * 3 + 1 )))
    local period="FROM='$year_ago' TO='$today' START='$(date -d "$year_ago - 1 day" +%F)T16:00:00+00:00' END='${today}T16:00:00+00:00'"
    local months="MONTH_FROM='$month_ago-01' MONTH_TO='$(last_day "$this_month")'"
    cat <<LIST
funnel /reports/funnel?from=$year_ago&to=$today $period
win_rate /reports/win-rate?from=$year_ago&to=$today $period
forecast /reports/forecast?from=$this_month&to=$ahead MONTH_FROM='$this_month-01' MONTH_TO='$(last_day "$ahead")'
performance_users /reports/performance?period=$quarter&by=user Q_FROM='$q_first' Q_TO='$(last_day "$(date -d "$q_first + 2 months" +%Y-%m)")' QUARTER='$quarter'
performance_departments /reports/performance?period=$quarter&by=department Q_FROM='$q_first' Q_TO='$(last_day "$(date -d "$q_first + 2 months" +%Y-%m)")'
collections /reports/collections?from=$month_ago&to=$this_month $months TO='$today'
orders_by_month /reports/orders?from=$year_ago&to=$today&group_by=month $period
orders_by_product /reports/orders?from=$year_ago&to=$today&group_by=product $period
customer_value /reports/customer-value?from=$month_ago&to=$this_month $months CUTOFF='$(date -d "$today - 180 days" +%F)'
lead_sources /reports/lead-sources?from=$year_ago&to=$today $period
activity /reports/activity?from=$weeks_ago&to=$today START='$(date -d "$weeks_ago - 1 day" +%F)T16:00:00+00:00' END='${today}T16:00:00+00:00' IDLE_BEFORE='$(date -u -d '30 days ago' +%FT%T+00:00)'
LIST
}

# last_day YYYY-MM: the month's last day.
last_day() { date -d "$1-01 + 1 month - 1 day" +%F; }

# The values every SQL file shares on the open database: the tenant, its default pipeline,
# and the manager's department tree.
declare -A SHARED
shared_values() {
    local tenant pipeline path
    if [ "$DB" = postgres ]; then
        tenant=$(query "select id from tenants where slug = '$SLUG'")
        pipeline=$(query "select id from pipelines where tenant_id = '$tenant' and is_default")
        SHARED[T]="'$tenant'" SHARED[PIPELINE]="'$pipeline'"
    else
        tenant=$(query "select hex(id) from tenants where slug = '$SLUG'")
        pipeline=$(query "select hex(id) from pipelines where tenant_id = X'$tenant' and is_default")
        SHARED[T]="X'$tenant'" SHARED[PIPELINE]="X'$pipeline'"
    fi
    path=$(query "select d.path from users u join departments d on d.id = u.department_id where u.email = 'manager1@$SLUG.cn'")
    [ -n "$path" ] || die "manager1 has no department"
    local successor
    successor=$(python3 -c 'import sys; p = sys.argv[1]; print(p[:-1] + chr(ord(p[-1]) + 1))' "$path")
    SHARED[OWNERS]="(SELECT mu.id FROM users mu JOIN departments md ON md.id = mu.department_id WHERE mu.tenant_id = ${SHARED[T]} AND md.path >= '$path' AND md.path < '$successor')"
    SHARED[PATH_PREFIX]="'$path%'"
}

# sql_run USER NAME VALUES…: the report's hand-written SQL, one client for DURATION seconds.
sql_run() {
    local user=$1 name=$2 key="$DB $1 $2" role=director file
    shift 2
    [ "$user" = director ] || role=manager
    file=$WORK/$DB-$user-$name.sql
    local values
    read -ra values <<<"$*"
    python3 "$ROOT/bench/reports/render.py" "$DB" "$role" "$ROOT/bench/reports/$name.sql" "$file" \
        "T=${SHARED[T]}" "PIPELINE=${SHARED[PIPELINE]}" "OWNERS=${SHARED[OWNERS]}" \
        "PATH_PREFIX=${SHARED[PATH_PREFIX]}" "${values[@]}"
    cp "$file" "$OUT/"
    if [ "$DB" = postgres ]; then
        rm -f "$WORK"/pgblog.*
        PGOPTIONS='-c jit=off' timeout $((DURATION + 120)) "$(pg_bin)/pgbench" -n -c 1 -j 1 -T "$DURATION" \
            -f "$file" --log --log-prefix="$WORK/pgblog" "$DB_URL" >"$OUT/pgbench-$user-$name.txt" 2>&1 \
            || die "pgbench $name failed; see $OUT/pgbench-$user-$name.txt"
        read -r "SQL_P50[$key]" "SQL_P99[$key]" < <(cat "$WORK"/pgblog.* | python3 -c '
import sys
lat = sorted(int(line.split()[2]) / 1000 for line in sys.stdin if line.strip())
pick = lambda q: lat[max(0, min(len(lat) - 1, -(-len(lat) * q // 100) - 1))]
print(f"{pick(50):.3f} {pick(99):.3f}")')
    else
        read -r "SQL_P50[$key]" "SQL_P99[$key]" _ < <(timeout $((DURATION + 300)) python3 "$ROOT/bench/sqlite_timer.py" \
            "$WORK/sqlite/crm.sqlite" "$file" "$DURATION")
    fi
    log "$DB $user $name: SQL p50 ${SQL_P50[$key]} ms, p99 ${SQL_P99[$key]} ms"
}

bench_database() {
    open_database "$1"
    seed
    shared_values
    start_server
    local user name path values
    for user in $USERS; do
        login "$user"
        while read -r name path values; do
            api_run "$user" "$name" "$path"
            sql_run "$user" "$name" "$values"
        done < <(scenarios)
    done
    close_database
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
verdict() { if awk -v v="$1" -v t="$2" "BEGIN { exit !(v $3 t) }"; then echo ok; else echo MISS; fi; }

print_report() {
    local database user name key
    echo
    echo "== Reports at scale: $OPPORTUNITIES opportunities with stage history, $ORDERS orders"
    echo "   ($((ORDERS * 4)) order lines, $((ORDERS * 4)) instalments), $LEADS leads, $ACTIVITIES follow-ups,"
    echo "   200 users in 20 sales departments;"
    echo "   one client, ${DURATION} s per run, release server with 2 workers, 2 shared cores."
    echo "   Targets (PostgreSQL): p99 < 500 ms and API ÷ SQL ≤ 1.5."
    for database in $DATABASES; do
        echo
        local seeded="seeded in ${SEED_S[$database]:-?} s"
        [ "${SEED_S[$database]:-}" = reused ] && seeded="seeded before, reused"
        echo "-- $database ($seeded)"
        printf '%-10s %-24s %10s %10s %10s %10s %7s %s\n' reader report "API p50" "API p99" "SQL p50" "SQL p99" "÷ p99" verdict
        for user in $USERS; do
            while read -r name _; do
                key="$database $user $name"
                local v="ok"
                if [ "$database" = postgres ]; then
                    [ "$(verdict "${API_P99[$key]}" 500 '<')" = ok ] || v="MISS (p99)"
                    [ "$(verdict "$(ratio "${API_P99[$key]}" "${SQL_P99[$key]}")" 1.5 '<=')" = ok ] || v="$v MISS (÷)"
                else
                    v="-"
                fi
                [ "${API_ERR[$key]:-0}" -eq 0 ] || v="$v (${API_ERR[$key]} failed)"
                printf '%-10s %-24s %10s %10s %10s %10s %7s %s\n' "$user" "$name" "${API_P50[$key]}" "${API_P99[$key]}" \
                    "${SQL_P50[$key]}" "${SQL_P99[$key]}" "$(ratio "${API_P99[$key]}" "${SQL_P99[$key]}")" "$v"
            done < <(scenarios)
        done
    done
}

main() {
    ensure_tools
    mkdir -p "$OUT"
    export BENCH_LUA_DIR=$ROOT/bench
    log "building the release server"
    (cd "$ROOT" && cargo build --release -q -p crm-server)
    for database in $DATABASES; do
        bench_database "$database"
    done
    print_report | tee "$OUT/summary.txt"
}

main "$@"
