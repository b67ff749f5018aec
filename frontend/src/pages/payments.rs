//! `/receivables/payments` (收款记录): payments newest first, each with its amount, what was
//! applied and to which orders, and what is left unapplied (the customer's credit, 预收款).
//! `?customer_id=…` shows one customer's, with their credit and 登记收款 for them (applied
//! automatically or by hand); 只看有未核销余额的 keeps the payments with credit left, and
//! 核销 applies a payment's credit to open instalments later. `?received_from=…&received_to=…`
//! (where 回款分析 leads) keeps the payments received on those days, shown as a chip.

mod apply_dialog;

use chrono::NaiveDate;
use crm_api_types::identity::Permission;
use crm_api_types::receivables::{PaymentListQuery, PaymentResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::NoPermission;
use crate::components::paged::{LoadMore, Paged};
use crate::components::payment_dialog::{PaymentDialog, PaymentTarget};
use crate::components::report_filters::{ReportFilterChips, day_range};
use crate::components::table::EmptyState;
use crate::format::money;
use crate::i18n::{K, payment_method_key, use_i18n};

use apply_dialog::ApplyCreditDialog;

const PAGE_SIZE: u32 = 50;
const COLUMNS: usize = 9;

#[component]
pub fn PaymentsPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::ReceivableRead) {
            view! { <Payments/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

/// Which payments the URL asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct PaymentFilter {
    customer_id: Option<Uuid>,
    received_from: Option<NaiveDate>,
    received_to: Option<NaiveDate>,
}

impl PaymentFilter {
    fn has_received_days(self) -> bool {
        self.received_from.is_some() || self.received_to.is_some()
    }
}

#[component]
fn Payments() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| {
            let day = |name: &str| q.get(name).and_then(|v| v.parse::<NaiveDate>().ok());
            PaymentFilter {
                customer_id: q.get("customer_id").and_then(|id| id.parse::<Uuid>().ok()),
                received_from: day("received_from"),
                received_to: day("received_to"),
            }
        })
    });
    // A new list for each filter.
    move || {
        let filter = filter.get();
        view! { <PaymentList filter/> }
    }
}

/// A row; `on_apply` (for those who may apply credit) offers 核销 while some is left.
fn payment_row(p: PaymentResponse, on_apply: Option<Callback<PaymentResponse>>) -> impl IntoView {
    let i18n = use_i18n();
    let method = p.method;
    let has_credit = p.unapplied > Decimal::ZERO;
    let apply = on_apply.filter(|_| has_credit).map(|on_apply| {
        let p = p.clone();
        view! {
            <button type="button" class="btn btn-link btn-sm" data-testid="payment-apply"
                on:click=move |_| on_apply.run(p.clone())>
                {i18n.tr(K::ApplyCredit)}
            </button>
        }
    });
    let applied_to = p
        .allocations
        .iter()
        .map(|a| {
            view! {
                <a class="cell-link cell-mono" href=format!("/sales-orders/{}", a.sales_order_id) data-testid="payment-order-link">
                    {format!("{} {}", a.order_number, a.instalment_name)}
                </a>
                <span class="cell-sub">{money(a.amount, &p.currency)}</span>
            }
        })
        .collect_view();
    view! {
        <tr data-testid="payment-row" data-id=p.id.to_string()>
            <td class="cell-strong cell-mono" data-testid="payment-number">
                {p.number.clone()}
                {p.reference.clone().map(|r| view! { <span class="cell-sub">{r}</span> })}
            </td>
            <td class="cell-wrap">
                <a href=format!("/customers/{}", p.customer_id)>{p.customer_name.clone()}</a>
            </td>
            <td class="cell-time">{p.received_on.to_string()}</td>
            <td>{move || i18n.t(payment_method_key(method))}</td>
            <td class="cell-num" data-testid="payment-amount">{money(p.amount, &p.currency)}</td>
            <td class="cell-num" data-testid="payment-allocated">{money(p.allocated, &p.currency)}</td>
            <td class="cell-num cell-strong" class:text-danger=has_credit data-testid="payment-unapplied">
                {money(p.unapplied, &p.currency)}
            </td>
            <td class="cell-wrap">{applied_to}</td>
            <td class="cell-actions">{apply}</td>
        </tr>
    }
}

