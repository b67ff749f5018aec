//! Settings → 数据同步 (`settings.manage`): the ERP records whose last sync by external id was
//! refused, newest first, with what the ERP was answered field by field, so an operator sees
//! "kingdee CUST-0042: credit_code 格式不正确" before anyone asks where the customer is. A
//! refused create has no CRM record yet. Filtered by kind and result (failed unless chosen
//! otherwise), 加载更多 a page at a time.

use crm_api_types::sync::{SyncResult, SyncStateListQuery, SyncStateResponse, SyncedKind};
use leptos::prelude::*;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::badges::SyncResultBadge;
use crate::components::icons::IconName;
use crate::components::paged::{LoadMore, Paged};
use crate::components::sync_status::{
    KINDS, SyncProblem, failure, kind_value, parse_kind, parse_result, result_value,
};
use crate::components::table::ListBody;
use crate::format::local_datetime;
use crate::i18n::{K, sync_kind_key, use_i18n};

const PAGE_SIZE: u32 = 50;
const COLUMNS: usize = 7;

#[component]
pub fn DataSyncPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let paged = Paged::<SyncStateResponse>::new();
    let kind = RwSignal::new(None::<SyncedKind>);
    // `None`: either result.
    let result = RwSignal::new(Some(SyncResult::Failed));

    let fetch = move |cursor: Option<String>| {
        let query = SyncStateListQuery {
            kind: kind.get_untracked(),
            result: result.get_untracked(),
            limit: Some(PAGE_SIZE),
            cursor: cursor.clone(),
            ..SyncStateListQuery::default()
        };
        paged.fetch(
            api,
            cursor,
            async move { api.list_sync_states(&query).await },
        );
    };
    Effect::new(move |_| {
        kind.track();
        result.track();
        fetch(None);
    });
    let on_more = Callback::new(fetch);

    let rows = move || {
        paged
            .items
            .get()
            .into_iter()
            .map(|state| view! { <SyncRow state/> })
            .collect_view()
    };
    let only_failed = move || result.get() == Some(SyncResult::Failed);
    let empty_title = Signal::derive(move || {
        i18n.t(if only_failed() {
            K::SyncsFailedEmpty
        } else {
            K::SyncsEmpty
        })
        .to_owned()
    });
    let empty_hint = Signal::derive(move || {
        i18n.t(if only_failed() {
            K::SyncsFailedEmptyHint
        } else {
            K::SyncsEmptyHint
        })
        .to_owned()
    });

    let kind_options = move || {
        KINDS
            .into_iter()
            .map(|k| {
                view! {
                    <option value=kind_value(k) prop:selected=move || kind.get() == Some(k)>
                        {move || i18n.t(sync_kind_key(k))}
                    </option>
                }
            })
            .collect_view()
    };
    let result_option = move |value: Option<SyncResult>, label: K| {
        view! {
            <option value=value.map_or("", result_value) prop:selected=move || result.get() == value>
                {i18n.tr(label)}
            </option>
        }
    };

    view! {
        <section class="card" data-testid="data-sync">
            <div class="toolbar">
                <select
                    class="input select filter"
                    data-testid="sync-filter-kind"
                    aria-label=i18n.tr(K::SyncKindLabel)
                    on:change=move |ev| kind.set(parse_kind(&event_target_value(&ev)))
                >
                    <option value="" prop:selected=move || kind.get().is_none()>{i18n.tr(K::AllKinds)}</option>
                    {kind_options}
                </select>
                <select
                    class="input select filter"
                    data-testid="sync-filter-result"
                    aria-label=i18n.tr(K::SyncResultLabel)
                    on:change=move |ev| result.set(parse_result(&event_target_value(&ev)))
                >
                    {result_option(Some(SyncResult::Failed), K::SyncFilterFailed)}
                    {result_option(Some(SyncResult::Succeeded), K::SyncFilterSucceeded)}
                    {result_option(None, K::SyncFilterAll)}
                </select>
            </div>
            <div class="table-wrap">
                <table class="table" data-testid="sync-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::SyncKindLabel)}</th>
                            <th scope="col">{i18n.tr(K::FieldExternalSource)}</th>
                            <th scope="col">{i18n.tr(K::FieldExternalId)}</th>
                            <th scope="col">{i18n.tr(K::SyncRecord)}</th>
                            <th scope="col">{i18n.tr(K::SyncResultLabel)}</th>
                            <th scope="col">{i18n.tr(K::SyncProblem)}</th>
                            <th scope="col">{i18n.tr(K::SyncedAt)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <ListBody
                            loading=paged.loading
                            empty=Signal::derive(move || paged.items.with(Vec::is_empty))
                            cols=COLUMNS
                            skeleton_rows=3
                            icon=IconName::Sync
                            title=empty_title
                            hint=empty_hint
                            empty_testid="sync-empty"
                        >
                            {rows}
                        </ListBody>
                    </tbody>
                </table>
            </div>
            <LoadMore paged on_more testid="sync-more"/>
        </section>
    }
}

#[component]
fn SyncRow(state: SyncStateResponse) -> impl IntoView {
    let i18n = use_i18n();
    let kind = state.kind;
    let result = state.result;
    let time = local_datetime(&state.synced_at);
    let record = match state.record_id {
        Some(id) => match record_href(kind, id) {
            Some(href) => view! {
                <a class="cell-link" href=href data-testid="sync-record-link">{i18n.tr(K::SyncRecordOpen)}</a>
            }
            .into_any(),
            None => view! { <span class="muted">{i18n.tr(K::SyncRecordExists)}</span> }.into_any(),
        },
        None => view! { <span class="muted">{i18n.tr(K::SyncRecordNone)}</span> }.into_any(),
    };
    let source = state.external_source.clone();
    let external_id = state.external_id.clone();
    let problem = failure(state);
    view! {
        <tr data-testid="sync-row" data-kind=kind_value(kind) data-status=result_value(result)>
            <td data-testid="sync-kind">{move || i18n.t(sync_kind_key(kind))}</td>
            <td data-testid="sync-source">{source}</td>
            <td class="cell-code" data-testid="sync-external-id">{external_id}</td>
            <td data-testid="sync-record">{record}</td>
            <td><SyncResultBadge result/></td>
            <td class="cell-wrap">
                {match problem {
                    Some(problem) => view! { <SyncProblem problem/> }.into_any(),
                    None => "—".into_any(),
                }}
            </td>
            <td class="cell-time" data-testid="sync-time">{time}</td>
        </tr>
    }
}

/// Where the SPA shows a synced record. A contact's page is its customer's, which the sync
/// state does not name; shipments, invoices and payments show on their order's page.
fn record_href(kind: SyncedKind, id: Uuid) -> Option<String> {
    match kind {
        SyncedKind::Customer => Some(format!("/customers/{id}")),
        SyncedKind::Product => Some(format!("/products?sync={id}")),
        SyncedKind::SalesOrder => Some(format!("/sales-orders/{id}")),
        SyncedKind::Contact | SyncedKind::Shipment | SyncedKind::Invoice | SyncedKind::Payment => {
            None
        }
    }
}
