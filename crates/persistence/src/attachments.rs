//! Attachments: the bytes on disk under the store's root (`<tenant>/<id>`), the row in the
//! database. A file is written (to a temporary name, synced, renamed) before its row commits,
//! so a row never points at nothing; a file whose row failed is removed again.
//!
//! Who may read an attachment is who may read its record: every read goes through the
//! record's own visibility (customer, opportunity, quote, contract or order).

use std::path::{Path, PathBuf};

use crm_api_types::attachments::{AttachmentResponse, AttachmentSubject};
use crm_domain::attachment::Upload;
use crm_domain::{Caller, Error, new_id, now};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::entities::attachment;
use crate::error::storage;

/// Where attachment bytes live: a directory the server owns (by default
/// `<data_dir>/attachments`).
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

fn io(e: std::io::Error) -> Error {
    Error::Storage(Box::new(e))
}

impl FileStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }

    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), Error> {
        let path = self.path(key);
        tokio::task::spawn_blocking(move || write_synced(&path, &bytes))
            .await
            .map_err(|e| Error::Storage(Box::new(e)))?
            .map_err(io)
    }

    async fn get(&self, key: &str) -> Result<Vec<u8>, Error> {
        let path = self.path(key);
        tokio::task::spawn_blocking(move || std::fs::read(path))
            .await
            .map_err(|e| Error::Storage(Box::new(e)))?
            .map_err(io)
    }

    async fn remove(&self, key: &str) {
        let path = self.path(key);
        let _ = tokio::task::spawn_blocking(move || std::fs::remove_file(path)).await;
    }
}

/// Writes to `<path>.part`, syncs, renames: a crash leaves the old state or the new file.
fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let partial = path.with_extension("part");
    let mut file = std::fs::File::create(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&partial, path)
}

/// The record is one the caller may read (404 otherwise, like the record itself).
async fn check_subject(
    db: &impl ConnectionTrait,
    caller: &Caller,
    kind: AttachmentSubject,
    id: Uuid,
) -> Result<(), Error> {
    match kind {
        AttachmentSubject::Customer => crate::customers::find(db, caller, id).await.map(drop),
        AttachmentSubject::Opportunity => {
            crate::opportunities::find(db, caller, id).await.map(drop)
        }
        AttachmentSubject::Quote => crate::quotes::find(db, caller, id).await.map(drop),
        AttachmentSubject::Contract => crate::contracts::find(db, caller, id).await.map(drop),
        AttachmentSubject::SalesOrder => crate::sales_orders::find(db, caller, id).await.map(drop),
    }
}

fn subject_of(m: &attachment::Model) -> Result<AttachmentSubject, Error> {
    AttachmentSubject::parse(&m.subject_kind)
        .ok_or_else(|| Error::Storage(format!("attachment {} has an unknown subject", m.id).into()))
}

async fn responses(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    models: Vec<attachment::Model>,
) -> Result<Vec<AttachmentResponse>, Error> {
    let uploaders: Vec<Uuid> = models.iter().map(|m| m.uploaded_by).collect();
    let names = crate::users::names(db, tenant_id, &uploaders).await?;
    models
        .into_iter()
        .map(|m| {
            Ok(AttachmentResponse {
                subject_kind: subject_of(&m)?,
                uploaded_by_name: names.get(&m.uploaded_by).cloned().unwrap_or_default(),
                size: u64::try_from(m.size).unwrap_or_default(),
                id: m.id,
                subject_id: m.subject_id,
                file_name: m.file_name,
                content_type: m.content_type,
                sha256: m.sha256,
                uploaded_by: m.uploaded_by,
                created_at: m.created_at,
            })
        })
        .collect()
}

