#!/usr/bin/env bash
# Builds the Leptos SPA into frontend/dist: index.html, style.css and pkg/ (wasm + JS glue).
#
#   scripts/build-frontend.sh [debug|release]      (default: debug)
#
# Needs the wasm32-unknown-unknown target and the wasm-bindgen CLI at exactly the version of
# the wasm-bindgen crate in Cargo.lock (the two must match, or the glue and the wasm disagree).
# The CLI is taken from $HOME/.cache/crm/tools/bin if present, else from PATH.
# Cargo builds into $CARGO_TARGET_DIR (default: target/wasm), apart from the backend's target
# dir, so the two builds don't wait on each other's lock.
set -euo pipefail

mode="${1:-debug}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

case "$mode" in
    debug) profile_args=(); profile_dir=debug ;;
    release) profile_args=(--profile wasm-release); profile_dir=wasm-release ;;
    *) echo "usage: $0 [debug|release]" >&2; exit 2 ;;
esac

# The version pinned in Cargo.lock: the line after `name = "wasm-bindgen"`.
want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [[ -z "$want" ]]; then
    echo "error: no wasm-bindgen entry in Cargo.lock" >&2
    exit 1
fi

tools_bin="$HOME/.cache/crm/tools/bin"
if [[ -x "$tools_bin/wasm-bindgen" ]]; then
    wasm_bindgen="$tools_bin/wasm-bindgen"
elif command -v wasm-bindgen >/dev/null 2>&1; then
    wasm_bindgen="$(command -v wasm-bindgen)"
else
    echo "error: wasm-bindgen CLI not found (looked in $tools_bin and PATH)." >&2
    echo "       install it: cargo install wasm-bindgen-cli --version $want --root \$HOME/.cache/crm/tools" >&2
    exit 1
fi
have="$("$wasm_bindgen" --version | awk '{ print $2 }')"
if [[ "$have" != "$want" ]]; then
    echo "error: $wasm_bindgen is version $have, but Cargo.lock pins wasm-bindgen $want." >&2
    echo "       install the matching CLI: cargo install wasm-bindgen-cli --version $want --root \$HOME/.cache/crm/tools" >&2
    exit 1
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target/wasm}"
cargo build -p crm-frontend --target wasm32-unknown-unknown "${profile_args[@]}"
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/$profile_dir/crm_frontend.wasm"

dist="$root/frontend/dist"
rm -rf "$dist"
mkdir -p "$dist/pkg"
"$wasm_bindgen" --target web --remove-name-section --no-typescript --out-dir "$dist/pkg" "$wasm"
cp frontend/index.html frontend/style.css "$dist/"
if [[ -d frontend/static ]]; then
    cp -R frontend/static/. "$dist/"
fi

size() { wc -c <"$1" | tr -d ' '; }
gz() { gzip -9c "$1" | wc -c | tr -d ' '; }
echo "frontend/dist ($mode):"
for f in "$dist/pkg/crm_frontend_bg.wasm" "$dist/pkg/crm_frontend.js" "$dist/style.css"; do
    printf '  %-24s %8s bytes  %8s gzipped\n' "$(basename "$f")" "$(size "$f")" "$(gz "$f")"
done
