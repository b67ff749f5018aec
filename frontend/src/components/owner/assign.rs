//! 分配: hands a record to a user the caller's data scope covers (the API answers 422 on
//! `owner_id` otherwise, shown under the field), or for leads lets the assignment rules choose.

use crm_api_types::identity::DirectoryEntry;
use crm_api_types::ownership::AssignRequest;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::{OwnedRecord, use_api};
use crate::components::form_field::{FormErrors, SelectField};
use crate::components::modal::Modal;
use crate::i18n::{K, use_i18n};

#[component]
pub fn AssignDialog<T: OwnedRecord>(
    id: Uuid,
    on_done: Callback<T>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let owner = RwSignal::new(String::new());
    let users = RwSignal::new(Vec::<DirectoryEntry>::new());
    let saving = RwSignal::new(false);

    spawn_local(async move {
        match api.directory(true).await {
            Ok(all) => users.set(all),
            Err(error) => api.report(&error),
        }
    });

    let send = move |request: AssignRequest| {
        saving.set(true);
        spawn_local(async move {
            let result = api.assign::<T>(id, &request).await;
            saving.set(false);
            match result {
                Ok(record) => {
                    let message = if record.owner().is_some() {
                        K::Assigned
                    } else {
                        K::AssignedToPool
                    };
                    api.toasts.success(api.i18n.t(message));
                    on_done.run(record);
                }
                Err(error) => {
                    if !errors.absorb(&error, &["owner_id"]) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let Ok(owner_id) = Uuid::parse_str(&owner.get_untracked()) else {
            errors.push("owner_id", i18n.t(K::ValueRequired));
            return;
        };
        send(AssignRequest {
            owner_id: Some(owner_id),
            by_rules: false,
        });
    };
    let by_rules = move |_| {
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        send(AssignRequest {
            owner_id: None,
            by_rules: true,
        });
    };

    let options = Signal::derive(move || {
        users
            .get()
            .into_iter()
            .map(|u| {
                (
                    u.id.to_string(),
                    format!("{}（{}）", u.name, u.department_name),
                )
            })
            .collect()
    });

    view! {
        <Modal title=Signal::derive(move || i18n.t(K::AssignTitle).to_owned()) on_close testid="assign-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid form-grid-single">
                    <SelectField label=K::NewOwner name="owner_id" prefix="assign" value=owner errors options empty_label=K::SelectPlaceholder required=true/>
                    {T::BY_RULES.then(|| view! {
                        <div class="assign-rules">
                            <button type="button" class="btn btn-secondary" data-testid="assign-by-rules" disabled=move || saving.get() on:click=by_rules>
                                {i18n.tr(K::AssignByRules)}
                            </button>
                            <p class="field-hint">{i18n.tr(K::AssignByRulesHint)}</p>
                        </div>
                    })}
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="assign-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::AssignSubmit) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
