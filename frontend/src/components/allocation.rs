//! 核销方式: where money goes. Automatically (the server applies it to open instalments,
//! oldest due first) or by hand (手动分配): the customer's open instalments in the money's
//! currency, each with an amount to apply. What is not applied stays as the customer's credit
//! (预收款). Used when a payment is recorded and when its credit is applied later.

use crm_api_types::receivables::{AllocationRequest, ReceivableListQuery, ReceivableResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::api::{Api, use_api};
use crate::bind;
use crate::components::form_field::FormErrors;
use crate::components::table::Spinner;
use crate::format::{grouped, money, parse_decimal, plain};
use crate::i18n::{K, use_i18n};
use crate::rows::RowOwner;

/// The field the server names for allocation errors.
pub const ALLOCATIONS: &str = "allocations";
/// The most open instalments one customer is expected to have; more are not offered.
const OPEN_LIMIT: u32 = 200;

/// One open instalment with the amount typed for it.
#[derive(Debug, Clone, Copy)]
struct AllocRow {
    id: Uuid,
    amount: RwSignal<String>,
}

/// The allocation is wrong, and the form says where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown;

/// The choice being made: automatic or by hand, and the amounts typed.
#[derive(Debug, Clone, Copy)]
pub struct Allocation {
    customer_id: Uuid,
    currency: StoredValue<String>,
    manual: RwSignal<bool>,
    /// `None` until the customer's open instalments are loaded (on choosing 手动分配).
    open: RwSignal<Option<Vec<(ReceivableResponse, AllocRow)>>>,
    /// The first wrong amount's row and why.
    wrong: RwSignal<Option<(usize, K)>>,
    /// Σ typed amounts (what cannot be read counts as nothing).
    allocated: Memo<Decimal>,
    owner: RowOwner,
    api: Api,
}

impl Allocation {
    /// Automatic to begin with, or by hand (the open instalments listed at once).
    pub fn new(customer_id: Uuid, currency: String, manual: bool) -> Self {
        let open = RwSignal::new(None::<Vec<(ReceivableResponse, AllocRow)>>);
        let allocated = Memo::new(move |_| {
            open.with(|rows| {
                rows.as_ref().map_or(Decimal::ZERO, |rows| {
                    rows.iter()
                        .filter_map(|(_, row)| parse_decimal(&row.amount.get()).flatten())
                        .filter(|n| *n > Decimal::ZERO)
                        .sum()
                })
            })
        });
        let this = Self {
            customer_id,
            currency: StoredValue::new(currency),
            manual: RwSignal::new(false),
            open,
            wrong: RwSignal::new(None),
            allocated,
            owner: RowOwner::here(),
            api: use_api(),
        };
        if manual {
            this.choose(true);
        }
        this
    }

    fn choose(self, manual: bool) {
        self.manual.set(manual);
        if manual {
            self.load_open();
        }
    }

    fn load_open(self) {
        if self.open.with_untracked(Option::is_some) {
            return;
        }
        let api = self.api;
        let query = ReceivableListQuery {
            limit: Some(OPEN_LIMIT),
            customer_id: Some(self.customer_id),
            ..ReceivableListQuery::default()
        };
        spawn_local(async move {
            match api.list_receivables(&query).await {
                Ok(page) => {
                    let cur = self.currency.get_value();
                    let rows = page
                        .items
                        .into_iter()
                        .filter(|r| r.currency == cur && r.instalment.outstanding > Decimal::ZERO)
                        .map(|r| {
                            let row = self.owner.make(|| AllocRow {
                                id: r.instalment.id,
                                amount: RwSignal::new(String::new()),
                            });
                            (r, row)
                        })
                        .collect();
                    self.open.set(Some(rows));
                }
                Err(error) => {
                    self.open.set(Some(Vec::new()));
                    api.report(&error);
                }
            }
        });
    }

    /// What to send: `None` to apply automatically, or the amounts typed, which must add up
    /// to at most `available` (else `errors` gets it under [`ALLOCATIONS`]).
    pub fn request(
        self,
        available: Decimal,
        errors: FormErrors,
    ) -> Result<Option<Vec<AllocationRequest>>, Shown> {
        self.wrong.set(None);
        if !self.manual.get_untracked() {
            return Ok(None);
        }
        let typed = self.open.with_untracked(|rows| {
            let mut out = Vec::new();
            for (i, (r, row)) in rows.as_deref().unwrap_or(&[]).iter().enumerate() {
                match parse_decimal(&row.amount.get_untracked()) {
                    None => {}
                    Some(Some(n)) if n.is_zero() => {}
                    Some(Some(n)) if n < Decimal::ZERO => return Err((i, K::InvalidNumber)),
                    Some(Some(n)) if n > r.instalment.outstanding => {
                        return Err((i, K::MoreThanOutstanding));
                    }
                    Some(Some(n)) => out.push(AllocationRequest {
                        instalment_id: row.id,
                        amount: n,
                    }),
                    Some(None) => return Err((i, K::InvalidNumber)),
                }
            }
            Ok(out)
        });
        match typed {
            Ok(list) => {
                let sum: Decimal = list.iter().map(|a| a.amount).sum();
                if sum > available {
                    errors.push(ALLOCATIONS, self.api.i18n.t(K::AllocatedMoreThanPaid));
                    return Err(Shown);
                }
                Ok(Some(list))
            }
            Err(wrong) => {
                self.wrong.set(Some(wrong));
                Err(Shown)
            }
        }
    }
}

/// The 核销方式 radios and, by hand, the open instalments with an amount each and what is
/// left as credit out of `available`. Test ids start with `prefix` (`pay`: `pay-mode-manual`).
#[component]
pub fn AllocationChoice(
    allocation: Allocation,
    #[prop(into)] available: Signal<Decimal>,
    errors: FormErrors,
    prefix: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let a = allocation;
    let mode = move |is_manual: bool, which: &'static str, label: K| {
        view! {
            <label class="check">
                <input type="radio" name=format!("{prefix}-mode") data-testid=format!("{prefix}-mode-{which}")
                    prop:checked=move || a.manual.get() == is_manual
                    on:change=move |_| a.choose(is_manual)/>
                <span>{i18n.tr(label)}</span>
            </label>
        }
    };

    let alloc_table = move || {
        let Some(rows) = a.open.get() else {
            return view! { <Spinner/> }.into_any();
        };
        if rows.is_empty() {
            return view! {
                <p class="panel-empty muted" data-testid="alloc-empty">{i18n.tr(K::NoOpenInstalments)}</p>
            }
            .into_any();
        }
        let body = rows
            .into_iter()
            .enumerate()
            .map(|(i, (r, row))| {
                let inst = r.instalment;
                let outstanding = inst.outstanding;
                let overdue = inst.days_overdue > 0;
                let wrong = move || a.wrong.get().filter(|(at, _)| *at == i).map(|(_, k)| k);
                view! {
                    <tr data-testid="alloc-row" data-id=inst.id.to_string() class:row-overdue=overdue>
                        <td class="cell-mono">{r.order_number}</td>
                        <td>{inst.name}</td>
                        <td class="cell-time">{inst.due_date.map_or_else(|| "—".to_owned(), |d| d.to_string())}</td>
                        <td class="cell-num" data-testid="alloc-outstanding">{grouped(outstanding)}</td>
                        <td>
                            <input class="input input-num" data-testid=format!("alloc-amount-{i}")
                                aria-label=i18n.tr(K::AllocateAmount)
                                aria-invalid=move || if wrong().is_some() { "true" } else { "false" }
                                placeholder="0"
                                prop:value=bind::value(row.amount) on:input=bind::set(row.amount)/>
                            <button type="button" class="btn btn-link btn-sm" data-testid=format!("alloc-fill-{i}")
                                on:click=move |_| row.amount.set(plain(outstanding))>
                                {i18n.tr(K::AllocateAll)}
                            </button>
                            {move || wrong().map(|k| view! {
                                <p class="field-error" data-testid=format!("error-alloc-{i}")>{i18n.t(k)}</p>
                            })}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="table table-compact" data-testid="alloc-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::OrderNumber)}</th>
                            <th scope="col">{i18n.tr(K::InstalmentName)}</th>
                            <th scope="col">{i18n.tr(K::DueDate)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::Outstanding)}</th>
                            <th scope="col">{i18n.tr(K::AllocateAmount)}</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        }
        .into_any()
    };

    view! {
        <fieldset class="field field-wide">
            <legend class="field-label">{i18n.tr(K::AllocationMode)}</legend>
            <div class="header-actions">
                {mode(false, "auto", K::AllocateAuto)}
                {mode(true, "manual", K::AllocateManual)}
            </div>
        </fieldset>
        <Show when=move || a.manual.get()>
            <div class="field-wide" data-testid=format!("{prefix}-allocations")>
                {alloc_table}
                <p class="field-hint" data-testid=format!("{prefix}-unallocated")>
                    {move || {
                        let cur = a.currency.get_value();
                        let allocated = a.allocated.get();
                        let rest = available.get() - allocated;
                        format!(
                            "{} {} · {} {}",
                            i18n.t(K::Allocated),
                            money(allocated, &cur),
                            i18n.t(K::UnallocatedAsCredit),
                            money(rest.max(Decimal::ZERO), &cur),
                        )
                    }}
                </p>
                {move || errors.message(ALLOCATIONS).map(|m| view! {
                    <p class="field-error" data-testid="error-allocations">{m}</p>
                })}
            </div>
        </Show>
    }
}
