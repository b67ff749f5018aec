//! The signed-in frame: sidebar with the modules, top bar with the notifications bell, the
//! approvals badge, user, language and logout.
//! It also guards every page inside it: signed-out visitors go to the login page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_navigate};

use crm_api_types::identity::Permission;

use crate::api::use_api;
use crate::auth::{self, AuthState, use_session};
use crate::components::approvals_badge::ApprovalsBadge;
use crate::components::icons::{Icon, IconName};
use crate::components::notifications_bell::NotificationsBell;
use crate::components::table::Spinner;
use crate::i18n::{K, Lang, use_i18n};

/// One sidebar entry.
struct Module {
    path: &'static str,
    testid: &'static str,
    label: K,
    icon: IconName,
    /// Shown only to roles with one of these permissions (empty: to everybody).
    needs: &'static [Permission],
}

static MODULES: [Module; 12] = [
    Module {
        path: "/",
        testid: "nav-home",
        label: K::NavHome,
        icon: IconName::Home,
        needs: &[],
    },
    Module {
        path: "/leads",
        testid: "nav-leads",
        label: K::NavLeads,
        icon: IconName::Leads,
        needs: &[],
    },
    Module {
        path: "/customers",
        testid: "nav-customers",
        label: K::NavCustomers,
        icon: IconName::Customers,
        needs: &[Permission::CustomerRead],
    },
    Module {
        path: "/opportunities",
        testid: "nav-opportunities",
        label: K::NavOpportunities,
        icon: IconName::Opportunities,
        needs: &[Permission::OpportunityRead],
    },
    Module {
        path: "/products",
        testid: "nav-products",
        label: K::NavProducts,
        icon: IconName::Box,
        needs: &[],
    },
    Module {
        path: "/quotes",
        testid: "nav-quotes",
        label: K::NavQuotes,
        icon: IconName::Quotes,
        needs: &[Permission::QuoteRead],
    },
    Module {
        path: "/approvals",
        testid: "nav-approvals",
        label: K::NavApprovals,
        icon: IconName::Stamp,
        needs: &[],
    },
    Module {
        path: "/contracts",
        testid: "nav-contracts",
        label: K::NavContracts,
        icon: IconName::Contract,
        needs: &[Permission::ContractRead],
    },
    Module {
        path: "/sales-orders",
        testid: "nav-sales-orders",
        label: K::NavOrders,
        icon: IconName::Orders,
        needs: &[Permission::SalesOrderRead],
    },
    Module {
        path: "/receivables",
        testid: "nav-receivables",
        label: K::NavReceivables,
        icon: IconName::Receivables,
        needs: &[Permission::ReceivableRead],
    },
    Module {
        path: "/reports",
        testid: "nav-reports",
        label: K::NavReports,
        icon: IconName::Reports,
        needs: &[Permission::OpportunityRead],
    },
    Module {
        path: "/settings",
        testid: "nav-settings",
        label: K::NavSettings,
        icon: IconName::Settings,
        needs: &[Permission::UserManage, Permission::SettingsManage],
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    Checking,
    SignedOut,
    SignedIn,
}

/// The layout route: waits for the session, redirects when signed out, else draws the frame.
#[component]
pub fn Shell() -> impl IntoView {
    let session = use_session();
    let gate = Memo::new(move |_| {
        session.state.with(|state| match state {
            AuthState::Checking => Gate::Checking,
            AuthState::SignedOut => Gate::SignedOut,
            AuthState::SignedIn(_) => Gate::SignedIn,
        })
    });
    let navigate = use_navigate();
    let location = use_location();
    Effect::new(move |_| {
        // After an explicit logout the app is already on its way to /login: nothing to keep.
        let path = location.pathname.get_untracked();
        if gate.get() == Gate::SignedOut && !path.starts_with("/login") {
            // `search` comes without its `?`.
            let search = location.search.get_untracked();
            let here = if search.is_empty() {
                path
            } else {
                format!("{path}?{search}")
            };
            let next = String::from(js_sys::encode_uri_component(&here));
            navigate(
                &format!("/login?next={next}"),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    move || match gate.get() {
        Gate::SignedIn => view! { <Frame/> }.into_any(),
        _ => view! { <div class="page-center"><Spinner label=true/></div> }.into_any(),
    }
}

#[component]
fn Frame() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let api = use_api();
    let location = use_location();
    let navigate = use_navigate();
    let me = Memo::new(move |_| session.me());
    let user_name = move || me.get().map(|m| m.user.name).unwrap_or_default();
    let tenant_name = move || me.get().map(|m| m.tenant.name).unwrap_or_default();
    let initial = move || {
        user_name()
            .chars()
            .next()
            .map(String::from)
            .unwrap_or_default()
    };

    let on_logout = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            auth::logout(api).await;
            navigate(
                "/login",
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        });
    };

    let nav_items = move || {
        MODULES
            .iter()
            .filter(|m| m.needs.is_empty() || m.needs.iter().any(|p| session.can(*p)))
            .map(|m| {
                let path = m.path;
                let active = move || {
                    let here = location.pathname.get();
                    here == path || here.starts_with(&format!("{path}/"))
                };
                view! {
                    <li>
                        <a
                            href=path
                            class="nav-link"
                            class:active=active
                            aria-current=move || active().then_some("page")
                            data-testid=m.testid
                        >
                            <Icon name=m.icon/>
                            <span>{i18n.tr(m.label)}</span>
                        </a>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <div class="app">
            <aside class="sidebar">
                <a href="/" class="brand">
                    <span class="brand-mark" aria-hidden="true">"C"</span>
                    <span class="brand-text">
                        <span class="brand-name">{i18n.tr(K::AppName)}</span>
                        <span class="brand-tagline">{i18n.tr(K::AppTagline)}</span>
                    </span>
                </a>
                <nav class="nav" aria-label=i18n.tr(K::NavMain)>
                    <ul>{nav_items}</ul>
                </nav>
                <div class="sidebar-footer">{tenant_name}</div>
            </aside>
            <div class="main">
                <header class="topbar">
                    <div class="topbar-tenant">{tenant_name}</div>
                    <div class="topbar-right">
                        <NotificationsBell/>
                        <ApprovalsBadge/>
                        <LangSwitch/>
                        <div class="user-chip">
                            <span class="avatar" aria-hidden="true">{initial}</span>
                            <span class="user-name" data-testid="current-user">{user_name}</span>
                        </div>
                        <button type="button" class="btn btn-ghost" data-testid="logout" on:click=on_logout>
                            <Icon name=IconName::Logout/>
                            <span>{i18n.tr(K::Logout)}</span>
                        </button>
                    </div>
                </header>
                <main class="content" id="main">
                    <Outlet/>
                </main>
            </div>
        </div>
    }
}

/// zh-CN / English; remembered in localStorage, applied at once.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="lang-switch">
            <Icon name=IconName::Globe/>
            <span class="visually-hidden">{i18n.tr(K::Language)}</span>
            <select
                data-testid="lang-switch"
                on:change=move |ev| {
                    if let Some(lang) = Lang::from_tag(&event_target_value(&ev)) {
                        i18n.set_lang(lang);
                    }
                }
            >
                {Lang::ALL.into_iter().map(|lang| view! {
                    <option value=lang.tag() prop:selected=move || i18n.lang() == lang>{lang.native_name()}</option>
                }).collect_view()}
            </select>
        </label>
    }
}
