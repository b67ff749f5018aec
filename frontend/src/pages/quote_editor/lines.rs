//! The editor's line grid: one row per line, a product's or free text (安装调试费), with its
//! inputs as typed, and beside them what the server's preview made of the line (price,
//! amount, where the price came from, the customer's last price). Rows are added from the
//! product search or blank, removed, and moved up and down.

use std::collections::HashMap;

use crm_api_types::opportunities::OpportunityLineResponse;
use crm_api_types::products::{PriceSource, ProductResponse, VatRate};
use crm_api_types::quotes::{QuoteLineRequest, QuoteLineResponse};
use leptos::prelude::*;
use uuid::Uuid;

use crate::bind;
use crate::components::form_field::FormErrors;
use crate::components::icons::{Icon, IconName};
use crate::components::product_picker::ProductPicker;
use crate::format::{grouped, local_datetime, money, non_blank, parse_decimal, plain};
use crate::i18n::{K, price_source_key, use_i18n, vat_rate_label};
use crate::rows::RowOwner;

/// What a product line shows of its product; its texts are the inputs' placeholders.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductInfo {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub spec: Option<String>,
    pub unit: String,
}

/// One line as typed. Blank inputs are left to the server: a product's name, spec, unit and
/// VAT rate, and the price the customer's price lists give.
#[derive(Debug, Clone, Copy)]
pub struct LineRow {
    pub id: u64,
    pub product: StoredValue<Option<ProductInfo>>,
    pub name: RwSignal<String>,
    pub spec: RwSignal<String>,
    pub description: RwSignal<String>,
    pub quantity: RwSignal<String>,
    pub unit: RwSignal<String>,
    pub unit_price: RwSignal<String>,
    pub discount: RwSignal<String>,
    /// A [`VatRate`] key; empty for the default.
    pub vat_rate: RwSignal<String>,
}

/// What the user typed wrong in a row, by the line field's API name.
pub type RowProblems = Vec<(&'static str, K)>;

impl LineRow {
    /// Makes the running effect depend on every input of the row.
    pub fn track(self) {
        for signal in [
            self.name,
            self.spec,
            self.description,
            self.quantity,
            self.unit,
            self.unit_price,
            self.discount,
            self.vat_rate,
        ] {
            signal.track();
        }
    }

    /// A row with no product and no name is not a line yet: it is left out.
    fn is_blank(self) -> bool {
        self.product.with_value(Option::is_none)
            && self.name.with_untracked(|n| n.trim().is_empty())
            && self.unit_price.with_untracked(|p| p.trim().is_empty())
    }

    /// The line to send, `None` for a blank row, or what is wrong with the numbers.
    pub fn to_request(self) -> Result<Option<QuoteLineRequest>, RowProblems> {
        if self.is_blank() {
            return Ok(None);
        }
        let mut problems = RowProblems::new();
        let mut number =
            |signal: RwSignal<String>, field: &'static str, required: bool| match parse_decimal(
                &signal.get_untracked(),
            ) {
                Some(Some(n)) => Some(n),
                None if !required => None,
                None => {
                    problems.push((field, K::ValueRequired));
                    None
                }
                Some(None) => {
                    problems.push((field, K::InvalidNumber));
                    None
                }
            };
        let quantity = number(self.quantity, "quantity", true);
        let unit_price = number(self.unit_price, "unit_price", false);
        let discount_percent = number(self.discount, "discount_percent", false);
        let Some(quantity) = quantity.filter(|_| problems.is_empty()) else {
            return Err(problems);
        };
        let text = |signal: RwSignal<String>| non_blank(&signal.get_untracked());
        Ok(Some(QuoteLineRequest {
            product_id: self.product.with_value(|p| p.as_ref().map(|p| p.id)),
            name: text(self.name),
            spec: text(self.spec),
            description: text(self.description),
            quantity,
            unit: text(self.unit),
            unit_price,
            discount_percent,
            vat_rate: VatRate::parse(&self.vat_rate.get_untracked()),
        }))
    }
}

/// The rows being edited.
#[derive(Debug, Clone, Copy)]
pub struct Lines {
    pub rows: RwSignal<Vec<LineRow>>,
    next_id: StoredValue<u64>,
    owner: RowOwner,
}

/// How a row starts.
#[derive(Default)]
struct Start {
    product: Option<ProductInfo>,
    name: String,
    spec: String,
    description: String,
    quantity: String,
    unit: String,
    unit_price: String,
    discount: String,
    vat_rate: String,
}

