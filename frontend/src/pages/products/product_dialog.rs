//! Creating and editing a product: code, name, specification, unit, category, list price,
//! currency, VAT rate, active, description and the ERP's id for it.

use crm_api_types::products::{
    CreateProductRequest, ProductCategoryResponse, ProductResponse, UpdateProductRequest, VatRate,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::form_field::{Field, FormErrors, SelectField, TextAreaField, TextField};
use crate::components::modal::Modal;
use crate::format::{non_blank, parse_decimal, plain};
use crate::i18n::{K, use_i18n, vat_rate_label};
use crate::tree::tree_order;

const FIELDS: [&str; 12] = [
    "code",
    "name",
    "spec",
    "unit",
    "category_id",
    "list_price",
    "currency",
    "vat_rate",
    "active",
    "description",
    "external_id",
    "external_source",
];
/// Offered in the unit box; any other unit may be typed.
const UNITS: [&str; 8] = ["台", "套", "个", "件", "米", "千克", "项", "年"];

#[component]
pub fn ProductDialog(
    product: Option<ProductResponse>,
    categories: RwSignal<Vec<ProductCategoryResponse>>,
    /// `true` when a product was created.
    on_saved: Callback<bool>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let p = product.as_ref();
    let text = |f: &dyn Fn(&ProductResponse) -> Option<String>| {
        RwSignal::new(p.and_then(f).unwrap_or_default())
    };
    let code = text(&|p| Some(p.code.clone()));
    let name = text(&|p| Some(p.name.clone()));
    let spec = text(&|p| p.spec.clone());
    let unit = RwSignal::new(p.map_or_else(|| UNITS[0].to_owned(), |p| p.unit.clone()));
    let category_id = text(&|p| p.category_id.map(|c| c.to_string()));
    let list_price = text(&|p| Some(plain(p.list_price)));
    let currency = RwSignal::new(p.map_or_else(|| "CNY".to_owned(), |p| p.currency.clone()));
    let vat_rate = RwSignal::new(
        p.map_or(VatRate::Goods13, |p| p.vat_rate)
            .as_str()
            .to_owned(),
    );
    let active = RwSignal::new(p.is_none_or(|p| p.active));
    let description = text(&|p| p.description.clone());
    let external_id = text(&|p| p.external_id.clone());
    let external_source = text(&|p| p.external_source.clone());
    let title = if product.is_some() {
        K::EditProduct
    } else {
        K::NewProduct
    };

    let category_options = Signal::derive(move || {
        tree_order(&categories.get())
            .into_iter()
            .map(|(c, depth)| {
                (
                    c.id.to_string(),
                    format!("{}{}", "　".repeat(depth), c.name),
                )
            })
            .collect()
    });
    let vat_options = Signal::derive(|| {
        VatRate::ALL
            .iter()
            .map(|r| (r.as_str().to_owned(), vat_rate_label(*r).to_owned()))
            .collect()
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let required = |signal: RwSignal<String>, field: &str| {
            let value = signal.get_untracked().trim().to_owned();
            if value.is_empty() {
                errors.push(field, i18n.t(K::ValueRequired));
            }
            value
        };
        let code_text = required(code, "code");
        let name_text = required(name, "name");
        let unit_text = required(unit, "unit");
        let price: Option<Decimal> = match parse_decimal(&list_price.get_untracked()) {
            Some(Some(price)) => Some(price),
            Some(None) => {
                errors.push("list_price", i18n.t(K::InvalidNumber));
                None
            }
            None => {
                errors.push("list_price", i18n.t(K::ValueRequired));
                None
            }
        };
        let (Some(price), true) = (price, errors.is_empty()) else {
            return;
        };
        let category: Option<Uuid> = category_id.get_untracked().parse().ok();
        let vat = VatRate::parse(&vat_rate.get_untracked());
        let opt = |s: RwSignal<String>| non_blank(&s.get_untracked());
        let existing = product.clone();
        saving.set(true);
        spawn_local(async move {
            let result = match existing {
                None => {
                    let request = CreateProductRequest {
                        code: code_text,
                        name: name_text,
                        spec: opt(spec),
                        unit: unit_text,
                        category_id: category,
                        list_price: price,
                        currency: Some(currency.get_untracked()),
                        vat_rate: vat,
                        active: Some(active.get_untracked()),
                        description: opt(description),
                        external_id: opt(external_id),
                        external_source: opt(external_source),
                    };
                    api.create_product(&request).await.map(|_| true)
                }
                Some(old) => {
                    let changed =
                        |new: Option<String>, old: &Option<String>| (new != *old).then_some(new);
                    let request = UpdateProductRequest {
                        code: (code_text != old.code).then_some(code_text),
                        name: (name_text != old.name).then_some(name_text),
                        spec: changed(opt(spec), &old.spec),
                        unit: (unit_text != old.unit).then_some(unit_text),
                        category_id: (category != old.category_id).then_some(category),
                        list_price: (price != old.list_price).then_some(price),
                        currency: Some(currency.get_untracked()).filter(|c| *c != old.currency),
                        vat_rate: vat.filter(|v| *v != old.vat_rate),
                        active: Some(active.get_untracked()).filter(|a| *a != old.active),
                        description: changed(opt(description), &old.description),
                        external_id: changed(opt(external_id), &old.external_id),
                        external_source: changed(opt(external_source), &old.external_source),
                    };
                    api.update_product(old.id, old.version, &request)
                        .await
                        .map(|_| false)
                }
            };
            saving.set(false);
            match result {
                Ok(created) => on_saved.run(created),
                Err(error) => {
                    if !errors.absorb(&error, &FIELDS) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    view! {
        <Modal title=Signal::derive(move || i18n.t(title).to_owned()) on_close testid="product-dialog" wide=true>
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid">
                    <TextField label=K::FieldProductCode name="code" prefix="product" value=code errors required=true autofocus=true example="CNC-850"/>
                    <TextField label=K::FieldProductName name="name" prefix="product" value=name errors required=true/>
                    <TextField label=K::FieldSpec name="spec" prefix="product" value=spec errors wide=true/>
                    <Field label=K::FieldUnit name="unit" input_id="product-unit".to_owned() errors required=true>
                        <input class="input" id="product-unit" data-testid="product-unit" list="product-units" autocomplete="off"
                            prop:value=move || unit.get() on:input=move |ev| unit.set(event_target_value(&ev))/>
                        <datalist id="product-units">
                            {UNITS.into_iter().map(|u| view! { <option value=u></option> }).collect_view()}
                        </datalist>
                    </Field>
                    <SelectField label=K::FieldCategory name="category_id" prefix="product" value=category_id errors options=category_options empty_label=K::NoCategory/>
                    <TextField label=K::FieldListPrice name="list_price" prefix="product" value=list_price errors required=true input_type="number"/>
                    <TextField label=K::FieldCurrency name="currency" prefix="product" value=currency errors example="CNY"/>
                    <SelectField label=K::FieldVatRate name="vat_rate" prefix="product" value=vat_rate errors options=vat_options/>
                    <Field label=K::FieldActive name="active" input_id="product-active".to_owned() errors>
                        <label class="check">
                            <input type="checkbox" id="product-active" data-testid="product-active"
                                prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev))/>
                            <span>{i18n.tr(K::ActiveOnly)}</span>
                        </label>
                    </Field>
                    <TextAreaField label=K::FieldDescription name="description" prefix="product" value=description errors wide=true/>
                    <TextField label=K::FieldExternalId name="external_id" prefix="product" value=external_id errors/>
                    <TextField label=K::FieldExternalSource name="external_source" prefix="product" value=external_source errors example="SAP"/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="product-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
