//! A policy's conditions as edited: 总额 ≥ amount (in a currency), 折扣 > percent, 客户等级
//! in some of the tenant's tiers. Errors come as `conditions[i].…`.

use std::collections::BTreeSet;

use crm_api_types::approvals::Condition;
use leptos::prelude::*;

use super::Names;
use crate::bind;
use crate::components::form_field::{CURRENCIES, FormErrors};
use crate::components::icons::{Icon, IconName};
use crate::format::{parse_decimal, plain};
use crate::i18n::{K, use_i18n};
use crate::rows::RowOwner;

const TOTAL: &str = "total_at_least";
const DISCOUNT: &str = "discount_above";
const TIER: &str = "customer_tier_in";
const KINDS: [(&str, K); 3] = [
    (TOTAL, K::ConditionTotal),
    (DISCOUNT, K::ConditionDiscount),
    (TIER, K::ConditionTier),
];

#[derive(Debug, Clone, Copy)]
pub struct ConditionRow {
    id: u64,
    kind: RwSignal<String>,
    amount: RwSignal<String>,
    currency: RwSignal<String>,
    percent: RwSignal<String>,
    tiers: RwSignal<BTreeSet<String>>,
}

/// The conditions being edited.
#[derive(Debug, Clone, Copy)]
pub struct ConditionRows {
    pub rows: RwSignal<Vec<ConditionRow>>,
    next_id: StoredValue<u64>,
    owner: RowOwner,
}

impl ConditionRows {
    pub fn new(conditions: &[Condition]) -> Self {
        let list = Self {
            rows: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
            owner: RowOwner::here(),
        };
        let rows = conditions.iter().map(|c| list.row(Some(c))).collect();
        list.rows.set(rows);
        list
    }

    fn row(self, condition: Option<&Condition>) -> ConditionRow {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        let (kind, amount, currency, percent, tiers) = match condition {
            Some(Condition::TotalAtLeast { amount, currency }) => (
                TOTAL,
                plain(*amount),
                currency.clone(),
                String::new(),
                BTreeSet::new(),
            ),
            Some(Condition::DiscountAbove { percent }) => (
                DISCOUNT,
                String::new(),
                "CNY".to_owned(),
                plain(*percent),
                BTreeSet::new(),
            ),
            Some(Condition::CustomerTierIn { tiers }) => (
                TIER,
                String::new(),
                "CNY".to_owned(),
                String::new(),
                tiers.iter().cloned().collect(),
            ),
            None => (
                TOTAL,
                String::new(),
                "CNY".to_owned(),
                String::new(),
                BTreeSet::new(),
            ),
        };
        self.owner.make(|| ConditionRow {
            id,
            kind: RwSignal::new(kind.to_owned()),
            amount: RwSignal::new(amount),
            currency: RwSignal::new(currency),
            percent: RwSignal::new(percent),
            tiers: RwSignal::new(tiers),
        })
    }

    fn add(self) {
        let row = self.row(None);
        self.rows.update(|rows| rows.push(row));
    }

