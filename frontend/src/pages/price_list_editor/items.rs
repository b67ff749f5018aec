//! The items of a price list: one row per product and minimum quantity (quantity breaks),
//! added by product search, removed one by one.

use crm_api_types::products::{PriceListItemRequest, PriceListItemResponse, ProductResponse};
use leptos::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::components::form_field::FormErrors;
use crate::components::icons::{Icon, IconName};
use crate::components::product_picker::ProductPicker;
use crate::format::{parse_decimal, plain};
use crate::i18n::{K, use_i18n};
use crate::rows::RowOwner;

#[derive(Debug, Clone, Copy)]
struct ItemRow {
    id: u64,
    product_id: Uuid,
    /// Code, name and unit.
    product: StoredValue<(String, String, String)>,
    min_quantity: RwSignal<String>,
    unit_price: RwSignal<String>,
}

/// The rows being edited.
#[derive(Debug, Clone, Copy)]
pub struct ItemRows {
    rows: RwSignal<Vec<ItemRow>>,
    next_id: StoredValue<u64>,
    owner: RowOwner,
}

impl ItemRows {
    pub fn new() -> Self {
        Self {
            rows: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
            owner: RowOwner::here(),
        }
    }

    fn row(
        self,
        product_id: Uuid,
        product: (String, String, String),
        min: Decimal,
        price: Option<Decimal>,
    ) -> ItemRow {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.owner.make(|| ItemRow {
            id,
            product_id,
            product: StoredValue::new(product),
            min_quantity: RwSignal::new(plain(min)),
            unit_price: RwSignal::new(price.map(plain).unwrap_or_default()),
        })
    }

    pub fn load(self, items: Vec<PriceListItemResponse>) {
        let rows = items
            .into_iter()
            .map(|i| {
                self.row(
                    i.product_id,
                    (i.product_code, i.product_name, i.unit),
                    i.min_quantity,
                    Some(i.unit_price),
                )
            })
            .collect();
        self.rows.set(rows);
    }

    /// A new row for `product`, priced at its list price to start from.
    fn add(self, product: ProductResponse) {
        let row = self.row(
            product.id,
            (product.code, product.name, product.unit),
            Decimal::ONE,
            Some(product.list_price),
        );
        self.rows.update(|rows| rows.push(row));
    }

    /// The items to send, or `None` after marking the rows whose numbers do not read.
    pub fn requests(self, errors: FormErrors, invalid: &str) -> Option<Vec<PriceListItemRequest>> {
        let mut items = Vec::new();
        let mut ok = true;
        for (i, row) in self.rows.get_untracked().iter().enumerate() {
            let min = parse_decimal(&row.min_quantity.get_untracked());
            let price = parse_decimal(&row.unit_price.get_untracked());
            if min == Some(None) {
                errors.push(&format!("items[{i}].min_quantity"), invalid);
                ok = false;
            }
            match price {
                Some(Some(unit_price)) => items.push(PriceListItemRequest {
                    product_id: row.product_id,
                    min_quantity: min.flatten(),
                    unit_price,
                }),
                _ => {
                    errors.push(&format!("items[{i}].unit_price"), invalid);
                    ok = false;
                }
            }
        }
        ok.then_some(items)
    }
}

impl Default for ItemRows {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn ItemsEditor(items: ItemRows, errors: FormErrors) -> impl IntoView {
    let i18n = use_i18n();
    let rows = items.rows;
    view! {
        <div class="table-scroll">
            <table class="table table-compact line-editor" data-testid="price-list-items">
                <thead>
                    <tr>
                        <th scope="col">{i18n.tr(K::FieldProduct)}</th>
                        <th scope="col">{i18n.tr(K::MinQuantity)}</th>
                        <th scope="col">{i18n.tr(K::FieldUnitPrice)}</th>
                        <th scope="col"><span class="visually-hidden">{i18n.tr(K::Actions)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || rows.get()
                        key=|r| r.id
                        children=move |row| {
                            let id = row.id;
                            let (code, name, unit) = row.product.get_value();
                            let index = move || rows.with(|rows| rows.iter().position(|x| x.id == id).unwrap_or(0));
                            let cell_error = move |field: &'static str| {
                                move || errors.message(&format!("items[{}].{field}", index()))
                                    .map(|m| view! { <p class="field-error" data-testid=format!("error-items.{field}")>{m}</p> })
                            };
                            let row_error = move || errors.message(&format!("items[{}]", index()))
                                .or_else(|| errors.message(&format!("items[{}].product_id", index())))
                                .map(|m| view! { <p class="field-error">{m}</p> });
                            view! {
                                <tr data-testid="price-list-item" data-product-id=row.product_id.to_string()>
                                    <td class="cell-wrap">
                                        <span class="cell-code">{code}</span>" "
                                        <span class="cell-strong">{name}</span>
                                        {row_error}
                                    </td>
                                    <td>
                                        <div class="input-unit">
                                            <input class="input input-num" type="number" min="0" data-testid="item-min_quantity"
                                                aria-label=i18n.tr(K::MinQuantity)
                                                prop:value=move || row.min_quantity.get()
                                                on:input=move |ev| row.min_quantity.set(event_target_value(&ev))/>
                                            <span class="unit">{unit}</span>
                                        </div>
                                        {cell_error("min_quantity")}
                                    </td>
                                    <td>
                                        <input class="input input-num" type="number" min="0" data-testid="item-unit_price"
                                            aria-label=i18n.tr(K::FieldUnitPrice)
                                            prop:value=move || row.unit_price.get()
                                            on:input=move |ev| row.unit_price.set(event_target_value(&ev))/>
                                        {cell_error("unit_price")}
                                    </td>
                                    <td>
                                        <button type="button" class="icon-button" data-testid="item-remove" aria-label=i18n.tr(K::Remove)
                                            on:click=move |_| rows.update(|rows| rows.retain(|x| x.id != id))>
                                            <Icon name=IconName::Trash/>
                                        </button>
                                    </td>
                                </tr>
                            }
                        }
                    />
                </tbody>
            </table>
        </div>
        {move || errors.message("items").map(|m| view! { <p class="field-error" data-testid="error-items">{m}</p> })}
        <div class="line-add">
            <ProductPicker testid="item-product" on_pick=Callback::new(move |p| items.add(p))/>
        </div>
    }
}
