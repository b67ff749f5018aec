//! ERP 同步: a record's identity in an external system (外部系统, 外部编号) and how the last
//! sync by that id ended, with a refused sync's problem field by field. A panel on the
//! customer page, a line under each synced contact, the body of a product's sync dialog; the
//! problem is shown the same way on 设置 → 数据同步.

use crm_api_types::ProblemDetails;
use crm_api_types::sync::{SyncResult, SyncStateResponse, SyncedKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::badges::SyncResultBadge;
use crate::components::icons::{Icon, IconName};
use crate::components::table::Spinner;
use crate::format::local_datetime;
use crate::i18n::{I18n, K, Lang, use_i18n};

/// Every kind of record an external system can own, in the order the filter offers them.
pub const KINDS: [SyncedKind; 7] = [
    SyncedKind::Customer,
    SyncedKind::Contact,
    SyncedKind::Product,
    SyncedKind::SalesOrder,
    SyncedKind::Shipment,
    SyncedKind::Invoice,
    SyncedKind::Payment,
];

/// The API's name of a kind (`sales_order`), for option values and test hooks.
pub fn kind_value(kind: SyncedKind) -> &'static str {
    match kind {
        SyncedKind::Customer => "customer",
        SyncedKind::Contact => "contact",
        SyncedKind::Product => "product",
        SyncedKind::SalesOrder => "sales_order",
        SyncedKind::Shipment => "shipment",
        SyncedKind::Invoice => "invoice",
        SyncedKind::Payment => "payment",
    }
}

pub fn parse_kind(value: &str) -> Option<SyncedKind> {
    KINDS.into_iter().find(|k| kind_value(*k) == value)
}

/// The API's name of a result (`failed`).
pub fn result_value(result: SyncResult) -> &'static str {
    match result {
        SyncResult::Succeeded => "succeeded",
        SyncResult::Failed => "failed",
    }
}

pub fn parse_result(value: &str) -> Option<SyncResult> {
    [SyncResult::Failed, SyncResult::Succeeded]
        .into_iter()
        .find(|r| result_value(*r) == value)
}

/// A record's identity in an external system: `kingdee` / `CUST-0001`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalId {
    pub source: String,
    pub id: String,
}

impl ExternalId {
    /// The identity a record carries: both halves, or none.
    pub fn of(source: Option<&String>, id: Option<&String>) -> Option<Self> {
        Some(Self {
            source: source?.clone(),
            id: id?.clone(),
        })
    }
}

/// One system's identity of the record and, once it has synced, how that ended.
#[derive(Debug, Clone)]
struct Entry {
    external: ExternalId,
    state: Option<SyncStateResponse>,
}

/// The record's own identity first (without a state until its first sync), then the states
/// of any other system.
fn entries(own: Option<&ExternalId>, states: Vec<SyncStateResponse>) -> Vec<Entry> {
    let mut entries: Vec<Entry> = states
        .into_iter()
        .map(|state| Entry {
            external: ExternalId {
                source: state.external_source.clone(),
                id: state.external_id.clone(),
            },
            state: Some(state),
        })
        .collect();
    if let Some(own) = own {
        match entries.iter().position(|e| e.external == *own) {
            Some(at) => entries[..=at].rotate_right(1),
            None => entries.insert(
                0,
                Entry {
                    external: own.clone(),
                    state: None,
                },
            ),
        }
    }
    entries
}

/// The record's sync states, `None` until they have been read.
fn load_states(kind: SyncedKind, record_id: Uuid) -> RwSignal<Option<Vec<SyncStateResponse>>> {
    let api = use_api();
    let states = RwSignal::new(None);
    spawn_local(async move {
        match api.record_sync_states(kind, record_id).await {
            Ok(found) => {
                states.try_set(Some(found));
            }
            Err(error) => {
                states.try_set(Some(Vec::new()));
                api.report(&error);
            }
        }
    });
    states
}

