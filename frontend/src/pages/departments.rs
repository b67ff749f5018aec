//! Settings → departments, as a tree: create (top level or under a department), edit, delete.

use crm_api_types::identity::{
    CreateDepartmentRequest, DepartmentResponse, UpdateDepartmentRequest, UserResponse,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::form_field::{FormErrors, SelectField, TextField};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::{ConfirmDialog, Modal};
use crate::components::table::{EmptyState, Spinner};
use crate::i18n::{K, use_i18n};
use crate::tree::{subtree, tree_order};

const FIELDS: [&str; 3] = ["name", "parent_id", "manager_id"];

#[derive(Debug, Clone, PartialEq)]
enum Dialog {
    Closed,
    /// A new department, under the given parent (or at the top).
    Create(Option<Uuid>),
    Edit(DepartmentResponse),
    Delete(DepartmentResponse),
}

#[component]
pub fn DepartmentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let departments = RwSignal::new(Vec::<DepartmentResponse>::new());
    let users = RwSignal::new(Vec::<UserResponse>::new());
    let loading = RwSignal::new(true);
    let dialog = RwSignal::new(Dialog::Closed);
    let deleting = RwSignal::new(false);

    let reload = move || {
        loading.set(true);
        spawn_local(async move {
            let result = api.all_departments().await;
            loading.set(false);
            match result {
                Ok(all) => departments.set(all),
                Err(error) => api.report(&error),
            }
        });
    };
    reload();
    spawn_local(async move {
        match api.all_users().await {
            Ok(all) => users.set(all),
            Err(error) => api.report(&error),
        }
    });

    let close = Callback::new(move |()| dialog.set(Dialog::Closed));
    let on_saved = Callback::new(move |created: bool| {
        dialog.set(Dialog::Closed);
        api.toasts.success(api.i18n.t(if created {
            K::DeptCreated
        } else {
            K::DeptSaved
        }));
        reload();
    });
    let on_delete = Callback::new(move |()| {
        let Dialog::Delete(department) = dialog.get_untracked() else {
            return;
        };
        deleting.set(true);
        spawn_local(async move {
            let result = api.delete_department(department.id).await;
            deleting.set(false);
            dialog.set(Dialog::Closed);
            match result {
                Ok(()) => {
                    api.toasts.success(api.i18n.t(K::DeptDeleted));
                    reload();
                }
                Err(error) => api.report(&error),
            }
        });
    });

    let user_name =
        move |id: Uuid| users.with(|all| all.iter().find(|u| u.id == id).map(|u| u.name.clone()));
    let member_count =
        move |id: Uuid| users.with(|all| all.iter().filter(|u| u.department_id == id).count());

    let nodes = move || {
        tree_order(&departments.get())
            .into_iter()
            .map(|(department, depth)| {
                let id = department.id;
                let manager_id = department.manager_id;
                let for_edit = department.clone();
                let for_delete = department.clone();
                view! {
                    <li
                        class="tree-node"
                        class:tree-root=depth == 0
                        style=format!("--depth: {depth}")
                        data-testid="dept-node"
                        data-id=id.to_string()
                    >
                        <span class="tree-branch" aria-hidden="true"></span>
                        <span class="tree-name">{department.name.clone()}</span>
                        <span class="tree-meta">
                            {move || manager_id.and_then(user_name).map(|name| view! {
                                <span class="tree-manager"><Icon name=IconName::Users/>{name}</span>
                            })}
                            <span class="tree-count">{move || format!("{} {}", member_count(id), i18n.t(K::DeptMembers))}</span>
                        </span>
                        <span class="tree-actions">
                            <button
                                type="button"
                                class="btn btn-link btn-sm"
                                data-testid="dept-add-child"
                                on:click=move |_| dialog.set(Dialog::Create(Some(id)))
                            >
                                {i18n.tr(K::AddSubDepartment)}
                            </button>
                            <button
                                type="button"
                                class="btn btn-link btn-sm"
                                data-testid="dept-edit"
                                on:click=move |_| dialog.set(Dialog::Edit(for_edit.clone()))
                            >
                                {i18n.tr(K::Edit)}
                            </button>
                            <button
                                type="button"
                                class="btn btn-link btn-link-danger btn-sm"
                                data-testid="dept-delete"
                                on:click=move |_| dialog.set(Dialog::Delete(for_delete.clone()))
                            >
                                {i18n.tr(K::Delete)}
                            </button>
                        </span>
                    </li>
                }
            })
            .collect_view()
    };

    let body = move || {
        if loading.get() && departments.with(Vec::is_empty) {
            view! { <Spinner label=true/> }.into_any()
        } else if departments.with(Vec::is_empty) {
            view! {
                <EmptyState
                    icon=IconName::Tree
                    title=Signal::derive(move || i18n.t(K::DeptEmpty).to_owned())
                    hint=Signal::derive(String::new)
                />
            }
            .into_any()
        } else {
            view! { <ul class="tree" role="tree" data-testid="dept-tree">{nodes}</ul> }.into_any()
        }
    };

    view! {
        <section class="card">
            <div class="toolbar">
                <span class="total">{move || i18n.total(departments.with(Vec::len) as u64)}</span>
                <span class="toolbar-spacer"></span>
                <button type="button" class="btn btn-primary" data-testid="dept-new" on:click=move |_| dialog.set(Dialog::Create(None))>
                    <Icon name=IconName::Plus/>
                    <span>{i18n.tr(K::NewDepartment)}</span>
                </button>
            </div>
            <div class="tree-wrap">{body}</div>
        </section>
        {move || match dialog.get() {
            Dialog::Closed => ().into_any(),
            Dialog::Create(parent) => view! {
                <DepartmentDialog department=None parent departments users on_saved on_close=close/>
            }.into_any(),
            Dialog::Edit(department) => {
                let parent = department.parent_id;
                view! {
                    <DepartmentDialog department=Some(department) parent departments users on_saved on_close=close/>
                }.into_any()
            }
            Dialog::Delete(department) => {
                let name = department.name.clone();
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
fn DepartmentDialog(
    department: Option<DepartmentResponse>,
    parent: Option<Uuid>,
    departments: RwSignal<Vec<DepartmentResponse>>,
    users: RwSignal<Vec<UserResponse>>,
    on_saved: Callback<bool>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let editing = department.is_some();
    let name = RwSignal::new(
        department
            .as_ref()
            .map(|d| d.name.clone())
            .unwrap_or_default(),
    );
    let parent_id = RwSignal::new(parent.map(|p| p.to_string()).unwrap_or_default());
    let manager_id = RwSignal::new(
        department
            .as_ref()
            .and_then(|d| d.manager_id)
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    let self_id = department.as_ref().map(|d| d.id);
    let original = StoredValue::new(department);

    let parent_options = Signal::derive(move || {
        let all = departments.get();
        let excluded = self_id.map(|id| subtree(&all, id)).unwrap_or_default();
        tree_order(&all)
            .into_iter()
            .filter(|(d, _)| !excluded.contains(&d.id))
            .map(|(d, depth)| {
                (
                    d.id.to_string(),
                    format!("{}{}", "\u{3000}".repeat(depth), d.name),
                )
            })
            .collect()
    });
    let manager_options = Signal::derive(move || {
        users
            .get()
            .into_iter()
            .filter(|u| u.active)
            .map(|u| (u.id.to_string(), format!("{} · {}", u.name, u.email)))
            .collect()
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let new_name = name.get_untracked().trim().to_owned();
        let new_parent = uuid::Uuid::parse_str(&parent_id.get_untracked()).ok();
        let new_manager = uuid::Uuid::parse_str(&manager_id.get_untracked()).ok();
        saving.set(true);
        match original.get_value() {
            None => {
                let request = CreateDepartmentRequest {
                    name: new_name,
                    parent_id: new_parent,
                    manager_id: new_manager,
                };
                spawn_local(async move {
                    let result = api.create_department(&request).await;
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
                let request = UpdateDepartmentRequest {
                    name: (new_name != old.name).then_some(new_name),
                    parent_id: (new_parent != old.parent_id).then_some(new_parent),
                    manager_id: (new_manager != old.manager_id).then_some(new_manager),
                };
                spawn_local(async move {
                    let result = api.update_department(old.id, old.version, &request).await;
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
        i18n.t(if editing {
            K::EditDepartment
        } else {
            K::NewDepartment
        })
        .to_owned()
    });
    view! {
        <Modal title on_close testid="department-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid form-grid-single">
                    <TextField label=K::DeptName name="name" prefix="department" value=name errors required=true autofocus=true/>
                    <SelectField
                        label=K::DeptParent
                        name="parent_id"
                        prefix="department"
                        value=parent_id
                        errors
                        options=parent_options
                        empty_label=K::NoParent
                    />
                    <SelectField
                        label=K::DeptManager
                        name="manager_id"
                        prefix="department"
                        value=manager_id
                        errors
                        options=manager_options
                        empty_label=K::NoManager
                    />
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="department-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn dept(id: u128, name: &str, parent: Option<Uuid>) -> DepartmentResponse {
        DepartmentResponse {
            id: Uuid::from_u128(id),
            name: name.to_owned(),
            parent_id: parent,
            manager_id: None,
            version: 1,
            created_at: DateTime::<Utc>::default(),
            updated_at: DateTime::<Utc>::default(),
        }
    }

    #[test]
    fn tree_order_puts_children_under_parents() {
        let root = dept(1, "总部", None);
        let b = dept(2, "B 部", Some(root.id));
        let a = dept(3, "A 部", Some(root.id));
        let a1 = dept(4, "A1", Some(a.id));
        let all = vec![a1.clone(), b.clone(), root.clone(), a.clone()];
        let order: Vec<(String, usize)> = tree_order(&all)
            .into_iter()
            .map(|(d, depth)| (d.name, depth))
            .collect();
        assert_eq!(
            order,
            vec![
                ("总部".into(), 0),
                ("A 部".into(), 1),
                ("A1".into(), 2),
                ("B 部".into(), 1)
            ]
        );
        let mut below_a = subtree(&all, a.id);
        below_a.sort();
        let mut expected = vec![a.id, a1.id];
        expected.sort();
        assert_eq!(below_a, expected);
    }

    #[test]
    fn tree_order_keeps_cycles_and_orphans() {
        let mut x = dept(5, "X", None);
        let y = dept(6, "Y", Some(x.id));
        x.parent_id = Some(y.id);
        let orphan = dept(7, "O", Some(Uuid::from_u128(99)));
        let all = vec![x, y, orphan];
        assert_eq!(tree_order(&all).len(), 3);
    }
}
