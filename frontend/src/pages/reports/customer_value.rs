//! `/reports/customer-value` (客户价值分析): over the months the filter bar's days name
//! (default: this month and the eleven before), where revenue comes from — the Pareto chart of
//! the largest customers with the ABC classes, and their tables —, new against repeat
//! customers (a chart and its table), and the customers who stopped ordering (`?dormant_days=`,
//! default 180). A customer's revenue opens their orders of the period; their name, the
//! customer.

use crm_api_types::calendar::Month;
use crm_api_types::identity::Permission;
use crm_api_types::reports::{CustomerValueQuery, CustomerValueReport};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::customer_value_chart::{CohortChart, ParetoChart, class_letter, class_style};
use super::filters::{ReportFilterBar, ReportFilters};
use super::header::{ReportHeader, report_export};
use super::{
    CurrencyPicker, EmptyReportRow, ReportChartCard, ReportTableCard, address, currency_pair,
    currency_param, drill, figure, load_report, percent, use_replace,
};
use crate::api::use_api;
use crate::auth::use_session;
use crate::components::page_state::NoPermission;
use crate::components::table::SkeletonRows;
use crate::format::money;
use crate::i18n::{K, use_i18n};
use crate::load::Load;

/// The dormancy the API applies when none is asked for.
const DORMANT_DEFAULT: u32 = 180;
/// The choices offered (any other in the address is shown too).
const DORMANT_CHOICES: [u32; 5] = [30, 90, 180, 365, 730];
/// What the API accepts.
const DORMANT_RANGE: std::ops::RangeInclusive<u32> = 1..=1095;

/// The page's filters as the URL holds them: the shared ones (but the product category, which
/// the report does not take), the currency and the dormancy.
#[derive(Debug, Clone, Default, PartialEq)]
struct ValueParams {
    filters: ReportFilters,
    currency: Option<String>,
    dormant_days: Option<u32>,
}

impl ValueParams {
    fn of(param: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            filters: ReportFilters {
                product_category_id: None,
                ..ReportFilters::of(&param)
            },
            currency: currency_param(&param),
            dormant_days: param("dormant_days")
                .and_then(|v| v.parse().ok())
                .filter(|d| DORMANT_RANGE.contains(d) && *d != DORMANT_DEFAULT),
        }
    }

    fn query(&self) -> CustomerValueQuery {
        let f = self.filters.clone();
        CustomerValueQuery {
            format: None,
            from: f.from.map(Month::of),
            to: f.to.map(Month::of),
            currency: self.currency.clone(),
            department_id: f.department_id,
            owner_id: f.owner_id,
            region: f.region,
            industry: f.industry,
            dormant_days: self.dormant_days,
        }
    }

    fn href(&self) -> String {
        let pairs = [
            self.filters.period_pairs(),
            vec![
                currency_pair(&self.currency),
                ("dormant_days", self.dormant_days.map(|d| d.to_string())),
            ],
            self.filters.narrowing_pairs(),
        ]
        .concat();
        address("/reports/customer-value", &pairs)
    }
}

/// A customer's orders of the period, owned as the page narrows (region and industry are the
/// customer's own, so the list shows exactly what the report counted, and more: drafts,
/// cancelled orders, other currencies).
fn orders_href(f: &ReportFilters, report: &CustomerValueReport, customer: Uuid) -> String {
    address(
        "/sales-orders",
        &[
            ("order_date_from", Some(report.from.first_day().to_string())),
            ("order_date_to", Some(report.to.last_day().to_string())),
            ("department_id", f.department_id.map(|v| v.to_string())),
            ("owner_id", f.owner_id.map(|v| v.to_string())),
            ("customer_id", Some(customer.to_string())),
        ],
    )
}

fn customer_link(id: Uuid, name: &str) -> impl IntoView + use<> {
    view! { <a href=format!("/customers/{id}") data-testid="value-customer-link">{name.to_owned()}</a> }
}

