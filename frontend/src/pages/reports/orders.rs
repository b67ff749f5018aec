//! `/reports/orders` (订单与交付): the orders dated in the period (confirmed or further) by
//! month, product or customer (`?group_by=`, default month), as bars of their amounts and a
//! table with the totals; above them the on-time delivery rate of the period's shipments.
//! Each order count opens the sales orders behind it.

use crm_api_types::calendar::Month;
use crm_api_types::identity::Permission;
use crm_api_types::reports::{OrderGrouping, OrdersQuery, OrdersReport, OrdersRow};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::filters::{ReportFilterBar, ReportFilters};
use super::grouping::{GroupingSegments, grouping_of, grouping_pair};
use super::header::{ReportHeader, report_export};
use super::orders_chart::OrdersChart;
use super::{
    CurrencyPicker, EmptyReportRow, ReportChartCard, ReportTableCard, address, currency_pair,
    currency_param, drill, figure, load_report, percent, use_replace,
};
use crate::api::use_api;
use crate::auth::use_session;
use crate::components::page_state::NoPermission;
use crate::components::table::SkeletonRows;
use crate::format::{money, plain};
use crate::i18n::{I18n, K, order_grouping_key, use_i18n};
use crate::load::Load;

const GROUPINGS: [OrderGrouping; 3] = [
    OrderGrouping::Month,
    OrderGrouping::Product,
    OrderGrouping::Customer,
];

/// The grouping as the API and the URL spell it.
fn grouping_name(grouping: OrderGrouping) -> &'static str {
    match grouping {
        OrderGrouping::Month => "month",
        OrderGrouping::Product => "product",
        OrderGrouping::Customer => "customer",
    }
}

/// The page's filters as the URL holds them: the shared ones, the grouping and the currency.
#[derive(Debug, Clone, Default, PartialEq)]
struct OrdersParams {
    filters: ReportFilters,
    group_by: OrderGrouping,
    currency: Option<String>,
}

impl OrdersParams {
    fn of(param: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            filters: ReportFilters::of(&param),
            group_by: grouping_of(param("group_by"), &GROUPINGS, grouping_name),
            currency: currency_param(&param),
        }
    }

    fn query(&self) -> OrdersQuery {
        let f = self.filters.clone();
        OrdersQuery {
            format: None,
            group_by: Some(self.group_by),
            from: f.from,
            to: f.to,
            currency: self.currency.clone(),
            department_id: f.department_id,
            owner_id: f.owner_id,
            region: f.region,
            industry: f.industry,
            product_category_id: f.product_category_id,
        }
    }

    /// The page's address with these filters (the defaults left out).
    fn href(&self) -> String {
        let pairs = [
            self.filters.period_pairs(),
            vec![
                grouping_pair(self.group_by, grouping_name),
                currency_pair(&self.currency),
            ],
            self.filters.narrowing_pairs(),
        ]
        .concat();
        address("/reports/orders", &pairs)
    }
}

/// The sales orders behind a row's count (`row`; none for the total): dated in the period (a
/// month row: its part of the period), owned as the page narrows, of the row's product or
/// customer. None for a row the list cannot single out (lines without a catalogue product),
/// and when the page narrows by what the order list cannot (region, industry, category).
fn orders_href(
    f: &ReportFilters,
    report: &OrdersReport,
    row: Option<&OrdersRow>,
) -> Option<String> {
    if f.region.is_some() || f.industry.is_some() || f.product_category_id.is_some() {
        return None;
    }
    let (mut from, mut to) = (report.from, report.to);
    let mut own = None;
    if let Some(row) = row {
        let key = row.key.clone()?;
        match report.group_by {
            OrderGrouping::Month => {
                let month: Month = key.parse().ok()?;
                from = from.max(month.first_day());
                to = to.min(month.last_day());
            }
            OrderGrouping::Product => own = Some(("product_id", Some(key))),
            OrderGrouping::Customer => own = Some(("customer_id", Some(key))),
        }
    }
    let mut pairs = vec![
        ("order_date_from", Some(from.to_string())),
        ("order_date_to", Some(to.to_string())),
        ("department_id", f.department_id.map(|v| v.to_string())),
        ("owner_id", f.owner_id.map(|v| v.to_string())),
    ];
    pairs.extend(own);
    Some(address("/sales-orders", &pairs))
}

/// A row's group as people read it: the month, the product or the customer; lines without
/// a catalogue product said so.
pub(super) fn row_name(i18n: I18n, grouping: OrderGrouping, row: &OrdersRow) -> String {
    match (grouping, &row.key) {
        (OrderGrouping::Product, None) => i18n.t(K::OrderReportNoProduct).to_owned(),
        _ => row
            .name
            .clone()
            .or_else(|| row.key.clone())
            .unwrap_or_else(|| "—".to_owned()),
    }
}

