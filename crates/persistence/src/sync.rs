//! Inbound sync: records found by the identity an ERP gives them, new records linked to it
//! in the transaction that creates them, and the last result of every external record kept
//! for the operators (`sync_states`): which record a sync made or changed, or why it was
//! refused.

use crm_api_types::ProblemDetails;
use crm_api_types::sync::{SyncResult as ResultName, SyncStateResponse, SyncedKind as KindName};
use crm_domain::sync::{ExternalRef, SyncResult, SyncedKind};
use crm_domain::{Caller, Error, FieldErrors, new_id, now};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::cursor::Cursor;
use crate::entities::sync_state;
use crate::error::storage;
use crate::keyset::{self, KeyKind, Keyset};

/// What an upsert by external id did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Created,
    Updated,
    /// A recorded document (shipment, invoice, payment) sent again: kept as it is.
    Unchanged,
}

/// A `PUT …/by-external-id` body, read both ways before the transaction knows which applies:
/// as a new record (when no live record has the external id) and as a patch of the fields it
/// names (when one has). Each reading's errors stay until that reading is the one needed.
pub struct Upsert<C, P> {
    pub external: ExternalRef,
    pub create: Result<C, FieldErrors>,
    pub patch: Result<P, FieldErrors>,
}

fn n(name: &str) -> Alias {
    Alias::new(name)
}

/// The table of `kind`, and whether rows there can be soft-deleted (and, for customers,
/// merged): those rows no longer hold their external id.
fn table(kind: SyncedKind) -> (&'static str, &'static [&'static str]) {
    match kind {
        SyncedKind::Customer => ("customers", &["deleted_at", "merged_into"]),
        SyncedKind::Contact => ("contacts", &["deleted_at"]),
        SyncedKind::Product => ("products", &["deleted_at"]),
        SyncedKind::SalesOrder => ("sales_orders", &["deleted_at"]),
        SyncedKind::Shipment => ("shipments", &[]),
        SyncedKind::Invoice => ("invoices", &[]),
        SyncedKind::Payment => ("payments", &[]),
    }
}

/// The live record of `kind` in the tenant that `external` names. Not scoped to the
/// caller's data: the id is unique in the tenant, and the caller's read of the record (or
/// its write) checks scope.
pub(crate) async fn existing(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    kind: SyncedKind,
    external: &ExternalRef,
) -> Result<Option<Uuid>, Error> {
    let (table, gone) = table(kind);
    let mut query = Query::select();
    query
        .column(n("id"))
        .from(n(table))
        .and_where(Expr::col(n("tenant_id")).eq(tenant_id))
        .and_where(Expr::col(n("external_source")).eq(external.source()))
        .and_where(Expr::col(n("external_id")).eq(external.id()));
    for column in gone {
        query.and_where(Expr::col(n(column)).is_null());
    }
    match db.query_one(&query).await.map_err(storage)? {
        Some(row) => Ok(Some(row.try_get::<Uuid>("", "id").map_err(storage)?)),
        None => Ok(None),
    }
}

/// Like [`existing`], for `GET …/by-external-id`: none is a 404.
pub async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    kind: SyncedKind,
    external: &ExternalRef,
) -> Result<Uuid, Error> {
    existing(db, caller.tenant_id, kind, external)
        .await?
        .ok_or(Error::NotFound)
}

/// Gives a record just created its external identity. A concurrent sync that linked the
/// same identity first makes this a `409 external_id_taken` (the retry finds that record).
pub(crate) async fn link(
    txn: &impl ConnectionTrait,
    tenant_id: Uuid,
    kind: SyncedKind,
    id: Uuid,
    external: &ExternalRef,
) -> Result<(), Error> {
    let (table, _) = table(kind);
    let update = Query::update()
        .table(n(table))
        .value(n("external_source"), external.source())
        .value(n("external_id"), external.id())
        .and_where(Expr::col(n("tenant_id")).eq(tenant_id))
        .and_where(Expr::col(n("id")).eq(id))
        .to_owned();
    txn.execute(&update).await.map_err(taken)?;
    Ok(())
}

