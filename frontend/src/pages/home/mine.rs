//! 我的: what a rep looks at first — their open pipeline, what they won this month against
//! their target, their overdue receivables and deliveries, the follow-ups due today, and their
//! own funnel for the quarter. Each part needs the permission of the records it counts.

use chrono::NaiveDate;
use crm_api_types::calendar::Month;
use crm_api_types::identity::Permission;
use crm_api_types::pipelines::StageKind;
use crm_api_types::receivables::{AgingGroup, AgingQuery};
use crm_api_types::reports::{ForecastQuery, FunnelQuery, FunnelReport};
use leptos::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::figures::{
    ChartCard, Figure, Tile, chart_of, completion, fetched, figure_of, overdue_lines, quarter_start,
};
use super::follow_ups::FollowUpsCard;
use crate::api::use_api;
use crate::auth::use_session;
use crate::format::{local_today, money};
use crate::i18n::{K, use_i18n};
use crate::load::Load;
use crate::pages::reports::{FunnelChart, amounts};

/// Open deals: how many, and their amounts per currency.
pub(super) fn open_pipeline(report: &FunnelReport) -> (u64, String) {
    let open: Vec<_> = report
        .stages
        .iter()
        .filter(|s| s.kind == StageKind::Open)
        .collect();
    let count = open.iter().map(|s| s.count).sum();
    let mut totals: Vec<(String, Decimal)> = Vec::new();
    for total in open.iter().flat_map(|s| &s.totals) {
        match totals.iter_mut().find(|(c, _)| *c == total.currency) {
            Some((_, amount)) => *amount += total.amount,
            None => totals.push((total.currency.clone(), total.amount)),
        }
    }
    (count, amounts(totals.iter().map(|(c, a)| (*a, c.as_str()))))
}

/// `目标 ¥… · 25.0%`, or that no target is set.
pub(super) fn against_target(won: Decimal, target: Option<Decimal>, currency: &str) -> String {
    let i18n = use_i18n();
    match (target, completion(won, target)) {
        (Some(target), Some(pct)) => format!(
            "{} {} · {pct:.1}%",
            i18n.t(K::HomeTarget),
            money(target, currency)
        ),
        _ => i18n.t(K::HomeNoTarget).to_owned(),
    }
}

/// The opportunities won in `month`, as the forecast's drill-down opens them.
pub(super) fn won_href(month: Month, narrowing: &str) -> String {
    format!(
        "/opportunities?status=won&closed_since={}&closed_to={}{narrowing}",
        month.first_day(),
        month.last_day()
    )
}

#[component]
pub(super) fn MineView(me: Uuid) -> impl IntoView {
    let session = use_session();
    let api = use_api();
    let today = local_today();
    let from = quarter_start(today);
    // The open pipeline is where deals stand now, whatever the period: one funnel of the
    // quarter gives both the figure and the chart.
    let funnel = session.can(Permission::OpportunityRead).then(|| {
        let query = FunnelQuery {
            from: Some(from),
            to: Some(today),
            owner_id: Some(me),
            ..Default::default()
        };
        fetched(async move { api.funnel(&query).await })
    });
    let receivables = session.can(Permission::ReceivableRead);
    let orders = session.can(Permission::SalesOrderRead);
    view! {
        <div class="card figures home-figures" data-testid="home-figures">
            {funnel.map(|funnel| view! { <OpportunityFigures me today funnel/> })}
            {receivables.then(|| view! { <OverdueReceivables me/> })}
            {orders.then(|| view! { <OverdueDeliveries me/> })}
        </div>
        <FollowUpsCard/>
        {funnel.map(|funnel| view! {
            <ChartCard
                title=K::HomeMyFunnel
                href=format!("/reports/funnel?from={from}&to={today}&owner_id={me}")
                testid="home-my-funnel"
            >
                {chart_of(funnel, |report| view! { <FunnelChart report/> })}
            </ChartCard>
        })}
    }
}

#[component]
fn OpportunityFigures(
    me: Uuid,
    today: NaiveDate,
    funnel: RwSignal<Load<FunnelReport>>,
) -> impl IntoView {
    let api = use_api();
    let month = Month::of(today);
    let query = ForecastQuery {
        from: Some(month),
        to: Some(month),
        owner_id: Some(me),
        ..Default::default()
    };
    let forecast = fetched(async move { api.forecast(&query).await });
    let pipeline = figure_of(funnel, move |report| {
        let (count, amounts) = open_pipeline(report);
        Figure::new(count.to_string()).hint(amounts).opens(
            format!("/opportunities?status=open&owner_id={me}"),
            count > 0,
        )
    });
    let won = figure_of(forecast, move |report| {
        let figures = report
            .months
            .first()
            .map(|m| m.figures.clone())
            .unwrap_or_default();
        Figure::new(money(figures.won, &report.currency))
            .hint(against_target(
                figures.won,
                figures.target,
                &report.currency,
            ))
            .opens(
                won_href(month, &format!("&owner_id={me}")),
                figures.won_count > 0,
            )
    });
    view! {
        <Tile label=K::HomeMyPipeline testid="home-my-pipeline" figure=pipeline/>
        <Tile label=K::HomeWonThisMonth testid="home-my-won" figure=won/>
    }
}

#[component]
fn OverdueReceivables(me: Uuid) -> impl IntoView {
    let api = use_api();
    let query = AgingQuery {
        group_by: Some(AgingGroup::Owner),
        currency: None,
        as_of: None,
        limit: Some(200),
    };
    let aging = fetched(async move { api.receivables_aging(&query).await });
    let overdue = figure_of(aging, move |aging| {
        let overdue = aging
            .rows
            .iter()
            .find(|row| row.key == Some(me))
            .map_or(Decimal::ZERO, |row| row.amounts.total - row.amounts.not_due);
        Figure::new(money(overdue, &aging.currency)).opens(
            format!("/receivables?overdue=true&owner_id={me}"),
            overdue > Decimal::ZERO,
        )
    });
    view! { <Tile label=K::HomeOverdueReceivables testid="home-my-overdue-receivables" figure=overdue/> }
}

#[component]
fn OverdueDeliveries(me: Uuid) -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let lines = fetched(api.overdue_deliveries());
    let overdue = figure_of(lines, move |lines| {
        let mine: Vec<_> = lines.iter().filter(|l| l.owner_id == me).collect();
        let latest = mine.iter().map(|l| l.days_overdue).max();
        Figure::new(overdue_lines(mine.len(), lines.len()))
            .hint(latest.map(|days| i18n.overdue_days(i64::from(days))))
            .opens("/sales-orders/overdue".to_owned(), !mine.is_empty())
    });
    view! { <Tile label=K::HomeOverdueDeliveries testid="home-my-overdue-deliveries" figure=overdue/> }
}
