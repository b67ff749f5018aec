#!/usr/bin/env bash
# Keeps the crates' dependency direction: api → domain ← persistence; domain does no I/O;
# api-types and the SPA depend on nothing of ours but api-types.
set -euo pipefail
cd "$(dirname "$0")/.."

deps() { cargo tree -e normal -p "$1" --prefix none --format '{p}' "${@:2}" 2>/dev/null | awk '{print $1}' | sort -u; }
fail=0
forbid() {
    local crate=$1 banned=$2 found
    found=$(deps "$crate" "${@:3}" | grep -E "^($banned)$" || true)
    if [ -n "$found" ]; then
        echo "dependency rule broken: $crate depends on $(echo "$found" | tr '\n' ' ')" >&2
        fail=1
    fi
}
forbid crm-domain 'sea-orm|sqlx|actix-web|crm-persistence|crm-api|tokio'
forbid crm-api-types 'crm-domain|crm-persistence|crm-api|sea-orm|actix-web'
forbid crm-persistence 'actix-web|crm-api'
forbid crm-migrations 'crm-persistence|crm-domain'
forbid crm-documents 'crm-domain|crm-persistence|crm-api|sea-orm|actix-web|sqlx'
forbid crm-frontend 'crm-domain|crm-persistence|crm-api|sea-orm|actix-web|tokio' --target wasm32-unknown-unknown
[ $fail = 0 ] && echo "dependency direction: ok"
exit $fail