#[component]
pub fn CustomerValuePage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::SalesOrderRead) {
            view! { <CustomerValue/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

#[component]
fn CustomerValue() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_query_map();
    let shown = Memo::new(move |_| params.with(|p| ValueParams::of(|name| p.get(name))));
    let query = Memo::new(move |_| shown.with(ValueParams::query));
    let (report, loading) =
        load_report(query, move |q| async move { api.customer_value(&q).await });
    let go = use_replace();
    let change = move |edit: &dyn Fn(&mut ValueParams)| {
        let mut p = shown.get_untracked();
        edit(&mut p);
        go(p.href());
    };
    let period = Signal::derive(move || match report.get() {
        Load::Loaded(r) => format!("{} {} – {}", i18n.t(K::PeriodShown), r.from, r.to),
        _ => String::new(),
    });
    let has_revenue = move || matches!(report.get(), Load::Loaded(ref r) if r.customers > 0);
    let dormant_choices = move || {
        let chosen = shown.with(|s| s.dormant_days.unwrap_or(DORMANT_DEFAULT));
        let mut choices = DORMANT_CHOICES.to_vec();
        if !choices.contains(&chosen) {
            choices.push(chosen);
            choices.sort_unstable();
        }
        choices
            .into_iter()
            .map(|d| {
                view! { <option value=d.to_string() selected=d == chosen>{i18n.day_count(d)}</option> }
            })
            .collect_view()
    };

    view! {
        <div class="page report-page">
            <ReportHeader title=K::CustomerValueTitle subtitle=K::CustomerValueSubtitle export=report_export("/reports/customer-value", K::CustomerValueTitle, query)/>
            <ReportFilterBar
                filters=Memo::new(move |_| shown.with(|s| s.filters.clone()))
                on_change=Callback::new(move |filters: ReportFilters| change(&|p| p.filters = filters.clone()))
                period
                category=false
            >
                <CurrencyPicker
                    chosen=Signal::derive(move || shown.with(|s| s.currency.clone()))
                    on_change=Callback::new(move |currency: String| change(&|p| p.currency = Some(currency.clone())))
                />
                <label class="filter-date">
                    <span class="filter-label">{i18n.tr(K::CustomerValueDormantAfter)}</span>
                    <select
                        class="input select filter"
                        data-testid="value-dormant-days"
                        aria-label=i18n.tr(K::CustomerValueDormantAfter)
                        on:change=move |ev| {
                            let days = event_target_value(&ev).parse().ok().filter(|d| *d != DORMANT_DEFAULT);
                            change(&|p| p.dormant_days = days);
                        }
                    >
                        {dormant_choices}
                    </select>
                </label>
            </ReportFilterBar>
            <ValueFigures report/>
            <Show when=has_revenue>
                <ReportChartCard title=K::CustomerValueParetoTitle id="value-pareto-title">
                    {move || match report.get() {
                        Load::Loaded(found) => view! { <ParetoChart report=found/> }.into_any(),
                        _ => ().into_any(),
                    }}
                </ReportChartCard>
            </Show>
            <ClassesTable shown report loading/>
            <TopTable shown report loading/>
            <Show when=has_revenue>
                <ReportChartCard title=K::CustomerValueCohortTitle id="value-cohort-title">
                    <p class="muted report-note">{i18n.tr(K::CustomerValueCohortHint)}</p>
                    {move || match report.get() {
                        Load::Loaded(found) => view! { <CohortChart report=found/> }.into_any(),
                        _ => ().into_any(),
                    }}
                </ReportChartCard>
            </Show>
            <CohortTable shown report loading/>
            <DormantTable report loading/>
        </div>
    }
}

/// The headline: customers with revenue, the revenue, the top fifth's share (the 80/20
/// check), new customers' share, and how many customers are dormant.
#[component]
fn ValueFigures(report: RwSignal<Load<CustomerValueReport>>) -> impl IntoView {
    let i18n = use_i18n();
    move || match report.get() {
        Load::Loaded(r) => {
            let top_fifth = match r.top_fifth_revenue_percent {
                Some(p) => format!(
                    "{} ({})",
                    percent(Some(p)),
                    i18n.customer_count(r.top_fifth_customers)
                ),
                None => "—".to_owned(),
            };
            Some(view! {
                <div class="card figures report-figures" data-testid="value-figures">
                    {figure(K::CustomerValueCustomers, "value-customers", r.customers.to_string())}
                    {figure(K::CustomerValueRevenue, "value-revenue", money(r.revenue, &r.currency))}
                    {figure(K::CustomerValueTopFifth, "value-top-fifth", top_fifth)}
                    {figure(K::CustomerValueNewShare, "value-new-share", percent(r.new_customers.revenue_percent))}
                    {figure(K::CustomerValueDormantTitle, "value-dormant-count", r.dormant.count.to_string())}
                </div>
            })
        }
        _ => None,
    }
}

/// A, B and C: customers and revenue, each as a share; and the total.
#[component]
fn ClassesTable(
    shown: Memo<ValueParams>,
    report: RwSignal<Load<CustomerValueReport>>,
    loading: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let body = move || {
        match report.get() {
        Load::Loading => view! { <SkeletonRows cols=5 rows=3/> }.into_any(),
        Load::Loaded(found) if found.customers > 0 => found
            .classes
            .iter()
            .map(|c| {
                let (swatch, label) = class_style(c.class);
                view! {
                    <tr data-testid="value-class-row" data-class=class_letter(c.class)>
                        <th scope="row" class="cell-strong">
                            <span class=format!("legend-swatch {swatch}")></span>
                            {i18n.tr(label)}
                        </th>
                        <td class="cell-num" data-testid="value-class-customers">{c.customers.to_string()}</td>
                        <td class="cell-num" data-testid="value-class-customer-share">{percent(c.customers_percent)}</td>
                        <td class="cell-num" data-testid="value-class-revenue">{money(c.revenue, &found.currency)}</td>
                        <td class="cell-num" data-testid="value-class-revenue-share">{percent(c.revenue_percent)}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any(),
        other => view! {
            <EmptyReportRow
                cols=5
                failed=matches!(other, Load::Failed)
                filtered=shown.with(|s| s.filters.is_set())
                title=K::CustomerValueEmpty
                hint=K::CustomerValueEmptyHint
                testid="value-empty"
            />
        }
        .into_any(),
    }
    };
    let total = move || match report.get() {
        Load::Loaded(found) if found.customers > 0 => Some(view! {
            <tfoot>
                <tr data-testid="value-class-total">
                    <th scope="row">{i18n.tr(K::Total)}</th>
                    <td class="cell-num">{found.customers.to_string()}</td>
                    <td class="cell-num">"100.0%"</td>
                    <td class="cell-num" data-testid="value-class-revenue">{money(found.revenue, &found.currency)}</td>
                    <td class="cell-num">"100.0%"</td>
                </tr>
            </tfoot>
        }),
        _ => None,
    };
    view! {
        <ReportTableCard title=K::CustomerValueClassesTitle testid="value-classes-table" loading>
            <thead>
                <tr>
                    <th scope="col">{i18n.tr(K::CustomerValueClass)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::CustomerValueCustomers)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::CustomerValueCustomerShare)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::CustomerValueRevenue)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::CustomerValueRevenueShare)}</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
            {total}
        </ReportTableCard>
    }
}

