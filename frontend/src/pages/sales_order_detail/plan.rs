//! 收款计划: the order's instalments — share, due rule (确认后 7 天, a date), due date once
//! its event happened, paid and outstanding, and where each stands (待触发, 未到期, 逾期,
//! 已收清). 编辑计划 replaces the plan; 登记收款 records a payment against this order.

use crm_api_types::identity::Permission;
use crm_api_types::receivables::{DueRule, InstalmentResponse};
use crm_api_types::sales_orders::{SalesOrderResponse, SalesOrderStatus};
use leptos::prelude::*;
use rust_decimal::Decimal;

use super::OnChanged;
use super::plan_dialog::PlanDialog;
use crate::auth::use_session;
use crate::components::badges::InstalmentStatusBadge;
use crate::components::icons::{Icon, IconName};
use crate::components::payment_dialog::{PaymentDialog, PaymentTarget};
use crate::format::{grouped, plain};
use crate::i18n::{I18n, K, use_i18n};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialog {
    Closed,
    Plan,
    Pay,
}

/// `确认后 7 天`, `2027-01-31`.
pub fn due_rule_text(i18n: I18n, due: DueRule) -> String {
    match due {
        DueRule::Date { date } => date.to_string(),
        DueRule::AfterEvent { event, days } => i18n.days_after(event, days),
    }
}

#[component]
pub fn PlanPanel(order: SalesOrderResponse, on_changed: OnChanged) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let dialog = RwSignal::new(Dialog::Closed);
    let status = order.summary.status;
    let can_plan = status != SalesOrderStatus::Cancelled
        && (session.can(Permission::ReceivableWrite) || session.can(Permission::SalesOrderWrite));
    let outstanding: Decimal = order.instalments.iter().map(|i| i.outstanding).sum();
    let can_pay = session.can(Permission::ReceivableWrite)
        && outstanding > Decimal::ZERO
        && !matches!(
            status,
            SalesOrderStatus::Draft
                | SalesOrderStatus::PendingApproval
                | SalesOrderStatus::Cancelled
        );
    let stored = StoredValue::new(order.clone());
    let target = StoredValue::new(PaymentTarget {
        customer_id: order.summary.customer_id,
        currency: order.summary.currency.clone(),
        order_id: Some(order.summary.id),
        suggested: order
            .instalments
            .iter()
            .find(|i| i.outstanding > Decimal::ZERO)
            .map(|i| i.outstanding),
        outstanding: Some(outstanding),
    });

    let close = Callback::new(move |()| dialog.set(Dialog::Closed));
    let done = Callback::new(move |changed: Option<SalesOrderResponse>| {
        dialog.set(Dialog::Closed);
        on_changed.run(changed);
    });
    let paid_done = Callback::new(move |_| done.run(None));

    let paid: Decimal = order.instalments.iter().map(|i| i.paid_amount).sum();
    let planned: Decimal = order.instalments.iter().map(|i| i.amount).sum();
    let body = if order.instalments.is_empty() {
        view! { <p class="panel-empty muted" data-testid="plan-empty">{i18n.tr(K::PlanEmpty)}</p> }
            .into_any()
    } else {
        let rows = order
            .instalments
            .into_iter()
            .map(instalment_row)
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="table table-compact" data-testid="plan-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::InstalmentName)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::Percent)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FieldAmount)}</th>
                            <th scope="col">{i18n.tr(K::DueRule)}</th>
                            <th scope="col">{i18n.tr(K::DueDate)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::PaidAmount)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::Outstanding)}</th>
                            <th scope="col">{i18n.tr(K::FieldStatus)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                    <tfoot>
                        <tr class="cell-strong" data-testid="plan-totals">
                            <td>{i18n.tr(K::Total)}</td>
                            <td></td>
                            <td class="cell-num">{grouped(planned)}</td>
                            <td></td>
                            <td></td>
                            <td class="cell-num" data-testid="plan-paid">{grouped(paid)}</td>
                            <td class="cell-num" data-testid="plan-outstanding">{grouped(outstanding)}</td>
                            <td></td>
                        </tr>
                    </tfoot>
                </table>
            </div>
        }
        .into_any()
    };

    view! {
        <section class="card" aria-labelledby="order-plan-title" data-testid="order-plan">
            <h2 class="card-title" id="order-plan-title">
                <Icon name=IconName::Receivables/>
                <span>{i18n.tr(K::CollectionPlan)}</span>
                <span class="toolbar-spacer"></span>
                {can_plan.then(|| view! {
                    <button type="button" class="btn btn-secondary btn-sm" data-testid="plan-edit" on:click=move |_| dialog.set(Dialog::Plan)>
                        <Icon name=IconName::Edit/>
                        <span>{i18n.tr(K::EditPlan)}</span>
                    </button>
                })}
                {can_pay.then(|| view! {
                    <button type="button" class="btn btn-primary btn-sm" data-testid="order-pay" on:click=move |_| dialog.set(Dialog::Pay)>
                        {i18n.tr(K::RecordPayment)}
                    </button>
                })}
            </h2>
            {body}
            {move || match dialog.get() {
                Dialog::Closed => ().into_any(),
                Dialog::Plan => view! {
                    <PlanDialog order=stored.get_value() on_done=done on_close=close/>
                }
                .into_any(),
                Dialog::Pay => view! {
                    <PaymentDialog target=target.get_value() on_done=paid_done on_close=close/>
                }
                .into_any(),
            }}
        </section>
    }
}

fn instalment_row(i: InstalmentResponse) -> impl IntoView {
    let i18n = use_i18n();
    let position = i.position;
    let due = i.due;
    let days_overdue = i.days_overdue;
    let overdue = days_overdue > 0;
    view! {
        <tr class:row-overdue=overdue data-testid=format!("instalment-{position}") data-id=i.id.to_string()>
            <td class="cell-strong">{i.name}</td>
            <td class="cell-num">{i.percent.map_or_else(|| "—".to_owned(), |p| format!("{}%", plain(p)))}</td>
            <td class="cell-num" data-testid="instalment-amount">{grouped(i.amount)}</td>
            <td>{move || due_rule_text(i18n, due)}</td>
            <td class="cell-time" data-testid="instalment-due-date">{i.due_date.map_or_else(|| "—".to_owned(), |d| d.to_string())}</td>
            <td class="cell-num" data-testid="instalment-paid">{grouped(i.paid_amount)}</td>
            <td class="cell-num cell-strong" data-testid="instalment-outstanding">{grouped(i.outstanding)}</td>
            <td>
                <InstalmentStatusBadge status=i.status testid=format!("instalment-status-{position}")/>
                {overdue.then(|| view! {
                    <span class="cell-sub task-due">{move || i18n.overdue_days(i64::from(days_overdue))}</span>
                })}
            </td>
        </tr>
    }
}