/// Records, in the write's transaction, that syncing `external` made or changed `record_id`;
/// nothing for a write that came through no external identity.
pub(crate) async fn note(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    kind: SyncedKind,
    external: Option<&ExternalRef>,
    record_id: Uuid,
) -> Result<(), Error> {
    match external {
        Some(external) => succeeded(txn, caller, kind, external, record_id).await,
        None => Ok(()),
    }
}

/// A unique violation on an insert: on the external identity, `external_id_taken`; on
/// anything else, what `other` makes of it.
pub(crate) fn taken_or(err: sea_orm::DbErr, other: impl FnOnce(sea_orm::DbErr) -> Error) -> Error {
    let external = matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(message)) if message.contains("external")
    );
    if external { taken(err) } else { other(err) }
}

/// A unique violation on a table's external identity: a concurrent sync linked it first.
pub(crate) fn taken(err: sea_orm::DbErr) -> Error {
    crate::error::unique_violation(
        err,
        &["_external", ".external_id"],
        "external_id_taken",
        "external_id",
    )
}

/// The external identity columns of a new record, for the insert that creates it.
pub(crate) fn columns(external: Option<&ExternalRef>) -> (Option<String>, Option<String>) {
    (
        external.map(|e| e.source().to_owned()),
        external.map(|e| e.id().to_owned()),
    )
}

/// Records a sync that found its document recorded already and left it as it is.
pub async fn unchanged(
    db: &impl ConnectionTrait,
    caller: &Caller,
    kind: SyncedKind,
    external: &ExternalRef,
    record_id: Uuid,
) -> Result<(), Error> {
    save(db, caller, kind, external, Some(record_id), None).await
}

/// Records that syncing `external` made or changed `record_id`, in the write's transaction.
pub(crate) async fn succeeded(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    kind: SyncedKind,
    external: &ExternalRef,
    record_id: Uuid,
) -> Result<(), Error> {
    save(txn, caller, kind, external, Some(record_id), None).await
}

/// Records that syncing `external` was refused with `problem`, after the write's
/// transaction rolled back; the state names the record when one already has the identity.
pub async fn failed(
    db: &impl ConnectionTrait,
    caller: &Caller,
    kind: SyncedKind,
    external: &ExternalRef,
    problem: &ProblemDetails,
) -> Result<(), Error> {
    let record_id = existing(db, caller.tenant_id, kind, external).await?;
    let problem = serde_json::to_value(problem).map_err(|e| Error::Storage(e.into()))?;
    save(db, caller, kind, external, record_id, Some(problem)).await
}

async fn save(
    db: &impl ConnectionTrait,
    caller: &Caller,
    kind: SyncedKind,
    external: &ExternalRef,
    record_id: Option<Uuid>,
    problem: Option<serde_json::Value>,
) -> Result<(), Error> {
    let result = match problem {
        Some(_) => SyncResult::Failed,
        None => SyncResult::Succeeded,
    };
    let state = sync_state::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(caller.tenant_id),
        kind: Set(kind.as_str().to_owned()),
        external_source: Set(external.source().to_owned()),
        external_id: Set(external.id().to_owned()),
        record_id: Set(record_id),
        result: Set(result.as_str().to_owned()),
        problem: Set(problem),
        synced_by: Set(caller.user_id),
        synced_at: Set(now()),
    };
    let on_conflict = OnConflict::columns([
        sync_state::Column::TenantId,
        sync_state::Column::Kind,
        sync_state::Column::ExternalSource,
        sync_state::Column::ExternalId,
    ])
    .update_columns([
        sync_state::Column::RecordId,
        sync_state::Column::Result,
        sync_state::Column::Problem,
        sync_state::Column::SyncedBy,
        sync_state::Column::SyncedAt,
    ])
    .to_owned();
    sync_state::Entity::insert(state)
        .on_conflict(on_conflict)
        .exec_without_returning(db)
        .await
        .map_err(storage)?;
    Ok(())
}

