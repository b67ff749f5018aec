//! Login sessions: one per refresh-token chain. Refresh tokens rotate on use; presenting a
//! token that was already rotated away ends every session of that user (it was stolen).

use chrono::{DateTime, Utc};
use crm_domain::{Error, new_id, now};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TransactionTrait,
};
use uuid::Uuid;

use crate::entities::session;
use crate::error::storage;

pub use crate::entities::session::Model as Session;

pub async fn create(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    user_id: Uuid,
    token_hash: String,
    expires_at: DateTime<Utc>,
) -> Result<Session, Error> {
    session::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(tenant_id),
        user_id: Set(user_id),
        token_hash: Set(token_hash),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        created_at: Set(now()),
    }
    .insert(db)
    .await
    .map_err(storage)
}

/// Why a refresh token was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum RefreshRefusal {
    Unknown,
    Expired,
    /// The token was already used or revoked: all the user's sessions are now ended.
    Reused,
}

/// Swaps the session of `old_hash` for a new one holding `new_hash`, in one transaction.
pub async fn rotate(
    db: &crate::Database,
    old_hash: &str,
    new_hash: String,
    expires_at: DateTime<Utc>,
) -> Result<Result<Session, RefreshRefusal>, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let Some(old) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(old_hash))
        .one(&txn)
        .await
        .map_err(storage)?
    else {
        return Ok(Err(RefreshRefusal::Unknown));
    };
    let at = now();
    if old.revoked_at.is_some() {
        revoke_all_for_user(&txn, old.user_id, None).await?;
        txn.commit().await.map_err(storage)?;
        return Ok(Err(RefreshRefusal::Reused));
    }
    if old.expires_at <= at {
        return Ok(Err(RefreshRefusal::Expired));
    }
    // Guarded by `revoked_at IS NULL`: of two concurrent refreshes with one token, one wins.
    let revoked = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(at))
        .filter(session::Column::Id.eq(old.id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(&txn)
        .await
        .map_err(storage)?;
    if revoked.rows_affected == 0 {
        return Ok(Err(RefreshRefusal::Reused));
    }
    let new = create(&txn, old.tenant_id, old.user_id, new_hash, expires_at).await?;
    txn.commit().await.map_err(storage)?;
    Ok(Ok(new))
}

/// Ends the session holding this refresh token, if it is still open.
pub async fn revoke(db: &impl ConnectionTrait, token_hash: &str) -> Result<(), Error> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now()))
        .filter(session::Column::TokenHash.eq(token_hash))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await
        .map(drop)
        .map_err(storage)
}

/// Ends every open session of the user, except `keep` when given.
pub(crate) async fn revoke_all_for_user(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    keep: Option<Uuid>,
) -> Result<(), Error> {
    let mut update = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now()))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        update = update.filter(session::Column::Id.ne(keep));
    }
    update.exec(db).await.map(drop).map_err(storage)
}
