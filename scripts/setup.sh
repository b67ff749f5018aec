#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh machine, and nothing twice:
# the wasm target, Debian packages (Chromium + driver, CJK fonts, PostgreSQL, pdftotext), the
# wasm-bindgen CLI pinned to the version in Cargo.lock, and schemathesis in a venv.
# Tools live in $CRM_CACHE (default ~/.cache/crm), outside the clone, so CI reuses them.
set -euo pipefail
cd "$(dirname "$0")/.."

CRM_CACHE=${CRM_CACHE:-$HOME/.cache/crm}
mkdir -p "$CRM_CACHE"

step() { printf '\n== %s\n' "$*" >&2; }

sudo_if_needed() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

install_apt_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return
    step "apt-get install ${missing[*]}"
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

install_wasm_bindgen() {
    local want have bin="$CRM_CACHE/tools/bin/wasm-bindgen"
    want=$(wasm_bindgen_version)
    have=$("$bin" --version 2>/dev/null | awk '{print $2}' || true)
    [ "$have" = "$want" ] && return
    step "cargo install wasm-bindgen-cli $want (a few minutes, once)"
    # No --locked: its lock file names versions the registry mirror may lack.
    cargo install wasm-bindgen-cli --version "$want" --root "$CRM_CACHE/tools" --quiet
}

install_schemathesis() {
    [ -x "$CRM_CACHE/venv/bin/schemathesis" ] && return
    step "pip install schemathesis"
    python3 -m venv "$CRM_CACHE/venv"
    "$CRM_CACHE/venv/bin/pip" install --quiet --disable-pip-version-check schemathesis
}

rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown || {
    step "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
}
install_apt_packages chromium chromium-driver fonts-noto-cjk postgresql poppler-utils
install_wasm_bindgen
install_schemathesis
