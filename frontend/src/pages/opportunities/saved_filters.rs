//! 常用筛选: the user's saved opportunity filters, kept on the server. Choosing one applies it;
//! the current filters can be saved under a name, and the chosen one deleted.

use crm_api_types::saved_filters::{CreateSavedFilterRequest, FilterResource, SavedFilterResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::{Filters, OpportunityListState};
use crate::api::use_api;
use crate::components::form_field::{FormErrors, TextField};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::{ConfirmDialog, Modal};
use crate::i18n::{K, use_i18n};

#[component]
pub fn SavedFilters(state: OpportunityListState) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let saved = RwSignal::new(Vec::<SavedFilterResponse>::new());
    let chosen = RwSignal::new(None::<Uuid>);
    let naming = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let deleting = RwSignal::new(false);

    spawn_local(async move {
        match api.saved_filters(FilterResource::Opportunities).await {
            Ok(all) => saved.set(all),
            Err(error) => api.report(&error),
        }
    });

    // Changing a filter by hand leaves the saved one behind.
    Effect::new(move |_| {
        let current = state.filters.with(Filters::to_query_string);
        let matches = chosen.get_untracked().is_some_and(|id| {
            saved.with_untracked(|all| all.iter().any(|f| f.id == id && f.query == current))
        });
        if !matches {
            chosen.set(None);
        }
    });

    let apply = move |id: Option<Uuid>| {
        let Some(filter) =
            id.and_then(|id| saved.with(|all| all.iter().find(|f| f.id == id).cloned()))
        else {
            chosen.set(None);
            return;
        };
        chosen.set(Some(filter.id));
        state.replace(Filters::from_query_string(&filter.query));
    };

    let on_delete = Callback::new(move |()| {
        let Some(id) = chosen.get_untracked() else {
            return;
        };
        deleting.set(true);
        spawn_local(async move {
            let result = api.delete_saved_filter(id).await;
            deleting.set(false);
            confirming.set(false);
            match result {
                Ok(()) => {
                    saved.update(|all| all.retain(|f| f.id != id));
                    chosen.set(None);
                    api.toasts.success(api.i18n.t(K::SavedFilterDeleted));
                }
                Err(error) => api.report(&error),
            }
        });
    });

    let chosen_name = move || {
        chosen
            .get()
            .and_then(|id| {
                saved.with(|all| all.iter().find(|f| f.id == id).map(|f| f.name.clone()))
            })
            .unwrap_or_default()
    };

    view! {
        <div class="saved-filters">
            <select
                class="input select filter"
                data-testid="saved-filters"
                aria-label=i18n.tr(K::SavedFilters)
                on:change=move |ev| apply(event_target_value(&ev).parse().ok())
            >
                <option value="" prop:selected=move || chosen.with(Option::is_none)>{i18n.tr(K::SavedFilters)}</option>
                {move || saved.get().into_iter().map(|filter| {
                    let id = filter.id;
                    view! {
                        <option value=id.to_string() data-testid="saved-filter" prop:selected=move || chosen.get() == Some(id)>
                            {filter.name}
                        </option>
                    }
                }).collect_view()}
            </select>
            <Show when=move || chosen.with(Option::is_some)>
                <button
                    type="button"
                    class="icon-button"
                    data-testid="saved-filter-delete"
                    aria-label=i18n.tr(K::DeleteSavedFilter)
                    title=i18n.tr(K::DeleteSavedFilter)
                    on:click=move |_| confirming.set(true)
                >
                    <Icon name=IconName::Trash/>
                </button>
            </Show>
            <button
                type="button"
                class="btn btn-secondary btn-sm"
                data-testid="saved-filter-save"
                disabled=move || !state.filters.with(Filters::is_filtered)
                on:click=move |_| naming.set(true)
            >
                {i18n.tr(K::SaveFilter)}
            </button>
        </div>
        <Show when=move || naming.get()>
            <SaveFilterDialog
                query=state.filters.with_untracked(Filters::to_query_string)
                on_saved=Callback::new(move |filter: SavedFilterResponse| {
                    naming.set(false);
                    chosen.set(Some(filter.id));
                    saved.update(|all| all.push(filter));
                    api.toasts.success(api.i18n.t(K::SavedFilterSaved));
                })
                on_close=Callback::new(move |()| naming.set(false))
            />
        </Show>
        <Show when=move || confirming.get()>
            <ConfirmDialog
                title=K::DeleteSavedFilter
                message=Signal::derive(move || i18n.confirm_delete_named(&chosen_name()))
                busy=deleting
                on_confirm=on_delete
                on_cancel=Callback::new(move |()| confirming.set(false))
            />
        </Show>
    }
}

#[component]
fn SaveFilterDialog(
    query: String,
    on_saved: Callback<SavedFilterResponse>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let name = RwSignal::new(String::new());
    let saving = RwSignal::new(false);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let text = name.get_untracked().trim().to_owned();
        if text.is_empty() {
            errors.push("name", i18n.t(K::ValueRequired));
            return;
        }
        let request = CreateSavedFilterRequest {
            resource: FilterResource::Opportunities,
            name: text,
            query: query.clone(),
        };
        saving.set(true);
        spawn_local(async move {
            let result = api.create_saved_filter(&request).await;
            saving.set(false);
            match result {
                Ok(filter) => on_saved.run(filter),
                Err(error) => {
                    if !errors.absorb(&error, &["name"]) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    view! {
        <Modal title=Signal::derive(move || i18n.t(K::SaveFilter).to_owned()) on_close testid="saved-filter-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid form-grid-single">
                    <TextField label=K::SavedFilterName name="name" prefix="saved-filter" value=name errors required=true autofocus=true/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="saved-filter-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
