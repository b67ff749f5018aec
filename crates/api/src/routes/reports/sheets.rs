//! Every report as a file (`?format=csv` or `xlsx`): the rows of its table, then its totals,
//! with headers in the caller's language. Figures are plain numbers (no currency sign, no
//! thousands separator; the currency is in the header) so a spreadsheet can add them up; in
//! XLSX they are numbers. The file is named for the report and its period.

use std::collections::BTreeSet;

use actix_web::{HttpRequest, HttpResponse};
use crm_api_types::activities::ActivityKind;
use crm_api_types::imports::FileFormat;
use crm_api_types::leads::LeadSource;
use crm_api_types::pipelines::StageKind;
use crm_api_types::reports::{
    ActivityReport, CollectionFigures, CollectionsReport, CustomerValueReport, ForecastFigures,
    ForecastReport, FunnelReport, LeadSourceFigures, LeadSourcesReport, MoneyTotal, OrderGrouping,
    OrdersReport, OrdersRow, PerformanceReport, ValueClass, WinRateGrouping, WinRateReport,
    WinRateRow,
};
use crm_api_types::targets::TargetMetric;
use crm_domain::report::percent_of;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::ApiError;
use crate::i18n::Lang;
use crate::routes::exports::{source, time};
use crate::routes::imports::{file, lang};

/// A report's table as a file holds it.
pub(super) struct Sheet {
    /// The report's name: the sheet's, and the file's with the period after it.
    name: &'static str,
    /// The file's ASCII name, for clients that cannot read the real one.
    ascii: &'static str,
    period: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    /// The columns before this one name a row; those from it on hold figures.
    figures_from: usize,
}

