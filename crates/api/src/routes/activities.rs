//! `/activities` (跟进记录) and `/tasks` (待办).

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, post, web};
use crm_api_types::Page;
use crm_api_types::activities::{
    ActivityListQuery, ActivityResponse, CreateActivityRequest, CreateTaskRequest, TaskListQuery,
    TaskResponse, TaskStatus,
};
use crm_api_types::identity::Permission;
use crm_domain::activity::{ActivityFields, Subject, TaskFields};
use crm_domain::listing::parse_limit;
use crm_domain::{Caller, Violation, now};
use crm_persistence::Cursor;
use crm_persistence::activities::{self, ActivityRow, Timeline};
use crm_persistence::tasks::{self, TaskRow};
use uuid::Uuid;

use super::with_etag;
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(list)
        .service(create)
        .service(remove)
        .service(list_tasks)
        .service(create_task)
        .service(complete_task);
}

fn response(row: ActivityRow) -> ActivityResponse {
    ActivityResponse {
        id: row.id,
        kind: row.kind,
        occurred_at: row.occurred_at,
        subject: row.subject_line,
        notes: row.notes,
        outcome: row.outcome,
        lead_id: row.lead_id,
        customer_id: row.customer_id,
        opportunity_id: row.opportunity_id,
        contact_ids: row.contact_ids,
        next_follow_up_on: row.next_follow_up_on,
        created_by: row.created_by,
        created_by_name: row.created_by_name,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn task_response(row: TaskRow) -> TaskResponse {
    TaskResponse {
        id: row.id,
        subject: row.subject_line,
        due_on: row.due_on,
        status: row.status,
        owner_id: row.owner_id,
        lead_id: row.lead_id,
        customer_id: row.customer_id,
        related_name: row.related_name,
        activity_id: row.activity_id,
        completed_at: row.completed_at,
        version: row.version,
        created_at: row.created_at,
        created_by: row.created_by,
    }
}

/// Reading a timeline needs read access to the record it belongs to; writing one, write access.
fn require_for(caller: &Caller, about: Subject, write: bool) -> Result<(), ApiError> {
    let permission = match (about, write) {
        (Subject::Lead(_), false) => Permission::LeadRead,
        (Subject::Lead(_), true) => Permission::LeadWrite,
        (Subject::Customer(_), false) => Permission::CustomerRead,
        (Subject::Customer(_), true) => Permission::CustomerWrite,
    };
    Ok(caller.require(permission)?)
}

/// The timeline of one lead or customer, newest first. A customer's includes the activities
/// of the leads converted into it.
#[utoipa::path(
    tag = "activities",
    params(ActivityListQuery),
    responses((status = 200, description = "One page of activities", body = Page<ActivityResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/activities")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<ActivityListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let timeline = match (query.lead_id, query.customer_id, query.opportunity_id) {
        (Some(lead), None, None) => Timeline::Lead(lead),
        (None, Some(customer), None) => Timeline::Customer(customer),
        (None, None, Some(opportunity)) => Timeline::Opportunity(opportunity),
        (None, None, None) => return Err(ApiError::field("customer_id", Violation::Required)),
        _ => return Err(ApiError::field("customer_id", Violation::MutuallyExclusive)),
    };
    caller.require(match timeline {
        Timeline::Lead(_) => Permission::LeadRead,
        Timeline::Customer(_) => Permission::CustomerRead,
        Timeline::Opportunity(_) => Permission::OpportunityRead,
    })?;
    let limit = parse_limit(query.limit)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let (rows, next) =
        activities::list(&state.db, &caller, timeline, limit, cursor.as_ref()).await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(response).collect(),
        next_cursor: next.map(|c| c.encode()),
        total: None,
    }))
}

/// Log an activity on a lead, a customer or an opportunity (which puts it on the
/// opportunity's customer too). It restarts the record's follow-up clock, moves a new lead to
/// `working`, and with `next_follow_up_on` leaves a task for the record's owner.
#[utoipa::path(
    tag = "activities",
    request_body = CreateActivityRequest,
    responses((status = 201, description = "Logged", body = ActivityResponse), Problems),
    security(("bearer" = []))
)]
#[post("/activities")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateActivityRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut request = body.0;
    if let Some(opportunity) = request.opportunity_id {
        caller.require(Permission::OpportunityWrite)?;
        let customer =
            crm_persistence::opportunities::customer_of(&state.db, &caller, opportunity).await?;
        if request.customer_id.is_some_and(|given| given != customer) {
            return Err(ApiError::field("customer_id", Violation::NotFound));
        }
        request.customer_id = Some(customer);
    }
    let fields = ActivityFields::parse_new(&request, now())?;
    if fields.opportunity_id.is_none() {
        require_for(&caller, fields.about, true)?;
    }
    let row = activities::create(&state.db, &caller, fields).await?;
    Ok(with_etag(StatusCode::CREATED, row.version, &response(row)))
}

/// Delete an activity: its author may, and so may whoever may delete the record it is about.
#[utoipa::path(
    tag = "activities",
    params(("id" = Uuid, Path, description = "Activity id")),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/activities/{id}")]
async fn remove(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let may_delete_records =
        caller.can(Permission::LeadDelete) && caller.can(Permission::CustomerDelete);
    activities::delete(&state.db, &caller, id.into_inner(), may_delete_records).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's own tasks, soonest due first. `due_to=<local today>&status=open` gives what
/// is due today and overdue.
#[utoipa::path(
    tag = "activities",
    params(TaskListQuery),
    responses((status = 200, description = "One page of tasks", body = Page<TaskResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/tasks")]
async fn list_tasks(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<TaskListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let status = query.status.unwrap_or(TaskStatus::Open);
    let (rows, next) = tasks::list(
        &state.db,
        &caller,
        status,
        query.due_to,
        limit,
        cursor.as_ref(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(task_response).collect(),
        next_cursor: next.map(|c| c.encode()),
        total: None,
    }))
}

/// Set yourself a reminder, optionally about a lead or customer you can see.
#[utoipa::path(
    tag = "activities",
    request_body = CreateTaskRequest,
    responses((status = 201, description = "Created", body = TaskResponse), Problems),
    security(("bearer" = []))
)]
#[post("/tasks")]
async fn create_task(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateTaskRequest>,
) -> Result<HttpResponse, ApiError> {
    let fields = TaskFields::parse_new(&body.0)?;
    if let Some(about) = fields.about {
        require_for(&caller, about, false)?;
    }
    let row = tasks::create(&state.db, &caller, fields).await?;
    Ok(with_etag(
        StatusCode::CREATED,
        row.version,
        &task_response(row),
    ))
}

/// Mark one of your tasks done.
#[utoipa::path(
    tag = "activities",
    params(("id" = Uuid, Path, description = "Task id")),
    responses((status = 200, description = "Done", body = TaskResponse), Problems),
    security(("bearer" = []))
)]
#[post("/tasks/{id}/complete")]
async fn complete_task(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let row = tasks::complete(&state.db, &caller, id.into_inner()).await?;
    Ok(with_etag(StatusCode::OK, row.version, &task_response(row)))
}
