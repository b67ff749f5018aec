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

/// A notification just written, with whom it is for (to mail it as well).
#[derive(Debug, Clone, PartialEq)]
pub struct Fresh {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub notification: NotificationResponse,
}

/// Writes the notice unless the user already has it for the day; returns it when it is new.
pub(crate) async fn notify(
    db: &impl ConnectionTrait,
    notice: Notice,
) -> Result<Option<Fresh>, Error> {
    let params = serde_json::to_string(&notice.params).map_err(|e| Error::Storage(Box::new(e)))?;
    let model = notification::Model {
        id: new_id(),
        tenant_id: notice.tenant_id,
        user_id: notice.user_id,
        kind: notice.kind.as_str().to_owned(),
        subject_id: notice.subject_id,
        params,
        dedupe_key: format!(
            "{}:{}:{}",
            notice.kind.as_str(),
            notice.subject_id,
            notice.day
        ),
        created_at: now(),
        read_at: None,
    };
    let row = notification::ActiveModel {
        id: Set(model.id),
        tenant_id: Set(model.tenant_id),
        user_id: Set(model.user_id),
        kind: Set(model.kind.clone()),
        subject_id: Set(model.subject_id),
        params: Set(model.params.clone()),
        dedupe_key: Set(model.dedupe_key.clone()),
        created_at: Set(model.created_at),
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
    if inserted == 0 {
        return Ok(None);
    }
    Ok(Some(Fresh {
        tenant_id: model.tenant_id,
        user_id: model.user_id,
        notification: response(model)?,
    }))
}

/// The name and email of each user a notification is for.
pub async fn recipients(
    db: &impl ConnectionTrait,
    fresh: &[Fresh],
) -> Result<std::collections::HashMap<Uuid, (String, String)>, Error> {
    use crate::entities::user;
    use sea_orm::QuerySelect;
    let ids: Vec<Uuid> = fresh.iter().map(|f| f.user_id).collect();
    let mut found = std::collections::HashMap::new();
    for chunk in ids.chunks(crate::NAMES_PER_QUERY) {
        let rows: Vec<(Uuid, String, String)> = user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .column(user::Column::Name)
            .column(user::Column::Email)
            .filter(user::Column::Id.is_in(chunk.to_vec()))
            .filter(user::Column::Active.eq(true))
            .into_tuple()
            .all(db)
            .await
            .map_err(storage)?;
        found.extend(
            rows.into_iter()
                .map(|(id, name, email)| (id, (name, email))),
        );
    }
    Ok(found)
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
        subject_id: m.subject_id,
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
