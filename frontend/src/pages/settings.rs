//! Settings: departments, users, roles and API keys for roles with `user.manage`; webhooks,
//! data sync (failed ERP syncs), business rules, sales targets, the approval policies and the document
//! template for roles with `settings.manage`. Each tab shows to the roles that may use it.

use crm_api_types::identity::Permission;
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::use_location;

use crate::auth::use_session;
use crate::components::icons::{Icon, IconName};
use crate::components::table::EmptyState;
use crate::i18n::{K, use_i18n};

struct Tab {
    path: &'static str,
    testid: &'static str,
    label: K,
    icon: IconName,
    needs: Permission,
}

static TABS: [Tab; 10] = [
    Tab {
        path: "/settings/departments",
        testid: "tab-departments",
        label: K::TabDepartments,
        icon: IconName::Tree,
        needs: Permission::UserManage,
    },
    Tab {
        path: "/settings/users",
        testid: "tab-users",
        label: K::TabUsers,
        icon: IconName::Users,
        needs: Permission::UserManage,
    },
    Tab {
        path: "/settings/roles",
        testid: "tab-roles",
        label: K::TabRoles,
        icon: IconName::Shield,
        needs: Permission::UserManage,
    },
    Tab {
        path: "/settings/api-keys",
        testid: "tab-api-keys",
        label: K::TabApiKeys,
        icon: IconName::Key,
        needs: Permission::UserManage,
    },
    Tab {
        path: "/settings/webhooks",
        testid: "tab-webhooks",
        label: K::TabWebhooks,
        icon: IconName::Upload,
        needs: Permission::SettingsManage,
    },
    Tab {
        path: "/settings/data-sync",
        testid: "tab-data-sync",
        label: K::TabDataSync,
        icon: IconName::Sync,
        needs: Permission::SettingsManage,
    },
    Tab {
        path: "/settings/rules",
        testid: "tab-rules",
        label: K::TabRules,
        icon: IconName::Settings,
        needs: Permission::SettingsManage,
    },
    Tab {
        path: "/settings/targets",
        testid: "tab-targets",
        label: K::TabTargets,
        icon: IconName::Reports,
        needs: Permission::SettingsManage,
    },
    Tab {
        path: "/settings/approval-policies",
        testid: "tab-approval-policies",
        label: K::TabApprovalPolicies,
        icon: IconName::Stamp,
        needs: Permission::SettingsManage,
    },
    Tab {
        path: "/settings/document-template",
        testid: "tab-document-template",
        label: K::TabDocumentTemplate,
        icon: IconName::Print,
        needs: Permission::SettingsManage,
    },
];

/// `/settings` opens the first tab the role may use.
#[component]
pub fn SettingsIndex() -> impl IntoView {
    let session = use_session();
    move || {
        TABS.iter()
            .find(|tab| session.can(tab.needs))
            .map(|tab| view! { <Redirect path=tab.path/> })
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let location = use_location();
    let allowed = Memo::new(move |_| TABS.iter().any(|tab| session.can(tab.needs)));

    let tabs = move || {
        TABS.iter()
            .filter(|tab| session.can(tab.needs))
            .map(|tab| {
                let (path, testid, label, icon) = (tab.path, tab.testid, tab.label, tab.icon);
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
