//! 工作台: the start page, one view per kind of work. A rep's own view (我的: follow-ups, own
//! pipeline, overdue items), a manager's view of the team (团队: funnel, forecast against
//! target, approvals, overdue deliveries and receivables) and finance's view (财务: aging,
//! collections). Which views a user has follows from their role's permissions and data scope,
//! so an edited role gets the views it can fill; the one that fits the role best opens first.
//! Each figure opens the list or report behind it.

mod figures;
mod finance;
mod follow_ups;
mod mine;
mod team;

use crm_api_types::identity::{DataScope, Permission};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::auth::use_session;
use crate::i18n::{K, use_i18n};

/// One view of the start page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomeView {
    Mine,
    Team,
    Finance,
}

impl HomeView {
    fn key(self) -> &'static str {
        match self {
            Self::Mine => "mine",
            Self::Team => "team",
            Self::Finance => "finance",
        }
    }

    fn label(self) -> K {
        match self {
            Self::Mine => K::HomeViewMine,
            Self::Team => K::HomeViewTeam,
            Self::Finance => K::HomeViewFinance,
        }
    }

    fn subtitle(self) -> K {
        match self {
            Self::Mine => K::HomeSubtitle,
            Self::Team => K::HomeTeamSubtitle,
            Self::Finance => K::HomeFinanceSubtitle,
        }
    }
}

/// The views a user with `permissions` and `scope` can fill, the one to open first at the head. Everyone has their own
/// follow-ups; the team's figures need opportunities seen beyond one's own; finance's need
/// receivables seen beyond one's own. Finance staff (who record payments but sell nothing)
/// open on finance's view, managers on the team's.
pub fn views(permissions: &[Permission], scope: DataScope) -> Vec<HomeView> {
    let can = |p: Permission| permissions.contains(&p);
    let beyond_own = scope != DataScope::Own;
    let team = beyond_own && can(Permission::OpportunityRead);
    let finance = beyond_own && can(Permission::ReceivableRead);
    let finance_first =
        finance && can(Permission::ReceivableWrite) && !can(Permission::OpportunityWrite);
    let mut views = vec![HomeView::Mine];
    if team {
        views.insert(0, HomeView::Team);
    }
    if finance {
        if finance_first {
            views.insert(0, HomeView::Finance);
        } else {
            views.push(HomeView::Finance);
        }
    }
    views
}

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let params = use_query_map();
    let available = Memo::new(move |_| {
        session
            .me()
            .map(|me| views(&me.permissions, me.data_scope))
            .unwrap_or_default()
    });
    // `?view=` picks another view; one the user cannot fill falls back to the first.
    let chosen = Memo::new(move |_| {
        let asked = params.with(|p| p.get("view"));
        available.with(|views| {
            views
                .iter()
                .copied()
                .find(|v| asked.as_deref() == Some(v.key()))
                .or_else(|| views.first().copied())
                .unwrap_or(HomeView::Mine)
        })
    });
    let me = move || session.me().map(|me| me.user.id);
    move || {
        let view = chosen.get();
        let Some(me) = me() else {
            return ().into_any();
        };
        view! {
            <div class="page">
                <HomeHeader view available=available.get()/>
                {match view {
                    HomeView::Mine => view! { <mine::MineView me/> }.into_any(),
                    HomeView::Team => view! { <team::TeamView/> }.into_any(),
                    HomeView::Finance => view! { <finance::FinanceView/> }.into_any(),
                }}
            </div>
        }
        .into_any()
    }
}

/// The title, and the views to switch between when there is more than one.
#[component]
fn HomeHeader(view: HomeView, available: Vec<HomeView>) -> impl IntoView {
    let i18n = use_i18n();
    let tabs = (available.len() > 1).then(|| {
        let tabs = available
            .into_iter()
            .map(|v| {
                let active = v == view;
                view! {
                    <a
                        href=format!("/?view={}", v.key())
                        class="tab"
                        class:active=active
                        aria-current=active.then_some("page")
                        data-testid=format!("home-view-{}", v.key())
                    >
                        {i18n.tr(v.label())}
                    </a>
                }
            })
            .collect_view();
        view! { <nav class="tabs" aria-label=i18n.tr(K::HomeTitle)>{tabs}</nav> }
    });
    view! {
        {tabs}
        <header class="page-header">
            <div>
                <h1>{i18n.tr(K::HomeTitle)}</h1>
                <p class="page-subtitle" data-testid="home-subtitle">{i18n.tr(view.subtitle())}</p>
            </div>
        </header>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission::*;

    #[test]
    fn each_role_opens_on_the_view_that_fits_it() {
        let rep = [OpportunityRead, OpportunityWrite, ReceivableRead];
        assert_eq!(views(&rep, DataScope::Own), [HomeView::Mine]);
        assert_eq!(
            views(&rep, DataScope::DepartmentTree),
            [HomeView::Team, HomeView::Mine, HomeView::Finance],
            "a manager"
        );
        let finance = [OpportunityRead, ReceivableRead, ReceivableWrite];
        assert_eq!(
            views(&finance, DataScope::All),
            [HomeView::Finance, HomeView::Team, HomeView::Mine]
        );
        let service = [CustomerRead, OpportunityRead];
        assert_eq!(views(&service, DataScope::Own), [HomeView::Mine]);
        let legal = [CustomerRead, ContractRead];
        assert_eq!(views(&legal, DataScope::All), [HomeView::Mine]);
    }
}
