//! `Idempotency-Key`s: a POST's key is claimed by inserting a row (the unique index on tenant,
//! principal and key decides who runs when two arrive together, on any number of API nodes),
//! then completed with the response, which later requests with the key get back.

use chrono::{DateTime, Duration, Utc};
use crm_domain::{Error, new_id};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr,
};
use serde_json::Value;
use uuid::Uuid;

use crate::entities::idempotency_key;
use crate::error::storage;

/// How long a key is remembered; an older one is forgotten and may be used afresh.
pub const RETENTION: Duration = Duration::hours(24);

/// A claim still unfinished after this long belongs to a request that died with its server
/// (a live one is released when it fails or is cancelled): it is taken over.
pub const ABANDONED_AFTER: Duration = Duration::minutes(5);

/// Who sent which key with which request.
pub struct KeyedRequest<'a> {
    pub tenant_id: Uuid,
    /// The user (session) or API key that authenticated.
    pub principal: Uuid,
    pub key: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    /// SHA-256 of method, path and body, hex.
    pub request_hash: String,
}

/// A response kept for replay.
#[derive(Debug, Clone)]
pub struct StoredResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What a key already names.
#[derive(Debug)]
pub enum Existing {
    /// The first request with the key is still running.
    InProgress { request_hash: String },
    Done {
        request_hash: String,
        response: StoredResponse,
    },
}

impl Existing {
    pub fn request_hash(&self) -> &str {
        match self {
            Self::InProgress { request_hash } | Self::Done { request_hash, .. } => request_hash,
        }
    }
}

pub enum Claim {
    /// The caller runs the request, then calls [`complete`] or [`release`] with this id.
    Claimed(Uuid),
    Taken(Existing),
}

fn existing(row: idempotency_key::Model) -> Existing {
    match (row.completed_at, row.response_status) {
        (Some(_), Some(status)) => Existing::Done {
            request_hash: row.request_hash,
            response: StoredResponse {
                status: u16::try_from(status).unwrap_or(500),
                headers: match row.response_headers {
                    Some(Value::Object(map)) => map
                        .into_iter()
                        .filter_map(|(k, v)| v.as_str().map(|v| (k, v.to_owned())))
                        .collect(),
                    _ => Vec::new(),
                },
                body: row.response_body.unwrap_or_default(),
            },
        },
        _ => Existing::InProgress {
            request_hash: row.request_hash,
        },
    }
}

async fn find_row(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    principal: Uuid,
    key: &str,
) -> Result<Option<idempotency_key::Model>, Error> {
    idempotency_key::Entity::find()
        .filter(idempotency_key::Column::TenantId.eq(tenant_id))
        .filter(idempotency_key::Column::Principal.eq(principal))
        .filter(idempotency_key::Column::IdempotencyKey.eq(key))
        .one(db)
        .await
        .map_err(storage)
}

/// Claims the key for this request, or says what it already names. A row past
/// [`RETENTION`], or an unfinished one past [`ABANDONED_AFTER`], is dropped and claimed anew.
pub async fn claim(
    db: &impl ConnectionTrait,
    request: &KeyedRequest<'_>,
    at: DateTime<Utc>,
) -> Result<Claim, Error> {
    // Two rounds: the second follows a stale row's removal (or a row finished and purged
    // between the insert and the read).
    for _ in 0..2 {
        let id = new_id();
        let row = idempotency_key::ActiveModel {
            id: Set(id),
            tenant_id: Set(request.tenant_id),
            principal: Set(request.principal),
            idempotency_key: Set(request.key.to_owned()),
            method: Set(request.method.to_owned()),
            path: Set(request.path.to_owned()),
            request_hash: Set(request.request_hash.clone()),
            response_status: Set(None),
            response_headers: Set(None),
            response_body: Set(None),
            created_at: Set(at),
            completed_at: Set(None),
        };
        let inserted = idempotency_key::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([
                    idempotency_key::Column::TenantId,
                    idempotency_key::Column::Principal,
                    idempotency_key::Column::IdempotencyKey,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(db)
            .await
            .map_err(storage)?;
        if inserted == 1 {
            return Ok(Claim::Claimed(id));
        }
        let Some(row) = find_row(db, request.tenant_id, request.principal, request.key).await?
        else {
            continue;
        };
        let stale = row.created_at <= at - RETENTION
            || (row.completed_at.is_none() && row.created_at <= at - ABANDONED_AFTER);
        if !stale {
            return Ok(Claim::Taken(existing(row)));
        }
        idempotency_key::Entity::delete_by_id(row.id)
            .exec(db)
            .await
            .map_err(storage)?;
    }
    Err(Error::Conflict {
        code: "idempotency_key_in_use",
        field: Some("Idempotency-Key"),
    })
}

/// What the key names now (`None` once it is released or forgotten).
pub async fn find(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    principal: Uuid,
    key: &str,
) -> Result<Option<Existing>, Error> {
    Ok(find_row(db, tenant_id, principal, key).await?.map(existing))
}

/// Keeps the response for the claim `id`.
pub async fn complete(
    db: &impl ConnectionTrait,
    id: Uuid,
    response: &StoredResponse,
    at: DateTime<Utc>,
) -> Result<(), Error> {
    let headers: serde_json::Map<String, Value> = response
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    idempotency_key::Entity::update_many()
        .col_expr(
            idempotency_key::Column::ResponseStatus,
            Expr::value(i32::from(response.status)),
        )
        .col_expr(
            idempotency_key::Column::ResponseHeaders,
            Expr::value(Value::Object(headers)),
        )
        .col_expr(
            idempotency_key::Column::ResponseBody,
            Expr::value(response.body.clone()),
        )
        .col_expr(idempotency_key::Column::CompletedAt, Expr::value(at))
        .filter(idempotency_key::Column::Id.eq(id))
        .exec(db)
        .await
        .map_err(storage)?;
    Ok(())
}

/// Gives the key up (the request failed on our side, or was cancelled), so a retry runs.
pub async fn release(db: &impl ConnectionTrait, id: Uuid) -> Result<(), Error> {
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::Id.eq(id))
        .filter(idempotency_key::Column::CompletedAt.is_null())
        .exec(db)
        .await
        .map_err(storage)?;
    Ok(())
}

/// Forgets keys older than [`RETENTION`]; returns how many.
pub async fn purge(db: &impl ConnectionTrait, at: DateTime<Utc>) -> Result<u64, Error> {
    let deleted = idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::CreatedAt.lte(at - RETENTION))
        .exec(db)
        .await
        .map_err(storage)?;
    Ok(deleted.rows_affected)
}
