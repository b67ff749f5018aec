//! `/reports/…`: the reports managers read every morning (统计分析). Each reads what the
//! caller's data scope covers and narrows as the lists behind its numbers do, so a number
//! drills down to the list that shows its records with the same filters.

use actix_web::{HttpRequest, HttpResponse, get, web};
use crm_api_types::calendar::{Month, TargetPeriod};
use crm_api_types::identity::Permission;
use crm_api_types::reports::{
    ActivityQuery, ActivityReport, CollectionsQuery, CollectionsReport, CustomerValueQuery,
    CustomerValueReport, ForecastQuery, ForecastReport, FunnelQuery, FunnelReport,
    LeadSourcesQuery, LeadSourcesReport, OrdersQuery, OrdersReport, PerformanceQuery,
    PerformanceReport, WinRateQuery, WinRateReport,
};
use crm_api_types::targets::SubjectKind;
use crm_domain::money::parse_currency;
use crm_domain::report::{Period, dormant_days, idle_days, label, month_range};
use crm_domain::{Caller, FieldErrors, today_in_china};
use crm_persistence::opportunities::OpportunityFilter;
use crm_persistence::reports::{
    ActivitySpec, CollectionsSpec, CustomerValueSpec, ForecastSpec, OrdersSpec, PerformanceSpec,
    RecordNarrowing,
};
use crm_persistence::{departments, product_categories, reports, settings};
use uuid::Uuid;

mod sheets;

use super::Registry;
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(funnel)
        .service(win_rate)
        .service(forecast)
        .service(performance)
        .service(collections)
        .service(orders)
        .service(customer_value)
        .service(lead_sources)
        .service(activity);
}

/// What reports and the opportunity list narrow to besides owner and period: a department
/// (and those below it), the customer's region and industry, a product category (and those
/// below it).
pub struct Narrowing {
    pub department_id: Option<Uuid>,
    pub region: Option<String>,
    pub industry: Option<String>,
    pub product_category_id: Option<Uuid>,
}

impl Narrowing {
    /// The opportunity filter that narrows so (422 on an unknown department or category).
    pub async fn filter(
        self,
        state: &AppState,
        caller: &Caller,
    ) -> Result<OpportunityFilter, ApiError> {
        let shared = record_narrowing(
            state,
            caller,
            None,
            self.department_id,
            self.region.as_deref(),
            self.industry.as_deref(),
        )
        .await?;
        let product_categories = match self.product_category_id {
            Some(id) => Some(product_categories::filter_subtree(&state.db, caller, id).await?),
            None => None,
        };
        Ok(OpportunityFilter {
            department_path: shared.department_path,
            region: shared.region,
            industry: shared.industry,
            product_categories,
            ..OpportunityFilter::default()
        })
    }
}

/// 销售漏斗: per stage of a pipeline, what is in it now (count, amounts, weighted amounts per
/// currency; won and lost: what closed in the period), and how opportunities moved during
/// the period: how many entered the stage, how many of those got further since (the
/// conversion rate), and how long those that left it had spent there. A number drills down
/// to `GET /opportunities?stage_id=…` with the same filters.
#[utoipa::path(
    tag = "reports",
    params(FunnelQuery),
    responses(
        (status = 200, description = "The funnel; with `format`, the file",
            content((FunnelReport = "application/json"), ("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        Problems
    ),
    security(("bearer" = []))
)]
#[get("/reports/funnel")]
async fn funnel(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<FunnelQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityRead)?;
    let query = query.0;
    let format = query.format;
    let period = Period::parse(query.from, query.to, today_in_china())?;
    let narrowing = Narrowing {
        department_id: query.department_id,
        region: query.region,
        industry: query.industry,
        product_category_id: query.product_category_id,
    };
    let filter = OpportunityFilter {
        pipeline_id: query.pipeline_id,
        owner_id: query.owner_id,
        ..narrowing.filter(&state, &caller).await?
    };
    let report = reports::funnel(&state.db, &caller, &filter, period).await?;
    sheets::reply(&req, format, report, sheets::funnel).await
}