/// The report as JSON, or as the file `format` asks for.
pub(super) async fn reply<R: Serialize>(
    req: &HttpRequest,
    format: Option<FileFormat>,
    report: R,
    sheet: impl FnOnce(&R, Lang) -> Sheet,
) -> Result<HttpResponse, ApiError> {
    let Some(format) = format else {
        return Ok(HttpResponse::Ok().json(report));
    };
    let mut sheet = sheet(&report, lang(req));
    // Every row as wide as the header, as CSV wants it (a headline row has fewer cells).
    let width = sheet
        .rows
        .iter()
        .map(Vec::len)
        .fold(sheet.headers.len(), usize::max);
    sheet.headers.resize(width, String::new());
    for row in &mut sheet.rows {
        row.resize(width, String::new());
    }
    file(
        format,
        sheet.name.to_owned(),
        &format!("{}-{}", sheet.ascii, sheet.period),
        &format!("{}-{}", sheet.name, sheet.period),
        sheet.headers,
        sheet.rows,
        Some(sheet.figures_from),
    )
    .await
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

fn headers(lang: Lang, names: &[(&'static str, &'static str)]) -> Vec<String> {
    names
        .iter()
        .map(|&(zh, en)| pick(lang, zh, en).to_owned())
        .collect()
}

/// `金额 (CNY)`: a header with the currency its figures are in.
fn in_currency(lang: Lang, (zh, en): (&'static str, &'static str), currency: &str) -> String {
    format!("{} ({currency})", pick(lang, zh, en))
}

fn amount(d: Decimal) -> String {
    format!("{:.2}", d.round_dp(2))
}

fn optional(d: Option<Decimal>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn total_label(lang: Lang) -> String {
    pick(lang, "合计", "Total").to_owned()
}

/// The currencies among `totals`, in order, for one column each.
fn currencies<'a>(totals: impl Iterator<Item = &'a str>) -> Vec<String> {
    totals
        .map(str::to_owned)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The amount in `currency` among `totals`, `0` when none is.
fn amount_in(totals: &[MoneyTotal], currency: &str) -> String {
    amount(
        totals
            .iter()
            .find(|t| t.currency == currency)
            .map_or(Decimal::ZERO, |t| t.amount),
    )
}

pub(super) fn funnel(report: &FunnelReport, lang: Lang) -> Sheet {
    let currencies = currencies(
        report
            .stages
            .iter()
            .flat_map(|s| s.totals.iter().map(|t| t.currency.as_str())),
    );
    let mut headers = headers(
        lang,
        &[
            ("阶段", "Stage"),
            ("类型", "Kind"),
            ("赢率 %", "Probability %"),
            ("数量", "Count"),
        ],
    );
    for currency in &currencies {
        headers.push(in_currency(lang, ("金额", "Amount"), currency));
        headers.push(in_currency(lang, ("加权金额", "Weighted"), currency));
    }
    headers.extend(self::headers(
        lang,
        &[
            ("期间进入", "Entered"),
            ("已推进", "Advanced"),
            ("转化率 %", "Conversion %"),
            ("期间离开", "Left"),
            ("平均停留天数", "Average days"),
        ],
    ));
    let rows = report
        .stages
        .iter()
        .map(|stage| {
            let kind = match stage.kind {
                StageKind::Open => pick(lang, "进行中", "Open"),
                StageKind::Won => pick(lang, "赢单", "Won"),
                StageKind::Lost => pick(lang, "输单", "Lost"),
            };
            let mut row = vec![
                stage.name.clone(),
                kind.to_owned(),
                stage.probability.to_string(),
                stage.count.to_string(),
            ];
            for currency in &currencies {
                let total = stage.totals.iter().find(|t| &t.currency == currency);
                row.push(amount(total.map_or(Decimal::ZERO, |t| t.amount)));
                row.push(amount(total.map_or(Decimal::ZERO, |t| t.weighted_amount)));
            }
            row.extend([
                stage.entered.to_string(),
                stage.advanced.map(|a| a.to_string()).unwrap_or_default(),
                optional(stage.conversion_percent),
                stage.left.to_string(),
                optional(stage.average_days),
            ]);
            row
        })
        .collect();
    Sheet {
        name: pick(lang, "销售漏斗", "Sales funnel"),
        ascii: "funnel",
        period: format!("{}-{}", report.from, report.to),
        headers,
        rows,
        figures_from: 2,
    }
}

pub(super) fn win_rate(report: &WinRateReport, lang: Lang) -> Sheet {
    let currencies = currencies(report.total.won_amounts.iter().map(|t| t.currency.as_str()));
    let group = match report.group_by {
        WinRateGrouping::Owner => ("负责人", "Owner"),
        WinRateGrouping::Department => ("部门", "Department"),
        WinRateGrouping::Source => ("来源", "Source"),
        WinRateGrouping::Industry => ("行业", "Industry"),
    };
    let mut headers = headers(
        lang,
        &[
            group,
            ("赢单", "Won"),
            ("输单", "Lost"),
            ("赢率 %", "Win rate %"),
        ],
    );
    for currency in &currencies {
        headers.push(in_currency(lang, ("赢单金额", "Won amount"), currency));
    }
    headers.push(pick(lang, "平均销售周期（天）", "Average cycle (days)").to_owned());
    let row = |name: String, r: &WinRateRow| {
        let mut row = vec![
            name,
            r.won.to_string(),
            r.lost.to_string(),
            optional(r.win_rate_percent),
        ];
        row.extend(currencies.iter().map(|c| amount_in(&r.won_amounts, c)));
        row.push(optional(r.average_cycle_days));
        row
    };
    let name = |r: &WinRateRow| match (report.group_by, &r.key) {
        (WinRateGrouping::Source, Some(key)) => {
            LeadSource::parse(key).map_or_else(|| key.clone(), |s| source(lang, s))
        }
        (WinRateGrouping::Source, None) => pick(lang, "无来源", "No source").to_owned(),
        (WinRateGrouping::Industry, None) => pick(lang, "无行业", "No industry").to_owned(),
        _ => r.name.clone().unwrap_or_default(),
    };
    let mut rows: Vec<_> = report.rows.iter().map(|r| row(name(r), r)).collect();
    rows.push(row(total_label(lang), &report.total));
    Sheet {
        name: pick(lang, "赢率与销售周期", "Win rate"),
        ascii: "win-rate",
        period: format!("{}-{}", report.from, report.to),
        headers,
        rows,
        figures_from: 1,
    }
}

pub(super) fn forecast(report: &ForecastReport, lang: Lang) -> Sheet {
    let c = report.currency.as_str();
    let mut headers = headers(lang, &[("月份", "Month"), ("在途商机", "Open deals")]);
    headers.extend([
        in_currency(lang, ("管道金额", "Pipeline"), c),
        in_currency(lang, ("加权金额", "Weighted"), c),
        pick(lang, "承诺商机", "Commit deals").to_owned(),
        in_currency(lang, ("承诺金额", "Commit"), c),
        pick(lang, "赢单", "Won deals").to_owned(),
        in_currency(lang, ("赢单金额", "Won"), c),
        in_currency(lang, ("目标", "Target"), c),
        pick(lang, "完成率 %", "Reached %").to_owned(),
    ]);
    let row = |label: String, f: &ForecastFigures| {
        let reached = f.target.and_then(|target| percent_of(f.won, target));
        vec![
            label,
            f.open_count.to_string(),
            amount(f.pipeline),
            amount(f.weighted),
            f.commit_count.to_string(),
            amount(f.commit),
            f.won_count.to_string(),
            amount(f.won),
            f.target.map(amount).unwrap_or_default(),
            optional(reached),
        ]
    };
    let mut rows = vec![row(
        pick(lang, "已逾期未成交", "Past due").to_owned(),
        &report.past_due,
    )];
    rows.extend(
        report
            .months
            .iter()
            .map(|m| row(m.month.to_string(), &m.figures)),
    );
    rows.push(row(total_label(lang), &report.total));
    Sheet {
        name: pick(lang, "销售预测", "Forecast"),
        ascii: "forecast",
        period: format!("{}-{}", report.from, report.to),
        headers,
        rows,
        figures_from: 1,
    }
}

pub(super) fn performance(report: &PerformanceReport, lang: Lang) -> Sheet {
    let metric = match report.metric {
        TargetMetric::WonAmount => ("赢单金额", "Won amount"),
        TargetMetric::OrderAmount => ("订单金额", "Order amount"),
        TargetMetric::Collections => ("回款金额", "Collections"),
    };
    let c = report.currency.as_str();
    let mut headers = headers(lang, &[("名称", "Name"), ("排名", "Rank")]);
    headers.extend([
        in_currency(lang, ("目标", "Target"), c),
        in_currency(lang, metric, c),
        pick(lang, "完成率 %", "Reached %").to_owned(),
    ]);
    // Departments below others are indented under them, as the page shows the tree.
    let rows = report
        .rows
        .iter()
        .map(|r| {
            vec![
                format!("{}{}", "  ".repeat(r.depth as usize), r.name),
                r.rank.to_string(),
                r.target.map(amount).unwrap_or_default(),
                amount(r.actual),
                optional(r.completion_percent),
            ]
        })
        .collect();
    Sheet {
        name: pick(lang, "业绩完成情况", "Performance"),
        ascii: "performance",
        period: report.period.to_string(),
        headers,
        rows,
        figures_from: 1,
    }
}

pub(super) fn collections(report: &CollectionsReport, lang: Lang) -> Sheet {
    let c = report.currency.as_str();
    let mut headers = headers(lang, &[("月份", "Month")]);
    headers.extend([
        in_currency(lang, ("到期应收", "Due"), c),
        in_currency(lang, ("已回款", "Collected"), c),
        pick(lang, "回款率 %", "Collection rate %").to_owned(),
        in_currency(lang, ("未回款", "Outstanding"), c),
        in_currency(lang, ("当月实收", "Received"), c),
    ]);
    let row = |label: String, f: &CollectionFigures| {
        vec![
            label,
            amount(f.due),
            amount(f.collected),
            optional(f.collection_percent),
            amount(f.due - f.collected),
            amount(f.received),
        ]
    };
    let mut rows: Vec<_> = report
        .months
        .iter()
        .map(|m| row(m.month.to_string(), &m.figures))
        .collect();
    rows.push(row(total_label(lang), &report.total));
    rows.push(vec![
        pick(lang, "应收账款周转天数 (DSO)", "Days sales outstanding").to_owned(),
        optional(report.dso.dso_days),
    ]);
    Sheet {
        name: pick(lang, "回款分析", "Collections"),
        ascii: "collections",
        period: format!("{}-{}", report.from, report.to),
        headers,
        rows,
        figures_from: 1,
    }
}

pub(super) fn orders(report: &OrdersReport, lang: Lang) -> Sheet {
    let (group, by_product) = match report.group_by {
        OrderGrouping::Month => (("月份", "Month"), false),
        OrderGrouping::Product => (("产品", "Product"), true),
        OrderGrouping::Customer => (("客户", "Customer"), false),
    };
    let mut headers = headers(lang, &[group, ("订单数", "Orders")]);
    if by_product {
        headers.push(pick(lang, "数量", "Quantity").to_owned());
    }
    headers.push(in_currency(lang, ("金额", "Amount"), &report.currency));
    let row = |name: String, r: &OrdersRow| {
        let mut row = vec![name, r.orders.to_string()];
        if by_product {
            row.push(optional(r.quantity));
        }
        row.push(amount(r.amount));
        row
    };
    let name = |r: &OrdersRow| match (&r.name, &r.key) {
        (Some(name), _) => name.clone(),
        (None, Some(key)) => key.clone(),
        (None, None) => pick(lang, "非目录产品", "Not in the catalogue").to_owned(),
    };
    let mut rows: Vec<_> = report.rows.iter().map(|r| row(name(r), r)).collect();
    rows.push(row(total_label(lang), &report.total));
    let delivery = &report.delivery;
    rows.push(vec![
        pick(
            lang,
            "期间发货行（有交期）",
            "Lines shipped (with a promised date)",
        )
        .to_owned(),
        delivery.shipped_lines.to_string(),
    ]);
    rows.push(vec![
        pick(lang, "准时发货行", "Shipped on time").to_owned(),
        delivery.on_time.to_string(),
    ]);
    rows.push(vec![
        pick(lang, "准时交付率 %", "On-time delivery %").to_owned(),
        optional(delivery.on_time_percent),
    ]);
    Sheet {
        name: pick(lang, "订单与交付", "Orders and delivery"),
        ascii: "orders",
        period: format!("{}-{}", report.from, report.to),
        headers,
        rows,
        figures_from: 1,
    }
}

/// The largest customers, then (each under its own header row) the ABC classes, new against
/// repeat customers, and the dormant customers: the tables of the page, one after another.
pub(super) fn customer_value(report: &CustomerValueReport, lang: Lang) -> Sheet {
    let c = report.currency.as_str();
    let mut headers = headers(
        lang,
        &[("排名", "Rank"), ("客户", "Customer"), ("订单数", "Orders")],
    );
    headers.extend([
        in_currency(lang, ("金额", "Revenue"), c),
        pick(lang, "占比 %", "Share %").to_owned(),
        pick(lang, "累计占比 %", "Cumulative %").to_owned(),
        pick(lang, "类别", "Class").to_owned(),
    ]);
    let class = |class: ValueClass| match class {
        ValueClass::A => "A",
        ValueClass::B => "B",
        ValueClass::C => "C",
    };
    let mut rows: Vec<Vec<String>> = report
        .top
        .iter()
        .map(|r| {
            vec![
                r.rank.to_string(),
                r.name.clone(),
                r.orders.to_string(),
                amount(r.revenue),
                optional(r.revenue_percent),
                optional(r.cumulative_percent),
                class(r.class).to_owned(),
            ]
        })
        .collect();
    rows.push(vec![
        String::new(),
        total_label(lang),
        report.customers.to_string(),
        amount(report.revenue),
    ]);
    rows.push(Vec::new());
    rows.push(vec![
        pick(lang, "类别", "Class").to_owned(),
        pick(lang, "客户数", "Customers").to_owned(),
        in_currency(lang, ("金额", "Revenue"), c),
        pick(lang, "金额占比 %", "Revenue share %").to_owned(),
        pick(lang, "客户占比 %", "Customer share %").to_owned(),
    ]);
    rows.extend(report.classes.iter().map(|f| {
        vec![
            class(f.class).to_owned(),
            f.customers.to_string(),
            amount(f.revenue),
            optional(f.revenue_percent),
            optional(f.customers_percent),
        ]
    }));
    rows.push(Vec::new());
    rows.push(vec![
        pick(lang, "新老客户", "New or repeat").to_owned(),
        pick(lang, "客户数", "Customers").to_owned(),
        in_currency(lang, ("金额", "Revenue"), c),
        pick(lang, "金额占比 %", "Revenue share %").to_owned(),
    ]);
    for (label, cohort) in [
        (pick(lang, "新客户", "New"), &report.new_customers),
        (pick(lang, "老客户", "Repeat"), &report.repeat_customers),
    ] {
        rows.push(vec![
            label.to_owned(),
            cohort.customers.to_string(),
            amount(cohort.revenue),
            optional(cohort.revenue_percent),
        ]);
    }
    rows.push(Vec::new());
    let dormant = &report.dormant;
    rows.push(vec![
        match lang {
            Lang::ZhCn => format!(
                "沉睡客户（{} 天未下单，共 {} 个）",
                dormant.dormant_days, dormant.count
            ),
            Lang::En => format!(
                "Dormant customers ({} days, {} in all)",
                dormant.dormant_days, dormant.count
            ),
        },
        pick(lang, "负责人", "Owner").to_owned(),
        pick(lang, "最后下单日", "Last order").to_owned(),
        pick(lang, "未下单天数", "Days since").to_owned(),
        in_currency(lang, ("累计金额", "Ordered in all"), c),
    ]);
    rows.extend(dormant.customers.iter().map(|d| {
        vec![
            d.name.clone(),
            d.owner_name.clone().unwrap_or_default(),
            d.last_order_date.to_string(),
            d.days_since.to_string(),
            amount(d.lifetime_revenue),
        ]
    }));
    Sheet {
        name: pick(lang, "客户价值分析", "Customer value"),
        ascii: "customer-value",
        period: format!("{}-{}", report.from, report.to),
        headers,
        rows,
        figures_from: 1,
    }
}

pub(super) fn lead_sources(report: &LeadSourcesReport, lang: Lang) -> Sheet {
    let currencies = currencies(report.total.won_amounts.iter().map(|t| t.currency.as_str()));
    let mut headers = headers(
        lang,
        &[
            ("来源", "Source"),
            ("线索", "Leads"),
            ("已认定", "Qualified"),
            ("已转客户", "Converted"),
            ("赢单线索", "Won leads"),
            ("赢单商机", "Won deals"),
        ],
    );
    for currency in &currencies {
        headers.push(in_currency(lang, ("赢单金额", "Won amount"), currency));
    }
    headers.extend(self::headers(
        lang,
        &[
            ("认定率 %", "Qualified %"),
            ("转化率 %", "Converted %"),
            ("认定后赢单率 %", "Qualified to won %"),
            ("赢单率 %", "Won %"),
        ],
    ));
    let row = |name: String, f: &LeadSourceFigures| {
        let mut row = vec![
            name,
            f.leads.to_string(),
            f.qualified.to_string(),
            f.converted.to_string(),
            f.won_leads.to_string(),
            f.won_opportunities.to_string(),
        ];
        row.extend(currencies.iter().map(|c| amount_in(&f.won_amounts, c)));
        row.extend([
            optional(f.qualified_percent),
            optional(f.converted_percent),
            optional(f.qualified_won_percent),
            optional(f.won_percent),
        ]);
        row
    };
    let mut rows: Vec<_> = report
        .rows
        .iter()
        .map(|r| row(source(lang, r.source), &r.figures))
        .collect();
    rows.push(row(total_label(lang), &report.total));
    Sheet {
        name: pick(lang, "线索来源分析", "Lead sources"),
        ascii: "lead-sources",
        period: format!("{}-{}", report.from, report.to),
        headers,
        rows,
        figures_from: 1,
    }
}

fn activity_kind(lang: Lang, kind: ActivityKind) -> &'static str {
    match kind {
        ActivityKind::Call => pick(lang, "电话", "Call"),
        ActivityKind::Visit => pick(lang, "拜访", "Visit"),
        ActivityKind::Email => pick(lang, "邮件", "Email"),
        ActivityKind::Meeting => pick(lang, "会议", "Meeting"),
        ActivityKind::Wechat => pick(lang, "微信", "WeChat"),
        ActivityKind::Other => pick(lang, "其他", "Other"),
    }
}

/// One row per rep with a column per week and their total, the weeks' totals; then the idle
/// customers under their own header row.
pub(super) fn activity(report: &ActivityReport, lang: Lang) -> Sheet {
    let mut headers = vec![pick(lang, "负责人", "Rep").to_owned()];
    headers.extend(report.weeks.iter().map(|w| w.week.clone()));
    headers.push(total_label(lang));
    headers.extend(
        report
            .kinds
            .iter()
            .map(|k| activity_kind(lang, k.kind).to_owned()),
    );
    let mut rows: Vec<Vec<String>> = report
        .reps
        .iter()
        .map(|rep| {
            let mut row = vec![rep.name.clone()];
            row.extend(rep.weeks.iter().map(u64::to_string));
            row.push(rep.total.to_string());
            row.extend(report.kinds.iter().map(|k| {
                rep.kinds
                    .iter()
                    .find(|c| c.kind == k.kind)
                    .map_or(0, |c| c.count)
                    .to_string()
            }));
            row
        })
        .collect();
    let mut total = vec![total_label(lang)];
    total.extend(report.weeks.iter().map(|w| w.count.to_string()));
    total.push(report.total.to_string());
    total.extend(report.kinds.iter().map(|k| k.count.to_string()));
    rows.push(total);
    rows.push(Vec::new());
    let idle = &report.idle;
    rows.push(vec![
        match lang {
            Lang::ZhCn => format!(
                "超过 {} 天未跟进的客户（共 {} 个）",
                idle.idle_days, idle.count
            ),
            Lang::En => format!(
                "Customers not followed up for {} days ({} in all)",
                idle.idle_days, idle.count
            ),
        },
        pick(lang, "负责人", "Owner").to_owned(),
        pick(lang, "最近跟进", "Last follow-up").to_owned(),
        pick(lang, "未跟进天数", "Days idle").to_owned(),
    ]);
    rows.extend(idle.customers.iter().map(|c| {
        vec![
            c.name.clone(),
            c.owner_name.clone(),
            c.last_activity_at
                .map(time)
                .unwrap_or_else(|| pick(lang, "从未跟进", "Never").to_owned()),
            c.idle_days.to_string(),
        ]
    }));
    Sheet {
        name: pick(lang, "跟进分析", "Activity"),
        ascii: "activity",
        period: format!("{}-{}", report.from, report.to),
        headers,
        rows,
        figures_from: 1,
    }
}
