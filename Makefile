# The two commands: `make run` (build everything, start on SQLite with demo data) and
# `make test` (install what the tests need, run them all). See README.md.

CRM_CACHE ?= $(HOME)/.cache/crm
export CRM_CACHE
export PATH := $(CRM_CACHE)/tools/bin:$(PATH)

CRM := $(or $(CARGO_TARGET_DIR),target)/release/crm

.PHONY: run build test bench bench-reports openapi setup clean

# The demo company comes with two years of history, so the reports have something to show.
run: build
	@test -f data/crm.sqlite || $(CRM) demo --history-leads 600 --history-activities 3000 --history-opportunities 2000 --history-orders 500
	$(CRM) serve

build: setup
	scripts/build-frontend.sh release
	cargo build --release -p crm-server

test:
	scripts/test.sh

bench:
	scripts/bench.sh
	scripts/bench-reports.sh

# The reports alone, at the scale of `make bench` (an hour less to wait).
bench-reports:
	scripts/bench-reports.sh

# Regenerate the checked-in OpenAPI document after changing handlers or API types.
openapi:
	UPDATE_OPENAPI=1 cargo test -p crm-tests --test api --quiet contract::the_checked_in_openapi_document_matches_the_code

setup:
	scripts/setup.sh

clean:
	cargo clean
	rm -rf frontend/dist data
