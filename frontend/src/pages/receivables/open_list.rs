//! 未收明细: the open instalments behind an aging amount — of a customer or an owner, in a
//! bucket or all of them — each with its order (a link), due date and what is outstanding.

use crm_api_types::receivables::{ReceivableListQuery, ReceivableResponse};
use leptos::prelude::*;

use super::Drill;
use crate::api::use_api;
use crate::components::badges::InstalmentStatusBadge;
use crate::components::icons::IconName;
use crate::components::paged::{LoadMore, Paged};
use crate::components::report_filters::day_range;
use crate::components::table::EmptyState;
use crate::format::money;
use crate::i18n::{K, aging_bucket_key, use_i18n};

const PAGE_SIZE: u32 = 50;
const COLUMNS: usize = 7;

#[component]
pub fn OpenInstalments(drill: Drill) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let paged = Paged::<ReceivableResponse>::new();

    let load = move |cursor: Option<String>| {
        let query = ReceivableListQuery {
            limit: Some(PAGE_SIZE),
            cursor: cursor.clone(),
            customer_id: drill.customer_id,
            owner_id: drill.owner_id,
            department_id: drill.department_id,
            bucket: drill.bucket,
            due_from: drill.due_from,
            due_to: drill.due_to,
            overdue: drill.overdue.then_some(true),
            include_total: Some(true),
            ..ReceivableListQuery::default()
        };
        paged.fetch(
            api,
            cursor,
            async move { api.list_receivables(&query).await },
        );
    };
    load(None);

    let row = move |r: ReceivableResponse| {
        let i = r.instalment;
        let overdue = i.days_overdue > 0;
        view! {
            <tr class:row-overdue=overdue data-testid="receivable-row" data-id=i.id.to_string()>
                <td class="cell-strong">
                    <a class="cell-link cell-mono" href=format!("/sales-orders/{}", i.sales_order_id) data-testid="receivable-order-link">
                        {r.order_number}
                    </a>
                </td>
                <td class="cell-wrap">{r.customer_name}</td>
                <td>{i.name}</td>
                <td class="cell-time">{i.due_date.map_or_else(|| "—".to_owned(), |d| d.to_string())}</td>
                <td class="cell-num cell-strong" data-testid="receivable-outstanding">{money(i.outstanding, &r.currency)}</td>
                <td>
                    <InstalmentStatusBadge status=i.status testid="receivable-status".to_owned()/>
                </td>
                <td>{r.owner_name}</td>
            </tr>
        }
    };
    let body = move || {
        paged.body(
            COLUMNS,
            || {
                view! {
                    <tr class="empty-row">
                        <td colspan=COLUMNS.to_string()>
                            <EmptyState icon=IconName::Check title=i18n.signal(K::ReceivablesEmpty) hint=Signal::derive(String::new) testid="receivables-empty"/>
                        </td>
                    </tr>
                }
                .into_any()
            },
            row,
        )
    };
    // The filter in words: the bucket or the due days, and whose instalments (named by the
    // first row).
    let filter = move || {
        let bucket = match (drill.bucket, drill.due_from.or(drill.due_to)) {
            (Some(b), _) => i18n.t(aging_bucket_key(b)).to_owned(),
            (None, Some(_)) => format!(
                "{} {}",
                i18n.t(K::DueDate),
                day_range(drill.due_from, drill.due_to)
            ),
            (None, None) => i18n.t(K::AllBuckets).to_owned(),
        };
        let whose = paged.items.with(|all| {
            all.first().map(|r| {
                if drill.customer_id.is_some() {
                    r.customer_name.clone()
                } else if drill.owner_id.is_some() {
                    r.owner_name.clone()
                } else {
                    String::new()
                }
            })
        });
        match whose.filter(|w| !w.is_empty()) {
            Some(w) => format!("{w} · {bucket}"),
            None => bucket,
        }
    };
    let back = Drill {
        group: drill.group,
        ..Drill::default()
    }
    .href();

    view! {
        <section class="card receivables-list" aria-labelledby="receivables-list-title" data-testid="receivables-list">
            <h2 class="card-title" id="receivables-list-title">
                <span>{i18n.tr(K::OpenInstalments)}</span>
                <span class="badge badge-outline" data-testid="receivables-filter">{filter}</span>
                <span class="toolbar-spacer"></span>
                <span class="total" data-testid="receivables-total">{move || paged.total.get().map(|n| i18n.total(n))}</span>
                <a class="btn btn-link btn-sm" href=back data-testid="receivables-clear">{i18n.tr(K::ClearFilters)}</a>
            </h2>
            <div class="table-wrap">
                <table class="table" data-testid="receivables-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::OrderNumber)}</th>
                            <th scope="col">{i18n.tr(K::FieldCustomer)}</th>
                            <th scope="col">{i18n.tr(K::InstalmentName)}</th>
                            <th scope="col">{i18n.tr(K::DueDate)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::Outstanding)}</th>
                            <th scope="col">{i18n.tr(K::FieldStatus)}</th>
                            <th scope="col">{i18n.tr(K::FieldOwner)}</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <LoadMore paged on_more=Callback::new(load) testid="receivables-more"/>
        </section>
    }
}
