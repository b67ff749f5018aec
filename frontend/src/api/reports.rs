//! `/reports`: the reports managers read every morning (统计分析), one call per report.

use crm_api_types::reports::{
    ActivityQuery, ActivityReport, CollectionsQuery, CollectionsReport, CustomerValueQuery,
    CustomerValueReport, ForecastQuery, ForecastReport, FunnelQuery, FunnelReport,
    LeadSourcesQuery, LeadSourcesReport, OrdersQuery, OrdersReport, PerformanceQuery,
    PerformanceReport, WinRateQuery, WinRateReport,
};

use serde::Serialize;

use super::{Api, ApiError, Call, Download};

impl Api {
    /// A report as a file: `query` is the report's own, with its `format` set.
    pub async fn report_file<Q: Serialize>(
        self,
        path: &str,
        query: &Q,
    ) -> Result<Download, ApiError> {
        self.download(Call::get(path).with_query(query)?).await
    }

    /// 销售漏斗: one pipeline's stages, what is in them now and how deals moved in the period.
    pub async fn funnel(self, query: &FunnelQuery) -> Result<FunnelReport, ApiError> {
        self.json(Call::get("/reports/funnel").with_query(query)?)
            .await
    }

    /// 赢率与销售周期: what was won and lost in the period per group, the win rates, the
    /// amounts won and the average days to a win.
    pub async fn win_rate(self, query: &WinRateQuery) -> Result<WinRateReport, ApiError> {
        self.json(Call::get("/reports/win-rate").with_query(query)?)
            .await
    }

    /// 销售预测: the open pipeline by expected close month, won and target.
    pub async fn forecast(self, query: &ForecastQuery) -> Result<ForecastReport, ApiError> {
        self.json(Call::get("/reports/forecast").with_query(query)?)
            .await
    }

    /// 业绩完成情况: actual against target per person or department, ranked.
    pub async fn performance(
        self,
        query: &PerformanceQuery,
    ) -> Result<PerformanceReport, ApiError> {
        self.json(Call::get("/reports/performance").with_query(query)?)
            .await
    }

    /// 回款分析: due, collected and received per month, and DSO.
    pub async fn collections(
        self,
        query: &CollectionsQuery,
    ) -> Result<CollectionsReport, ApiError> {
        self.json(Call::get("/reports/collections").with_query(query)?)
            .await
    }

    /// 订单与交付: orders by month, product or customer, and on-time delivery.
    pub async fn order_report(self, query: &OrdersQuery) -> Result<OrdersReport, ApiError> {
        self.json(Call::get("/reports/orders").with_query(query)?)
            .await
    }

    /// 客户价值分析: revenue per customer in ABC classes, new and repeat customers, dormant
    /// customers.
    pub async fn customer_value(
        self,
        query: &CustomerValueQuery,
    ) -> Result<CustomerValueReport, ApiError> {
        self.json(Call::get("/reports/customer-value").with_query(query)?)
            .await
    }

    /// 线索来源分析: the period's leads per source and how far they got.
    pub async fn lead_sources(
        self,
        query: &LeadSourcesQuery,
    ) -> Result<LeadSourcesReport, ApiError> {
        self.json(Call::get("/reports/lead-sources").with_query(query)?)
            .await
    }

    /// 跟进分析: follow-ups per rep and week, and the customers idle longest.
    pub async fn activity_report(self, query: &ActivityQuery) -> Result<ActivityReport, ApiError> {
        self.json(Call::get("/reports/activity").with_query(query)?)
            .await
    }
}