/// The ERP 同步 card of a record page, there only when the record has an external identity
/// or has been synced.
#[component]
pub fn SyncPanel(kind: SyncedKind, record_id: Uuid, external: Option<ExternalId>) -> impl IntoView {
    let i18n = use_i18n();
    let states = load_states(kind, record_id);
    move || {
        let body = match states.get() {
            None if external.is_none() => return ().into_any(),
            None => view! { <Spinner/> }.into_any(),
            Some(found) => {
                let list = entries(external.as_ref(), found);
                if list.is_empty() {
                    return ().into_any();
                }
                list.into_iter()
                    .map(|entry| view! { <SyncEntry entry/> })
                    .collect_view()
                    .into_any()
            }
        };
        view! {
            <section class="card" aria-labelledby="sync-panel-title" data-testid="sync-panel">
                <h2 class="card-title" id="sync-panel-title">
                    <Icon name=IconName::Sync/>
                    <span>{i18n.tr(K::ErpSync)}</span>
                </h2>
                {body}
            </section>
        }
        .into_any()
    }
}

/// The body of a sync dialog: the entries, or 尚未同步 when there is nothing to show.
#[component]
pub fn SyncDetails(
    kind: SyncedKind,
    record_id: Uuid,
    external: Option<ExternalId>,
) -> impl IntoView {
    let i18n = use_i18n();
    let states = load_states(kind, record_id);
    move || match states.get() {
        None => view! { <Spinner/> }.into_any(),
        Some(found) => {
            let list = entries(external.as_ref(), found);
            if list.is_empty() {
                return view! { <p class="muted" data-testid="sync-none">{i18n.tr(K::NotSyncedYet)}</p> }
                    .into_any();
            }
            list.into_iter()
                .map(|entry| view! { <SyncEntry entry/> })
                .collect_view()
                .into_any()
        }
    }
}

#[component]
fn SyncEntry(entry: Entry) -> impl IntoView {
    let i18n = use_i18n();
    let Entry { external, state } = entry;
    let result = state.as_ref().map(|s| s.result);
    let time = state
        .as_ref()
        .map_or_else(|| "—".to_owned(), |s| local_datetime(&s.synced_at));
    let problem = state.and_then(failure);
    let source = external.source.clone();
    view! {
        <dl class="dl dl-compact sync-entry" data-testid="sync-entry" data-source=source>
            <div class="dl-item">
                <dt>{i18n.tr(K::FieldExternalSource)}</dt>
                <dd data-testid="sync-source">{external.source}</dd>
            </div>
            <div class="dl-item">
                <dt>{i18n.tr(K::FieldExternalId)}</dt>
                <dd class="cell-mono" data-testid="sync-external-id">{external.id}</dd>
            </div>
            <div class="dl-item">
                <dt>{i18n.tr(K::SyncResultLabel)}</dt>
                <dd>
                    {match result {
                        Some(result) => view! { <SyncResultBadge result/> }.into_any(),
                        None => view! { <span class="muted" data-testid="sync-never">{i18n.tr(K::NotSyncedYet)}</span> }.into_any(),
                    }}
                </dd>
            </div>
            <div class="dl-item">
                <dt>{i18n.tr(K::LastSyncedAt)}</dt>
                <dd data-testid="sync-time">{time}</dd>
            </div>
            {problem.map(|problem| view! {
                <div class="dl-item dl-wide">
                    <dt>{i18n.tr(K::SyncProblem)}</dt>
                    <dd><SyncProblem problem/></dd>
                </div>
            })}
        </dl>
    }
}

/// The problem of a failed sync (a success carries none worth showing).
pub fn failure(state: SyncStateResponse) -> Option<ProblemDetails> {
    state.problem.filter(|_| state.result == SyncResult::Failed)
}

