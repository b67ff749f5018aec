#!/usr/bin/env bash
# Property-based API tests: schemathesis reads the served OpenAPI document, generates
# requests (valid and invalid) for every operation as an admin of a demo tenant, and fails
# on any 5xx or any response that breaks the spec. On SQLite by default; set
# CRM_DATABASE_URL to an empty PostgreSQL database to run it there.
set -euo pipefail
cd "$(dirname "$0")/.."

CRM_CACHE=${CRM_CACHE:-$HOME/.cache/crm}
target=${CARGO_TARGET_DIR:-target}
cargo build -p crm-server --quiet
crm="$target/debug/crm"

dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export CRM_DATA_DIR=$dir CRM_LISTEN=127.0.0.1:$port CRM_LOG=warn CRM_SPA_DIR=$dir/no-spa
# The fuzzer is one user sending as fast as it can; a 429 is not what it is testing.
export CRM_RATE_LIMIT_USER_PER_SECOND=1000000 CRM_RATE_LIMIT_USER_BURST=1000000
export CRM_RATE_LIMIT_ANONYMOUS_PER_SECOND=1000000 CRM_RATE_LIMIT_ANONYMOUS_BURST=1000000
"$crm" demo --leads 40 --reps-per-department 1 >/dev/null
# The fuzzer acts as a second admin: the spec's login example is admin@demo.cn, and replaying
# the refresh tokens it gets for that account rightly ends all of that account's sessions.
"$crm" user create --tenant demo --email fuzz@demo.cn --name 接口测试 --password 'Fuzz@2026!' --role admin >/dev/null
"$crm" serve >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done

token=$(curl -sf "http://127.0.0.1:$port/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"tenant":"demo","email":"fuzz@demo.cn","password":"Fuzz@2026!"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

status=0
# One worker: with two, hypothesis parses lambdas' source in two threads at once and this
# machine's Python 3.11.7 sometimes fails that with "AST constructor recursion depth mismatch"
# (CPython gh-106905), a tool error that is no finding about the API.
"$CRM_CACHE/venv/bin/schemathesis" run "http://127.0.0.1:$port/api/v1/openapi.json" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples 25 --workers 1 --no-color \
    --exclude-path /api/v1/auth/logout || status=$?
if grep -q 'internal error' "$dir/server.log"; then
    echo "the server logged internal errors:" >&2
    grep 'internal error' "$dir/server.log" >&2
    status=1
fi
exit $status