#[component]
fn PaymentList(filter: PaymentFilter) -> impl IntoView {
    let i18n = use_i18n();
    let customer_id = filter.customer_id;
    let api = use_api();
    let session = use_session();
    let paged = Paged::<PaymentResponse>::new();
    let unapplied_only = RwSignal::new(false);
    let credit = RwSignal::new(None::<(Decimal, String)>);
    let customer_name = RwSignal::new(None::<String>);
    let paying = RwSignal::new(false);
    let applying = RwSignal::new(None::<PaymentResponse>);

    let load = move |cursor: Option<String>| {
        let query = PaymentListQuery {
            limit: Some(PAGE_SIZE),
            cursor: cursor.clone(),
            customer_id,
            received_from: filter.received_from,
            received_to: filter.received_to,
            unapplied: unapplied_only.get_untracked().then_some(true),
            include_total: Some(true),
            ..PaymentListQuery::default()
        };
        paged.fetch(api, cursor, async move { api.list_payments(&query).await });
    };
    let load_credit = move || {
        let Some(id) = customer_id else { return };
        spawn_local(async move {
            if let Ok(found) = api.customer_credit(id).await {
                credit.set(Some((found.unapplied_payments, found.currency)));
            }
        });
    };
    load(None);
    load_credit();
    if let Some(id) = customer_id {
        spawn_local(async move {
            if let Ok(found) = api.get_customer(id).await {
                customer_name.set(Some(found.value.name));
            }
        });
    }

    let can_write = session.can(Permission::ReceivableWrite);
    let on_apply = can_write.then(|| Callback::new(move |p| applying.set(Some(p))));
    let body = move || {
        paged.body(
            COLUMNS,
            || {
                view! {
                    <tr class="empty-row">
                        <td colspan=COLUMNS.to_string()>
                            <EmptyState icon=IconName::Receivables title=i18n.signal(K::PaymentsEmpty)
                                hint=i18n.signal(K::PaymentsEmptyHint) testid="payments-empty"/>
                        </td>
                    </tr>
                }
                .into_any()
            },
            move |p| payment_row(p, on_apply),
        )
    };
    let on_paid = Callback::new(move |_| {
        paying.set(false);
        load(None);
        load_credit();
    });
    // The row shows what is applied now; the customer's credit is less by as much.
    let on_applied = Callback::new(move |done: PaymentResponse| {
        applying.set(None);
        paged.items.update(|all| {
            if let Some(p) = all.iter_mut().find(|p| p.id == done.id) {
                *p = done;
            }
        });
        load_credit();
    });
    let can_pay = customer_id.is_some() && can_write;
    let navigate = use_navigate();
    let received_days = filter.has_received_days().then(|| {
        let chips = vec![(
            K::ReceivedOn,
            day_range(filter.received_from, filter.received_to),
        )];
        let on_clear =
            Callback::new(move |()| navigate("/receivables/payments", Default::default()));
        view! { <ReportFilterChips chips=Signal::stored(chips) on_clear/> }
    });

    view! {
        <div class="page">
            <a class="back-link" href="/receivables" data-testid="back-to-receivables">
                <Icon name=IconName::Back/>
                <span>{i18n.tr(K::BackToReceivables)}</span>
            </a>
            <header class="page-header">
                <div>
                    <h1>
                        {i18n.tr(K::PaymentsTitle)}
                        {move || customer_name.get().map(|name| view! {
                            <span class="badge badge-outline title-badge" data-testid="payments-customer">{name}</span>
                        })}
                    </h1>
                    <p class="page-subtitle">{i18n.tr(K::PaymentsSubtitle)}</p>
                </div>
                <div class="header-actions">
                    {can_pay.then(|| view! {
                        <button type="button" class="btn btn-primary" data-testid="payments-record" on:click=move |_| paying.set(true)>
                            {i18n.tr(K::RecordPayment)}
                        </button>
                    })}
                </div>
            </header>
            {move || credit.get().map(|(amount, currency)| view! {
                <div class="card figures" data-testid="payments-figures">
                    <div class="figure">
                        <span class="figure-label">{i18n.tr(K::UnappliedCredit)}</span>
                        <span class="figure-value" data-testid="payments-credit">{money(amount, &currency)}</span>
                    </div>
                </div>
            })}
            <section class="card" data-testid="payments-list">
                <div class="toolbar">
                    <label class="check">
                        <input type="checkbox" data-testid="payments-unapplied-only"
                            prop:checked=move || unapplied_only.get()
                            on:change=move |ev| {
                                unapplied_only.set(event_target_checked(&ev));
                                load(None);
                            }/>
                        <span>{i18n.tr(K::UnappliedOnly)}</span>
                    </label>
                    {customer_id.is_some().then(|| view! {
                        <a class="btn btn-link" href="/receivables/payments" data-testid="payments-clear">{i18n.tr(K::ClearFilters)}</a>
                    })}
                    <span class="toolbar-spacer"></span>
                    <span class="total" data-testid="payments-total">{move || paged.total.get().map(|n| i18n.total(n))}</span>
                </div>
                {received_days}
                <div class="table-wrap">
                    <table class="table" data-testid="payments-table">
                        <thead>
                            <tr>
                                <th scope="col">{i18n.tr(K::PaymentNumber)}</th>
                                <th scope="col">{i18n.tr(K::FieldCustomer)}</th>
                                <th scope="col">{i18n.tr(K::ReceivedOn)}</th>
                                <th scope="col">{i18n.tr(K::PaymentMethod)}</th>
                                <th scope="col" class="cell-num">{i18n.tr(K::PaymentAmount)}</th>
                                <th scope="col" class="cell-num">{i18n.tr(K::AllocatedAmount)}</th>
                                <th scope="col" class="cell-num">{i18n.tr(K::UnappliedAmount)}</th>
                                <th scope="col">{i18n.tr(K::PaymentAllocatedTo)}</th>
                                <th scope="col" class="cell-actions">{i18n.tr(K::Actions)}</th>
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                <LoadMore paged on_more=Callback::new(load) testid="payments-more"/>
            </section>
            {move || match (paying.get(), customer_id) {
                (true, Some(customer_id)) => view! {
                    <PaymentDialog
                        target=PaymentTarget {
                            customer_id,
                            currency: credit.with_untracked(|c| c.as_ref().map_or_else(|| "CNY".to_owned(), |(_, cur)| cur.clone())),
                            order_id: None,
                            suggested: None,
                            outstanding: None,
                        }
                        on_done=on_paid
                        on_close=Callback::new(move |()| paying.set(false))
                    />
                }
                .into_any(),
                _ => ().into_any(),
            }}
            {move || applying.get().map(|payment| view! {
                <ApplyCreditDialog payment on_done=on_applied on_close=Callback::new(move |()| applying.set(None))/>
            })}
        </div>
    }
}
