//! 产品明细: the opportunity's product lines. A product is added by search; its unit price
//! comes from the customer's price lists (or the list price) through `POST /prices/resolve`,
//! which also says where it came from and what the customer paid last time (价格履历).
//! Quantity breaks apply again when the quantity changes, unless the price was typed by hand.
//! Saving replaces the lines; the amount is then their total.

use crm_api_types::opportunities::{OpportunityLineRequest, UpdateOpportunityRequest};
use crm_api_types::products::{
    PriceHistoryResponse, PriceSource, ProductResponse, ResolvePriceLine, ResolvePricesRequest,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::{EditCard, Shown, save_part};
use crate::components::form_field::FormErrors;
use crate::components::icons::{Icon, IconName};
use crate::components::product_picker::ProductPicker;
use crate::format::{grouped, money, parse_decimal, plain};
use crate::i18n::{K, price_source_key, use_i18n};
use crate::rows::RowOwner;

/// What a line shows of its product.
#[derive(Debug, Clone)]
struct ProductInfo {
    code: String,
    name: String,
    spec: Option<String>,
    unit: String,
}

/// One line being edited.
#[derive(Debug, Clone, Copy)]
struct LineRow {
    id: u64,
    product_id: Uuid,
    product: StoredValue<ProductInfo>,
    quantity: RwSignal<String>,
    unit_price: RwSignal<String>,
    discount: RwSignal<String>,
    /// Where the price came from; `None` once typed by hand.
    source: RwSignal<Option<PriceSource>>,
    price_list_name: RwSignal<Option<String>>,
    last_price: RwSignal<Option<PriceHistoryResponse>>,
}

impl LineRow {
    fn number(signal: RwSignal<String>) -> Option<Decimal> {
        parse_decimal(&signal.get()).flatten()
    }

    /// quantity × unit price × (1 − discount), to the cent (tracked).
    fn amount(self) -> Option<Decimal> {
        let quantity = Self::number(self.quantity)?;
        let price = Self::number(self.unit_price)?;
        let discount = Self::number(self.discount).unwrap_or_default();
        Some(
            (quantity * price * (Decimal::ONE_HUNDRED - discount) / Decimal::ONE_HUNDRED)
                .round_dp(2),
        )
    }
}

#[component]
pub fn LinesPanel(shown: Shown) -> impl IntoView {
    let i18n = use_i18n();
    let api = shown.api;
    let editing = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let errors = FormErrors::new();
    let rows = RwSignal::new(Vec::<LineRow>::new());
    let next_id = StoredValue::new(0_u64);
    let currency = move || shown.value.with(|o| o.summary.currency.clone());

    let owner = RowOwner::here();
    let new_row = move |product_id: Uuid,
                        product: ProductInfo,
                        quantity: Decimal,
                        price: Option<Decimal>,
                        discount: Decimal,
                        source: Option<PriceSource>| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        owner.make(|| LineRow {
            id,
            product_id,
            product: StoredValue::new(product),
            quantity: RwSignal::new(plain(quantity)),
            unit_price: RwSignal::new(price.map(plain).unwrap_or_default()),
            discount: RwSignal::new(plain(discount)),
            source: RwSignal::new(source),
            price_list_name: RwSignal::new(None),
            last_price: RwSignal::new(None),
        })
    };

    // Asks the price lists about `lines`; `reprice` also takes their prices.
    let resolve = move |lines: Vec<LineRow>, reprice: bool| {
        let (customer_id, currency) = shown
            .value
            .with_untracked(|o| (o.summary.customer_id, o.summary.currency.clone()));
        let asked: Vec<(LineRow, Decimal)> = lines
            .into_iter()
            .filter_map(|row| {
                parse_decimal(&row.quantity.get_untracked())
                    .flatten()
                    .map(|q| (row, q))
            })
            .collect();
        if asked.is_empty() {
            return;
        }
        let request = ResolvePricesRequest {
            customer_id: Some(customer_id),
            date: None,
            currency: Some(currency),
            lines: asked
                .iter()
                .map(|(row, quantity)| ResolvePriceLine {
                    product_id: row.product_id,
                    quantity: *quantity,
                })
                .collect(),
        };
        spawn_local(async move {
            match api.resolve_prices(&request).await {
                Ok(resolved) => {
                    for ((row, _), line) in asked.into_iter().zip(resolved.lines) {
                        row.last_price.set(line.last_price);
                        if reprice && let Some(price) = line.unit_price {
                            row.unit_price.set(plain(price));
                            row.source.set(line.source);
                            row.price_list_name.set(line.price_list_name);
                        }
                    }
                }
                Err(error) => api.report(&error),
            }
        });
    };

    let on_edit = Callback::new(move |()| {
        let lines = shown.value.with_untracked(|o| o.lines.clone());
        let loaded: Vec<LineRow> = lines
            .into_iter()
            .map(|l| {
                let info = ProductInfo {
                    code: l.product_code,
                    name: l.product_name,
                    spec: l.spec,
                    unit: l.unit,
                };
                new_row(
                    l.product_id,
                    info,
                    l.quantity,
                    Some(l.unit_price),
                    l.discount_percent,
                    l.price_source,
                )
            })
            .collect();
        rows.set(loaded.clone());
        errors.clear();
        editing.set(true);
        // The last prices are worth seeing while deciding on a discount.
        resolve(loaded, false);
    });

    let add_product = Callback::new(move |product: ProductResponse| {
        let info = ProductInfo {
            code: product.code,
            name: product.name,
            spec: product.spec,
            unit: product.unit,
        };
        let row = new_row(product.id, info, Decimal::ONE, None, Decimal::ZERO, None);
        rows.update(|rows| rows.push(row));
        resolve(vec![row], true);
    });

    let on_save = Callback::new(move |()| {
        errors.clear();
        let mut lines = Vec::new();
        for (i, row) in rows.get_untracked().iter().enumerate() {
            let number = |signal: RwSignal<String>, field: &str, required: bool| match parse_decimal(
                &signal.get_untracked(),
            ) {
                Some(Some(n)) => Some(n),
                None if !required => None,
                _ => {
                    errors.push(&format!("lines[{i}].{field}"), i18n.t(K::InvalidNumber));
                    None
                }
            };
            let quantity = number(row.quantity, "quantity", true);
            let unit_price = number(row.unit_price, "unit_price", false);
            let discount = number(row.discount, "discount_percent", false);
            // A price the price lists gave is left to the server, which records where it
            // came from; only a price typed by hand is sent.
            let by_hand = row.source.get_untracked().is_none();
            if let Some(quantity) = quantity {
                lines.push(OpportunityLineRequest {
                    product_id: row.product_id,
                    quantity,
                    unit_price: unit_price.filter(|_| by_hand),
                    discount_percent: discount,
                });
            }
        }
        if !errors.is_empty() {
            return;
        }
        let update = UpdateOpportunityRequest {
            lines: Some(lines),
            ..UpdateOpportunityRequest::default()
        };
        save_part(shown, update, "lines", errors, editing, saving);
    });

    let source_label = move |source: Option<PriceSource>, list_name: Option<String>| {
        let text = source.map_or_else(
            || i18n.t(K::PriceByHand).to_owned(),
            |s| i18n.t(price_source_key(s)).to_owned(),
        );
        match list_name {
            Some(name) => format!("{text}：{name}"),
            None => text,
        }
    };

    let view_body = move || {
        let (lines, cur) = shown
            .value
            .with(|o| (o.lines.clone(), o.summary.currency.clone()));
        if lines.is_empty() {
            return view! { <p class="panel-empty muted" data-testid="lines-empty">{i18n.tr(K::LinesEmpty)}</p> }.into_any();
        }
        let total: Decimal = lines.iter().map(|l| l.amount).sum();
        let total_text = money(total, &cur);
        view! {
            <div class="table-scroll">
                <table class="table table-compact" data-testid="lines-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::FieldProduct)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FieldQuantity)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FieldUnitPrice)}</th>
                            <th scope="col">{i18n.tr(K::PriceSourceLabel)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FieldDiscount)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FieldAmount)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {lines.into_iter().map(|l| {
                            let source = l.price_source;
                            view! {
                                <tr data-testid="line-row" data-product-id=l.product_id.to_string()>
                                    <td class="cell-wrap">
                                        <span class="cell-code">{l.product_code}</span>" "
                                        <span class="cell-strong">{l.product_name}</span>
                                        {l.spec.map(|s| view! { <span class="cell-sub">{s}</span> })}
                                    </td>
                                    <td class="cell-num">{format!("{} {}", plain(l.quantity), l.unit)}</td>
                                    <td class="cell-num">{grouped(l.unit_price)}</td>
                                    <td>{move || source_label(source, None)}</td>
                                    <td class="cell-num">{format!("{}%", plain(l.discount_percent))}</td>
                                    <td class="cell-num">{grouped(l.amount)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row" colspan="5" class="cell-num">{i18n.tr(K::Total)}</th>
                            <td class="cell-num cell-strong" data-testid="lines-total">{total_text}</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
        }
        .into_any()
    };

    let edit_body = move || {
        let total =
            move || rows.with(|rows| rows.iter().filter_map(|r| r.amount()).sum::<Decimal>());
        view! {
            <div class="table-scroll">
                <table class="table table-compact line-editor" data-testid="lines-editor">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::FieldProduct)}</th>
                            <th scope="col">{i18n.tr(K::FieldQuantity)}</th>
                            <th scope="col">{i18n.tr(K::FieldUnitPrice)}</th>
                            <th scope="col">{i18n.tr(K::FieldDiscount)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FieldAmount)}</th>
                            <th scope="col"><span class="visually-hidden">{i18n.tr(K::Actions)}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || rows.get()
                            key=|r| r.id
                            children=move |row| {
                                let id = row.id;
                                let info = row.product.get_value();
                                let index = move || rows.with(|rows| rows.iter().position(|x| x.id == id).unwrap_or(0));
                                let error = move || errors.message_under(&format!("lines[{}]", index()));
                                let last = move || row.last_price.get().map(|p| {
                                    let day = crate::format::local_datetime(&p.recorded_at);
                                    let day = day.split(' ').next().unwrap_or_default().to_owned();
                                    format!("{} {}（{}）", i18n.t(K::LastPrice), money(p.unit_price, &p.currency), day)
                                });
                                view! {
                                    <tr data-testid="line-edit-row" data-product-id=row.product_id.to_string()>
                                        <td class="cell-wrap">
                                            <span class="cell-code">{info.code}</span>" "
                                            <span class="cell-strong">{info.name}</span>
                                            {info.spec.map(|s| view! { <span class="cell-sub">{s}</span> })}
                                            {move || error().map(|m| view! { <p class="field-error">{m}</p> })}
                                        </td>
                                        <td>
                                            <div class="input-unit">
                                                <input class="input input-num" type="number" min="0" data-testid="line-quantity"
                                                    aria-label=i18n.tr(K::FieldQuantity)
                                                    prop:value=move || row.quantity.get()
                                                    on:input=move |ev| row.quantity.set(event_target_value(&ev))
                                                    // A new quantity may cross a quantity break.
                                                    on:change=move |_| resolve(vec![row], row.source.get_untracked().is_some())/>
                                                <span class="unit">{info.unit}</span>
                                            </div>
                                        </td>
                                        <td>
                                            <input class="input input-num" type="number" min="0" data-testid="line-unit_price"
                                                aria-label=i18n.tr(K::FieldUnitPrice)
                                                prop:value=move || row.unit_price.get()
                                                on:input=move |ev| {
                                                    row.unit_price.set(event_target_value(&ev));
                                                    row.source.set(None);
                                                    row.price_list_name.set(None);
                                                }/>
                                            <p class="cell-sub" data-testid="line-price-source">
                                                {move || source_label(row.source.get(), row.price_list_name.get())}
                                            </p>
                                            {move || last().map(|text| view! { <p class="cell-sub" data-testid="line-last-price">{text}</p> })}
                                        </td>
                                        <td>
                                            <div class="input-unit">
                                                <input class="input input-num input-short" type="number" min="0" max="100" data-testid="line-discount"
                                                    aria-label=i18n.tr(K::FieldDiscount)
                                                    prop:value=move || row.discount.get()
                                                    on:input=move |ev| row.discount.set(event_target_value(&ev))/>
                                                <span class="unit">"%"</span>
                                            </div>
                                        </td>
                                        <td class="cell-num" data-testid="line-amount">{move || row.amount().map(grouped).unwrap_or_else(|| "—".to_owned())}</td>
                                        <td>
                                            <button type="button" class="icon-button" aria-label=i18n.tr(K::Remove) data-testid="line-remove"
                                                on:click=move |_| rows.update(|rows| rows.retain(|x| x.id != id))>
                                                <Icon name=IconName::Trash/>
                                            </button>
                                        </td>
                                    </tr>
                                }
                            }
                        />
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row" colspan="4" class="cell-num">{i18n.tr(K::Total)}</th>
                            <td class="cell-num cell-strong" data-testid="lines-edit-total">{move || money(total(), &currency())}</td>
                            <td></td>
                        </tr>
                    </tfoot>
                </table>
            </div>
            <div class="line-add">
                <ProductPicker testid="line-product" on_pick=add_product/>
            </div>
        }
        .into_any()
    };

    view! {
        <EditCard title=K::Lines icon=IconName::Box testid="lines" shown editing saving on_edit on_save
            view_body=view_body edit_body=edit_body/>
    }
}
