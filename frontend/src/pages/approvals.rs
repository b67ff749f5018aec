//! `/approvals` (审批): 待我审批 (the requests whose current step awaits the user), 我发起的
//! (the user's own) and 全部 (with a status filter). A row opens its document (a quote or a
//! sales order), where the approval panel decides it.

use crm_api_types::Page;
use crm_api_types::approvals::{ApprovalListQuery, ApprovalStatus, ApprovalSummary, DocumentKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::use_api;
use crate::components::approvals_badge::use_approval_counts;
use crate::components::badges::ApprovalStatusBadge;
use crate::components::icons::{Icon, IconName};
use crate::components::table::{EmptyState, SkeletonRows};
use crate::format::{local_datetime, money, or_dash};
use crate::i18n::{K, approval_status_key, document_kind_key, use_i18n};

const PAGE_SIZE: u32 = 20;
/// `assignee=me`, `submitted_by=me`: the caller.
const ME: &str = "me";
const COLUMNS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    AwaitingMe,
    Submitted,
    All,
}

impl Tab {
    const ALL: [Tab; 3] = [Tab::AwaitingMe, Tab::Submitted, Tab::All];

    fn key(self) -> &'static str {
        match self {
            Tab::AwaitingMe => "mine",
            Tab::Submitted => "submitted",
            Tab::All => "all",
        }
    }

    fn of(key: &str) -> Tab {
        Tab::ALL
            .into_iter()
            .find(|t| t.key() == key)
            .unwrap_or(Tab::AwaitingMe)
    }

    fn label(self) -> K {
        match self {
            Tab::AwaitingMe => K::ApprovalsAwaitingMe,
            Tab::Submitted => K::ApprovalsSubmitted,
            Tab::All => K::ApprovalsAll,
        }
    }
}

