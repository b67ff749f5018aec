//! `/reports/lead-sources` (线索来源分析): the leads created in the period per source, and how
//! far they got — qualified, converted to a customer, won — as small funnels side by side and
//! a table with the won deals, their amounts and the rates. A lead count opens the lead list
//! narrowed to the source and the days the leads were created on; a qualified, converted or
//! won count, those among them that got that far.

use chrono::NaiveDate;
use crm_api_types::identity::Permission;
use crm_api_types::leads::{LeadReach, LeadSource, LeadStatus};
use crm_api_types::reports::{LeadSourceFigures, LeadSourcesQuery, LeadSourcesReport};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::filters::{ReportFilterBar, ReportFilters};
use super::header::{ReportHeader, report_export};
use super::lead_sources_chart::LeadSourcesChart;
use super::{
    EmptyReportRow, ReportChartCard, ReportTableCard, address, amounts, drill, load_report,
    percent, use_replace,
};
use crate::api::use_api;
use crate::auth::use_session;
use crate::components::page_state::NoPermission;
use crate::components::table::SkeletonRows;
use crate::i18n::{K, source_key, use_i18n};
use crate::load::Load;

/// Source, leads, qualified, converted, won leads, won deals, won amount, and four rates.
const COLUMNS: usize = 11;

/// The page's filters as the URL holds them: the shared ones but the product category (leads
/// have none); region and industry are the lead's own.
fn params_of(param: impl Fn(&str) -> Option<String>) -> ReportFilters {
    ReportFilters {
        product_category_id: None,
        ..ReportFilters::of(param)
    }
}

fn query_of(f: &ReportFilters) -> LeadSourcesQuery {
    let f = f.clone();
    LeadSourcesQuery {
        format: None,
        from: f.from,
        to: f.to,
        department_id: f.department_id,
        owner_id: f.owner_id,
        region: f.region,
        industry: f.industry,
    }
}

/// How far the leads behind a count got.
#[derive(Debug, Clone, Copy)]
enum Got {
    /// Every lead created.
    Created,
    /// Converted: the list's status filter.
    Converted,
    /// Qualified once, or won a deal: the list's `reached` drill-down.
    Reached(LeadReach),
}

/// The leads behind a count: created from `from` to `to`, of `source` (every source when
/// none), as far as `got`, narrowed as the page is. The lead list takes every filter the
/// report does.
fn leads_href(
    f: &ReportFilters,
    from: NaiveDate,
    to: NaiveDate,
    source: Option<LeadSource>,
    got: Got,
) -> String {
    let (status, reached) = match got {
        Got::Created => (None, None),
        Got::Converted => (Some(LeadStatus::Converted), None),
        Got::Reached(reached) => (None, Some(reached)),
    };
    let mut pairs = vec![
        ("source", source.map(|s| s.as_str().to_owned())),
        ("status", status.map(|s| s.as_str().to_owned())),
        ("reached", reached.map(|r| r.as_str().to_owned())),
        ("created_from", Some(from.to_string())),
        ("created_to", Some(to.to_string())),
    ];
    pairs.extend(
        f.narrowing_pairs()
            .into_iter()
            .filter(|(name, _)| *name != "product_category_id"),
    );
    address("/leads", &pairs)
}