/// The largest customers: rank, name, class, orders, revenue (opening their orders), share
/// and cumulative share. The Pareto chart's table.
#[component]
fn TopTable(
    shown: Memo<ValueParams>,
    report: RwSignal<Load<CustomerValueReport>>,
    loading: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let body = move || match report.get() {
        Load::Loading => view! { <SkeletonRows cols=7 rows=5/> }.into_any(),
        Load::Loaded(found) if !found.top.is_empty() => {
            let f = shown.with_untracked(|s| s.filters.clone());
            found
                .top
                .iter()
                .map(|c| {
                    let href = orders_href(&f, &found, c.customer_id);
                    view! {
                        <tr data-testid="value-top-row" data-key=c.customer_id.to_string()>
                            <td class="cell-num" data-testid="value-rank">{c.rank.to_string()}</td>
                            <th scope="row" class="cell-strong" data-testid="value-name">{customer_link(c.customer_id, &c.name)}</th>
                            <td data-testid="value-class">{class_letter(c.class)}</td>
                            <td class="cell-num" data-testid="value-orders">{c.orders.to_string()}</td>
                            <td class="cell-num" data-testid="value-revenue-cell">
                                {drill(money(c.revenue, &found.currency), Some(href), "value-revenue-link", K::CustomerValueDrillLink)}
                            </td>
                            <td class="cell-num" data-testid="value-share">{percent(c.revenue_percent)}</td>
                            <td class="cell-num" data-testid="value-cumulative-share">{percent(c.cumulative_percent)}</td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any()
        }
        other => view! {
            <EmptyReportRow
                cols=7
                failed=matches!(other, Load::Failed)
                filtered=shown.with(|s| s.filters.is_set())
                title=K::CustomerValueEmpty
                hint=K::CustomerValueEmptyHint
                testid="value-top-empty"
            />
        }
        .into_any(),
    };
    view! {
        <ReportTableCard title=K::CustomerValueTopTitle testid="value-top-table" loading>
            <thead>
                <tr>
                    <th scope="col" class="cell-num">{i18n.tr(K::CustomerValueRank)}</th>
                    <th scope="col">{i18n.tr(K::FieldCustomer)}</th>
                    <th scope="col">{i18n.tr(K::CustomerValueClass)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::OrderReportOrders)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::CustomerValueRevenue)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::CustomerValueRevenueShare)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::CustomerValueCumulative)}</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </ReportTableCard>
    }
}