#[component]
pub fn OrderReportPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::SalesOrderRead) {
            view! { <OrderReport/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

#[component]
fn OrderReport() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_query_map();
    let shown = Memo::new(move |_| params.with(|p| OrdersParams::of(|name| p.get(name))));
    let query = Memo::new(move |_| shown.with(OrdersParams::query));
    let (report, loading) = load_report(query, move |q| async move { api.order_report(&q).await });
    let go = use_replace();
    let change = move |edit: &dyn Fn(&mut OrdersParams)| {
        let mut p = shown.get_untracked();
        edit(&mut p);
        go(p.href());
    };
    let period = Signal::derive(move || match report.get() {
        Load::Loaded(r) => format!(
            "{} {} – {} · {}",
            i18n.t(K::PeriodShown),
            r.from,
            r.to,
            i18n.grouped_by(order_grouping_key(r.group_by))
        ),
        _ => String::new(),
    });
    let loaded = move || matches!(report.get(), Load::Loaded(ref r) if !r.rows.is_empty());

    view! {
        <div class="page report-page">
            <ReportHeader title=K::OrderReportTitle subtitle=K::OrderReportSubtitle export=report_export("/reports/orders", K::OrderReportTitle, query)/>
            <ReportFilterBar
                filters=Memo::new(move |_| shown.with(|s| s.filters.clone()))
                on_change=Callback::new(move |filters: ReportFilters| change(&|p| p.filters = filters.clone()))
                period
            >
                <GroupingSegments
                    options=&GROUPINGS
                    chosen=Signal::derive(move || shown.with(|s| s.group_by))
                    name=grouping_name
                    label=order_grouping_key
                    testid="orders-group"
                    on_change=Callback::new(move |group_by| change(&|p| p.group_by = group_by))
                />
                <CurrencyPicker
                    chosen=Signal::derive(move || shown.with(|s| s.currency.clone()))
                    on_change=Callback::new(move |currency: String| change(&|p| p.currency = Some(currency.clone())))
                />
            </ReportFilterBar>
            <Show when=move || shown.with(|s| s.filters.region.is_some() || s.filters.industry.is_some() || s.filters.product_category_id.is_some())>
                <p class="muted report-note" data-testid="orders-drill-note">{i18n.tr(K::ReportNoDrillNote)}</p>
            </Show>
            <DeliveryFigures report/>
            <Show when=loaded>
                <ReportChartCard title=K::OrderReportChartTitle id="orders-chart-title">
                    {move || match report.get() {
                        Load::Loaded(found) => view! { <OrdersChart report=found/> }.into_any(),
                        _ => ().into_any(),
                    }}
                </ReportChartCard>
            </Show>
            <OrdersTable shown report loading/>
        </div>
    }
}

/// 准时交付率: of the period's shipped lines with a promised date, those that left by it.
#[component]
fn DeliveryFigures(report: RwSignal<Load<OrdersReport>>) -> impl IntoView {
    move || match report.get() {
        Load::Loaded(r) => Some(view! {
            <div class="card figures report-figures" data-testid="orders-delivery">
                {figure(K::OnTimeDelivery, "delivery-rate", percent(r.delivery.on_time_percent))}
                {figure(K::ShippedLines, "delivery-shipped", r.delivery.shipped_lines.to_string())}
                {figure(K::OnTimeLines, "delivery-on-time", r.delivery.on_time.to_string())}
            </div>
        }),
        _ => None,
    }
}

/// One row per group and the total; each order count opens its orders.
#[component]
fn OrdersTable(
    shown: Memo<OrdersParams>,
    report: RwSignal<Load<OrdersReport>>,
    loading: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let by_product = move || match report.get() {
        Load::Loaded(found) => found.group_by == OrderGrouping::Product,
        _ => shown.with(|s| s.group_by == OrderGrouping::Product),
    };
    // Group, orders, amount; and by product the quantity.
    let columns = move || if by_product() { 4 } else { 3 };
    let cells = move |report: &OrdersReport, row: &OrdersRow, total: bool| {
        let f = shown.with_untracked(|s| s.filters.clone());
        let href = (row.orders > 0)
            .then(|| orders_href(&f, report, (!total).then_some(row)))
            .flatten();
        let quantity = (report.group_by == OrderGrouping::Product).then(|| {
            let shown = row.quantity.map_or_else(|| "—".to_owned(), plain);
            view! { <td class="cell-num" data-testid="orders-quantity">{shown}</td> }
        });
        view! {
            <td class="cell-num" data-testid="orders-count">
                {drill(row.orders.to_string(), href, "orders-count-link", K::OrderReportLink)}
            </td>
            {quantity}
            <td class="cell-num" data-testid="orders-amount">{money(row.amount, &report.currency)}</td>
        }
    };
    let body = move || match report.get() {
        Load::Loading => view! { <SkeletonRows cols=3 rows=4/> }.into_any(),
        Load::Loaded(found) if !found.rows.is_empty() => found
            .rows
            .iter()
            .map(|row| {
                let name = row_name(i18n, found.group_by, row);
                view! {
                    <tr data-testid="orders-row" data-key=row.key.clone().unwrap_or_default()>
                        <th scope="row" class="cell-strong" data-testid="orders-name">{name}</th>
                        {cells(&found, row, false)}
                    </tr>
                }
            })
            .collect_view()
            .into_any(),
        other => view! {
            <EmptyReportRow
                cols=columns()
                failed=matches!(other, Load::Failed)
                filtered=shown.with(|s| s.filters.is_set())
                title=K::OrderReportEmpty
                hint=K::OrderReportEmptyHint
                testid="orders-empty"
            />
        }
        .into_any(),
    };
    let total = move || match report.get() {
        Load::Loaded(found) if !found.rows.is_empty() => Some(view! {
            <tfoot>
                <tr data-testid="orders-total">
                    <th scope="row">{i18n.tr(K::Total)}</th>
                    {cells(&found, &found.total, true)}
                </tr>
            </tfoot>
        }),
        _ => None,
    };
    let group_label = move || {
        let grouping = match report.get() {
            Load::Loaded(found) => found.group_by,
            _ => shown.with(|s| s.group_by),
        };
        i18n.t(order_grouping_key(grouping))
    };
    view! {
        <ReportTableCard title=K::OrderReportTableTitle testid="orders-table" loading>
            <thead>
                <tr>
                    <th scope="col">{group_label}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::OrderReportOrders)}</th>
                    <Show when=by_product>
                        <th scope="col" class="cell-num">{i18n.tr(K::FieldQuantity)}</th>
                    </Show>
                    <th scope="col" class="cell-num">{i18n.tr(K::OrderReportAmount)}</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
            {total}
        </ReportTableCard>
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rust_decimal::Decimal;
    use uuid::Uuid;

    use super::*;

    fn report(group_by: OrderGrouping) -> OrdersReport {
        let row = OrdersRow {
            key: None,
            name: None,
            orders: 0,
            quantity: None,
            amount: Decimal::ZERO,
        };
        OrdersReport {
            group_by,
            from: NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default(),
            to: NaiveDate::from_ymd_opt(2026, 3, 10).unwrap_or_default(),
            currency: "CNY".to_owned(),
            rows: Vec::new(),
            total: row,
            delivery: crm_api_types::reports::DeliveryFigures {
                shipped_lines: 0,
                on_time: 0,
                on_time_percent: None,
            },
        }
    }

    fn row(key: Option<&str>) -> OrdersRow {
        OrdersRow {
            key: key.map(str::to_owned),
            ..report(OrderGrouping::Month).total
        }
    }

    #[test]
    fn a_count_opens_its_rows_orders() {
        let owner = Uuid::nil();
        let f = ReportFilters {
            owner_id: Some(owner),
            ..ReportFilters::default()
        };
        // A month row: its part of the period.
        assert_eq!(
            orders_href(
                &f,
                &report(OrderGrouping::Month),
                Some(&row(Some("2026-01")))
            ),
            Some(format!(
                "/sales-orders?order_date_from=2026-01-15&order_date_to=2026-01-31&owner_id={owner}"
            ))
        );
        let product = Uuid::from_u128(7).to_string();
        assert_eq!(
            orders_href(
                &ReportFilters::default(),
                &report(OrderGrouping::Product),
                Some(&row(Some(&product)))
            ),
            Some(format!(
                "/sales-orders?order_date_from=2026-01-15&order_date_to=2026-03-10&product_id={product}"
            ))
        );
        // Lines without a catalogue product cannot be singled out; the total can.
        assert_eq!(
            orders_href(
                &ReportFilters::default(),
                &report(OrderGrouping::Product),
                Some(&row(None))
            ),
            None
        );
        assert_eq!(
            orders_href(
                &ReportFilters::default(),
                &report(OrderGrouping::Customer),
                None
            ),
            Some("/sales-orders?order_date_from=2026-01-15&order_date_to=2026-03-10".to_owned())
        );
        // The order list cannot narrow by region.
        let by_region = ReportFilters {
            region: Some("华东".to_owned()),
            ..ReportFilters::default()
        };
        assert_eq!(
            orders_href(&by_region, &report(OrderGrouping::Month), None),
            None
        );
    }

    #[test]
    fn the_grouping_and_currency_are_in_the_url_unless_default() {
        let shown = OrdersParams {
            filters: ReportFilters {
                to: "2026-06-30".parse().ok(),
                ..ReportFilters::default()
            },
            group_by: OrderGrouping::Customer,
            currency: Some("USD".to_owned()),
        };
        assert_eq!(
            shown.href(),
            "/reports/orders?to=2026-06-30&group_by=customer&currency=USD"
        );
        let url = [
            ("to", "2026-06-30"),
            ("group_by", "customer"),
            ("currency", "USD"),
        ];
        let param = |name: &str| {
            url.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        };
        assert_eq!(OrdersParams::of(param), shown);
        assert_eq!(OrdersParams::default().href(), "/reports/orders");
    }
}
