//! Settings → users: search, create, edit, disable and enable.

use std::time::Duration;

use crm_api_types::audit::AdminListQuery;
use crm_api_types::identity::{
    CreateUserRequest, DepartmentResponse, RoleResponse, UpdateUserRequest, UserResponse,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::form_field::{FormErrors, SelectField, TextField};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::Modal;
use crate::components::table::{EmptyState, SkeletonRows};
use crate::format::{non_blank, or_dash};
use crate::i18n::{K, use_i18n};

const PAGE_SIZE: u32 = 50;
const DEBOUNCE: Duration = Duration::from_millis(300);
const FIELDS: [&str; 6] = [
    "email",
    "name",
    "password",
    "phone",
    "department_id",
    "role_id",
];

#[derive(Debug, Clone, PartialEq)]
enum Dialog {
    Closed,
    Create,
    Edit(Box<UserResponse>),
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let q_input = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    let users = RwSignal::new(Vec::<UserResponse>::new());
    let next_cursor = RwSignal::new(None::<String>);
    let loading = RwSignal::new(true);
    let departments = RwSignal::new(Vec::<DepartmentResponse>::new());
    let roles = RwSignal::new(Vec::<RoleResponse>::new());
    let dialog = RwSignal::new(Dialog::Closed);
    let debounce = StoredValue::new(None::<TimeoutHandle>);
    let seq = StoredValue::new(0u64);

    spawn_local(async move {
        match api.all_departments().await {
            Ok(all) => departments.set(all),
            Err(error) => api.report(&error),
        }
    });
    spawn_local(async move {
        match api.all_roles().await {
            Ok(all) => roles.set(all),
            Err(error) => api.report(&error),
        }
    });

    // `append`: "load more" keeps the rows; a new search replaces them.
    let fetch = move |cursor: Option<String>, append: bool| {
        let query = AdminListQuery {
            limit: Some(PAGE_SIZE),
            cursor,
            q: non_blank(&q.get_untracked()),
        };
        let my_seq = seq.get_value() + 1;
        seq.set_value(my_seq);
        loading.set(true);
        spawn_local(async move {
            let result = api.list_users(&query).await;
            if seq.try_get_value() != Some(my_seq) {
                return;
            }
            loading.set(false);
            match result {
                Ok(page) => {
                    next_cursor.set(page.next_cursor);
                    if append {
                        users.update(|u| u.extend(page.items));
                    } else {
                        users.set(page.items);
                    }
                }
                Err(error) => api.report(&error),
            }
        });
    };
    Effect::new(move |_| {
        q.track();
        fetch(None, false);
    });

    let on_search = move |ev: leptos::ev::Event| {
        q_input.set(event_target_value(&ev));
        if let Some(handle) = debounce.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(move || q.set(q_input.get_untracked()), DEBOUNCE).ok();
        debounce.set_value(handle);
    };

    let replace_user = move |user: UserResponse| {
        users.update(|list| {
            if let Some(slot) = list.iter_mut().find(|u| u.id == user.id) {
                *slot = user;
            }
        });
    };

    let toggle_active = move |user: UserResponse| {
        spawn_local(async move {
            let result = if user.active {
                api.disable_user(user.id).await
            } else {
                api.enable_user(user.id).await
            };
            match result {
                Ok(updated) => {
                    let message = if updated.active {
                        K::UserWasEnabled
                    } else {
                        K::UserWasDisabled
                    };
                    api.toasts.success(api.i18n.t(message));
                    replace_user(updated);
                }
                Err(error) => api.report(&error),
            }
        });
    };

    let department_name = move |id: Uuid| {
        departments.with(|all| all.iter().find(|d| d.id == id).map(|d| d.name.clone()))
    };
    let role_name =
        move |id: Uuid| roles.with(|all| all.iter().find(|r| r.id == id).map(|r| r.name.clone()));

    let rows = move || {
        users
            .get()
            .into_iter()
            .map(|user| {
                let initial = user.name.chars().next().map(String::from).unwrap_or_default();
                let active = user.active;
                let for_edit = user.clone();
                let for_toggle = user.clone();
                let department_id = user.department_id;
                let role_id = user.role_id;
                view! {
                    <tr data-testid="user-row" data-id=user.id.to_string() class:row-muted=!active>
                        <td class="cell-strong">
                            <span class="cell-with-avatar">
                                <span class="avatar avatar-sm" aria-hidden="true">{initial}</span>
                                {user.name.clone()}
                            </span>
                        </td>
                        <td>{user.email.clone()}</td>
                        <td class="cell-mono">{or_dash(user.phone.as_deref())}</td>
                        <td>{move || or_dash(department_name(department_id).as_deref())}</td>
                        <td>{move || or_dash(role_name(role_id).as_deref())}</td>
                        <td>
                            {if active {
                                view! { <span class="badge badge-green">{i18n.tr(K::UserActive)}</span> }.into_any()
                            } else {
                                view! { <span class="badge badge-gray">{i18n.tr(K::UserDisabled)}</span> }.into_any()
                            }}
                        </td>
                        <td class="cell-actions">
                            <button
                                type="button"
                                class="btn btn-link btn-sm"
                                data-testid="user-edit"
                                on:click=move |_| dialog.set(Dialog::Edit(Box::new(for_edit.clone())))
                            >
                                {i18n.tr(K::Edit)}
                            </button>
                            <button
                                type="button"
                                class="btn btn-link btn-sm"
                                class:btn-link-danger=active
                                data-testid=if active { "user-disable" } else { "user-enable" }
                                on:click=move |_| toggle_active(for_toggle.clone())
                            >
                                {if active { i18n.tr(K::Disable) } else { i18n.tr(K::Enable) }}
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };

    let body = move || {
        if loading.get() && users.with(Vec::is_empty) {
            view! { <SkeletonRows cols=7 rows=6/> }.into_any()
        } else if users.with(Vec::is_empty) {
            view! {
                <tr class="empty-row">
                    <td colspan="7">
                        <EmptyState
                            icon=IconName::Users
                            title=Signal::derive(move || i18n.t(K::UsersEmpty).to_owned())
                            hint=Signal::derive(String::new)
                        />
                    </td>
                </tr>
            }
            .into_any()
        } else {
            rows().into_any()
        }
    };

    let on_saved = Callback::new(move |(user, created): (UserResponse, bool)| {
        dialog.set(Dialog::Closed);
        if created {
            api.toasts.success(api.i18n.t(K::UserCreated));
            fetch(None, false);
        } else {
            api.toasts.success(api.i18n.t(K::UserSaved));
            replace_user(user);
        }
    });

    view! {
        <section class="card">
            <div class="toolbar">
                <label class="search-box">
                    <Icon name=IconName::Search/>
                    <span class="visually-hidden">{i18n.tr(K::Search)}</span>
                    <input
                        type="search"
                        class="input"
                        data-testid="users-search"
                        placeholder=i18n.tr(K::UsersSearchPlaceholder)
                        prop:value=move || q_input.get()
                        on:input=on_search
                    />
                </label>
                <span class="toolbar-spacer"></span>
                <button type="button" class="btn btn-primary" data-testid="user-new" on:click=move |_| dialog.set(Dialog::Create)>
                    <Icon name=IconName::Plus/>
                    <span>{i18n.tr(K::NewUser)}</span>
                </button>
            </div>
            <div class="table-wrap" class:is-loading=move || loading.get() && !users.with(Vec::is_empty)>
                <table class="table" data-testid="users-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::UserName)}</th>
                            <th scope="col">{i18n.tr(K::UserEmail)}</th>
                            <th scope="col">{i18n.tr(K::UserPhone)}</th>
                            <th scope="col">{i18n.tr(K::UserDepartment)}</th>
                            <th scope="col">{i18n.tr(K::UserRole)}</th>
                            <th scope="col">{i18n.tr(K::UserStatus)}</th>
                            <th scope="col" class="cell-actions">{i18n.tr(K::Actions)}</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <Show when=move || next_cursor.with(Option::is_some)>
                <footer class="pager">
                    <button
                        type="button"
                        class="btn btn-secondary btn-sm"
                        data-testid="users-more"
                        disabled=move || loading.get()
                        on:click=move |_| fetch(next_cursor.get_untracked(), true)
                    >
                        {i18n.tr(K::LoadMore)}
                    </button>
                </footer>
            </Show>
        </section>
        {move || match dialog.get() {
            Dialog::Closed => ().into_any(),
            Dialog::Create => view! {
                <UserDialog user=None departments roles on_saved on_close=Callback::new(move |()| dialog.set(Dialog::Closed))/>
            }.into_any(),
            Dialog::Edit(user) => view! {
                <UserDialog user=Some(*user) departments roles on_saved on_close=Callback::new(move |()| dialog.set(Dialog::Closed))/>
            }.into_any(),
        }}
    }
}

#[component]
fn UserDialog(
    user: Option<UserResponse>,
    departments: RwSignal<Vec<DepartmentResponse>>,
    roles: RwSignal<Vec<RoleResponse>>,
    /// The saved user, and whether it was created.
    on_saved: Callback<(UserResponse, bool)>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let editing = user.is_some();
    let text =
        |f: fn(&UserResponse) -> String| RwSignal::new(user.as_ref().map(f).unwrap_or_default());
    let email = text(|u| u.email.clone());
    let name = text(|u| u.name.clone());
    let phone = text(|u| u.phone.clone().unwrap_or_default());
    let department_id = text(|u| u.department_id.to_string());
    let role_id = text(|u| u.role_id.to_string());
    let password = RwSignal::new(String::new());
    let original = StoredValue::new(user);

    let department_options = Signal::derive(move || {
        departments
            .get()
            .into_iter()
            .map(|d| (d.id.to_string(), d.name))
            .collect()
    });
    let role_options = Signal::derive(move || {
        roles
            .get()
            .into_iter()
            .map(|r| (r.id.to_string(), r.name))
            .collect()
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let department = Uuid::parse_str(&department_id.get_untracked()).ok();
        let role = Uuid::parse_str(&role_id.get_untracked()).ok();
        if department.is_none() {
            errors.push("department_id", i18n.t(K::ValueRequired));
        }
        if role.is_none() {
            errors.push("role_id", i18n.t(K::ValueRequired));
        }
        let (Some(department), Some(role)) = (department, role) else {
            return;
        };
        saving.set(true);
        match original.get_value() {
            None => {
                let request = CreateUserRequest {
                    email: email.get_untracked().trim().to_owned(),
                    name: name.get_untracked().trim().to_owned(),
                    password: password.get_untracked(),
                    phone: non_blank(&phone.get_untracked()),
                    department_id: department,
                    role_id: role,
                };
                spawn_local(async move {
                    let result = api.create_user(&request).await;
                    saving.set(false);
                    match result {
                        Ok(user) => on_saved.run((user, true)),
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
                let new_phone = non_blank(&phone.get_untracked());
                let request = UpdateUserRequest {
                    name: (new_name != old.name).then_some(new_name),
                    phone: (new_phone != old.phone).then_some(new_phone),
                    department_id: (department != old.department_id).then_some(department),
                    role_id: (role != old.role_id).then_some(role),
                    password: non_blank(&password.get_untracked()),
                    active: None,
                };
                spawn_local(async move {
                    let result = api.update_user(old.id, old.version, &request).await;
                    saving.set(false);
                    match result {
                        Ok(user) => on_saved.run((user, false)),
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
        i18n.t(if editing { K::EditUser } else { K::NewUser })
            .to_owned()
    });
    view! {
        <Modal title on_close testid="user-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid">
                    <TextField label=K::UserName name="name" prefix="user" value=name errors required=true autofocus=true/>
                    <TextField
                        label=K::UserEmail
                        name="email"
                        prefix="user"
                        value=email
                        errors
                        required=!editing
                        input_type="email"
                        example="name@company.cn"
                        disabled=editing
                    />
                    <TextField label=K::UserPhone name="phone" prefix="user" value=phone errors input_type="tel" example="13812345678"/>
                    <TextField
                        label=if editing { K::UserNewPassword } else { K::UserPassword }
                        name="password"
                        prefix="user"
                        value=password
                        errors
                        required=!editing
                        input_type="password"
                        autocomplete="new-password"
                        hint=editing.then_some(K::UserNewPasswordHint)
                    />
                    <SelectField
                        label=K::UserDepartment
                        name="department_id"
                        prefix="user"
                        value=department_id
                        errors
                        options=department_options
                        empty_label=K::SelectPlaceholder
                        required=true
                    />
                    <SelectField
                        label=K::UserRole
                        name="role_id"
                        prefix="user"
                        value=role_id
                        errors
                        options=role_options
                        empty_label=K::SelectPlaceholder
                        required=true
                    />
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="user-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
