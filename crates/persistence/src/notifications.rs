//! A user's own notifications: listed newest first, counted, marked read. Nobody reads
//! another's.

use crm_api_types::notifications::{NotificationKind, NotificationResponse};
use crm_domain::{Caller, Error, new_id, now};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    Select,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::cursor::Cursor;
use crate::entities::notification;
use crate::error::storage;
use crate::keyset::{self, KeyKind, Keyset};

/// What a notification shows besides its kind, kept as JSON on the row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Params {
    pub order_count: u32,
    #[serde(default)]
    pub amount: Option<rust_decimal::Decimal>,
    pub days_overdue: u32,
    #[serde(default)]
    pub as_manager: bool,
}

/// A notification to write, once per user, kind, subject and day. The subject is what the
/// notice is about: the user themselves for a daily summary.
pub(crate) struct Notice {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub kind: NotificationKind,
    pub subject_id: Uuid,
    pub day: chrono::NaiveDate,
    pub params: Params,
}

/// Writes the notice unless the user already has it for the day; returns whether it was new.
pub(crate) async fn notify(db: &impl ConnectionTrait, notice: Notice) -> Result<bool, Error> {
    let params =
        serde_json::to_string(&notice.params).map_err(|e| Error::Storage(Box::new(e)))?;
    let row = notification::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(notice.tenant_id),
        user_id: Set(notice.user_id),
        kind: Set(notice.kind.as_str().to_owned()),
        subject_id: Set(notice.subject_id),
        params: Set(params),
        dedupe_key: Set(format!(
            "{}:{}:{}",
            notice.kind.as_str(),
            notice.subject_id,
            notice.day
        )),
        created_at: Set(now()),
        read_at: Set(None),
    };
    let inserted = notification::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                notification::Column::TenantId,
                notification::Column::UserId,
                notification::Column::DedupeKey,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map_err(storage)?;
    Ok(inserted > 0)
}

fn own(caller: &Caller) -> Select<notification::Entity> {
    notification::Entity::find()
        .filter(notification::Column::TenantId.eq(caller.tenant_id))
        .filter(notification::Column::UserId.eq(caller.user_id))
}

fn response(m: notification::Model) -> Result<NotificationResponse, Error> {
    let corrupt = || Error::Storage(format!("notification {} is unreadable", m.id).into());
    let params: Params = serde_json::from_str(&m.params).map_err(|_| corrupt())?;
    Ok(NotificationResponse {
        kind: NotificationKind::parse(&m.kind).ok_or_else(corrupt)?,
        id: m.id,
        order_count: params.order_count,
        amount: params.amount,
        days_overdue: params.days_overdue,
        as_manager: params.as_manager,
        created_at: m.created_at,
        read_at: m.read_at,
    })
}

pub struct NotificationPage {
    pub items: Vec<NotificationResponse>,
    pub next: Option<Cursor>,
}

/// The caller's notifications, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    unread: bool,
    limit: u64,
    cursor: Option<&Cursor>,
) -> Result<NotificationPage, Error> {
    let mut query = own(caller);
    if unread {
        query = query.filter(notification::Column::ReadAt.is_null());
    }
    let keys = Keyset {
        column: notification::Column::CreatedAt,
        kind: KeyKind::Time,
        id: notification::Column::Id,
        descending: true,
    };
    let (models, next) = keyset::page(db, query, keys, limit, cursor, |m| Cursor {
        value: m.created_at.to_rfc3339(),
        id: m.id,
    })
    .await?;
    Ok(NotificationPage {
        items: models.into_iter().map(response).collect::<Result<_, _>>()?,
        next,
    })
}

pub async fn unread_count(db: &impl ConnectionTrait, caller: &Caller) -> Result<u64, Error> {
    own(caller)
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await
        .map_err(storage)
}

/// Marks one of the caller's notifications read (again: no change).
pub async fn mark_read(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<NotificationResponse, Error> {
    let model = own(caller)
        .filter(notification::Column::Id.eq(id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    if model.read_at.is_some() {
        return response(model);
    }
    let read_at = now();
    notification::Entity::update_many()
        .set(notification::ActiveModel {
            read_at: Set(Some(read_at)),
            ..Default::default()
        })
        .filter(notification::Column::Id.eq(id))
        .exec(db)
        .await
        .map_err(storage)?;
    response(notification::Model {
        read_at: Some(read_at),
        ..model
    })
}

/// Marks all of the caller's notifications read; returns how many were unread.
pub async fn mark_all_read(db: &impl ConnectionTrait, caller: &Caller) -> Result<u64, Error> {
    let result = notification::Entity::update_many()
        .set(notification::ActiveModel {
            read_at: Set(Some(now())),
            ..Default::default()
        })
        .filter(notification::Column::TenantId.eq(caller.tenant_id))
        .filter(notification::Column::UserId.eq(caller.user_id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await
        .map_err(storage)?;
    Ok(result.rows_affected)
}
