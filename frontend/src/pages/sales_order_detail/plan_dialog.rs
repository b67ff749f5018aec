//! 编辑收款计划: the instalments, each a name, a percentage of what the customer owes or an
//! amount, and when it falls due — on a date, or some days after an order event (确认, 首次
//! 发货, 全部发货, 验收). Saving replaces the plan; the API checks that it adds up, and its
//! errors (`instalments[i].percent`, `instalments[i].due.days`, …) show on their row.

use chrono::NaiveDate;
use crm_api_types::receivables::{
    CollectionPlanRequest, DueRule, InstalmentRequest, InstalmentResponse, PlanEvent,
};
use crm_api_types::sales_orders::SalesOrderResponse;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;

use crate::api::use_api;
use crate::bind;
use crate::components::form_field::FormErrors;
use crate::components::icons::{Icon, IconName};
use crate::components::modal::Modal;
use crate::format::{money, non_blank, parse_decimal, plain};
use crate::i18n::{K, plan_event_key, use_i18n};
use crate::rows::RowOwner;

const PERCENT: &str = "percent";
const AMOUNT: &str = "amount";
const AFTER_EVENT: &str = "after_event";
const ON_DATE: &str = "date";
/// The API's limit on `days`.
const DAYS_MAX: u16 = 3650;
/// New instalments fall due this long after the order is confirmed, as the default plan does.
const DEFAULT_DAYS: u16 = 30;

/// One instalment being edited; `id` keeps its inputs when others come and go.
#[derive(Debug, Clone, Copy)]
struct PlanRow {
    id: u64,
    name: RwSignal<String>,
    /// [`PERCENT`] or [`AMOUNT`].
    share: RwSignal<String>,
    value: RwSignal<String>,
    /// [`AFTER_EVENT`] or [`ON_DATE`].
    due_kind: RwSignal<String>,
    event: RwSignal<String>,
    days: RwSignal<String>,
    date: RwSignal<String>,
}

/// What a row holds, as plain values.
struct RowValues {
    name: String,
    share: &'static str,
    value: String,
    due: DueRule,
}

impl RowValues {
    fn of(i: &InstalmentResponse) -> Self {
        let (share, value) = match i.percent {
            Some(p) => (PERCENT, plain(p)),
            None => (AMOUNT, plain(i.amount)),
        };
        Self {
            name: i.name.clone(),
            share,
            value,
            due: i.due,
        }
    }
}

fn percent_of(owed: Decimal, percent: Decimal) -> Decimal {
    owed * percent / Decimal::ONE_HUNDRED
}

