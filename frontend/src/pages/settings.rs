//! Settings: departments, users and roles, for roles with `user.manage`.

use crm_api_types::identity::Permission;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_location;

use crate::auth::use_session;
use crate::components::icons::{Icon, IconName};
use crate::components::table::EmptyState;
use crate::i18n::{K, use_i18n};

const TABS: [(&str, &str, K, IconName); 3] = [
    (
        "/settings/departments",
        "tab-departments",
        K::TabDepartments,
        IconName::Tree,
    ),
    ("/settings/users", "tab-users", K::TabUsers, IconName::Users),
    (
        "/settings/roles",
        "tab-roles",
        K::TabRoles,
        IconName::Shield,
    ),
];

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let location = use_location();
    let allowed = Memo::new(move |_| session.can(Permission::UserManage));

    let tabs = move || {
        TABS.into_iter()
            .map(|(path, testid, label, icon)| {
                let active = move || location.pathname.get().starts_with(path);
                view! {
                    <a
                        href=path
                        class="tab"
                        class:active=active
                        aria-current=move || active().then_some("page")
                        data-testid=testid
                    >
                        <Icon name=icon/>
                        <span>{i18n.tr(label)}</span>
                    </a>
                }
            })
            .collect_view()
    };

    view! {
        <div class="page">
            <header class="page-header">
                <div>
                    <h1>{i18n.tr(K::SettingsTitle)}</h1>
                    <p class="page-subtitle">{i18n.tr(K::SettingsSubtitle)}</p>
                </div>
            </header>
            <Show
                when=move || allowed.get()
                fallback=move || view! {
                    <div class="card">
                        <EmptyState
                            icon=IconName::Lock
                            title=Signal::derive(move || i18n.t(K::NoPermissionTitle).to_owned())
                            hint=Signal::derive(move || i18n.t(K::NoPermissionBody).to_owned())
                            testid="no-permission"
                        />
                    </div>
                }
            >
                <nav class="tabs" aria-label=i18n.tr(K::SettingsTitle)>{tabs}</nav>
                <Outlet/>
            </Show>
        </div>
    }
}