impl Lines {
    /// Made in the editor component: the rows' signals belong to it.
    pub fn new() -> Self {
        Self {
            rows: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
            owner: RowOwner::here(),
        }
    }

    fn row(self, start: Start) -> LineRow {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.owner.make(|| LineRow {
            id,
            product: StoredValue::new(start.product),
            name: RwSignal::new(start.name),
            spec: RwSignal::new(start.spec),
            description: RwSignal::new(start.description),
            quantity: RwSignal::new(start.quantity),
            unit: RwSignal::new(start.unit),
            unit_price: RwSignal::new(start.unit_price),
            discount: RwSignal::new(start.discount),
            vat_rate: RwSignal::new(start.vat_rate),
        })
    }

    fn push(self, start: Start) {
        let row = self.row(start);
        self.rows.update(|rows| rows.push(row));
    }

    pub fn add_product(self, product: ProductResponse) {
        self.push(Start {
            product: Some(ProductInfo {
                id: product.id,
                code: product.code,
                name: product.name,
                spec: product.spec,
                unit: product.unit,
            }),
            quantity: "1".to_owned(),
            ..Start::default()
        });
    }

    /// A line without a product: name and price typed by hand.
    pub fn add_free(self) {
        self.push(Start {
            quantity: "1".to_owned(),
            ..Start::default()
        });
    }

    /// A saved quote's lines. A price the price lists gave stays blank, so the server prices
    /// it again and records where the price came from; a price typed by hand is kept.
    pub fn load(self, lines: &[QuoteLineResponse]) {
        let rows = lines
            .iter()
            .map(|l| {
                self.row(Start {
                    product: l.product_id.map(|id| ProductInfo {
                        id,
                        code: l.product_code.clone().unwrap_or_default(),
                        name: l.name.clone(),
                        spec: l.spec.clone(),
                        unit: l.unit.clone(),
                    }),
                    name: l.name.clone(),
                    spec: l.spec.clone().unwrap_or_default(),
                    description: l.description.clone().unwrap_or_default(),
                    quantity: plain(l.quantity),
                    unit: l.unit.clone(),
                    unit_price: if l.price_source.is_some() {
                        String::new()
                    } else {
                        plain(l.unit_price)
                    },
                    discount: plain(l.discount_percent),
                    vat_rate: l.vat_rate.as_str().to_owned(),
                })
            })
            .collect();
        self.rows.set(rows);
    }

    /// An opportunity's product lines, as a new quote's start.
    pub fn load_opportunity(self, lines: &[OpportunityLineResponse]) {
        let rows = lines
            .iter()
            .map(|l| {
                self.row(Start {
                    product: Some(ProductInfo {
                        id: l.product_id,
                        code: l.product_code.clone(),
                        name: l.product_name.clone(),
                        spec: l.spec.clone(),
                        unit: l.unit.clone(),
                    }),
                    quantity: plain(l.quantity),
                    unit_price: if l.price_source.is_some() {
                        String::new()
                    } else {
                        plain(l.unit_price)
                    },
                    discount: if l.discount_percent.is_zero() {
                        String::new()
                    } else {
                        plain(l.discount_percent)
                    },
                    ..Start::default()
                })
            })
            .collect();
        self.rows.set(rows);
    }

    /// The lines the rows stand for as loaded: what a save compares with to tell whether the
    /// lines changed.
    pub fn requests(self) -> Vec<QuoteLineRequest> {
        self.rows.with_untracked(|rows| {
            rows.iter()
                .filter_map(|r| r.to_request().ok().flatten())
                .collect()
        })
    }

    fn remove(self, id: u64) {
        self.rows.update(|rows| rows.retain(|r| r.id != id));
    }

    fn shift(self, id: u64, down: bool) {
        self.rows.update(|rows| {
            if let Some(i) = rows.iter().position(|r| r.id == id) {
                let j = if down { i + 1 } else { i.wrapping_sub(1) };
                if j < rows.len() {
                    rows.swap(i, j);
                }
            }
        });
    }
}

impl Default for Lines {
    fn default() -> Self {
        Self::new()
    }
}

/// `上次价格 ¥12,000.00（2026-10-01）`.
fn last_price_text(i18n: crate::i18n::I18n, line: &QuoteLineResponse) -> Option<String> {
    line.last_price.as_ref().map(|p| {
        let at = local_datetime(&p.recorded_at);
        let day = at.split(' ').next().unwrap_or_default();
        let (open, close) = match i18n.lang() {
            crate::i18n::Lang::ZhCn => ("（", "）"),
            crate::i18n::Lang::En => (" (", ")"),
        };
        format!(
            "{} {}{open}{day}{close}",
            i18n.t(K::QuoteLastPrice),
            money(p.unit_price, &p.currency)
        )
    })
}

