//! Inputs bound to a `RwSignal<String>`: its value as the input's property, and the input's
//! events writing it back. One closure type serves every input, so the view code for them is
//! compiled once rather than once per input; that keeps the wasm small.

use leptos::prelude::*;

/// For `prop:value`.
pub fn value(signal: RwSignal<String>) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    move || signal.get()
}

/// For `on:input` and `on:change`.
pub fn set(signal: RwSignal<String>) -> impl Fn(web_sys::Event) + Copy + 'static {
    move |ev| signal.set(event_target_value(&ev))
}