/// Under a contact: its identity in the ERP and how its last sync ended, with the problem
/// of a failed one.
#[component]
pub fn ContactSync(contact_id: Uuid, external: ExternalId) -> impl IntoView {
    let states = load_states(SyncedKind::Contact, contact_id);
    let label = format!("{} · {}", external.source, external.id);
    let state = move || {
        states.with(|all| {
            all.iter()
                .flatten()
                .find(|s| s.external_source == external.source && s.external_id == external.id)
                .cloned()
        })
    };
    view! {
        <div class="contact-meta contact-sync" data-testid="contact-sync">
            <Icon name=IconName::Sync/>
            <span class="cell-mono" data-testid="contact-external">{label}</span>
            {move || state().map(|state| {
                let time = local_datetime(&state.synced_at);
                let result = state.result;
                let problem = failure(state);
                view! {
                    <SyncResultBadge result/>
                    <span class="muted" data-testid="sync-time">{time}</span>
                    {problem.map(|problem| view! { <SyncProblem problem/> })}
                }
            })}
        </div>
    }
}

/// A refused sync's problem: its title, and each field's error as `field：message` (or the
/// detail when no field is named, e.g. a duplicate).
#[component]
pub fn SyncProblem(problem: ProblemDetails) -> impl IntoView {
    let i18n = use_i18n();
    let ProblemDetails {
        title,
        detail,
        errors,
        ..
    } = problem;
    let detail = detail.filter(|d| errors.is_empty() && !d.is_empty() && *d != title);
    view! {
        <div class="sync-problem" data-testid="sync-problem">
            <span class="sync-problem-title" data-testid="sync-problem-title">{title}</span>
            {detail.map(|d| view! { <span class="sync-problem-detail" data-testid="sync-problem-detail">{d}</span> })}
            {(!errors.is_empty()).then(|| view! {
                <ul class="sync-field-errors">
                    {errors.into_iter().map(|e| {
                        let field = e.field.clone();
                        view! {
                            <li data-testid="sync-field-error" data-field=field>
                                <code class="cell-code">{e.field}</code>
                                {move || separator(i18n)}
                                {e.message}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
}

/// Between a field's name and its message.
pub fn separator(i18n: I18n) -> &'static str {
    match i18n.lang() {
        Lang::ZhCn => "：",
        Lang::En => ": ",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(source: &str, id: &str) -> SyncStateResponse {
        SyncStateResponse {
            kind: SyncedKind::Customer,
            external_source: source.to_owned(),
            external_id: id.to_owned(),
            record_id: None,
            result: SyncResult::Succeeded,
            problem: None,
            synced_by: Uuid::nil(),
            synced_at: chrono::DateTime::default(),
        }
    }

    fn external(source: &str, id: &str) -> ExternalId {
        ExternalId {
            source: source.to_owned(),
            id: id.to_owned(),
        }
    }

    fn shown(list: &[Entry]) -> Vec<(String, bool)> {
        list.iter()
            .map(|e| (e.external.source.clone(), e.state.is_some()))
            .collect()
    }

    #[test]
    fn the_records_own_identity_comes_first_synced_or_not() {
        let states = vec![state("u8", "7"), state("kingdee", "CUST-0001")];
        let own = external("kingdee", "CUST-0001");
        assert_eq!(
            shown(&entries(Some(&own), states.clone())),
            [("kingdee".to_owned(), true), ("u8".to_owned(), true)]
        );
        let typed_in = external("sap", "M-1");
        assert_eq!(
            shown(&entries(Some(&typed_in), states)),
            [
                ("sap".to_owned(), false),
                ("u8".to_owned(), true),
                ("kingdee".to_owned(), true)
            ]
        );
        assert!(entries(None, Vec::new()).is_empty());
    }

    #[test]
    fn kinds_and_results_read_back_from_their_names() {
        for kind in KINDS {
            assert_eq!(parse_kind(kind_value(kind)), Some(kind));
        }
        assert_eq!(parse_result("failed"), Some(SyncResult::Failed));
        assert_eq!(parse_result(""), None);
    }
}
