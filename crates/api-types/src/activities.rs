//! Activities (跟进记录) on leads and customers, and the follow-up tasks they leave.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How the follow-up happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// 电话
    Call,
    /// 拜访
    Visit,
    /// 邮件
    Email,
    /// 会议
    Meeting,
    /// 微信
    Wechat,
    /// 其他
    Other,
}

crate::keyed!(ActivityKind {
    Call => "call",
    Visit => "visit",
    Email => "email",
    Meeting => "meeting",
    Wechat => "wechat",
    Other => "other",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityResponse {
    pub id: Uuid,
    pub kind: ActivityKind,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    pub subject: String,
    pub notes: Option<String>,
    /// 结果, e.g. "客户同意下周安排技术交流".
    pub outcome: Option<String>,
    pub lead_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    /// The customer's opportunity it was about, if any.
    pub opportunity_id: Option<Uuid>,
    /// Contacts of the customer who took part.
    pub contact_ids: Vec<Uuid>,
    /// The next follow-up this activity planned; a task for the record's owner carries it.
    pub next_follow_up_on: Option<NaiveDate>,
    pub created_by: Uuid,
    pub created_by_name: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "kind": "visit", "subject": "上门拜访采购部", "outcome": "确认二季度有扩产计划",
    "customer_id": "0193a5a0-0000-7000-8000-000000000001", "next_follow_up_on": "2026-12-01"
})))]
#[serde(deny_unknown_fields)]
pub struct CreateActivityRequest {
    pub kind: ActivityKind,
    /// Defaults to now.
    #[serde(default)]
    pub occurred_at: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub subject: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub notes: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub outcome: Option<String>,
    /// Exactly one of `lead_id` and `customer_id`, unless `opportunity_id` is given.
    #[serde(default)]
    pub lead_id: Option<Uuid>,
    #[serde(default)]
    pub customer_id: Option<Uuid>,
    /// An opportunity the activity was about: the activity then belongs to the
    /// opportunity's customer (`customer_id` may be left out).
    #[serde(default)]
    pub opportunity_id: Option<Uuid>,
    /// Contacts of `customer_id`.
    #[serde(default)]
    pub contact_ids: Vec<Uuid>,
    /// Creates a follow-up task for the record's owner, due that day.
    #[serde(default)]
    pub next_follow_up_on: Option<NaiveDate>,
}

/// Query parameters of `GET /activities`: the timeline of one lead or customer, newest first.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ActivityListQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Exactly one of `lead_id`, `customer_id` and `opportunity_id`. A customer's timeline
    /// includes the activities of the leads converted into it and of its opportunities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opportunity_id: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Open,
    Done,
}

crate::keyed!(TaskStatus {
    Open => "open",
    Done => "done",
});

/// A reminder (待办) for its owner, usually the next follow-up an activity planned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskResponse {
    pub id: Uuid,
    pub subject: String,
    pub due_on: NaiveDate,
    pub status: TaskStatus,
    pub owner_id: Uuid,
    pub lead_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    /// The company of the lead or the customer's name, for showing the task in a list.
    pub related_name: Option<String>,
    /// The activity that planned it.
    pub activity_id: Option<Uuid>,
    pub completed_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub created_by: Uuid,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"subject": "回访报价反馈", "due_on": "2026-12-01"})))]
#[serde(deny_unknown_fields)]
pub struct CreateTaskRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub subject: String,
    pub due_on: NaiveDate,
    /// At most one of `lead_id` and `customer_id`; the task belongs to the caller.
    #[serde(default)]
    pub lead_id: Option<Uuid>,
    #[serde(default)]
    pub customer_id: Option<Uuid>,
}

/// Query parameters of `GET /tasks`: the caller's own tasks, soonest due first.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct TaskListQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Default `open`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TaskStatus>,
    /// Due on or before this date: pass the user's local today for "due today and overdue".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_to: Option<NaiveDate>,
}
