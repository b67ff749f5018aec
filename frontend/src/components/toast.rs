//! Short-lived notices in the top-right corner: success after saves, problems that belong to
//! no form field.

use std::time::Duration;

use leptos::prelude::*;

use crate::components::icons::{Icon, IconName};
use crate::i18n::{K, use_i18n};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Success,
    Info,
    Error,
}

impl ToastKind {
    fn class(self) -> &'static str {
        match self {
            ToastKind::Success => "toast toast-success",
            ToastKind::Info => "toast toast-info",
            ToastKind::Error => "toast toast-error",
        }
    }

    /// Errors stay longer: they usually need reading.
    fn lifetime(self) -> Duration {
        match self {
            ToastKind::Error => Duration::from_secs(8),
            _ => Duration::from_secs(4),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Toast {
    id: u64,
    kind: ToastKind,
    text: String,
}

#[derive(Debug, Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Toasts {
    pub fn new() -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        }
    }

    pub fn success(self, text: impl Into<String>) {
        self.push(ToastKind::Success, text.into());
    }

    pub fn info(self, text: impl Into<String>) {
        self.push(ToastKind::Info, text.into());
    }

    pub fn error(self, text: impl Into<String>) {
        self.push(ToastKind::Error, text.into());
    }

    fn push(self, kind: ToastKind, text: String) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.items.update(|items| {
            // The same message twice in a row (e.g. several failed calls) shows once.
            items.retain(|t| t.text != text);
            items.push(Toast { id, kind, text });
            if items.len() > 4 {
                items.remove(0);
            }
        });
        set_timeout(move || self.dismiss(id), kind.lifetime());
    }

    fn dismiss(self, id: u64) {
        self.items.update(|items| items.retain(|t| t.id != id));
    }
}

impl Default for Toasts {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

#[component]
pub fn ToastArea() -> impl IntoView {
    let toasts = use_toasts();
    let i18n = use_i18n();
    view! {
        <div class="toast-area" aria-live="polite" aria-atomic="false">
            <For
                each=move || toasts.items.get()
                key=|toast| toast.id
                children=move |toast| {
                    let id = toast.id;
                    let role = if toast.kind == ToastKind::Error { "alert" } else { "status" };
                    view! {
                        <div class=toast.kind.class() role=role data-testid="toast">
                            <span class="toast-text">{toast.text}</span>
                            <button
                                type="button"
                                class="toast-close"
                                aria-label=i18n.tr(K::Close)
                                on:click=move |_| toasts.dismiss(id)
                            >
                                <Icon name=IconName::Close/>
                            </button>
                        </div>
                    }
                }
            />
        </div>
    }
}