fn source_text(i18n: crate::i18n::I18n, source: Option<PriceSource>) -> &'static str {
    source.map_or_else(|| i18n.t(K::PriceByHand), |s| i18n.t(price_source_key(s)))
}

#[component]
pub fn LineGrid(
    lines: Lines,
    /// The latest preview's line for each row, by row id.
    priced: RwSignal<HashMap<u64, QuoteLineResponse>>,
    errors: FormErrors,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = lines.rows;

    let row_view = move |row: LineRow| {
        let id = row.id;
        let product = row.product.get_value();
        let is_product = product.is_some();
        let index =
            Memo::new(move |_| rows.with(|rows| rows.iter().position(|r| r.id == id).unwrap_or(0)));
        let field = move |name: &str| format!("lines[{}].{name}", index.get());
        let invalid = move |name: &'static str| {
            move || {
                if errors.message(&field(name)).is_some() {
                    "true"
                } else {
                    "false"
                }
            }
        };
        let line = move || priced.with(|p| p.get(&id).cloned());
        let (name_hint, spec_hint, unit_hint) = match &product {
            Some(p) => (p.name.clone(), p.spec.clone(), p.unit.clone()),
            None => (String::new(), None, String::new()),
        };
        let spec_placeholder = move || {
            spec_hint
                .clone()
                .unwrap_or_else(|| i18n.t(K::FieldSpec).to_owned())
        };
        let price_placeholder = move || {
            line().map_or_else(
                || i18n.t(K::PriceFromPriceLists).to_owned(),
                |l| plain(l.unit_price),
            )
        };
        let is_last = move || index.get() + 1 == rows.with(Vec::len);
        let input =
            move |name: &'static str, value: RwSignal<String>, label: K, class: &'static str| {
                view! {
                    <input
                        class=format!("input {class}")
                        data-testid=format!("line-{name}")
                        aria-label=i18n.tr(label)
                        aria-invalid=invalid(name)
                        prop:value=bind::value(value)
                        on:input=bind::set(value)
                    />
                }
            };
        view! {
            <tbody class="quote-line" data-testid="line-row" data-index=move || index.get().to_string()
                data-product-id=product.as_ref().map(|p| p.id.to_string())>
                <tr>
                    <td class="cell-mono line-no">{move || index.get() + 1}</td>
                    <td class="line-name">
                        <div class="line-tags">
                            {product.as_ref().map(|p| view! { <span class="cell-code">{p.code.clone()}</span> })}
                            {(!is_product).then(|| view! { <span class="badge badge-outline">{i18n.tr(K::FreeLine)}</span> })}
                        </div>
                        <input class="input" data-testid="line-name" aria-label=i18n.tr(K::FieldProductName)
                            aria-invalid=invalid("name") placeholder=name_hint
                            prop:value=bind::value(row.name) on:input=bind::set(row.name)/>
                        <input class="input input-sub" data-testid="line-spec" aria-label=i18n.tr(K::FieldSpec)
                            aria-invalid=invalid("spec") placeholder=spec_placeholder
                            prop:value=bind::value(row.spec) on:input=bind::set(row.spec)/>
                    </td>
                    <td>
                        <div class="input-unit">
                            {input("quantity", row.quantity, K::FieldQuantity, "input-num input-qty")}
                            <input class="input input-unit-name" data-testid="line-unit" aria-label=i18n.tr(K::FieldUnit)
                                aria-invalid=invalid("unit") placeholder=unit_hint
                                prop:value=bind::value(row.unit) on:input=bind::set(row.unit)/>
                        </div>
                    </td>
                    <td>
                        <input class="input input-num" data-testid="line-unit_price" aria-label=i18n.tr(K::FieldUnitPrice)
                            aria-invalid=invalid("unit_price") placeholder=price_placeholder
                            prop:value=bind::value(row.unit_price) on:input=bind::set(row.unit_price)/>
                        <p class="cell-sub" data-testid="line-price-source">
                            {move || line().map(|l| source_text(i18n, l.price_source))}
                        </p>
                    </td>
                    <td>
                        <div class="input-unit">
                            {input("discount_percent", row.discount, K::FieldDiscount, "input-num input-short")}
                            <span class="unit">"%"</span>
                        </div>
                    </td>
                    <td>
                        <select class="input select input-vat" data-testid="line-vat_rate" aria-label=i18n.tr(K::FieldVatRate)
                            aria-invalid=invalid("vat_rate")
                            on:change=bind::set(row.vat_rate)>
                            <option value="" prop:selected=move || row.vat_rate.with(String::is_empty)>
                                {move || line().map_or_else(|| i18n.t(K::DefaultChoice).to_owned(), |l| format!("{} {}", i18n.t(K::DefaultChoice), vat_rate_label(l.vat_rate)))}
                            </option>
                            {VatRate::ALL.into_iter().map(|rate| view! {
                                <option value=rate.as_str() prop:selected=move || row.vat_rate.with(|v| v == rate.as_str())>{vat_rate_label(rate)}</option>
                            }).collect_view()}
                        </select>
                    </td>
                    <td class="cell-num cell-strong" data-testid="line-amount">
                        {move || line().map_or_else(|| "—".to_owned(), |l| grouped(l.amount))}
                    </td>
                    <td class="cell-actions line-actions">
                        <button type="button" class="icon-button" data-testid="line-up" aria-label=i18n.tr(K::MoveUp)
                            disabled=move || index.get() == 0 on:click=move |_| lines.shift(id, false)>
                            <Icon name=IconName::ArrowUp/>
                        </button>
                        <button type="button" class="icon-button" data-testid="line-down" aria-label=i18n.tr(K::MoveDown)
                            disabled=is_last on:click=move |_| lines.shift(id, true)>
                            <Icon name=IconName::ArrowDown/>
                        </button>
                        <button type="button" class="icon-button" data-testid="line-remove" aria-label=i18n.tr(K::Remove)
                            on:click=move |_| lines.remove(id)>
                            <Icon name=IconName::Trash/>
                        </button>
                    </td>
                </tr>
                <tr class="line-detail">
                    <td></td>
                    <td colspan="2">
                        <input class="input" data-testid="line-description" aria-label=i18n.tr(K::FieldDescription)
                            aria-invalid=invalid("description") placeholder=i18n.tr(K::LineDescriptionPlaceholder)
                            prop:value=bind::value(row.description) on:input=bind::set(row.description)/>
                        {move || errors.all_under(&format!("lines[{}]", index.get())).into_iter().map(|e| view! {
                            <p class="field-error" data-testid=format!("error-{}", e.field)>{e.message}</p>
                        }).collect_view()}
                    </td>
                    <td colspan="5">
                        <div class="line-facts">
                            {move || line().and_then(|l| last_price_text(i18n, &l)).map(|text| view! {
                                <span class="cell-sub" data-testid="line-last-price">{text}</span>
                            })}
                            {move || line().map(|l| view! {
                                <span class="cell-sub" data-testid="line-net">
                                    {format!("{} {} · {} {}", i18n.t(K::TotalExclVat), grouped(l.net_amount_excl_vat), i18n.t(K::VatAmount), grouped(l.vat_amount))}
                                </span>
                            })}
                        </div>
                    </td>
                </tr>
            </tbody>
        }
    };

    view! {
        <div class="table-scroll">
            <table class="table table-compact line-editor quote-lines-editor" data-testid="lines-editor">
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">{move || format!("{} / {}", i18n.t(K::FieldProductName), i18n.t(K::FieldSpec))}</th>
                        <th scope="col">{i18n.tr(K::FieldQuantity)}</th>
                        <th scope="col">{i18n.tr(K::FieldUnitPrice)}</th>
                        <th scope="col">{i18n.tr(K::FieldDiscount)}</th>
                        <th scope="col">{i18n.tr(K::FieldVatRate)}</th>
                        <th scope="col" class="cell-num">{i18n.tr(K::FieldAmount)}</th>
                        <th scope="col"><span class="visually-hidden">{i18n.tr(K::Actions)}</span></th>
                    </tr>
                </thead>
                <For each=move || rows.get() key=|r| r.id children=row_view/>
            </table>
        </div>
        <Show when=move || rows.with(Vec::is_empty)>
            <p class="panel-empty muted" data-testid="lines-empty">{i18n.tr(K::QuoteLinesEmpty)}</p>
        </Show>
        {move || errors.message("lines").map(|m| view! { <p class="field-error" data-testid="error-lines">{m}</p> })}
        <div class="line-add quote-line-add">
            <ProductPicker testid="line-product" on_pick=Callback::new(move |p| lines.add_product(p))/>
            <button type="button" class="btn btn-secondary" data-testid="line-add" on:click=move |_| lines.add_free()>
                <Icon name=IconName::Plus/>
                <span>{i18n.tr(K::AddFreeLine)}</span>
            </button>
        </div>
        <p class="field-hint grid-hint">{i18n.tr(K::QuoteLinesHint)}</p>
    }
}