/// New and repeat customers: how many, their revenue and its share. The cohort chart's table.
#[component]
fn CohortTable(
    shown: Memo<ValueParams>,
    report: RwSignal<Load<CustomerValueReport>>,
    loading: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let body = move || {
        match report.get() {
        Load::Loading => view! { <SkeletonRows cols=4 rows=2/> }.into_any(),
        Load::Loaded(found) if found.customers > 0 => [
            ("new", K::CustomerValueNew, found.new_customers.clone()),
            ("repeat", K::CustomerValueRepeat, found.repeat_customers.clone()),
        ]
        .into_iter()
        .map(|(key, label, cohort)| {
            view! {
                <tr data-testid="value-cohort-row" data-key=key>
                    <th scope="row" class="cell-strong">{i18n.tr(label)}</th>
                    <td class="cell-num" data-testid="value-cohort-customers">{cohort.customers.to_string()}</td>
                    <td class="cell-num" data-testid="value-cohort-revenue">{money(cohort.revenue, &found.currency)}</td>
                    <td class="cell-num" data-testid="value-cohort-share">{percent(cohort.revenue_percent)}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any(),
        other => view! {
            <EmptyReportRow
                cols=4
                failed=matches!(other, Load::Failed)
                filtered=shown.with(|s| s.filters.is_set())
                title=K::CustomerValueEmpty
                hint=K::CustomerValueEmptyHint
                testid="value-cohort-empty"
            />
        }
        .into_any(),
    }
    };
    view! {
        <ReportTableCard title=K::CustomerValueCohortTitle testid="value-cohort-table" loading>
            <thead>
                <tr>
                    <th scope="col"></th>
                    <th scope="col" class="cell-num">{i18n.tr(K::CustomerValueCustomers)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::CustomerValueRevenue)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::CustomerValueRevenueShare)}</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </ReportTableCard>
    }
}

/// The dormant customers, the longest dormant first: owner, last order (opening their
/// orders), days since, what they ordered in all.
#[component]
fn DormantTable(
    report: RwSignal<Load<CustomerValueReport>>,
    loading: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let body = move || {
        match report.get() {
        Load::Loading => view! { <SkeletonRows cols=5 rows=3/> }.into_any(),
        Load::Loaded(found) if !found.dormant.customers.is_empty() => found
            .dormant
            .customers
            .iter()
            .map(|c| {
                let owner = c.owner_name.clone();
                let href = address(
                    "/sales-orders",
                    &[("customer_id", Some(c.customer_id.to_string()))],
                );
                view! {
                    <tr data-testid="value-dormant-row" data-key=c.customer_id.to_string()>
                        <th scope="row" class="cell-strong">{customer_link(c.customer_id, &c.name)}</th>
                        <td data-testid="value-dormant-owner">
                            {move || owner.clone().unwrap_or_else(|| i18n.t(K::InPool).to_owned())}
                        </td>
                        <td data-testid="value-dormant-last">
                            {drill(c.last_order_date.to_string(), Some(href), "value-dormant-orders-link", K::CustomerValueOrdersLink)}
                        </td>
                        <td class="cell-num" data-testid="value-dormant-days-since">{c.days_since.to_string()}</td>
                        <td class="cell-num" data-testid="value-dormant-lifetime">{money(c.lifetime_revenue, &found.currency)}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any(),
        other => view! {
            <EmptyReportRow
                cols=5
                failed=matches!(other, Load::Failed)
                filtered=false
                title=K::CustomerValueDormantEmpty
                hint=K::CustomerValueDormantEmptyHint
                testid="value-dormant-empty"
            />
        }
        .into_any(),
    }
    };
    let listed = move || match report.get() {
        Load::Loaded(found) => {
            i18n.dormant_listed(found.dormant.count, found.dormant.customers.len())
        }
        _ => String::new(),
    };
    view! {
        <ReportTableCard title=K::CustomerValueDormantTitle testid="value-dormant-table" loading>
            <caption class="muted report-caption" data-testid="value-dormant-listed">{listed}</caption>
            <thead>
                <tr>
                    <th scope="col">{i18n.tr(K::FieldCustomer)}</th>
                    <th scope="col">{i18n.tr(K::FieldOwner)}</th>
                    <th scope="col">{i18n.tr(K::CustomerValueLastOrder)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::CustomerValueDaysSince)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::CustomerValueLifetime)}</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </ReportTableCard>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_currency_and_dormancy_are_in_the_url_unless_default() {
        let shown = ValueParams {
            filters: ReportFilters {
                from: "2026-01-01".parse().ok(),
                ..ReportFilters::default()
            },
            currency: Some("USD".to_owned()),
            dormant_days: Some(365),
        };
        assert_eq!(
            shown.href(),
            "/reports/customer-value?from=2026-01-01&currency=USD&dormant_days=365"
        );
        let url = [
            ("from", "2026-01-01"),
            ("currency", "USD"),
            ("dormant_days", "365"),
        ];
        let param = |name: &str| {
            url.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        };
        assert_eq!(ValueParams::of(param), shown);
        // The default, a value the API refuses and the category are left out.
        for days in ["180", "0", "5000", "x"] {
            let url = |name: &str| match name {
                "dormant_days" => Some(days.to_owned()),
                "product_category_id" => Some(Uuid::nil().to_string()),
                _ => None,
            };
            assert_eq!(ValueParams::of(url), ValueParams::default(), "{days}");
        }
        assert_eq!(ValueParams::default().href(), "/reports/customer-value");
    }

    #[test]
    fn a_customers_revenue_opens_their_orders_of_the_period() {
        let month = |m: &str| m.parse::<Month>().unwrap_or_else(|e| panic!("{e}"));
        let report = CustomerValueReport {
            from: month("2026-01"),
            to: month("2026-03"),
            currency: "CNY".to_owned(),
            customers: 0,
            revenue: rust_decimal::Decimal::ZERO,
            top_fifth_customers: 0,
            top_fifth_revenue_percent: None,
            classes: Vec::new(),
            top: Vec::new(),
            new_customers: Default::default(),
            repeat_customers: Default::default(),
            dormant: crm_api_types::reports::DormantCustomers {
                dormant_days: 180,
                last_order_by: "2026-06-01".parse().unwrap_or_default(),
                count: 0,
                customers: Vec::new(),
            },
        };
        let owner = Uuid::from_u128(1);
        let customer = Uuid::from_u128(2);
        let f = ReportFilters {
            owner_id: Some(owner),
            region: Some("华东".to_owned()),
            ..ReportFilters::default()
        };
        assert_eq!(
            orders_href(&f, &report, customer),
            format!(
                "/sales-orders?order_date_from=2026-01-01&order_date_to=2026-03-31&owner_id={owner}&customer_id={customer}"
            )
        );
    }
}
