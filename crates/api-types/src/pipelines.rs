//! Sales pipelines (销售流程): ordered stages with a default win probability.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What reaching a stage means for the opportunity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    Open,
    /// 赢单: closes the opportunity as won (probability 100).
    Won,
    /// 输单: closes it as lost (probability 0); a lost reason is required.
    Lost,
}

crate::keyed!(StageKind {
    Open => "open",
    Won => "won",
    Lost => "lost",
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageResponse {
    pub id: Uuid,
    pub name: String,
    pub kind: StageKind,
    /// Default win probability in percent, 0–100.
    pub probability: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PipelineResponse {
    pub id: Uuid,
    pub name: String,
    /// New opportunities go here unless they name another pipeline.
    pub is_default: bool,
    /// In order: open stages first, then the won and lost stages.
    pub stages: Vec<StageResponse>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StageRequest {
    /// An existing stage keeps its id (and its opportunities); leave out for a new stage.
    #[serde(default)]
    pub id: Option<Uuid>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 30))]
    pub name: String,
    /// Defaults to `open`.
    #[serde(default)]
    pub kind: Option<StageKind>,
    /// 0–100; won stages are 100 and lost ones 0 whatever is sent.
    pub probability: u8,
}

/// Creates a pipeline or replaces one whole (`PUT`). Stages are in order; there must be at
/// least one open, one won and one lost stage. A stage that still holds opportunities
/// cannot be dropped (`409 stage_in_use`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "name": "项目型销售", "stages": [
        {"name": "初步接洽", "probability": 10}, {"name": "立项", "probability": 20},
        {"name": "招投标", "probability": 50}, {"name": "商务谈判", "probability": 75},
        {"name": "赢单", "kind": "won", "probability": 100}, {"name": "输单", "kind": "lost", "probability": 0}
    ]
})))]
#[serde(deny_unknown_fields)]
pub struct PipelineRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 50))]
    pub name: String,
    /// Making one pipeline the default takes it from the previous one.
    #[serde(default)]
    pub is_default: Option<bool>,
    /// 3–20 stages.
    pub stages: Vec<StageRequest>,
}