/// 赢率与销售周期: the opportunities won or lost during the period per owner (default),
/// department, source or the customer's industry, the most closed first, and over all: how
/// many were won and lost, the win rate, what was won per currency, and the average days from
/// creation to a win. A row drills down to `GET /opportunities?status=won&closed_since=…`
/// with its own filter.
#[utoipa::path(
    tag = "reports",
    params(WinRateQuery),
    responses(
        (status = 200, description = "Win rates; with `format`, the file",
            content((WinRateReport = "application/json"), ("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        Problems
    ),
    security(("bearer" = []))
)]
#[get("/reports/win-rate")]
async fn win_rate(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<WinRateQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityRead)?;
    let query = query.0;
    let format = query.format;
    let period = Period::parse(query.from, query.to, today_in_china())?;
    let narrowing = Narrowing {
        department_id: query.department_id,
        region: query.region,
        industry: query.industry,
        product_category_id: query.product_category_id,
    };
    let filter = OpportunityFilter {
        owner_id: query.owner_id,
        ..narrowing.filter(&state, &caller).await?
    };
    let grouping = query.group_by.unwrap_or_default();
    let report = reports::win_rate(&state.db, &caller, &filter, grouping, period).await?;
    sheets::reply(&req, format, report, sheets::win_rate).await
}

/// The report's currency (`currency`, default CNY).
fn currency(value: Option<&str>) -> Result<String, ApiError> {
    let mut errors = FieldErrors::new();
    let currency = parse_currency(&mut errors, "currency", value);
    Ok(errors.finish(currency)?)
}

/// 销售预测: open opportunities by the month they are expected to close (default: this month
/// and the next two) — count, total, weighted by probability, and "commit" (at or above the
/// tenant's `forecast_commit_probability`) — next to what was won in each month and the
/// won-amount target of the owner, department or team viewed. Open deals expected before
/// the first month are `past_due`. One currency at a time.
#[utoipa::path(
    tag = "reports",
    params(ForecastQuery),
    responses(
        (status = 200, description = "The forecast; with `format`, the file",
            content((ForecastReport = "application/json"), ("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        Problems
    ),
    security(("bearer" = []))
)]
#[get("/reports/forecast")]
async fn forecast(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<ForecastQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityRead)?;
    let query = query.0;
    let format = query.format;
    let from = query.from.unwrap_or_else(|| Month::of(today_in_china()));
    let to = query.to.or_else(|| from.plus(2)).unwrap_or(from);
    let (from, to) = month_range(from, to)?;
    let currency = currency(query.currency.as_deref())?;
    let narrowing = Narrowing {
        department_id: query.department_id,
        region: query.region,
        industry: query.industry,
        product_category_id: query.product_category_id,
    };
    let filter = OpportunityFilter {
        pipeline_id: query.pipeline_id,
        owner_id: query.owner_id,
        ..narrowing.filter(&state, &caller).await?
    };
    let (tenant, _) = settings::load(&state.db, caller.tenant_id).await?;
    let spec = ForecastSpec {
        from,
        to,
        currency,
        commit_probability: tenant.forecast_commit_probability,
    };
    let report = reports::forecast(&state.db, &caller, &filter, spec).await?;
    sheets::reply(&req, format, report, sheets::forecast).await
}

/// 业绩完成情况: won amount, order amount or collections in a month or quarter (default:
/// this month) per user, or per department with the departments below it, against their
/// targets, ranked. Records count by their owner; collections are payments received in the
/// period as allocated to the owner's instalments.
#[utoipa::path(
    tag = "reports",
    params(PerformanceQuery),
    responses(
        (status = 200, description = "Actual against target; with `format`, the file",
            content((PerformanceReport = "application/json"), ("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        Problems
    ),
    security(("bearer" = []))
)]
#[get("/reports/performance")]
async fn performance(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<PerformanceQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityRead)?;
    let query = query.0;
    let format = query.format;
    let currency = currency(query.currency.as_deref())?;
    let department_path = departments::filter_path(&state.db, &caller, query.department_id).await?;
    let spec = PerformanceSpec {
        metric: query.metric.unwrap_or_default(),
        period: query
            .period
            .unwrap_or_else(|| TargetPeriod::Month(Month::of(today_in_china()))),
        by: query.by.unwrap_or(SubjectKind::User),
        currency,
        department_path,
    };
    let report = reports::performance(&state.db, &caller, spec).await?;
    sheets::reply(&req, format, report, sheets::performance).await
}

