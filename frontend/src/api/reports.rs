//! `/reports`: the reports managers read every morning (统计分析), one call per report.

use crm_api_types::reports::{FunnelQuery, FunnelReport, WinRateQuery, WinRateReport};

use super::{Api, ApiError, Call};

impl Api {
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
}
