#!/usr/bin/env bash
# Import throughput: `crm import` (the API's import path, run synchronously) of generated
# customers into a throwaway PostgreSQL with fsync on. A first file seeds the tenant with
# BENCH_IMPORT_ROWS customers, then a second file of as many new customers is imported and
# timed against that database, duplicate checks included. Prints the command's timings.
#
# Knobs: BENCH_IMPORT_ROWS (100000), BENCH_OUT (keeps the generated files and the log).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR=$ROOT/$TARGET_DIR ;; esac
CRM_BIN=$TARGET_DIR/release/crm
ROWS=${BENCH_IMPORT_ROWS:-100000}
OUT=${BENCH_OUT:-$TARGET_DIR/bench}
PG_DIR=/tmp/crm-bench-import-pg-$$
WORK=$(mktemp -d /tmp/crm-bench-import.XXXXXX)

log() { printf '[bench-import %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
cleanup() {
    local rc=$?
    set +e
    [ -d "$PG_DIR" ] && bash "$ROOT/scripts/pg.sh" stop "$PG_DIR"
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT

[ -x "$CRM_BIN" ] || (cd "$ROOT" && cargo build --release -p crm-server)
mkdir -p "$OUT"

# Customers with unique names and valid unified social credit codes (GB 32100 check digit).
generate() {
    python3 - "$1" "$2" "$3" <<'PY'
import sys
path, start, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
cities = [("江苏省", "苏州市", "华东"), ("浙江省", "杭州市", "华东"), ("广东省", "深圳市", "华南"),
          ("山东省", "青岛市", "华北"), ("四川省", "成都市", "西南")]
trades = ["精密机械", "电子科技", "化工材料", "阀门制造", "智能装备", "新能源", "汽车零部件"]
with open(path, "w", encoding="utf-8") as f:
    f.write("客户名称,统一社会信用代码,行业,区域,省份,城市,详细地址,客户等级,标签,备注\n")
    for n in range(start, start + count):
        province, city, region = cities[n % len(cities)]
        trade = trades[n % len(trades)]
        body = "9132050" + f"{n:010d}"
        check = alphabet[(31 - sum(alphabet.index(c) * w for c, w in zip(body, weights)) % 31) % 31]
        f.write(f"{city[:-1]}{trade}第{n}号有限公司,{body}{check},{trade},{region},{province},{city},"
                f"{city}工业园区{n % 500}号,{'ABC'[n % 3]},重点、{region},导入基准\n")
PY
}

log "generating 2 × $ROWS customers"
generate "$WORK/seed.csv" 0 "$ROWS"
generate "$WORK/customers.csv" "$ROWS" "$ROWS"

URL=$(bash "$ROOT/scripts/pg.sh" start "$PG_DIR" on)
export CRM_DATABASE_URL=$URL/postgres CRM_DATA_DIR=$WORK CRM_LOG=warn
"$CRM_BIN" tenant create --slug bench --name 基准测试有限公司 \
    --admin-email admin@bench.cn --admin-password 'Bench@2026!' >/dev/null

log "seeding $ROWS customers"
"$CRM_BIN" import --slug bench --as admin@bench.cn --kind customers --file "$WORK/seed.csv" | tee "$OUT/import-seed.txt"
log "importing $ROWS more into a tenant holding $ROWS"
"$CRM_BIN" import --slug bench --as admin@bench.cn --kind customers --file "$WORK/customers.csv" | tee "$OUT/import.txt"
