//! `/reports`: the reports managers read every morning (统计分析), one call per report.

use crm_api_types::reports::{FunnelQuery, FunnelReport};

use super::{Api, ApiError, Call};

impl Api {
    /// 销售漏斗: one pipeline's stages, what is in them now and how deals moved in the period.
    pub async fn funnel(self, query: &FunnelQuery) -> Result<FunnelReport, ApiError> {
        self.json(Call::get("/reports/funnel").with_query(query)?)
            .await
    }
}