    /// The conditions, or `None` after marking what is wrong in `errors`.
    pub fn conditions(
        self,
        errors: FormErrors,
        invalid: &str,
        required: &str,
    ) -> Option<Vec<Condition>> {
        let mut out = Vec::new();
        let mut ok = true;
        for (i, row) in self.rows.get_untracked().into_iter().enumerate() {
            let number = |signal: RwSignal<String>, field: &str| match parse_decimal(
                &signal.get_untracked(),
            ) {
                Some(Some(n)) => Some(n),
                None => {
                    errors.push(&format!("conditions[{i}].{field}"), required);
                    None
                }
                Some(None) => {
                    errors.push(&format!("conditions[{i}].{field}"), invalid);
                    None
                }
            };
            let condition = match row.kind.get_untracked().as_str() {
                DISCOUNT => number(row.percent, "percent")
                    .map(|percent| Condition::DiscountAbove { percent }),
                TIER => {
                    let tiers: Vec<String> = row.tiers.get_untracked().into_iter().collect();
                    if tiers.is_empty() {
                        errors.push(&format!("conditions[{i}].tiers"), required);
                        None
                    } else {
                        Some(Condition::CustomerTierIn { tiers })
                    }
                }
                _ => number(row.amount, "amount").map(|amount| Condition::TotalAtLeast {
                    amount,
                    currency: row.currency.get_untracked(),
                }),
            };
            match condition {
                Some(c) => out.push(c),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

#[component]
pub fn ConditionEditor(list: ConditionRows, names: Names, errors: FormErrors) -> impl IntoView {
    let i18n = use_i18n();
    let rows = list.rows;
    let row_view = move |row: ConditionRow| {
        let id = row.id;
        let index = move || rows.with(|rows| rows.iter().position(|r| r.id == id).unwrap_or(0));
        let error = move || errors.message_under(&format!("conditions[{}]", index()));
        let kind = move || row.kind.get();
        view! {
            <li class="choice-row condition-row" data-testid="condition-row">
                <select class="input select" data-testid="condition-kind" aria-label=i18n.tr(K::ConditionKind)
                    on:change=bind::set(row.kind)>
                    {KINDS.into_iter().map(|(key, label)| view! {
                        <option value=key prop:selected=move || row.kind.with(|k| k == key)>{i18n.tr(label)}</option>
                    }).collect_view()}
                </select>
                <div class="condition-values" class:has-error=move || error().is_some()>
                    {move || match kind().as_str() {
                        DISCOUNT => view! {
                            <div class="input-unit">
                                <span class="unit">">"</span>
                                <input class="input input-num input-short" type="number" min="0" max="100" data-testid="condition-percent"
                                    aria-label=i18n.tr(K::ConditionDiscount)
                                    prop:value=bind::value(row.percent) on:input=bind::set(row.percent)/>
                                <span class="unit">"%"</span>
                            </div>
                        }
                        .into_any(),
                        TIER => view! {
                            <div class="check-row" data-testid="condition-tiers">
                                {move || names.tiers.get().into_iter().map(|tier| {
                                    let key = tier.key.clone();
                                    let checked = key.clone();
                                    view! {
                                        <label class="check">
                                            <input type="checkbox" data-testid="condition-tier" value=tier.key.clone()
                                                prop:checked=move || row.tiers.with(|t| t.contains(&checked))
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    let key = key.clone();
                                                    row.tiers.update(|t| {
                                                        if on {
                                                            t.insert(key);
                                                        } else {
                                                            t.remove(&key);
                                                        }
                                                    });
                                                }/>
                                            <span>{tier.label}</span>
                                        </label>
                                    }
                                }).collect_view()}
                            </div>
                        }
                        .into_any(),
                        _ => view! {
                            <div class="input-unit">
                                <span class="unit">"≥"</span>
                                <input class="input input-num" type="number" min="0" data-testid="condition-amount"
                                    aria-label=i18n.tr(K::ConditionTotal)
                                    prop:value=bind::value(row.amount) on:input=bind::set(row.amount)/>
                                <select class="input select input-short" data-testid="condition-currency" aria-label=i18n.tr(K::FieldCurrency)
                                    on:change=bind::set(row.currency)>
                                    {CURRENCIES.into_iter().map(|c| view! {
                                        <option value=c prop:selected=move || row.currency.with(|v| v == c)>{c}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        }
                        .into_any(),
                    }}
                    {move || error().map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
                <button type="button" class="icon-button" data-testid="condition-remove" aria-label=i18n.tr(K::Remove)
                    on:click=move |_| rows.update(|rows| rows.retain(|r| r.id != id))>
                    <Icon name=IconName::Trash/>
                </button>
            </li>
        }
    };
    view! {
        <ol class="choice-list" data-testid="condition-list">
            <For each=move || rows.get() key=|r| r.id children=row_view/>
        </ol>
        <Show when=move || rows.with(Vec::is_empty)>
            <p class="field-hint">{i18n.tr(K::AlwaysAppliesHint)}</p>
        </Show>
        {move || errors.message("conditions").map(|m| view! { <p class="field-error" data-testid="error-conditions">{m}</p> })}
        <button type="button" class="btn btn-secondary btn-sm choice-add" data-testid="condition-add" on:click=move |_| list.add()>
            <Icon name=IconName::Plus/>
            <span>{i18n.tr(K::AddCondition)}</span>
        </button>
    }
}