/// Where a document of this kind lives in the app.
pub fn document_href(kind: DocumentKind, id: uuid::Uuid) -> String {
    match kind {
        DocumentKind::Quote => format!("/quotes/{id}"),
        DocumentKind::SalesOrder => format!("/sales-orders/{id}"),
        // No contract page in the SPA yet: the link lands on the not-found page.
        DocumentKind::Contract => format!("/contracts/{id}"),
    }
}

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let counts = use_approval_counts();
    let navigate = use_navigate();
    // `?tab=submitted|all` opens another tab (links from elsewhere).
    let start = use_query_map().with_untracked(|q| q.get("tab"));
    // Keys, not the enums: signals of `&str` are compiled once for every such choice.
    let tab = RwSignal::new(Tab::of(start.as_deref().unwrap_or_default()).key());
    let current = move || Tab::of(tab.get());
    let status = RwSignal::new("");
    let cursors = RwSignal::new(Vec::<String>::new());
    let page = RwSignal::new(None::<Page<ApprovalSummary>>);
    let loading = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let seq = StoredValue::new(0_u64);

    Effect::new(move |_| {
        let current = current();
        let query = ApprovalListQuery {
            limit: Some(PAGE_SIZE),
            cursor: cursors.with(|c| c.last().cloned()),
            assignee: (current == Tab::AwaitingMe).then(|| ME.to_owned()),
            submitted_by: (current == Tab::Submitted).then(|| ME.to_owned()),
            status: if current == Tab::AwaitingMe {
                None
            } else {
                ApprovalStatus::parse(status.get())
            },
            ..ApprovalListQuery::default()
        };
        let n = seq.get_value() + 1;
        seq.set_value(n);
        loading.set(true);
        spawn_local(async move {
            let result = api.list_approvals(&query).await;
            if seq.try_get_value() != Some(n) {
                return;
            }
            loading.set(false);
            match result {
                Ok(found) => {
                    failed.set(false);
                    page.set(Some(found));
                }
                Err(error) => {
                    failed.set(true);
                    api.report(&error);
                }
            }
        });
    });
    let choose = move |t: Tab| {
        tab.set(t.key());
        cursors.set(Vec::new());
        counts.refresh(api);
    };
    let next_cursor = move || page.with(|p| p.as_ref().and_then(|p| p.next_cursor.clone()));
    let page_no = move || cursors.with(Vec::len) + 1;
    let first_load = move || page.with(Option::is_none) && loading.get();

    let rows = move || {
        let items = page.with(|p| p.as_ref().map(|p| p.items.clone()).unwrap_or_default());
        items
            .into_iter()
            .map(|a| {
                let kind = a.document_kind;
                let href = document_href(kind, a.document_id);
                let open = {
                    let navigate = navigate.clone();
                    let href = href.clone();
                    move || navigate(&href, Default::default())
                };
                let step = if a.status == ApprovalStatus::Pending {
                    or_dash(a.current_step_name.as_deref())
                } else {
                    "—".to_owned()
                };
                view! {
                    <tr class="row-link" class:row-awaiting=a.awaiting_me data-testid="approval-row" data-id=a.id.to_string()
                        data-document-id=a.document_id.to_string() on:click=move |_| open()>
                        <td class="cell-strong">
                            <a class="cell-link cell-mono" href=href data-testid="approval-document" on:click=|ev| ev.stop_propagation()>{a.document_number}</a>
                            <span class="cell-sub" data-testid="approval-document-kind" data-kind=kind.as_str()>{i18n.tr(document_kind_key(kind))}</span>
                        </td>
                        <td class="cell-wrap">{a.document_title}</td>
                        <td class="cell-num">{money(a.amount, &a.currency)}</td>
                        <td data-testid="approval-current-step">{step}</td>
                        <td><ApprovalStatusBadge status=a.status testid="approval-row-status"/></td>
                        <td class="cell-wrap">{a.policy_name}</td>
                        <td>{a.submitted_by_name}</td>
                        <td class="cell-time">{local_datetime(&a.submitted_at)}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let body = move || {
        if first_load() {
            return view! { <SkeletonRows cols=COLUMNS/> }.into_any();
        }
        if page.with(|p| p.as_ref().is_some_and(|p| !p.items.is_empty())) {
            return rows().into_any();
        }
        let (title, icon) = if failed.get() {
            (K::UnexpectedError, IconName::Alert)
        } else if current() == Tab::AwaitingMe {
            (K::ApprovalsInboxEmpty, IconName::Check)
        } else {
            (K::ApprovalsEmpty, IconName::Inbox)
        };
        view! {
            <tr class="empty-row">
                <td colspan=COLUMNS.to_string()>
                    <EmptyState icon title=i18n.signal(title) hint=Signal::derive(String::new) testid="approvals-empty"/>
                </td>
            </tr>
        }
        .into_any()
    };
    let tabs = move || {
        Tab::ALL
            .into_iter()
            .map(|t| {
                view! {
                    <button type="button" role="tab" class="tab" class:active=move || current() == t
                        aria-selected=move || if current() == t { "true" } else { "false" }
                        data-testid=format!("approvals-tab-{}", t.key()) on:click=move |_| choose(t)>
                        {i18n.tr(t.label())}
                    </button>
                }
            })
            .collect_view()
    };

    view! {
        <div class="page">
            <header class="page-header">
                <div>
                    <h1>{i18n.tr(K::ApprovalsTitle)}</h1>
                    <p class="page-subtitle">{i18n.tr(K::ApprovalsSubtitle)}</p>
                </div>
            </header>
            <div class="card">
                <div class="tabs card-tabs" role="tablist">{tabs}</div>
                <Show when=move || current() != Tab::AwaitingMe>
                    <div class="toolbar">
                        <select class="input select filter" data-testid="filter-status" aria-label=i18n.tr(K::FieldStatus)
                            on:change=move |ev| {
                                status.set(ApprovalStatus::parse(&event_target_value(&ev)).map_or("", ApprovalStatus::as_str));
                                cursors.set(Vec::new());
                            }>
                            <option value="" prop:selected=move || status.get().is_empty()>{i18n.tr(K::AllStatuses)}</option>
                            {ApprovalStatus::ALL.into_iter().map(|s| view! {
                                <option value=s.as_str() prop:selected=move || status.get() == s.as_str()>{i18n.tr(approval_status_key(s))}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </Show>
                <div class="table-wrap" class:is-loading=move || loading.get() && !first_load()>
                    <div class="progress" class:active=move || loading.get()></div>
                    <table class="table" data-testid="approvals-table">
                        <thead>
                            <tr>
                                <th scope="col">{i18n.tr(K::DocumentNumber)}</th>
                                <th scope="col">{i18n.tr(K::DocumentTitle)}</th>
                                <th scope="col" class="cell-num">{i18n.tr(K::FieldAmount)}</th>
                                <th scope="col">{i18n.tr(K::CurrentStep)}</th>
                                <th scope="col">{i18n.tr(K::FieldStatus)}</th>
                                <th scope="col">{i18n.tr(K::ApprovalPolicy)}</th>
                                <th scope="col">{i18n.tr(K::Submitter)}</th>
                                <th scope="col">{i18n.tr(K::SubmittedAt)}</th>
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                <footer class="pager">
                    <span class="pager-info" data-testid="page-info">{move || i18n.page_no(page_no())}</span>
                    <button type="button" class="btn btn-secondary btn-sm" data-testid="page-prev"
                        disabled=move || page_no() <= 1 || loading.get()
                        on:click=move |_| cursors.update(|c| { c.pop(); })>
                        {i18n.tr(K::Prev)}
                    </button>
                    <button type="button" class="btn btn-secondary btn-sm" data-testid="page-next"
                        disabled=move || next_cursor().is_none() || loading.get()
                        on:click=move |_| {
                            if let Some(cursor) = next_cursor() {
                                cursors.update(|c| c.push(cursor));
                            }
                        }>
                        {i18n.tr(K::Next)}
                    </button>
                </footer>
            </div>
            <p class="field-hint"><Icon name=IconName::Stamp/>" "{i18n.tr(K::ApprovalsHint)}</p>
        </div>
    }
}
