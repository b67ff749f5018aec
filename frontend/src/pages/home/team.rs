//! 团队: what a manager reads every morning, over everyone their data scope covers — approvals
//! waiting for them, this month's won amount against the team's target and the deals expected
//! to close, overdue deliveries and receivables; their own follow-ups; then the team's funnel
//! for the quarter and the forecast of the next three months against target.

use chrono::NaiveDate;
use crm_api_types::calendar::Month;
use crm_api_types::identity::Permission;
use crm_api_types::receivables::{AgingAmounts, AgingGroup, AgingQuery, AgingResponse};
use crm_api_types::reports::{ForecastQuery, ForecastReport, FunnelQuery};
use leptos::prelude::*;
use rust_decimal::Decimal;

use super::figures::{
    ChartCard, Figure, Tile, chart_of, fetched, figure_of, overdue_lines, quarter_start,
};
use super::follow_ups::FollowUpsCard;
use super::mine::{against_target, won_href};
use crate::api::use_api;
use crate::auth::use_session;
use crate::format::{local_today, money};
use crate::i18n::{I18n, K, use_i18n};
use crate::load::Load;
use crate::pages::reports::{ForecastChart, FunnelChart};

/// Outstanding past its due date: every bucket but 未到期.
fn overdue(amounts: &AgingAmounts) -> Decimal {
    amounts.total - amounts.not_due
}

/// What is overdue of everything the caller sees, with the part over 90 days; opens the
/// overdue instalments.
pub(super) fn overdue_figure(aging: &AgingResponse, i18n: I18n) -> Figure {
    let amount = overdue(&aging.totals);
    let long = aging.totals.days_91_to_180 + aging.totals.over_180;
    Figure::new(money(amount, &aging.currency))
        .hint(format!(
            "{} {}",
            i18n.t(K::HomeOver90Days),
            money(long, &aging.currency)
        ))
        .opens(
            "/receivables?overdue=true".to_owned(),
            amount > Decimal::ZERO,
        )
}

/// The aging totals of everything the caller sees (one row is enough: the totals cover all).
pub(super) fn aging_totals() -> AgingQuery {
    AgingQuery {
        group_by: Some(AgingGroup::Customer),
        currency: None,
        as_of: None,
        limit: Some(1),
    }
}

#[component]
pub(super) fn TeamView() -> impl IntoView {
    let session = use_session();
    let api = use_api();
    let today = local_today();
    let from = quarter_start(today);
    let forecast = fetched(async move { api.forecast(&ForecastQuery::default()).await });
    let query = FunnelQuery {
        from: Some(from),
        to: Some(today),
        ..Default::default()
    };
    let funnel = fetched(async move { api.funnel(&query).await });
    view! {
        <div class="card figures home-figures" data-testid="home-figures">
            <Approvals/>
            <ForecastFigures forecast today/>
            {session.can(Permission::SalesOrderRead).then(|| view! { <OverdueDeliveries/> })}
            {session.can(Permission::ReceivableRead).then(|| view! { <OverdueReceivables/> })}
        </div>
        <FollowUpsCard/>
        <div class="home-charts">
            <ChartCard
                title=K::HomeTeamFunnel
                href=format!("/reports/funnel?from={from}&to={today}")
                testid="home-team-funnel"
            >
                {chart_of(funnel, |report| view! { <FunnelChart report/> })}
            </ChartCard>
            <ChartCard title=K::HomeForecast href="/reports/forecast".to_owned() testid="home-forecast">
                {chart_of(forecast, |report| view! { <ForecastChart report/> })}
            </ChartCard>
        </div>
    }
}

#[component]
fn Approvals() -> impl IntoView {
    let api = use_api();
    let counts = fetched(api.approval_counts());
    let waiting = figure_of(counts, |counts| {
        Figure::new(counts.awaiting_me.to_string())
            .opens("/approvals".to_owned(), counts.awaiting_me > 0)
    });
    view! { <Tile label=K::HomeAwaitingMe testid="home-awaiting-me" figure=waiting/> }
}

/// This month's won amount against target, and what is expected to close in it.
#[component]
fn ForecastFigures(forecast: RwSignal<Load<ForecastReport>>, today: NaiveDate) -> impl IntoView {
    let i18n = use_i18n();
    let month = Month::of(today);
    let this_month = |report: &ForecastReport| {
        report
            .months
            .first()
            .map(|m| m.figures.clone())
            .unwrap_or_default()
    };
    let won = figure_of(forecast, move |report| {
        let figures = this_month(report);
        Figure::new(money(figures.won, &report.currency))
            .hint(against_target(
                figures.won,
                figures.target,
                &report.currency,
            ))
            .opens(won_href(month, ""), figures.won_count > 0)
    });
    let expected = figure_of(forecast, move |report| {
        let figures = this_month(report);
        Figure::new(money(figures.weighted, &report.currency))
            .hint(format!(
                "{} {}",
                i18n.t(K::HomeCommit),
                money(figures.commit, &report.currency)
            ))
            .opens(
                format!(
                    "/opportunities?status=open&close_from={}&close_to={}",
                    month.first_day(),
                    month.last_day()
                ),
                figures.open_count > 0,
            )
    });
    view! {
        <Tile label=K::HomeWonThisMonth testid="home-team-won" figure=won/>
        <Tile label=K::HomeExpectedThisMonth testid="home-team-expected" figure=expected/>
    }
}

#[component]
fn OverdueDeliveries() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let lines = fetched(api.overdue_deliveries());
    let overdue = figure_of(lines, move |lines| {
        let mut orders: Vec<_> = lines.iter().map(|l| l.sales_order_id).collect();
        orders.sort_unstable();
        orders.dedup();
        Figure::new(overdue_lines(lines.len(), lines.len()))
            .hint((!orders.is_empty()).then(|| i18n.orders_count(orders.len())))
            .opens("/sales-orders/overdue".to_owned(), !lines.is_empty())
    });
    view! { <Tile label=K::HomeOverdueDeliveries testid="home-team-overdue-deliveries" figure=overdue/> }
}

#[component]
fn OverdueReceivables() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let aging = fetched(async move { api.receivables_aging(&aging_totals()).await });
    let overdue = figure_of(aging, move |aging| overdue_figure(aging, i18n));
    view! { <Tile label=K::HomeOverdueReceivables testid="home-team-overdue-receivables" figure=overdue/> }
}