/// The narrowing of a report over orders or receivables: owner, department (with those
/// below it), the customer's region and industry.
async fn record_narrowing(
    state: &AppState,
    caller: &Caller,
    owner_id: Option<Uuid>,
    department_id: Option<Uuid>,
    region: Option<&str>,
    industry: Option<&str>,
) -> Result<RecordNarrowing, ApiError> {
    let mut errors = FieldErrors::new();
    let region = label(&mut errors, "region", region);
    let industry = label(&mut errors, "industry", industry);
    errors.finish(())?;
    let department_path = departments::filter_path(&state.db, caller, department_id).await?;
    Ok(RecordNarrowing {
        owner_id,
        department_path,
        region,
        industry,
    })
}

/// 回款分析: per month (default: this month and the five before it), the instalments of
/// confirmed orders that fell due and how much of them has been paid (the collection rate),
/// and the payments received as allocated; with the days sales outstanding over the period.
/// Instalments count by their order's owner. The aging table is `GET /receivables/aging`.
#[utoipa::path(
    tag = "reports",
    params(CollectionsQuery),
    responses(
        (status = 200, description = "Collections; with `format`, the file",
            content((CollectionsReport = "application/json"), ("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        Problems
    ),
    security(("bearer" = []))
)]
#[get("/reports/collections")]
async fn collections(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<CollectionsQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ReceivableRead)?;
    let query = query.0;
    let format = query.format;
    let today = today_in_china();
    let to = query.to.unwrap_or_else(|| Month::of(today));
    let from = query.from.or_else(|| to.plus(-5)).unwrap_or(to);
    let (from, to) = month_range(from, to)?;
    let spec = CollectionsSpec {
        from,
        to,
        currency: currency(query.currency.as_deref())?,
        today,
        narrowing: record_narrowing(
            &state,
            &caller,
            query.owner_id,
            query.department_id,
            query.region.as_deref(),
            query.industry.as_deref(),
        )
        .await?,
    };
    let report = reports::collections(&state.db, &caller, spec).await?;
    sheets::reply(&req, format, report, sheets::collections).await
}

/// 订单与交付: orders dated in the period (confirmed or further) by month (default), product
/// or customer, and the on-time delivery rate of the order lines shipped in the period
/// against their promised dates.
#[utoipa::path(
    tag = "reports",
    params(OrdersQuery),
    responses(
        (status = 200, description = "Orders and delivery; with `format`, the file",
            content((OrdersReport = "application/json"), ("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        Problems
    ),
    security(("bearer" = []))
)]
#[get("/reports/orders")]
async fn orders(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<OrdersQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderRead)?;
    let query = query.0;
    let format = query.format;
    let period = Period::parse(query.from, query.to, today_in_china())?;
    let product_categories = match query.product_category_id {
        Some(id) => Some(product_categories::filter_subtree(&state.db, &caller, id).await?),
        None => None,
    };
    let spec = OrdersSpec {
        group_by: query.group_by.unwrap_or_default(),
        period,
        currency: currency(query.currency.as_deref())?,
        narrowing: record_narrowing(
            &state,
            &caller,
            query.owner_id,
            query.department_id,
            query.region.as_deref(),
            query.industry.as_deref(),
        )
        .await?,
        product_categories,
    };
    let report = reports::orders(&state.db, &caller, spec).await?;
    sheets::reply(&req, format, report, sheets::orders).await
}