/// The sync states of one record (one per system that syncs it), newest first. The caller
/// has read the record already, which checked its scope.
pub async fn states_of(
    db: &impl ConnectionTrait,
    caller: &Caller,
    record_id: Uuid,
) -> Result<Vec<SyncStateResponse>, Error> {
    let models = sync_state::Entity::find()
        .filter(sync_state::Column::TenantId.eq(caller.tenant_id))
        .filter(sync_state::Column::RecordId.eq(record_id))
        .order_by_desc(sync_state::Column::SyncedAt)
        .all(db)
        .await
        .map_err(storage)?;
    models.into_iter().map(response).collect()
}

/// Which states a list shows.
#[derive(Debug, Clone, Default)]
pub struct StateFilter {
    pub kind: Option<SyncedKind>,
    pub source: Option<String>,
    pub result: Option<SyncResult>,
}

pub struct StatePage {
    pub items: Vec<SyncStateResponse>,
    pub next: Option<Cursor>,
}

/// The tenant's sync states, most recent first: with `result = failed`, the list of
/// external records whose last sync was refused.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &StateFilter,
    limit: u64,
    cursor: Option<&Cursor>,
) -> Result<StatePage, Error> {
    let mut query =
        sync_state::Entity::find().filter(sync_state::Column::TenantId.eq(caller.tenant_id));
    if let Some(kind) = filter.kind {
        query = query.filter(sync_state::Column::Kind.eq(kind.as_str()));
    }
    if let Some(source) = &filter.source {
        query = query.filter(sync_state::Column::ExternalSource.eq(source.as_str()));
    }
    if let Some(result) = filter.result {
        query = query.filter(sync_state::Column::Result.eq(result.as_str()));
    }
    let keys = Keyset {
        column: sync_state::Column::SyncedAt,
        kind: KeyKind::Time,
        id: sync_state::Column::Id,
        descending: true,
    };
    let (models, next) = keyset::page(db, query, keys, limit, cursor, |m| Cursor {
        value: m.synced_at.to_rfc3339(),
        id: m.id,
    })
    .await?;
    Ok(StatePage {
        items: models.into_iter().map(response).collect::<Result<_, _>>()?,
        next,
    })
}

fn response(model: sync_state::Model) -> Result<SyncStateResponse, Error> {
    let kind = match SyncedKind::parse(&model.kind) {
        Some(SyncedKind::Customer) => KindName::Customer,
        Some(SyncedKind::Contact) => KindName::Contact,
        Some(SyncedKind::Product) => KindName::Product,
        Some(SyncedKind::SalesOrder) => KindName::SalesOrder,
        Some(SyncedKind::Shipment) => KindName::Shipment,
        Some(SyncedKind::Invoice) => KindName::Invoice,
        Some(SyncedKind::Payment) => KindName::Payment,
        None => {
            return Err(Error::Storage(
                format!("unknown sync kind {}", model.kind).into(),
            ));
        }
    };
    let result = match SyncResult::parse(&model.result) {
        Some(SyncResult::Succeeded) => ResultName::Succeeded,
        Some(SyncResult::Failed) => ResultName::Failed,
        None => {
            return Err(Error::Storage(
                format!("unknown sync result {}", model.result).into(),
            ));
        }
    };
    let problem = model
        .problem
        .map(serde_json::from_value::<ProblemDetails>)
        .transpose()
        .map_err(|e| Error::Storage(e.into()))?;
    Ok(SyncStateResponse {
        kind,
        external_source: model.external_source,
        external_id: model.external_id,
        record_id: model.record_id,
        result,
        problem,
        synced_by: model.synced_by,
        synced_at: model.synced_at,
    })
}

/// The external identity a record carries, if any (both columns or neither).
pub(crate) fn external_of(source: &Option<String>, id: &Option<String>) -> Option<ExternalRef> {
    match (source, id) {
        (Some(source), Some(id)) => ExternalRef::parse(source, id).ok(),
        _ => None,
    }
}