#[component]
pub fn LeadSourcesPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::LeadRead) {
            view! { <LeadSources/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

#[component]
fn LeadSources() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_query_map();
    let shown = Memo::new(move |_| params.with(|p| params_of(|name| p.get(name))));
    let query = Memo::new(move |_| shown.with(query_of));
    let (report, loading) = load_report(query, move |q| async move { api.lead_sources(&q).await });
    let go = use_replace();
    let refine = move |filters: ReportFilters| {
        go(address("/reports/lead-sources", &filters.pairs()));
    };
    let period = Signal::derive(move || match report.get() {
        Load::Loaded(r) => format!("{} {} – {}", i18n.t(K::PeriodShown), r.from, r.to),
        _ => String::new(),
    });
    let loaded = move || matches!(report.get(), Load::Loaded(ref r) if !r.rows.is_empty());

    view! {
        <div class="page report-page">
            <ReportHeader title=K::LeadSourcesTitle subtitle=K::LeadSourcesSubtitle export=report_export("/reports/lead-sources", K::LeadSourcesTitle, query)/>
            <ReportFilterBar
                filters=Memo::new(move |_| shown.get())
                on_change=Callback::new(refine)
                period
                category=false
            />
            <p class="muted report-note" data-testid="lead-sources-campaign-note">{i18n.tr(K::LeadSourcesCampaignNote)}</p>
            <Show when=loaded>
                <ReportChartCard title=K::LeadSourcesChartTitle id="lead-sources-chart-title">
                    {move || match report.get() {
                        Load::Loaded(found) => view! { <LeadSourcesChart report=found/> }.into_any(),
                        _ => ().into_any(),
                    }}
                </ReportChartCard>
            </Show>
            <LeadSourcesTable shown report loading/>
        </div>
    }
}

/// One row per source and the total; lead and converted counts open the lead list.
#[component]
fn LeadSourcesTable(
    shown: Memo<ReportFilters>,
    report: RwSignal<Load<LeadSourcesReport>>,
    loading: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let cells = move |figures: &LeadSourceFigures,
                      source: Option<LeadSource>,
                      from: NaiveDate,
                      to: NaiveDate| {
        let f = shown.get_untracked();
        let link = |n: u64, got: Got| (n > 0).then(|| leads_href(&f, from, to, source, got));
        let won = amounts(
            figures
                .won_amounts
                .iter()
                .map(|m| (m.amount, m.currency.as_str())),
        );
        view! {
            <td class="cell-num" data-testid="lead-sources-leads">
                {drill(figures.leads.to_string(), link(figures.leads, Got::Created), "lead-sources-leads-link", K::LeadSourcesLeadsLink)}
            </td>
            <td class="cell-num" data-testid="lead-sources-qualified">
                {drill(figures.qualified.to_string(), link(figures.qualified, Got::Reached(LeadReach::Qualified)), "lead-sources-qualified-link", K::LeadSourcesLeadsLink)}
            </td>
            <td class="cell-num" data-testid="lead-sources-converted">
                {drill(figures.converted.to_string(), link(figures.converted, Got::Converted), "lead-sources-converted-link", K::LeadSourcesLeadsLink)}
            </td>
            <td class="cell-num" data-testid="lead-sources-won-leads">
                {drill(figures.won_leads.to_string(), link(figures.won_leads, Got::Reached(LeadReach::Won)), "lead-sources-won-leads-link", K::LeadSourcesLeadsLink)}
            </td>
            <td class="cell-num" data-testid="lead-sources-won-deals">{figures.won_opportunities}</td>
            <td class="cell-num" data-testid="lead-sources-won-amount">{won}</td>
            <td class="cell-num" data-testid="lead-sources-qualified-rate">{percent(figures.qualified_percent)}</td>
            <td class="cell-num" data-testid="lead-sources-converted-rate">{percent(figures.converted_percent)}</td>
            <td class="cell-num" data-testid="lead-sources-qualified-won-rate">{percent(figures.qualified_won_percent)}</td>
            <td class="cell-num" data-testid="lead-sources-won-rate">{percent(figures.won_percent)}</td>
        }
    };
    let body = move || {
        match report.get() {
        Load::Loading => view! { <SkeletonRows cols=COLUMNS rows=5/> }.into_any(),
        Load::Loaded(found) if !found.rows.is_empty() => found
            .rows
            .iter()
            .map(|row| {
                let source = row.source;
                view! {
                    <tr data-testid="lead-sources-row" data-source=source.as_str()>
                        <th scope="row" class="cell-strong">{move || i18n.t(source_key(source))}</th>
                        {cells(&row.figures, Some(source), found.from, found.to)}
                    </tr>
                }
            })
            .collect_view()
            .into_any(),
        other => view! {
            <EmptyReportRow
                cols=COLUMNS
                failed=matches!(other, Load::Failed)
                filtered=shown.with(ReportFilters::is_set)
                title=K::LeadSourcesEmpty
                hint=K::LeadSourcesEmptyHint
                testid="lead-sources-empty"
            />
        }
        .into_any(),
    }
    };
    let total = move || match report.get() {
        Load::Loaded(found) if !found.rows.is_empty() => Some(view! {
            <tfoot>
                <tr data-testid="lead-sources-total">
                    <th scope="row">{i18n.tr(K::Total)}</th>
                    {cells(&found.total, None, found.from, found.to)}
                </tr>
            </tfoot>
        }),
        _ => None,
    };
    view! {
        <ReportTableCard title=K::LeadSourcesTableTitle testid="lead-sources-table" loading>
            <thead>
                <tr>
                    <th scope="col">{i18n.tr(K::FieldSource)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::LeadSourcesLeads)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::LeadSourcesQualified)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::LeadSourcesConverted)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::LeadSourcesWonLeads)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::LeadSourcesWonDeals)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::LeadSourcesWonAmount)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::LeadSourcesQualifiedRate)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::LeadSourcesConvertedRate)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::LeadSourcesQualifiedWonRate)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::LeadSourcesWonRate)}</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
            {total}
        </ReportTableCard>
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    #[test]
    fn a_count_opens_the_leads_of_its_source_created_in_the_period() {
        let day = |s: &str| s.parse::<NaiveDate>().unwrap_or_default();
        let department = Uuid::nil();
        let f = ReportFilters {
            department_id: Some(department),
            region: Some("华东".to_owned()),
            product_category_id: Some(Uuid::nil()),
            ..ReportFilters::default()
        };
        assert_eq!(
            leads_href(
                &f,
                day("2026-03-01"),
                day("2026-03-31"),
                Some(LeadSource::Exhibition),
                Got::Created
            ),
            format!(
                "/leads?source=exhibition&created_from=2026-03-01&created_to=2026-03-31&department_id={department}&region=%E5%8D%8E%E4%B8%9C"
            )
        );
        assert_eq!(
            leads_href(
                &ReportFilters::default(),
                day("2026-03-01"),
                day("2026-03-01"),
                None,
                Got::Converted
            ),
            "/leads?status=converted&created_from=2026-03-01&created_to=2026-03-01"
        );
        assert_eq!(
            leads_href(
                &ReportFilters::default(),
                day("2026-03-01"),
                day("2026-03-01"),
                Some(LeadSource::Phone),
                Got::Reached(LeadReach::Won)
            ),
            "/leads?source=phone&reached=won&created_from=2026-03-01&created_to=2026-03-01"
        );
    }
}
