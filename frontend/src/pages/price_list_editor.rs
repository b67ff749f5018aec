//! `/price-lists/new` and `/price-lists/:id`: one price list, saved whole (`POST`, or `PUT`
//! with `If-Match`): name, audience (a tier, or one customer found by name), currency,
//! validity, active, notes and the items with their quantity breaks. The server's field errors
//! land next to their fields, items' ones (`items[3].unit_price`) in their row.

mod items;

use chrono::NaiveDate;
use crm_api_types::customers::CustomerResponse;
use crm_api_types::identity::Permission;
use crm_api_types::products::{PriceListAudience, PriceListRequest, PriceListResponse};
use crm_api_types::settings::Choice;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

use crate::api::{ApiError, use_api};
use crate::components::customer_picker::CustomerPicker;
use crate::components::editor_page::{EditorHome, EditorPage, LoadState};
use crate::components::form_field::{
    Field, FormErrors, SelectField, TextAreaField, TextField, scroll_to_testid,
};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::ConfirmDialog;
use crate::format::non_blank;
use crate::i18n::{K, use_i18n};

use items::{ItemRows, ItemsEditor};

const AUDIENCE_TIER: &str = "tier";
const AUDIENCE_CUSTOMER: &str = "customer";

/// Who may edit price lists, and where the form's notices lead.
const HOME: EditorHome = EditorHome::new(
    Permission::ProductManage,
    "/price-lists",
    K::PriceLists,
    K::PriceListNotFound,
)
.denied_to("/products", K::BackToProducts);

#[component]
pub fn PriceListCreatePage() -> impl IntoView {
    view! { <EditorPage home=HOME form=|id| view! { <PriceListEditor id/> }/> }
}

#[component]
pub fn PriceListEditPage() -> impl IntoView {
    view! { <EditorPage home=HOME edit=true form=|id| view! { <PriceListEditor id/> }/> }
}