/// Stores a checked upload on a record the caller may read (the route checks they may also
/// change it).
pub async fn upload(
    db: &crate::Database,
    store: &FileStore,
    caller: &Caller,
    kind: AttachmentSubject,
    subject_id: Uuid,
    upload: Upload,
    bytes: Vec<u8>,
) -> Result<AttachmentResponse, Error> {
    check_subject(db, caller, kind, subject_id).await?;
    let id = new_id();
    let key = format!("{}/{id}", caller.tenant_id);
    let sha256: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    store.put(&key, bytes).await?;
    let row = attachment::ActiveModel {
        id: Set(id),
        tenant_id: Set(caller.tenant_id),
        subject_kind: Set(kind.as_str().to_owned()),
        subject_id: Set(subject_id),
        file_name: Set(upload.file_name.clone()),
        content_type: Set(upload.file_type.content_type.to_owned()),
        size: Set(size),
        sha256: Set(sha256.clone()),
        storage_key: Set(key.clone()),
        uploaded_by: Set(caller.user_id),
        created_at: Set(now()),
        deleted_at: Set(None),
    };
    let written = async {
        use sea_orm::TransactionTrait;
        let txn = db.begin().await.map_err(storage)?;
        let model = sea_orm::ActiveModelTrait::insert(row, &txn)
            .await
            .map_err(storage)?;
        crate::audit::record(
            &txn,
            &crate::audit::Actor::from(caller),
            crm_domain::audit::AuditAction::Created,
            "attachment",
            id,
            crm_domain::audit::diff(
                &serde_json::Value::Null,
                &serde_json::json!({
                    "subject_kind": kind.as_str(),
                    "subject_id": subject_id,
                    "file_name": upload.file_name,
                    "size": size,
                    "sha256": sha256,
                }),
            ),
        )
        .await?;
        txn.commit().await.map_err(storage)?;
        Ok::<_, Error>(model)
    }
    .await;
    match written {
        Ok(model) => Ok(responses(db, caller.tenant_id, vec![model])
            .await?
            .remove(0)),
        Err(e) => {
            store.remove(&key).await;
            Err(e)
        }
    }
}

/// The live attachments of a record the caller may read, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    kind: AttachmentSubject,
    subject_id: Uuid,
) -> Result<Vec<AttachmentResponse>, Error> {
    check_subject(db, caller, kind, subject_id).await?;
    let models = attachment::Entity::find()
        .filter(attachment::Column::TenantId.eq(caller.tenant_id))
        .filter(attachment::Column::SubjectKind.eq(kind.as_str()))
        .filter(attachment::Column::SubjectId.eq(subject_id))
        .filter(attachment::Column::DeletedAt.is_null())
        .order_by_asc(attachment::Column::CreatedAt)
        .order_by_asc(attachment::Column::Id)
        .all(db)
        .await
        .map_err(storage)?;
    responses(db, caller.tenant_id, models).await
}

/// A live attachment whose record the caller may read.
pub async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<AttachmentResponse, Error> {
    let model = live(db, caller, id).await?;
    Ok(responses(db, caller.tenant_id, vec![model])
        .await?
        .remove(0))
}

async fn live(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<attachment::Model, Error> {
    let model = attachment::Entity::find_by_id(id)
        .filter(attachment::Column::TenantId.eq(caller.tenant_id))
        .filter(attachment::Column::DeletedAt.is_null())
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    check_subject(db, caller, subject_of(&model)?, model.subject_id).await?;
    Ok(model)
}

/// The attachment and its bytes.
pub async fn content(
    db: &impl ConnectionTrait,
    store: &FileStore,
    caller: &Caller,
    id: Uuid,
) -> Result<(AttachmentResponse, Vec<u8>), Error> {
    let model = live(db, caller, id).await?;
    let bytes = store.get(&model.storage_key).await?;
    let response = responses(db, caller.tenant_id, vec![model])
        .await?
        .remove(0);
    Ok((response, bytes))
}

/// Removes an attachment from its record (kept, with `deleted_at`, for the audit trail).
pub async fn delete(db: &crate::Database, caller: &Caller, id: Uuid) -> Result<(), Error> {
    use sea_orm::TransactionTrait;
    let txn = db.begin().await.map_err(storage)?;
    let model = live(&txn, caller, id).await?;
    attachment::Entity::update_many()
        .set(attachment::ActiveModel {
            deleted_at: Set(Some(now())),
            ..Default::default()
        })
        .filter(attachment::Column::Id.eq(id))
        .exec(&txn)
        .await
        .map_err(storage)?;
    crate::audit::record(
        &txn,
        &crate::audit::Actor::from(caller),
        crm_domain::audit::AuditAction::Deleted,
        "attachment",
        id,
        crm_domain::audit::diff(
            &serde_json::json!({"file_name": model.file_name, "sha256": model.sha256}),
            &serde_json::Value::Null,
        ),
    )
    .await?;
    txn.commit().await.map_err(storage)
}

/// The kind of record an attachment hangs on, for the route's write-permission check.
pub async fn subject_kind(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<AttachmentSubject, Error> {
    subject_of(&live(db, caller, id).await?)
}