#[component]
pub fn PlanDialog(
    order: SalesOrderResponse,
    on_done: Callback<Option<SalesOrderResponse>>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let order_id = order.summary.id;
    let currency = order.summary.currency.clone();
    let owed = order.summary.total - order.summary.cancelled_amount;
    let rows = RwSignal::new(Vec::<PlanRow>::new());
    let next_id = StoredValue::new(0_u64);
    let owner = RowOwner::here();

    let make_row = move |v: RowValues| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        let (due_kind, event, days, date) = match v.due {
            DueRule::AfterEvent { event, days } => {
                (AFTER_EVENT, event, days.to_string(), String::new())
            }
            DueRule::Date { date } => (
                ON_DATE,
                PlanEvent::OrderConfirmed,
                DEFAULT_DAYS.to_string(),
                date.to_string(),
            ),
        };
        owner.make(|| PlanRow {
            id,
            name: RwSignal::new(v.name),
            share: RwSignal::new(v.share.to_owned()),
            value: RwSignal::new(v.value),
            due_kind: RwSignal::new(due_kind.to_owned()),
            event: RwSignal::new(event.as_str().to_owned()),
            days: RwSignal::new(days),
            date: RwSignal::new(date),
        })
    };
    let first: Vec<PlanRow> = order
        .instalments
        .iter()
        .map(|i| make_row(RowValues::of(i)))
        .collect();
    rows.set(first);

    // A new instalment takes the percentage still unplanned.
    let add = move |_| {
        let planned: Decimal = rows.with_untracked(|rows| {
            rows.iter()
                .filter(|r| r.share.get_untracked() == PERCENT)
                .filter_map(|r| parse_decimal(&r.value.get_untracked()).flatten())
                .sum()
        });
        let rest = (Decimal::ONE_HUNDRED - planned).max(Decimal::ZERO);
        let row = make_row(RowValues {
            name: String::new(),
            share: PERCENT,
            value: if rest.is_zero() {
                String::new()
            } else {
                plain(rest)
            },
            due: DueRule::AfterEvent {
                event: PlanEvent::OrderConfirmed,
                days: DEFAULT_DAYS,
            },
        });
        rows.update(|rows| rows.push(row));
    };

    // What the rows come to, as typed (the server rounds percentages to the cent).
    let sum = move || -> Option<Decimal> {
        rows.with(|rows| {
            rows.iter()
                .map(|r| {
                    let value = parse_decimal(&r.value.get()).flatten()?;
                    Some(if r.share.get() == PERCENT {
                        percent_of(owed, value)
                    } else {
                        value
                    })
                })
                .sum()
        })
    };
    let sum_currency = currency.clone();
    let sum_text = move || {
        let owed_text = money(owed, &sum_currency);
        match sum() {
            Some(total) => format!(
                "{} {} / {} {owed_text}",
                i18n.t(K::Total),
                money(total.round_dp(2), &sum_currency),
                i18n.t(K::AmountOwed)
            ),
            None => format!("{} {owed_text}", i18n.t(K::AmountOwed)),
        }
    };
    let adds_up = move || sum().is_some_and(|total| total.round_dp(2) == owed);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let mut found: Vec<(String, K)> = Vec::new();
        let mut instalments = Vec::new();
        for (i, row) in rows.get_untracked().iter().enumerate() {
            let field = |name: &str| format!("instalments[{i}].{name}");
            let share = row.share.get_untracked();
            let share_field = field(if share == PERCENT { PERCENT } else { AMOUNT });
            let value = match parse_decimal(&row.value.get_untracked()) {
                Some(Some(v)) if v > Decimal::ZERO => Some(v),
                None => {
                    found.push((share_field, K::ValueRequired));
                    None
                }
                _ => {
                    found.push((share_field, K::InvalidNumber));
                    None
                }
            };
            let due = if row.due_kind.get_untracked() == ON_DATE {
                match row.date.get_untracked().trim().parse::<NaiveDate>() {
                    Ok(date) => Some(DueRule::Date { date }),
                    Err(_) => {
                        found.push((field("due.date"), K::InvalidDate));
                        None
                    }
                }
            } else {
                let event = PlanEvent::parse(&row.event.get_untracked());
                let days = row
                    .days
                    .get_untracked()
                    .trim()
                    .parse::<u16>()
                    .ok()
                    .filter(|d| *d <= DAYS_MAX);
                if days.is_none() {
                    found.push((field("due.days"), K::WholeNumber));
                }
                event
                    .zip(days)
                    .map(|(event, days)| DueRule::AfterEvent { event, days })
            };
            if let (Some(value), Some(due)) = (value, due) {
                let (percent, amount) = if share == PERCENT {
                    (Some(value), None)
                } else {
                    (None, Some(value))
                };
                instalments.push(InstalmentRequest {
                    name: non_blank(&row.name.get_untracked()),
                    percent,
                    amount,
                    due,
                });
            }
        }
        if rows.with_untracked(Vec::is_empty) {
            found.push(("instalments".to_owned(), K::PlanNeedsInstalment));
        }
        if !found.is_empty() {
            for (field, message) in found {
                errors.push(&field, i18n.t(message));
            }
            return;
        }
        saving.set(true);
        let body = CollectionPlanRequest { instalments };
        spawn_local(async move {
            let result = api.set_collection_plan(order_id, &body).await;
            saving.set(false);
            match result {
                Ok(order) => {
                    api.toasts.success(api.i18n.t(K::PlanSaved));
                    on_done.try_run(Some(order));
                }
                Err(error) => {
                    let known = !error.field_errors().is_empty()
                        && error
                            .field_errors()
                            .iter()
                            .all(|e| e.field.starts_with("instalments"));
                    errors.set(error.field_errors().to_vec());
                    if !known {
                        api.report(&error);
                    }
                }
            }
        });
    };

    let row_view = move |row: PlanRow| {
        let id = row.id;
        let index = move || rows.with(|rows| rows.iter().position(|r| r.id == id).unwrap_or(0));
        let tid = move |name: &'static str| move || format!("plan-{name}-{}", index());
        let row_errors = move || errors.all_under(&format!("instalments[{}]", index()));
        let invalid = move |names: &'static [&'static str]| {
            move || {
                let prefix = format!("instalments[{}].", index());
                let bad = row_errors().iter().any(|e| {
                    e.field
                        .strip_prefix(&prefix)
                        .is_some_and(|rest| names.contains(&rest))
                });
                if bad { "true" } else { "false" }
            }
        };
        let events = move || {
            PlanEvent::ALL
                .into_iter()
                .map(|e| {
                    view! {
                        <option value=e.as_str() prop:selected=move || row.event.get() == e.as_str()>
                            {i18n.tr(plan_event_key(e))}
                        </option>
                    }
                })
                .collect_view()
        };
        let on_date = move || row.due_kind.get() == ON_DATE;
        view! {
            <tbody class="quote-line" data-testid="plan-row">
                <tr>
                    <td class="line-no cell-mono">{move || index() + 1}</td>
                    <td>
                        <input class="input" data-testid=tid("name") aria-label=i18n.tr(K::InstalmentName)
                            placeholder=i18n.tr(K::InstalmentNamePlaceholder) aria-invalid=invalid(&["name"])
                            prop:value=bind::value(row.name) on:input=bind::set(row.name) on:change=bind::set(row.name)/>
                    </td>
                    <td>
                        <div class="input-unit">
                            <select class="input select select-share" data-testid=tid("share") aria-label=i18n.tr(K::ShareKind)
                                on:change=bind::set(row.share)>
                                <option value=PERCENT prop:selected=move || row.share.get() == PERCENT>{i18n.tr(K::ByPercent)}</option>
                                <option value=AMOUNT prop:selected=move || row.share.get() == AMOUNT>{i18n.tr(K::ByAmount)}</option>
                            </select>
                            <input class="input input-num" inputmode="decimal" data-testid=tid("value")
                                aria-label=i18n.tr(K::FieldAmount) aria-invalid=invalid(&["percent", "amount"])
                                prop:value=bind::value(row.value) on:input=bind::set(row.value) on:change=bind::set(row.value)/>
                            <span class="unit">{move || if row.share.get() == PERCENT { "%" } else { "" }}</span>
                        </div>
                    </td>
                    <td>
                        <div class="input-unit">
                            <select class="input select select-due" data-testid=tid("due") aria-label=i18n.tr(K::DueRule)
                                on:change=bind::set(row.due_kind)>
                                <option value=AFTER_EVENT prop:selected=move || !on_date()>{i18n.tr(K::DueAfterEvent)}</option>
                                <option value=ON_DATE prop:selected=on_date>{i18n.tr(K::DueOnDate)}</option>
                            </select>
                            <Show when=move || !on_date() fallback=move || view! {
                                <input type="date" class="input" data-testid=tid("date") aria-label=i18n.tr(K::DueDate)
                                    aria-invalid=invalid(&["due.date"])
                                    prop:value=bind::value(row.date) on:input=bind::set(row.date) on:change=bind::set(row.date)/>
                            }>
                                <select class="input select select-event" data-testid=tid("event") aria-label=i18n.tr(K::PlanEventLabel)
                                    on:change=bind::set(row.event)>
                                    {events}
                                </select>
                                <input class="input input-num input-short" inputmode="numeric" data-testid=tid("days")
                                    aria-label=i18n.tr(K::Days) aria-invalid=invalid(&["due.days"])
                                    prop:value=bind::value(row.days) on:input=bind::set(row.days) on:change=bind::set(row.days)/>
                                <span class="unit">{i18n.tr(K::Days)}</span>
                            </Show>
                        </div>
                    </td>
                    <td class="line-actions">
                        <button type="button" class="icon-button" data-testid=tid("remove") aria-label=i18n.tr(K::Remove)
                            on:click=move |_| rows.update(|rows| rows.retain(|r| r.id != id))>
                            <Icon name=IconName::Trash/>
                        </button>
                    </td>
                </tr>
                {move || {
                    let found = row_errors();
                    (!found.is_empty()).then(|| view! {
                        <tr class="line-detail">
                            <td></td>
                            <td colspan="4">
                                {found.into_iter().map(|e| view! {
                                    <p class="field-error" data-testid=format!("error-{}", e.field)>{e.message}</p>
                                }).collect_view()}
                            </td>
                        </tr>
                    })
                }}
            </tbody>
        }
    };

    view! {
        <Modal title=i18n.signal(K::EditPlanTitle) on_close testid="plan-dialog" wide=true>
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body plan-body">
                    <p class="field-hint">{i18n.tr(K::PlanHint)}</p>
                    <div class="table-scroll">
                        <table class="table table-compact quote-lines-editor" data-testid="plan-rows">
                            <thead>
                                <tr>
                                    <th scope="col">"#"</th>
                                    <th scope="col">{i18n.tr(K::InstalmentName)}</th>
                                    <th scope="col">{i18n.tr(K::Share)}</th>
                                    <th scope="col">{i18n.tr(K::DueRule)}</th>
                                    <th scope="col"><span class="visually-hidden">{i18n.tr(K::Actions)}</span></th>
                                </tr>
                            </thead>
                            <For each=move || rows.get() key=|row| row.id children=row_view/>
                        </table>
                    </div>
                    {move || errors.message("instalments").map(|m| view! {
                        <p class="field-error" data-testid="error-instalments">{m}</p>
                    })}
                    <div class="toolbar">
                        <button type="button" class="btn btn-secondary btn-sm" data-testid="plan-add" on:click=add>
                            <Icon name=IconName::Plus/>
                            <span>{i18n.tr(K::AddInstalment)}</span>
                        </button>
                        <span class="toolbar-spacer"></span>
                        <span class="cell-strong" class:text-danger=move || !adds_up() data-testid="plan-sum">{sum_text}</span>
                    </div>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="plan-save" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
