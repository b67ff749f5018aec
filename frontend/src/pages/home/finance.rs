//! 财务: what finance watches — what customers owe and how much of it is overdue, this month's
//! collection rate and the days sales outstanding, the collections of the last six months, and
//! the aging table by customer.

use crm_api_types::reports::CollectionsQuery;
use leptos::prelude::*;
use rust_decimal::Decimal;

use super::figures::{ChartCard, Figure, Tile, chart_of, fetched, figure_of};
use super::team::{aging_totals, overdue_figure};
use crate::api::use_api;
use crate::format::money;
use crate::i18n::{K, use_i18n};
use crate::pages::receivables::AgingCard;
use crate::pages::reports::CollectionsChart;

#[component]
pub(super) fn FinanceView() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let aging = fetched(async move { api.receivables_aging(&aging_totals()).await });
    // Default period: this month and the five before it.
    let collections = fetched(async move { api.collections(&CollectionsQuery::default()).await });
    let outstanding = figure_of(aging, |aging| {
        Figure::new(money(aging.totals.total, &aging.currency)).opens(
            "/receivables".to_owned(),
            aging.totals.total > Decimal::ZERO,
        )
    });
    let overdue_amount = figure_of(aging, move |aging| overdue_figure(aging, i18n));
    let this_month = figure_of(collections, move |report| {
        let Some(month) = report.months.last() else {
            return Figure::new("—".to_owned());
        };
        let rate = month
            .figures
            .collection_percent
            .map_or_else(|| "—".to_owned(), |p| format!("{p}%"));
        Figure::new(rate).hint(format!(
            "{} {} · {} {}",
            i18n.t(K::CollectionsDue),
            money(month.figures.due, &report.currency),
            i18n.t(K::CollectionsCollected),
            money(month.figures.collected, &report.currency)
        ))
    });
    let dso = figure_of(collections, move |report| {
        let days = report
            .dso
            .dso_days
            .map_or_else(|| "—".to_owned(), |d| d.to_string());
        Figure::new(days)
            .hint(i18n.t(K::HomeDsoHint).to_owned())
            .opens("/reports/collections".to_owned(), true)
    });
    view! {
        <div class="card figures home-figures" data-testid="home-figures">
            <Tile label=K::HomeOutstanding testid="home-outstanding" figure=outstanding/>
            <Tile label=K::HomeOverdueReceivables testid="home-finance-overdue" figure=overdue_amount/>
            <Tile label=K::HomeCollectionRate testid="home-collection-rate" figure=this_month/>
            <Tile label=K::HomeDso testid="home-dso" figure=dso/>
        </div>
        <ChartCard title=K::CollectionsTitle href="/reports/collections".to_owned() testid="home-collections">
            {chart_of(collections, |report| view! { <CollectionsChart report/> })}
        </ChartCard>
        <AgingCard group=crm_api_types::receivables::AgingGroup::Customer/>
    }
}
