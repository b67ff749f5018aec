//! Settings → roles: function permissions and data scope.

use crm_api_types::identity::{CreateRoleRequest, DataScope, RoleResponse, UpdateRoleRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::use_api;
use crate::components::form_field::{FormErrors, SelectField, TextField};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::{ConfirmDialog, Modal};
use crate::components::permissions::{PermissionBadges, PermissionsField, scope_of, scope_options};
use crate::components::table::ListBody;
use crate::i18n::{K, scope_key, use_i18n};

const FIELDS: [&str; 4] = ["key", "name", "permissions", "data_scope"];

#[derive(Debug, Clone, PartialEq)]
enum Dialog {
    Closed,
    Create,
    Edit(RoleResponse),
    Delete(RoleResponse),
}

#[component]
pub fn RolesPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let roles = RwSignal::new(Vec::<RoleResponse>::new());
    let loading = RwSignal::new(true);
    let dialog = RwSignal::new(Dialog::Closed);
    let deleting = RwSignal::new(false);

    let reload = move || {
        loading.set(true);
        spawn_local(async move {
            let result = api.all_roles().await;
            loading.set(false);
            match result {
                Ok(all) => roles.set(all),
                Err(error) => api.report(&error),
            }
        });
    };
    reload();

    let on_saved = Callback::new(move |created: bool| {
        dialog.set(Dialog::Closed);
        api.toasts.success(api.i18n.t(if created {
            K::RoleCreated
        } else {
            K::RoleSaved
        }));
        reload();
    });
    let close = Callback::new(move |()| dialog.set(Dialog::Closed));

    let on_delete = Callback::new(move |()| {
        let Dialog::Delete(role) = dialog.get_untracked() else {
            return;
        };
        deleting.set(true);
        spawn_local(async move {
            let result = api.delete_role(role.id).await;
            deleting.set(false);
            dialog.set(Dialog::Closed);
            match result {
                Ok(()) => {
                    api.toasts.success(api.i18n.t(K::RoleDeleted));
                    reload();
                }
                Err(error) => api.report(&error),
            }
        });
    });

    let rows = move || {
        roles
            .get()
            .into_iter()
            .map(|role| {
                let permissions = role.permissions.clone();
                let scope = role.data_scope;
                let builtin = role.builtin;
                let for_edit = role.clone();
                let for_delete = role.clone();
                view! {
                    <tr data-testid="role-row" data-id=role.id.to_string()>
                        <td class="cell-strong">{role.name.clone()}</td>
                        <td class="cell-code">{role.key.clone()}</td>
                        <td>
                            <PermissionBadges permissions/>
                        </td>
                        <td>{move || i18n.t(scope_key(scope))}</td>
                        <td>
                            {if builtin {
                                view! { <span class="badge badge-blue">{i18n.tr(K::RoleBuiltin)}</span> }.into_any()
                            } else {
                                view! { <span class="badge badge-outline">{i18n.tr(K::RoleCustom)}</span> }.into_any()
                            }}
                        </td>
                        <td class="cell-actions">
                            <button
                                type="button"
                                class="btn btn-link btn-sm"
                                data-testid="role-edit"
                                on:click=move |_| dialog.set(Dialog::Edit(for_edit.clone()))
                            >
                                {i18n.tr(K::Edit)}
                            </button>
                            {(!builtin).then(|| view! {
                                <button
                                    type="button"
                                    class="btn btn-link btn-link-danger btn-sm"
                                    data-testid="role-delete"
                                    on:click=move |_| dialog.set(Dialog::Delete(for_delete.clone()))
                                >
                                    {i18n.tr(K::Delete)}
                                </button>
                            })}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };

    view! {
        <section class="card">
            <div class="toolbar">
                <span class="total">{move || i18n.total(roles.with(Vec::len) as u64)}</span>
                <span class="toolbar-spacer"></span>
                <button type="button" class="btn btn-primary" data-testid="role-new" on:click=move |_| dialog.set(Dialog::Create)>
                    <Icon name=IconName::Plus/>
                    <span>{i18n.tr(K::NewRole)}</span>
                </button>
            </div>
            <div class="table-wrap">
                <table class="table" data-testid="roles-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::RoleName)}</th>
                            <th scope="col">{i18n.tr(K::RoleKey)}</th>
                            <th scope="col">{i18n.tr(K::RolePermissions)}</th>
                            <th scope="col">{i18n.tr(K::RoleDataScope)}</th>
                            <th scope="col"></th>
                            <th scope="col" class="cell-actions">{i18n.tr(K::Actions)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <ListBody
                            loading
                            empty=Signal::derive(move || roles.with(Vec::is_empty))
                            cols=6
                            icon=IconName::Shield
                            title=i18n.signal(K::RolesEmpty)
                            hint=Signal::derive(String::new)
                        >
                            {rows}
                        </ListBody>
                    </tbody>
                </table>
            </div>
        </section>
        {move || match dialog.get() {
            Dialog::Closed => ().into_any(),
            Dialog::Create => view! { <RoleDialog role=None on_saved on_close=close/> }.into_any(),
            Dialog::Edit(role) => view! { <RoleDialog role=Some(role) on_saved on_close=close/> }.into_any(),
            Dialog::Delete(role) => {
                let name = role.name.clone();
                view! {
                    <ConfirmDialog
                        title=K::Delete
                        message=Signal::derive(move || i18n.confirm_delete_named(&name))
                        busy=deleting
                        on_confirm=on_delete
                        on_cancel=close
                    />
                }
                .into_any()
            }
        }}
    }
}

#[component]
fn RoleDialog(
    role: Option<RoleResponse>,
    on_saved: Callback<bool>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let editing = role.is_some();
    let key = RwSignal::new(role.as_ref().map(|r| r.key.clone()).unwrap_or_default());
    let name = RwSignal::new(role.as_ref().map(|r| r.name.clone()).unwrap_or_default());
    let permissions = RwSignal::new(
        role.as_ref()
            .map(|r| r.permissions.clone())
            .unwrap_or_default(),
    );
    let data_scope = RwSignal::new(
        role.as_ref()
            .map_or(DataScope::Own, |r| r.data_scope)
            .as_str()
            .to_owned(),
    );
    let builtin = role.as_ref().is_some_and(|r| r.builtin);
    let original = StoredValue::new(role);

    let scope_options = scope_options(i18n);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let Some(scope) = scope_of(&data_scope.get_untracked()) else {
            errors.push("data_scope", i18n.t(K::ValueRequired));
            return;
        };
        // A stable order, so "unchanged" compares equal and the JSON is tidy.
        let mut chosen = permissions.get_untracked();
        chosen.sort();
        saving.set(true);
        match original.get_value() {
            None => {
                let request = CreateRoleRequest {
                    key: key.get_untracked().trim().to_owned(),
                    name: name.get_untracked().trim().to_owned(),
                    permissions: chosen,
                    data_scope: scope,
                };
                spawn_local(async move {
                    let result = api.create_role(&request).await;
                    saving.set(false);
                    match result {
                        Ok(_) => on_saved.run(true),
                        Err(error) => {
                            if !errors.absorb(&error, &FIELDS) {
                                api.report(&error);
                            }
                        }
                    }
                });
            }
            Some(old) => {
                let new_name = name.get_untracked().trim().to_owned();
                let mut old_permissions = old.permissions.clone();
                old_permissions.sort();
                let request = UpdateRoleRequest {
                    name: (new_name != old.name).then_some(new_name),
                    permissions: (chosen != old_permissions).then_some(chosen),
                    data_scope: (scope != old.data_scope).then_some(scope),
                };
                spawn_local(async move {
                    let result = api.update_role(old.id, old.version, &request).await;
                    saving.set(false);
                    match result {
                        Ok(_) => on_saved.run(false),
                        Err(error) => {
                            if !errors.absorb(&error, &FIELDS) {
                                api.report(&error);
                            }
                        }
                    }
                });
            }
        }
    };

    let title = Signal::derive(move || {
        i18n.t(if editing { K::EditRole } else { K::NewRole })
            .to_owned()
    });
    view! {
        <Modal title on_close testid="role-dialog" wide=true>
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid">
                    <TextField label=K::RoleName name="name" prefix="role" value=name errors required=true autofocus=true/>
                    <TextField
                        label=K::RoleKey
                        name="key"
                        prefix="role"
                        value=key
                        errors
                        required=!editing
                        example="region_manager"
                        hint=Some(K::RoleKeyHint)
                        disabled=editing || builtin
                    />
                    <PermissionsField label=K::RolePermissions prefix="role" value=permissions errors/>
                    <SelectField
                        label=K::RoleDataScope
                        name="data_scope"
                        prefix="role"
                        value=data_scope
                        errors
                        options=scope_options
                        required=true
                    />
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="role-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
