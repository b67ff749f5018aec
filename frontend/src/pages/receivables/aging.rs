//! 账龄表: what is outstanding per customer, owner or department in six buckets (未到期, 1–30
//! 天 … 180 天以上) and in total, with a totals row. A non-zero amount links to the open
//! instalments behind it; department rows do not, as the list has no department filter.

use crm_api_types::receivables::{
    AgingAmounts, AgingBucket, AgingGroup, AgingQuery, AgingResponse,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::Drill;
use crate::api::use_api;
use crate::components::icons::IconName;
use crate::components::table::{EmptyState, SkeletonRows};
use crate::format::grouped;
use crate::i18n::{K, aging_bucket_key, aging_group_key, use_i18n};
use crate::load::Load;

/// Name, six buckets, total.
const COLUMNS: usize = 8;

fn amount_of(amounts: &AgingAmounts, bucket: AgingBucket) -> Decimal {
    match bucket {
        AgingBucket::NotDue => amounts.not_due,
        AgingBucket::Days1To30 => amounts.days_1_to_30,
        AgingBucket::Days31To60 => amounts.days_31_to_60,
        AgingBucket::Days61To90 => amounts.days_61_to_90,
        AgingBucket::Days91To180 => amounts.days_91_to_180,
        AgingBucket::Over180 => amounts.over_180,
    }
}

/// One amount: a link to its instalments (`to`), or plain when there is nothing or nowhere
/// to go.
fn cell(amount: Decimal, to: Option<Drill>, bucket: Option<AgingBucket>) -> impl IntoView {
    let text = grouped(amount);
    let key = bucket.map_or("total", AgingBucket::as_str);
    let body = match to.filter(|_| !amount.is_zero()) {
        Some(drill) => view! {
            <a href=drill.href() data-testid="aging-amount" data-bucket=key>{text}</a>
        }
        .into_any(),
        None => view! { <span data-bucket=key>{text}</span> }.into_any(),
    };
    view! { <td class="cell-num" class:is-zero=amount.is_zero()>{body}</td> }
}

/// The cells of one row: each bucket, then the total.
fn cells(amounts: &AgingAmounts, base: Option<Drill>) -> impl IntoView {
    let buckets = AgingBucket::ALL
        .into_iter()
        .map(|bucket| {
            let to = base.map(|d| Drill {
                bucket: Some(bucket),
                ..d
            });
            cell(amount_of(amounts, bucket), to, Some(bucket))
        })
        .collect_view();
    view! {
        {buckets}
        {cell(amounts.total, base, None)}
    }
}

#[component]
pub fn AgingCard(#[prop(into)] group: Signal<AgingGroup>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let aging = RwSignal::new(Load::<AgingResponse>::Loading);
    let seq = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let query = AgingQuery {
            group_by: Some(group.get()),
            ..AgingQuery::default()
        };
        let n = seq.get_value() + 1;
        seq.set_value(n);
        spawn_local(async move {
            let result = api.receivables_aging(&query).await;
            if seq.try_get_value() != Some(n) {
                return;
            }
            match result {
                Ok(found) => aging.set(Load::Loaded(found)),
                Err(error) => {
                    api.report(&error);
                    aging.set(Load::Failed);
                }
            }
        });
    });

    let row_drill = move |g: AgingGroup, key: Option<Uuid>| -> Option<Drill> {
        let base = Drill {
            group: g,
            ..Drill::default()
        };
        match g {
            AgingGroup::Customer => key.map(|id| Drill {
                customer_id: Some(id),
                ..base
            }),
            AgingGroup::Owner => key.map(|id| Drill {
                owner_id: Some(id),
                ..base
            }),
            AgingGroup::Department => None,
        }
    };

    let body = move || match aging.get() {
        Load::Loading => view! { <tbody><SkeletonRows cols=COLUMNS rows=3/></tbody> }.into_any(),
        Load::Loaded(found) if !found.rows.is_empty() => {
            let g = found.group_by;
            let rows = found
                .rows
                .iter()
                .map(|r| {
                    view! {
                        <tr data-testid="aging-row" data-key=r.key.map(|k| k.to_string())>
                            <td class="cell-strong cell-wrap" data-testid="aging-name">{r.name.clone()}</td>
                            {cells(&r.amounts, row_drill(g, r.key))}
                        </tr>
                    }
                })
                .collect_view();
            let all = Drill {
                group: g,
                ..Drill::default()
            };
            view! {
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr data-testid="aging-totals">
                        <td>{i18n.tr(K::Total)}</td>
                        {cells(&found.totals, Some(all))}
                    </tr>
                </tfoot>
            }
            .into_any()
        }
        other => {
            let title = if matches!(other, Load::Failed) {
                K::UnexpectedError
            } else {
                K::AgingEmpty
            };
            view! {
                <tbody>
                    <tr class="empty-row">
                        <td colspan=COLUMNS.to_string()>
                            <EmptyState icon=IconName::Receivables title=i18n.signal(title) hint=i18n.signal(K::AgingEmptyHint) testid="aging-empty"/>
                        </td>
                    </tr>
                </tbody>
            }
            .into_any()
        }
    };
    let as_of = move || match aging.get() {
        Load::Loaded(found) => format!("{} {} · {}", i18n.t(K::AsOf), found.as_of, found.currency),
        _ => String::new(),
    };
    let switch = move || {
        AgingGroup::ALL
            .into_iter()
            .map(|g| {
                let href = Drill {
                    group: g,
                    ..Drill::default()
                }
                .href();
                view! {
                    <a class="segment" class:active=move || group.get() == g href=href
                        aria-current=move || (group.get() == g).then_some("true")
                        data-testid=format!("aging-group-{}", g.as_str())>
                        {i18n.tr(aging_group_key(g))}
                    </a>
                }
            })
            .collect_view()
    };

    view! {
        <section class="card" aria-labelledby="aging-title" data-testid="aging">
            <h2 class="card-title" id="aging-title">
                <span>{i18n.tr(K::AgingTitle)}</span>
                <span class="toolbar-spacer"></span>
                <span class="muted" data-testid="aging-as-of">{as_of}</span>
            </h2>
            <div class="toolbar">
                <span class="filter-label">{i18n.tr(K::GroupBy)}</span>
                <div class="segments" role="group" aria-label=i18n.tr(K::GroupBy)>{switch}</div>
            </div>
            <div class="table-wrap">
                <table class="table aging-table" data-testid="aging-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || i18n.t(aging_group_key(group.get()))}</th>
                            {AgingBucket::ALL.into_iter().map(|b| view! {
                                <th scope="col" class="cell-num">{i18n.tr(aging_bucket_key(b))}</th>
                            }).collect_view()}
                            <th scope="col" class="cell-num">{i18n.tr(K::Total)}</th>
                        </tr>
                    </thead>
                    {body}
                </table>
            </div>
        </section>
    }
}
