#!/usr/bin/env bash
# `make test`: everything, in the order that fails fastest.
#   static checks → unit + API tests on SQLite → API tests on PostgreSQL → SPA build →
#   browser tests in headless Chromium → schemathesis against the served spec.
set -euo pipefail
cd "$(dirname "$0")/.."

export CRM_CACHE=${CRM_CACHE:-$HOME/.cache/crm}
export PATH="$CRM_CACHE/tools/bin:$PATH"
export CARGO_TERM_COLOR=never
step() { printf '\n==== %s\n' "$*"; }

step "setup"
scripts/setup.sh

step "dependency direction"
scripts/check-deps.sh

step "clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p crm-frontend --target wasm32-unknown-unknown --quiet -- -D warnings

step "unit and API tests (SQLite)"
cargo test --workspace --exclude crm-tests --quiet
# The API tests start real `crm serve` processes (SIGKILL and restart) from target/debug.
cargo build -p crm-server --quiet
cargo test -p crm-tests --test api --quiet

step "API tests (PostgreSQL)"
pg_dir=$(mktemp -u /tmp/crm-test-pg-XXXXXX)
trap 'scripts/pg.sh stop "$pg_dir"' EXIT
pg_url=$(scripts/pg.sh start "$pg_dir")
CRM_TEST_PG_URL=$pg_url cargo test -p crm-tests --test api --quiet

step "SPA build"
scripts/build-frontend.sh release

step "browser tests (headless Chromium)"
cargo test -p crm-tests --test browser --quiet -- --test-threads=1

step "schemathesis (SQLite)"
scripts/schemathesis.sh

step "schemathesis (PostgreSQL)"
psql "$pg_url/postgres" -qc 'CREATE DATABASE schemathesis'
CRM_DATABASE_URL="$pg_url/schemathesis" scripts/schemathesis.sh
