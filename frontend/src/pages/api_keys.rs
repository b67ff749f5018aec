//! Settings → API keys: keys for ERP/OA connectors, each acting as a user with its own
//! permissions and data scope. The whole key is shown once, right after it is made.

use crm_api_types::api_keys::{
    ApiKeyResponse, ApiKeyStatus, CreateApiKeyRequest, CreatedApiKeyResponse,
};
use crm_api_types::identity::{DataScope, Permission, UserResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::badges::ApiKeyStatusBadge;
use crate::components::form_field::{FormErrors, SelectField, TextField};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::{ConfirmDialog, Modal};
use crate::components::permissions::{PermissionBadges, PermissionsField, scope_of, scope_options};
use crate::components::secret::SecretRow;
use crate::components::table::ListBody;
use crate::format::{local_datetime, parse_local_datetime};
use crate::i18n::{K, scope_key, use_i18n};

const FIELDS: [&str; 5] = ["name", "user_id", "data_scope", "permissions", "expires_at"];
const COLUMNS: usize = 10;
/// Permissions named in a row; the rest are counted.
const SHOWN_PERMISSIONS: usize = 2;

#[derive(Debug, Clone, PartialEq)]
enum Dialog {
    Closed,
    Create,
    Created(Box<CreatedApiKeyResponse>),
    Revoke(Box<ApiKeyResponse>),
}

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let keys = RwSignal::new(Vec::<ApiKeyResponse>::new());
    let loading = RwSignal::new(true);
    let dialog = RwSignal::new(Dialog::Closed);
    let revoking = RwSignal::new(false);

    let reload = move || {
        loading.set(true);
        spawn_local(async move {
            let result = api.all_api_keys().await;
            loading.set(false);
            match result {
                Ok(all) => keys.set(all),
                Err(error) => api.report(&error),
            }
        });
    };
    reload();

    let on_created = Callback::new(move |created: CreatedApiKeyResponse| {
        keys.update(|all| all.insert(0, created.api_key.clone()));
        dialog.set(Dialog::Created(Box::new(created)));
    });
    let close = Callback::new(move |()| dialog.set(Dialog::Closed));

    let on_revoke = Callback::new(move |()| {
        let Dialog::Revoke(key) = dialog.get_untracked() else {
            return;
        };
        revoking.set(true);
        spawn_local(async move {
            let result = api.revoke_api_key(key.id).await;
            revoking.set(false);
            dialog.set(Dialog::Closed);
            match result {
                Ok(revoked) => {
                    api.toasts.success(api.i18n.t(K::ApiKeyRevokedToast));
                    keys.update(|all| {
                        if let Some(slot) = all.iter_mut().find(|k| k.id == revoked.id) {
                            *slot = revoked;
                        }
                    });
                }
                Err(error) => api.report(&error),
            }
        });
    });

    let rows = move || {
        keys.get()
            .into_iter()
            .map(|key| {
                let scope = key.data_scope;
                let revocable = key.status != ApiKeyStatus::Revoked;
                let expires = key.expires_at.map(|at| local_date(&at));
                let last_used = key.last_used_at.map(|at| local_datetime(&at));
                let for_revoke = key.clone();
                view! {
                    <tr
                        data-testid="api-key-row"
                        data-id=key.id.to_string()
                        class:row-muted=key.status != ApiKeyStatus::Active
                    >
                        <td class="cell-strong">{key.name.clone()}</td>
                        <td class="cell-code" data-testid="api-key-prefix">{format!("{}…", key.prefix)}</td>
                        <td>{key.user_name.clone()}</td>
                        <td><PermissionBadges permissions=key.permissions.clone() limit=SHOWN_PERMISSIONS/></td>
                        <td>{move || i18n.t(scope_key(scope))}</td>
                        <td><ApiKeyStatusBadge status=key.status/></td>
                        <td class="cell-time">
                            {expires.unwrap_or_else(|| i18n.t(K::ApiKeyNeverExpires).to_owned())}
                        </td>
                        <td class="cell-time">
                            {last_used.unwrap_or_else(|| i18n.t(K::ApiKeyNeverUsed).to_owned())}
                        </td>
                        <td class="cell-time">{local_datetime(&key.created_at)}</td>
                        <td class="cell-actions">
                            {revocable.then(|| view! {
                                <button
                                    type="button"
                                    class="btn btn-link btn-link-danger btn-sm"
                                    data-testid="api-key-revoke"
                                    on:click=move |_| dialog.set(Dialog::Revoke(Box::new(for_revoke.clone())))
                                >
                                    {i18n.tr(K::Revoke)}
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
                <span class="total">{move || i18n.total(keys.with(Vec::len) as u64)}</span>
                <span class="toolbar-spacer"></span>
                <button type="button" class="btn btn-primary" data-testid="api-key-new" on:click=move |_| dialog.set(Dialog::Create)>
                    <Icon name=IconName::Plus/>
                    <span>{i18n.tr(K::NewApiKey)}</span>
                </button>
            </div>
            <div class="table-wrap">
                <table class="table" data-testid="api-keys-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::ApiKeyName)}</th>
                            <th scope="col">{i18n.tr(K::ApiKeyPrefix)}</th>
                            <th scope="col">{i18n.tr(K::ApiKeyUser)}</th>
                            <th scope="col">{i18n.tr(K::RolePermissions)}</th>
                            <th scope="col">{i18n.tr(K::RoleDataScope)}</th>
                            <th scope="col">{i18n.tr(K::FieldStatus)}</th>
                            <th scope="col">{i18n.tr(K::ApiKeyExpires)}</th>
                            <th scope="col">{i18n.tr(K::ApiKeyLastUsed)}</th>
                            <th scope="col">{i18n.tr(K::FieldCreatedAt)}</th>
                            <th scope="col" class="cell-actions">{i18n.tr(K::Actions)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <ListBody
                            loading
                            empty=Signal::derive(move || keys.with(Vec::is_empty))
                            cols=COLUMNS
                            skeleton_rows=3
                            icon=IconName::Key
                            title=i18n.signal(K::ApiKeysEmpty)
                            hint=i18n.signal(K::ApiKeysEmptyHint)
                        >
                            {rows}
                        </ListBody>
                    </tbody>
                </table>
            </div>
        </section>
        {move || match dialog.get() {
            Dialog::Closed => ().into_any(),
            Dialog::Create => view! { <NewApiKeyDialog on_created on_close=close/> }.into_any(),
            Dialog::Created(created) => view! { <CreatedKeyDialog key=created.key on_close=close/> }.into_any(),
            Dialog::Revoke(key) => {
                let name = key.name.clone();
                view! {
                    <ConfirmDialog
                        title=K::RevokeApiKey
                        message=Signal::derive(move || i18n.confirm_revoke_key(&name))
                        busy=revoking
                        confirm=K::Revoke
                        confirming=K::Revoking
                        on_confirm=on_revoke
                        on_cancel=close
                    />
                }
                .into_any()
            }
        }}
    }
}

/// `2027-12-31` in the browser's time zone.
fn local_date(at: &chrono::DateTime<chrono::Utc>) -> String {
    let mut text = local_datetime(at);
    text.truncate("yyyy-mm-dd".len());
    text
}

#[component]
fn NewApiKeyDialog(
    on_created: Callback<CreatedApiKeyResponse>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let me = session.me().map(|me| me.user.id.to_string());
    let user_id = RwSignal::new(me.unwrap_or_default());
    let data_scope = RwSignal::new(DataScope::Own.as_str().to_owned());
    let permissions = RwSignal::new(Vec::<Permission>::new());
    let expires_on = RwSignal::new(String::new());
    let users = RwSignal::new(Vec::<UserResponse>::new());

    spawn_local(async move {
        match api.all_users().await {
            Ok(all) => users.set(all.into_iter().filter(|u| u.active).collect()),
            Err(error) => api.report(&error),
        }
    });
    let user_options = Signal::derive(move || {
        users.with(|all| {
            all.iter()
                .map(|u| (u.id.to_string(), format!("{} <{}>", u.name, u.email)))
                .collect()
        })
    });
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
        // The key works through the whole chosen day, in the admin's time zone.
        let expires_on = expires_on.get_untracked();
        let expires_at = if expires_on.is_empty() {
            None
        } else {
            let Some(at) = parse_local_datetime(&format!("{expires_on}T23:59:59")) else {
                errors.push("expires_at", i18n.t(K::ValueRequired));
                return;
            };
            Some(at)
        };
        let mut chosen = permissions.get_untracked();
        chosen.sort();
        let request = CreateApiKeyRequest {
            name: name.get_untracked().trim().to_owned(),
            permissions: chosen,
            data_scope: scope,
            user_id: user_id.get_untracked().parse().ok(),
            expires_at,
        };
        saving.set(true);
        spawn_local(async move {
            let result = api.create_api_key(&request).await;
            saving.set(false);
            match result {
                Ok(created) => on_created.run(created),
                Err(error) => {
                    if !errors.absorb(&error, &FIELDS) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    view! {
        <Modal title=i18n.signal(K::NewApiKey) on_close testid="api-key-dialog" wide=true>
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid">
                    <TextField
                        label=K::ApiKeyName
                        name="name"
                        prefix="api-key"
                        value=name
                        errors
                        required=true
                        autofocus=true
                        placeholder=K::ApiKeyNameExample
                    />
                    <SelectField
                        label=K::ApiKeyUser
                        name="user_id"
                        prefix="api-key"
                        value=user_id
                        errors
                        options=user_options
                        required=true
                        hint=Some(K::ApiKeyUserHint)
                    />
                    <SelectField
                        label=K::RoleDataScope
                        name="data_scope"
                        prefix="api-key"
                        value=data_scope
                        errors
                        options=scope_options
                        required=true
                    />
                    <TextField
                        label=K::ApiKeyExpires
                        name="expires_at"
                        prefix="api-key"
                        value=expires_on
                        errors
                        input_type="date"
                        hint=Some(K::ApiKeyExpiresHint)
                    />
                    <PermissionsField label=K::RolePermissions prefix="api-key" value=permissions errors required=true/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="api-key-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}

/// The whole key, this once: copy it or lose it.
#[component]
fn CreatedKeyDialog(key: String, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Modal title=i18n.signal(K::ApiKeyCreatedTitle) on_close testid="api-key-created" wide=true>
            <div class="modal-body">
                <div class="alert alert-warning alert-block" role="alert" data-testid="api-key-once">
                    <Icon name=IconName::Alert/>
                    <strong>{i18n.tr(K::ApiKeyShownOnce)}</strong>
                </div>
                <SecretRow secret=key testid="api-key-secret" copy_testid="api-key-copy"/>
                <p class="field-hint">{i18n.tr(K::ApiKeyUsage)}</p>
            </div>
            <footer class="modal-footer">
                <button type="button" class="btn btn-primary" data-testid="api-key-done" on:click=move |_| on_close.run(())>
                    {i18n.tr(K::ApiKeySavedClose)}
                </button>
            </footer>
        </Modal>
    }
}
