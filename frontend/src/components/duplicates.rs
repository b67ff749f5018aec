//! Duplicate customers: the live check while a name or credit code is typed, and how a match
//! is shown — a link when the caller may open the customer, else the masked name and where it
//! sits (`已存在：华东区 张*`).

use std::time::Duration;

use crm_api_types::customers::{DuplicateCheckQuery, DuplicateMatch, MatchReason};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Api;
use crate::components::icons::{Icon, IconName};
use crate::i18n::{K, match_reason_key, use_i18n};

const DEBOUNCE: Duration = Duration::from_millis(300);
/// Shorter names match half the customer base: not worth asking.
const MIN_NAME_CHARS: usize = 2;
/// The API checks well-formed codes only; a half-typed one is not a question yet.
const CREDIT_CODE_CHARS: usize = 18;

/// The matches for what the user has typed so far.
#[derive(Debug, Clone, Copy)]
pub struct DuplicateCheck {
    pub exact: RwSignal<Vec<DuplicateMatch>>,
    pub similar: RwSignal<Vec<DuplicateMatch>>,
    pub checking: RwSignal<bool>,
    /// Answers to older queries are dropped.
    seq: StoredValue<u64>,
    debounce: StoredValue<Option<TimeoutHandle>>,
}

impl DuplicateCheck {
    /// Call inside the component that shows the result: a pending check dies with it.
    pub fn new() -> Self {
        let check = Self {
            exact: RwSignal::new(Vec::new()),
            similar: RwSignal::new(Vec::new()),
            checking: RwSignal::new(false),
            seq: StoredValue::new(0),
            debounce: StoredValue::new(None),
        };
        on_cleanup(move || {
            if let Some(Some(handle)) = check.debounce.try_get_value() {
                handle.clear();
            }
        });
        check
    }

    /// Checks `query` after a pause in typing.
    pub fn schedule(self, api: Api, query: DuplicateCheckQuery) {
        if let Some(handle) = self.debounce.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(move || self.run(api, query), DEBOUNCE).ok();
        self.debounce.set_value(handle);
    }

    /// Checks `query` now. Parts too short to mean anything are left out; with nothing left,
    /// the result is simply empty.
    pub fn run(self, api: Api, mut query: DuplicateCheckQuery) {
        let Some(seq) = self.seq.try_get_value().map(|n| n + 1) else {
            return;
        };
        self.seq.set_value(seq);
        query.name = query
            .name
            .map(|n| n.trim().to_owned())
            .filter(|n| n.chars().count() >= MIN_NAME_CHARS);
        query.credit_code = query
            .credit_code
            .map(|c| c.trim().to_uppercase())
            .filter(|c| c.chars().count() == CREDIT_CODE_CHARS);
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|v| v.trim().is_empty());
        if blank(&query.name)
            && blank(&query.credit_code)
            && blank(&query.phone)
            && blank(&query.email)
        {
            self.show(Vec::new(), Vec::new());
            return;
        }
        self.checking.set(true);
        spawn_local(async move {
            let result = api.check_duplicates(&query).await;
            if self.seq.try_get_value() != Some(seq) {
                return;
            }
            self.checking.set(false);
            match result {
                Ok(found) => self.show(found.exact, found.similar),
                // A hint, not a gate: the server refuses a real duplicate on save anyway.
                Err(_) => self.show(Vec::new(), Vec::new()),
            }
        });
    }

    /// Shows what a `409 customer_duplicate` named, in place of the last check.
    pub fn show_conflict(self, matches: Vec<DuplicateMatch>) {
        self.seq.update_value(|n| *n += 1);
        self.checking.set(false);
        self.show(matches, Vec::new());
    }

    fn show(self, exact: Vec<DuplicateMatch>, similar: Vec<DuplicateMatch>) {
        self.exact.set(exact);
        self.similar.set(similar);
    }

    /// A match on name or credit code: the server would refuse to create the customer (tracked).
    pub fn blocks(self) -> bool {
        self.exact
            .with(|matches| matches.iter().any(|m| blocks_create(m.reason)))
    }
}

impl Default for DuplicateCheck {
    fn default() -> Self {
        Self::new()
    }
}

pub fn blocks_create(reason: MatchReason) -> bool {
    matches!(reason, MatchReason::Name | MatchReason::CreditCode)
}

/// One matching customer.
#[component]
pub fn MatchLine(m: DuplicateMatch) -> impl IntoView {
    let i18n = use_i18n();
    let reason = m.reason;
    let name = match (m.visible, m.customer_id) {
        (true, Some(id)) => view! {
            <a href=format!("/customers/{id}") class="match-name" data-testid="duplicate-link">{m.name}</a>
        }
        .into_any(),
        _ => view! { <span class="match-name match-masked">{m.name}</span> }.into_any(),
    };
    let hint = m.owner_hint;
    let visible = m.visible;
    view! {
        <span class="match-line" data-testid="duplicate-match" data-visible=visible.to_string()>
            {name}
            <span class="badge badge-outline">{move || i18n.t(match_reason_key(reason))}</span>
            <span class="match-owner" data-testid="duplicate-owner">
                {move || if visible {
                    hint.clone().unwrap_or_else(|| i18n.t(K::InPool).to_owned())
                } else {
                    i18n.exists_at(hint.as_deref())
                }}
            </span>
        </span>
    }
}

/// A box listing matches: `error` for those that block, else a hint.
#[component]
pub fn DuplicateAlert(
    title: K,
    #[prop(optional_no_strip)] body: Option<K>,
    #[prop(into)] matches: Signal<Vec<DuplicateMatch>>,
    #[prop(optional)] error: bool,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div
            class="alert duplicate-alert"
            class:alert-error=error
            class:alert-info=!error
            role=if error { "alert" } else { "status" }
            data-testid=testid
        >
            <Icon name=IconName::Alert/>
            <div class="alert-body">
                <strong>{i18n.tr(title)}</strong>
                {body.map(|body| view! { <p>{i18n.tr(body)}</p> })}
                <ul class="match-list">
                    {move || matches.get().into_iter().map(|m| view! { <li><MatchLine m/></li> }).collect_view()}
                </ul>
            </div>
        </div>
    }
}