#[component]
fn PriceListEditor(id: Option<Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let navigate = use_navigate();
    let errors = FormErrors::new();
    let load_state = RwSignal::new(LoadState::initial(id));
    let version = RwSignal::new(None::<i32>);
    let saving = RwSignal::new(false);
    let stale = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let tiers = RwSignal::new(Vec::<Choice>::new());

    let name = RwSignal::new(String::new());
    let audience = RwSignal::new(AUDIENCE_TIER.to_owned());
    let tier = RwSignal::new(String::new());
    let customer = RwSignal::new(None::<(Uuid, String)>);
    let currency = RwSignal::new("CNY".to_owned());
    let valid_from = RwSignal::new(String::new());
    let valid_to = RwSignal::new(String::new());
    let active = RwSignal::new(true);
    let notes = RwSignal::new(String::new());
    let items = ItemRows::new();

    let show = move |list: PriceListResponse, at: i32| {
        name.set(list.name);
        match list.audience {
            PriceListAudience::Tier { tier: key } => {
                audience.set(AUDIENCE_TIER.to_owned());
                tier.set(key);
            }
            PriceListAudience::Customer {
                customer_id,
                customer_name,
            } => {
                audience.set(AUDIENCE_CUSTOMER.to_owned());
                customer.set(Some((customer_id, customer_name.unwrap_or_default())));
            }
        }
        currency.set(list.currency);
        valid_from.set(list.valid_from.map(|d| d.to_string()).unwrap_or_default());
        valid_to.set(list.valid_to.map(|d| d.to_string()).unwrap_or_default());
        active.set(list.active);
        notes.set(list.notes.unwrap_or_default());
        items.load(list.items.unwrap_or_default());
        version.set(Some(at));
        errors.clear();
        stale.set(false);
        load_state.set(LoadState::Ready);
    };
    let load = move || {
        let Some(id) = id else { return };
        spawn_local(async move {
            match api.get_price_list(id).await {
                Ok(found) => show(found.value, found.version),
                Err(error) => load_state.set(LoadState::failed(api, &error)),
            }
        });
    };
    load();
    spawn_local(async move {
        if let Ok(settings) = api.get_settings().await {
            tiers.set(settings.value.customer_tiers);
        }
    });

    let on_failure = move |error: ApiError| {
        if error.is_stale() {
            stale.set(true);
            scroll_to_testid("stale-warning");
            return;
        }
        let known = !error.field_errors().is_empty()
            && error.field_errors().iter().all(|e| {
                e.field.starts_with("items")
                    || e.field.starts_with("audience")
                    || [
                        "name",
                        "currency",
                        "valid_from",
                        "valid_to",
                        "active",
                        "notes",
                    ]
                    .contains(&e.field.as_str())
            });
        errors.set(error.field_errors().to_vec());
        if !known {
            api.report(&error);
        }
    };

    let navigate_saved = navigate.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let list_name = name.get_untracked().trim().to_owned();
        if list_name.is_empty() {
            errors.push("name", i18n.t(K::ValueRequired));
        }
        let audience_value = if audience.get_untracked() == AUDIENCE_CUSTOMER {
            customer
                .get_untracked()
                .map(|(customer_id, _)| PriceListAudience::Customer {
                    customer_id,
                    customer_name: None,
                })
        } else {
            non_blank(&tier.get_untracked()).map(|tier| PriceListAudience::Tier { tier })
        };
        if audience_value.is_none() {
            errors.push("audience", i18n.t(K::ValueRequired));
        }
        let day = |signal: RwSignal<String>, field: &str| {
            let text = signal.get_untracked();
            if text.trim().is_empty() {
                return None;
            }
            let parsed = text.parse::<NaiveDate>().ok();
            if parsed.is_none() {
                errors.push(field, i18n.t(K::InvalidDate));
            }
            parsed
        };
        let from = day(valid_from, "valid_from");
        let to = day(valid_to, "valid_to");
        let item_requests = items.requests(errors, i18n.t(K::InvalidNumber));
        let (Some(audience_value), Some(item_requests), true) =
            (audience_value, item_requests, errors.is_empty())
        else {
            return;
        };
        let request = PriceListRequest {
            name: list_name,
            audience: audience_value,
            currency: non_blank(&currency.get_untracked()),
            valid_from: from,
            valid_to: to,
            active: Some(active.get_untracked()),
            notes: non_blank(&notes.get_untracked()),
            items: item_requests,
        };
        let navigate = navigate_saved.clone();
        saving.set(true);
        spawn_local(async move {
            let result = match (id, version.get_untracked()) {
                (Some(id), Some(at)) => api.replace_price_list(id, at, &request).await,
                _ => api.create_price_list(&request).await,
            };
            saving.set(false);
            match result {
                Ok(saved) => {
                    api.toasts.success(api.i18n.t(K::PriceListSaved));
                    if id.is_none() {
                        navigate(&format!("/price-lists/{}", saved.id), Default::default());
                    } else {
                        let at = saved.version;
                        show(saved, at);
                    }
                }
                Err(error) => on_failure(error),
            }
        });
    };

    let on_delete = Callback::new(move |()| {
        let Some(id) = id else { return };
        let navigate = navigate.clone();
        deleting.set(true);
        spawn_local(async move {
            let result = api.delete_price_list(id).await;
            deleting.set(false);
            confirming.set(false);
            match result {
                Ok(()) => {
                    api.toasts.success(api.i18n.t(K::PriceListDeleted));
                    navigate("/price-lists", Default::default());
                }
                Err(error) => api.report(&error),
            }
        });
    });

    let audience_options = Signal::derive(move || {
        vec![
            (AUDIENCE_TIER.to_owned(), i18n.t(K::AudienceTier).to_owned()),
            (
                AUDIENCE_CUSTOMER.to_owned(),
                i18n.t(K::AudienceCustomer).to_owned(),
            ),
        ]
    });
    let tier_options = Signal::derive(move || {
        let mut options: Vec<(String, String)> =
            tiers.get().into_iter().map(|t| (t.key, t.label)).collect();
        let current = tier.get();
        if !current.is_empty() && !options.iter().any(|(k, _)| *k == current) {
            options.push((current.clone(), current));
        }
        options
    });
    let audience_field = move || {
        if audience.get() == AUDIENCE_TIER {
            return view! {
                <SelectField label=K::AudienceTier name="audience.tier" prefix="price-list" value=tier errors options=tier_options empty_label=K::SelectPlaceholder required=true/>
            }
            .into_any();
        }
        let picker = match customer.get() {
            Some((customer_id, customer_name)) => view! {
                <div class="picked">
                    <a href=format!("/customers/{customer_id}") data-testid="price-list-customer">{customer_name}</a>
                    <button type="button" class="btn btn-link btn-sm" data-testid="price-list-customer-clear" on:click=move |_| customer.set(None)>
                        {i18n.tr(K::ClearChoice)}
                    </button>
                </div>
            }
            .into_any(),
            None => view! {
                <CustomerPicker testid="price-list-customer_id" exclude=None
                    on_pick=Callback::new(move |c: CustomerResponse| customer.set(Some((c.id, c.name))))/>
            }
            .into_any(),
        };
        view! {
            <Field label=K::AudienceCustomer name="audience.customer_id" input_id="price-list-customer_id".to_owned() errors required=true>
                {picker}
            </Field>
        }
        .into_any()
    };

    let form = move || {
        match HOME.notice(load_state.get()) {
        Some(notice) => notice,
        None => view! {
            <form class="card form" novalidate=true on:submit=on_submit.clone() data-testid="price-list-form">
                <Show when=move || stale.get()>
                    <div class="alert alert-warning" role="alert" data-testid="stale-warning">
                        <Icon name=IconName::Alert/>
                        <div class="alert-body">
                            <strong>{i18n.tr(K::StaleTitle)}</strong>
                            <p>{i18n.tr(K::StaleBody)}</p>
                        </div>
                        <button type="button" class="btn btn-secondary btn-sm" data-testid="reload-latest" on:click=move |_| load()>
                            {i18n.tr(K::StaleReload)}
                        </button>
                    </div>
                </Show>
                <fieldset class="form-section">
                    <legend>{i18n.tr(K::SectionBasic)}</legend>
                    <div class="form-grid">
                        <TextField label=K::PriceListName name="name" prefix="price-list" value=name errors required=true autofocus=true wide=true/>
                        <SelectField label=K::Audience name="audience" prefix="price-list" value=audience errors options=audience_options/>
                        {audience_field}
                        <TextField label=K::FieldCurrency name="currency" prefix="price-list" value=currency errors example="CNY"/>
                        <Field label=K::FieldActive name="active" input_id="price-list-active".to_owned() errors>
                            <label class="check">
                                <input type="checkbox" id="price-list-active" data-testid="price-list-active"
                                    prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev))/>
                                <span>{i18n.tr(K::PriceListActive)}</span>
                            </label>
                        </Field>
                        <TextField label=K::ValidFrom name="valid_from" prefix="price-list" value=valid_from errors input_type="date" hint=Some(K::ValidFromHint)/>
                        <TextField label=K::ValidTo name="valid_to" prefix="price-list" value=valid_to errors input_type="date" hint=Some(K::ValidToHint)/>
                        <TextAreaField label=K::FieldNotes name="notes" prefix="price-list" value=notes errors wide=true/>
                    </div>
                </fieldset>
                <fieldset class="form-section">
                    <legend>{i18n.tr(K::PriceListItems)}</legend>
                    <p class="field-hint section-hint">{i18n.tr(K::PriceListItemsHint)}</p>
                    <ItemsEditor items errors/>
                </fieldset>
                <footer class="form-footer">
                    {id.is_some().then(|| view! {
                        <button type="button" class="btn btn-danger-outline" data-testid="price-list-delete" on:click=move |_| confirming.set(true)>
                            <Icon name=IconName::Trash/>
                            <span>{i18n.tr(K::Delete)}</span>
                        </button>
                    })}
                    <span class="toolbar-spacer"></span>
                    <a class="btn btn-secondary" href="/price-lists">{i18n.tr(K::Cancel)}</a>
                    <button type="submit" class="btn btn-primary" data-testid="price-list-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </form>
        }
        .into_any(),
    }
    };

    view! {
        <div class="page">
            <a class="back-link" href="/price-lists">
                <Icon name=IconName::Back/>
                <span>{i18n.tr(K::PriceLists)}</span>
            </a>
            <header class="page-header">
                <div>
                    <h1>{move || if id.is_some() { name.get() } else { i18n.t(K::NewPriceList).to_owned() }}</h1>
                </div>
            </header>
            {form}
            <Show when=move || confirming.get()>
                <ConfirmDialog
                    title=K::DeletePriceList
                    message=Signal::derive(move || i18n.confirm_delete_named(&name.get()))
                    busy=deleting
                    on_confirm=on_delete
                    on_cancel=Callback::new(move |()| confirming.set(false))
                />
            </Show>
        </div>
    }
}