/// 客户价值分析: over the months asked for (default: this month and the eleven before), the
/// revenue per customer — what they ordered, confirmed or further, less what was cancelled, in
/// one currency — ranked: ABC classes (A up to 80 % of revenue, the customer crossing it
/// included; B up to 95 %; C the rest), the share of the top 20 % of customers and the 20
/// largest; new customers (first order ever in the period) against repeat ones; and the
/// customers whose last order is `dormant_days` old or older, the longest dormant first.
/// Orders count by their owner within the caller's scope, narrowed by owner, department,
/// region and industry. A customer's revenue drills down to `GET /sales-orders?customer_id=…
/// &order_date_from=…&order_date_to=…`.
#[utoipa::path(
    tag = "reports",
    params(CustomerValueQuery),
    responses(
        (status = 200, description = "Customer value; with `format`, the file",
            content((CustomerValueReport = "application/json"), ("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        Problems
    ),
    security(("bearer" = []))
)]
#[get("/reports/customer-value")]
async fn customer_value(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<CustomerValueQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderRead)?;
    let query = query.0;
    let format = query.format;
    let today = today_in_china();
    let to = query.to.unwrap_or_else(|| Month::of(today));
    let from = query.from.or_else(|| to.plus(-11)).unwrap_or(to);
    let (from, to) = month_range(from, to)?;
    let spec = CustomerValueSpec {
        from,
        to,
        currency: currency(query.currency.as_deref())?,
        dormant_days: dormant_days("dormant_days", query.dormant_days)?,
        today,
        narrowing: record_narrowing(
            &state,
            &caller,
            query.owner_id,
            query.department_id,
            query.region.as_deref(),
            query.industry.as_deref(),
        )
        .await?,
    };
    let report = reports::customer_value(&state.db, &caller, spec).await?;
    sheets::reply(&req, format, report, sheets::customer_value).await
}

/// 线索来源分析: the leads created in the period (default: this month so far) per source, the
/// most first, and in total: how many reached qualified, were converted to a customer, and
/// have a won opportunity, the opportunities won from them and their amounts per currency, and
/// the rates between. Leads count by their owner (leads in the pool count nowhere); region and
/// industry are the lead's own. A count drills down to `GET /leads?source=…&created_from=…&
/// created_to=…&pool=false` with the same narrowing.
#[utoipa::path(
    tag = "reports",
    params(LeadSourcesQuery),
    responses(
        (status = 200, description = "Leads by source; with `format`, the file",
            content((LeadSourcesReport = "application/json"), ("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        Problems
    ),
    security(("bearer" = []))
)]
#[get("/reports/lead-sources")]
async fn lead_sources(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<LeadSourcesQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadRead)?;
    let query = query.0;
    let format = query.format;
    let period = Period::parse(query.from, query.to, today_in_china())?;
    let narrowing = record_narrowing(
        &state,
        &caller,
        query.owner_id,
        query.department_id,
        query.region.as_deref(),
        query.industry.as_deref(),
    )
    .await?;
    let report = reports::lead_sources(&state.db, &caller, &narrowing, period).await?;
    sheets::reply(&req, format, report, sheets::lead_sources).await
}

/// 跟进分析: the follow-ups (activities) recorded in the period (default: this month so far) per
/// rep who recorded them and per ISO week (Monday to Sunday, China time; labelled `2026-W50`
/// with the Monday's date), with totals per rep, per week and per kind; and, as of now, the
/// owned customers not followed up for more than `idle_days` (default 30): how many, and the
/// 50 longest idle with their owner and last follow-up. A rep's follow-ups count within the
/// caller's data scope over who recorded them; idle customers over their owners. The idle
/// count drills down to `GET /customers?idle_days=…` with the same owner and department.
#[utoipa::path(
    tag = "reports",
    params(ActivityQuery),
    responses(
        (status = 200, description = "Follow-ups and idle customers; with `format`, the file",
            content((ActivityReport = "application/json"), ("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        Problems
    ),
    security(("bearer" = []))
)]
#[get("/reports/activity")]
async fn activity(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<ActivityQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerRead)?;
    let query = query.0;
    let format = query.format;
    // Both mistakes at once: the period and the idle days are independent.
    let (period, idle_days) = match (
        Period::parse(query.from, query.to, today_in_china()),
        idle_days(query.idle_days),
    ) {
        (Ok(period), Ok(days)) => (period, days),
        (period, days) => {
            let mut errors = FieldErrors::new();
            for found in [period.err(), days.err()].into_iter().flatten() {
                for (field, violation) in found.iter() {
                    errors.add(field, violation);
                }
            }
            return Err(errors.into());
        }
    };
    let spec = ActivitySpec {
        period,
        idle_days,
        now: crm_domain::now(),
        narrowing: record_narrowing(
            &state,
            &caller,
            query.owner_id,
            query.department_id,
            None,
            None,
        )
        .await?,
    };
    let report = reports::activity(&state.db, &caller, spec).await?;
    sheets::reply(&req, format, report, sheets::activity).await
}
