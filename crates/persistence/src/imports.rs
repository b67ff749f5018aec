//! Imports: the uploaded rows stored in chunks, previews, and the background run that inserts
//! them batch by batch.
//!
//! An import belongs to its creator: every read filters by tenant and creator, so another
//! user gets 404. A run is one transaction per chunk of rows: the chunk's records, their audit
//! entries, owner history and `*.created` events, its rejected rows and the import's progress commit together, so a
//! row is either in or reported, and a worker that dies resumes at the next chunk. A worker
//! holds a claim token; a batch commits only while the import still carries it.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use crm_api_types::identity::Permission;
use crm_api_types::imports::{ImportKind, ImportOwner, ImportStatus};
use crm_api_types::leads::LeadStatus;
use crm_api_types::ownership::OwnerChangeReason;
use crm_domain::audit::{AuditAction, diff};
use crm_domain::company::name_key;
use crm_domain::customer::ContactFields;
use crm_domain::event::EventType;
use crm_domain::import as rows_domain;
use crm_domain::import::{
    CUSTOMER_DUPLICATE, Draft, FileKeys, Mapping, NOT_PROCESSED, RowContext, RowProblem,
};
use crm_domain::settings::Settings;
use crm_domain::{Caller, Error, FieldErrors, Violation, new_id, now};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbErr,
    EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, SqlErr, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::audit::Actor;
use crate::cursor::Cursor;
use crate::entities::imports::{import, import_chunk};
use crate::entities::{
    audit_entry, contact, customer, department, lead, outbox_event, owner_change, role, user,
};
use crate::error::storage;
use crate::keyset::{self, KeyKind, Keyset};
use crate::ownership::Owned;

/// Rows per stored chunk, and so per batch of a run: one transaction each.
pub const CHUNK_ROWS: usize = 1000;
/// Rows per INSERT statement: 500 × 30 columns stays under SQLite's 32,766 parameters.
const INSERT_ROWS: usize = 500;
/// How many problems an import keeps for display (the rejection file has them all).
pub const SHOWN_PROBLEMS: usize = 50;
/// A running import whose worker has not renewed its claim for this long is taken over.
const STALE_AFTER: Duration = Duration::seconds(60);
/// Claims before an import that keeps failing is given up as `failed`.
const MAX_ATTEMPTS: i32 = 5;
/// Retries of one batch after a unique violation (another user created the same customer
/// meanwhile, or a primary contact appeared).
const MAX_BATCH_RETRIES: usize = 5;

/// One data row of the file: its number in the file (the header is row 1) and its cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRow {
    #[serde(rename = "n")]
    pub row: u64,
    #[serde(rename = "c")]
    pub cells: Vec<String>,
}

/// A file, parsed, about to be stored.
#[derive(Debug, Clone)]
pub struct NewImport {
    pub kind: ImportKind,
    pub file_name: String,
    pub headers: Vec<String>,
    pub rows: Vec<SourceRow>,
}

/// A problem with the row it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberedProblem {
    #[serde(rename = "n")]
    pub row: u64,
    #[serde(flatten)]
    pub problem: RowProblem,
}

/// A rejected row with every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedRow {
    #[serde(rename = "n")]
    pub row: u64,
    #[serde(rename = "p")]
    pub problems: Vec<RowProblem>,
}

/// An import as the API shows it.
#[derive(Debug, Clone)]
pub struct ImportView {
    pub id: Uuid,
    pub kind: ImportKind,
    pub file_name: String,
    pub status: ImportStatus,
    pub headers: Vec<String>,
    pub sample_rows: Vec<Vec<String>>,
    pub mapping: Option<Vec<Option<String>>>,
    pub owner: Option<ImportOwner>,
    pub total_rows: u64,
    /// `(valid, rejected)` of the last preview.
    pub counts: Option<(u64, u64)>,
    pub processed: u64,
    pub inserted: u64,
    pub rejected: u64,
    pub problems: Vec<NumberedProblem>,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

fn corrupt(id: Uuid, what: &str) -> Error {
    Error::Storage(format!("import {id} has an unreadable {what}").into())
}

fn json_of<T: serde::de::DeserializeOwned>(id: Uuid, what: &str, text: &str) -> Result<T, Error> {
    serde_json::from_str(text).map_err(|_| corrupt(id, what))
}

fn text_of(value: &impl Serialize) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| Error::Storage(Box::new(e)))
}

fn view(m: import::Model) -> Result<ImportView, Error> {
    let id = m.id;
    let mapping = match &m.mapping {
        Some(text) => Some(json_of(id, "mapping", text)?),
        None => None,
    };
    Ok(ImportView {
        id,
        kind: ImportKind::parse(&m.kind).ok_or_else(|| corrupt(id, "kind"))?,
        status: ImportStatus::parse(&m.status).ok_or_else(|| corrupt(id, "status"))?,
        headers: json_of(id, "header", &m.headers)?,
        sample_rows: json_of(id, "sample", &m.sample_rows)?,
        mapping,
        owner: m.owner_choice.as_deref().and_then(ImportOwner::parse),
        total_rows: m.total_rows as u64,
        counts: m
            .preview_valid
            .zip(m.preview_rejected)
            .map(|(v, r)| (v as u64, r as u64)),
        processed: m.processed as u64,
        inserted: m.inserted as u64,
        rejected: m.rejected as u64,
        problems: json_of(id, "problem list", &m.problems)?,
        error: m.error,
        file_name: m.file_name,
        created_at: m.created_at,
        updated_at: m.updated_at,
        started_at: m.started_at,
        finished_at: m.finished_at,
    })
}

/// The permission an import of `kind` needs, to create it and when it runs.
pub fn permission(kind: ImportKind) -> Permission {
    match kind {
        ImportKind::Leads => Permission::LeadWrite,
        ImportKind::Customers | ImportKind::Contacts => Permission::CustomerWrite,
    }
}

/// Stores a parsed file: the import and its rows in chunks, in one transaction.
pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    new: NewImport,
) -> Result<ImportView, Error> {
    let at = now();
    let id = new_id();
    let samples: Vec<&Vec<String>> = new.rows.iter().take(5).map(|r| &r.cells).collect();
    let chunks: Vec<&[SourceRow]> = new.rows.chunks(CHUNK_ROWS).collect();
    let model = import::ActiveModel {
        id: Set(id),
        tenant_id: Set(caller.tenant_id),
        created_by: Set(caller.user_id),
        kind: Set(new.kind.as_str().to_owned()),
        file_name: Set(new.file_name),
        status: Set(ImportStatus::Uploaded.as_str().to_owned()),
        headers: Set(text_of(&new.headers)?),
        sample_rows: Set(text_of(&samples)?),
        mapping: Set(None),
        owner_choice: Set(None),
        total_rows: Set(new.rows.len() as i64),
        chunk_count: Set(chunks.len() as i32),
        preview_valid: Set(None),
        preview_rejected: Set(None),
        problems: Set("[]".to_owned()),
        processed: Set(0),
        inserted: Set(0),
        rejected: Set(0),
        next_chunk: Set(0),
        error: Set(None),
        claim_token: Set(None),
        heartbeat_at: Set(None),
        attempts: Set(0),
        created_at: Set(at),
        updated_at: Set(at),
        started_at: Set(None),
        finished_at: Set(None),
    };
    let txn = db.begin().await.map_err(storage)?;
    import::Entity::insert(model.clone())
        .exec_without_returning(&txn)
        .await
        .map_err(storage)?;
    let mut rows = Vec::with_capacity(chunks.len());
    for (seq, chunk) in chunks.iter().enumerate() {
        rows.push(import_chunk::ActiveModel {
            import_id: Set(id),
            seq: Set(seq as i32),
            rows: Set(text_of(chunk)?),
            rejected: Set(None),
        });
    }
    // A few chunks per statement: each is up to a few hundred KB of text.
    for batch in rows.chunks(8) {
        import_chunk::Entity::insert_many(batch.to_vec())
            .exec_without_returning(&txn)
            .await
            .map_err(storage)?;
    }
    let saved = import::Entity::find_by_id(id)
        .one(&txn)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    txn.commit().await.map_err(storage)?;
    view(saved)
}

/// The caller's own import; anyone else's is `NotFound`.
async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<import::Model, Error> {
    import::Entity::find_by_id(id)
        .filter(import::Column::TenantId.eq(caller.tenant_id))
        .filter(import::Column::CreatedBy.eq(caller.user_id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<ImportView, Error> {
    view(find(db, caller, id).await?)
}

/// The caller's imports, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    limit: u64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<ImportView>, Option<Cursor>), Error> {
    let query = import::Entity::find()
        .filter(import::Column::TenantId.eq(caller.tenant_id))
        .filter(import::Column::CreatedBy.eq(caller.user_id));
    let keyset = Keyset {
        column: import::Column::CreatedAt,
        kind: KeyKind::Time,
        id: import::Column::Id,
        descending: true,
    };
    let (models, next) = keyset::page(db, query, keyset, limit, cursor, |m| Cursor {
        value: m.created_at.to_rfc3339(),
        id: m.id,
    })
    .await?;
    let views = models.into_iter().map(view).collect::<Result<_, _>>()?;
    Ok((views, next))
}

/// What a preview found.
#[derive(Debug, Clone)]
pub struct Preview {
    pub valid: u64,
    pub rejected: u64,
    pub problems: Vec<NumberedProblem>,
}

/// Validates every row with `raw_mapping` and checks duplicates, writing nothing but the
/// outcome on the import (which becomes `previewed`).
pub async fn preview(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    raw_mapping: &[Option<String>],
    owner: ImportOwner,
) -> Result<Preview, Error> {
    let model = find(db, caller, id).await?;
    let current = view(model.clone())?;
    caller.require(permission(current.kind))?;
    if !matches!(
        current.status,
        ImportStatus::Uploaded | ImportStatus::Previewed
    ) {
        return Err(Error::Conflict {
            code: "import_already_committed",
            field: None,
        });
    }
    let mapping = Mapping::parse(current.kind, raw_mapping, current.headers.len())?;
    if owner == ImportOwner::Pool && current.kind == ImportKind::Contacts {
        return Err(FieldErrors::single("owner", Violation::UnknownValue).into());
    }
    let (settings, _) = crate::settings::load(db, caller.tenant_id).await?;
    let mut evaluator = Evaluator::new(caller.clone(), mapping.clone(), owner, settings);
    let mut outcome = Preview {
        valid: 0,
        rejected: 0,
        problems: Vec::new(),
    };
    for seq in 0..model.chunk_count {
        let rows = load_chunk(db, id, seq).await?;
        for (row, result) in rows.iter().zip(evaluator.evaluate(db, &rows).await?) {
            match result {
                Ok(_) => outcome.valid += 1,
                Err(problems) => {
                    outcome.rejected += 1;
                    keep_problems(&mut outcome.problems, row.row, problems);
                }
            }
        }
    }
    let update = import::Entity::update_many()
        .col_expr(
            import::Column::Status,
            Expr::value(ImportStatus::Previewed.as_str()),
        )
        .col_expr(
            import::Column::Mapping,
            Expr::value(text_of(&mapping.keys())?),
        )
        .col_expr(import::Column::OwnerChoice, Expr::value(owner.as_str()))
        .col_expr(
            import::Column::PreviewValid,
            Expr::value(outcome.valid as i64),
        )
        .col_expr(
            import::Column::PreviewRejected,
            Expr::value(outcome.rejected as i64),
        )
        .col_expr(
            import::Column::Problems,
            Expr::value(text_of(&outcome.problems)?),
        )
        .col_expr(import::Column::UpdatedAt, Expr::value(now()))
        .filter(import::Column::Id.eq(id))
        .filter(import::Column::Status.is_in([
            ImportStatus::Uploaded.as_str(),
            ImportStatus::Previewed.as_str(),
        ]))
        .exec(db)
        .await
        .map_err(storage)?;
    if update.rows_affected == 0 {
        return Err(Error::Conflict {
            code: "import_already_committed",
            field: None,
        });
    }
    Ok(outcome)
}

fn keep_problems(kept: &mut Vec<NumberedProblem>, row: u64, problems: Vec<RowProblem>) {
    for problem in problems {
        if kept.len() >= SHOWN_PROBLEMS {
            return;
        }
        kept.push(NumberedProblem { row, problem });
    }
}

/// Queues a previewed import for a worker; the mapping and owner of its last preview apply.
pub async fn commit(db: &crate::Database, caller: &Caller, id: Uuid) -> Result<ImportView, Error> {
    let current = view(find(db, caller, id).await?)?;
    caller.require(permission(current.kind))?;
    let at = now();
    let queued = import::Entity::update_many()
        .col_expr(
            import::Column::Status,
            Expr::value(ImportStatus::Queued.as_str()),
        )
        .col_expr(import::Column::Problems, Expr::value("[]"))
        .col_expr(import::Column::UpdatedAt, Expr::value(at))
        .filter(import::Column::Id.eq(id))
        .filter(import::Column::Status.eq(ImportStatus::Previewed.as_str()))
        .exec(db)
        .await
        .map_err(storage)?;
    if queued.rows_affected == 0 {
        let code = match current.status {
            ImportStatus::Uploaded => "import_not_previewed",
            _ => "import_already_committed",
        };
        return Err(Error::Conflict { code, field: None });
    }
    get(db, caller, id).await
}

/// The rejected rows with their reasons, in file order; for a failed import also the rows it
/// never reached. A conflict before the import has run.
pub async fn rejections(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<(ImportView, Vec<(SourceRow, Vec<RowProblem>)>), Error> {
    let model = find(db, caller, id).await?;
    let current = view(model.clone())?;
    if matches!(
        current.status,
        ImportStatus::Uploaded | ImportStatus::Previewed | ImportStatus::Queued
    ) {
        return Err(Error::Conflict {
            code: "import_not_finished",
            field: None,
        });
    }
    let failed = current.status == ImportStatus::Failed;
    let mut out = Vec::new();
    for seq in 0..model.chunk_count {
        let chunk = import_chunk::Entity::find_by_id((id, seq))
            .one(db)
            .await
            .map_err(storage)?
            .ok_or_else(|| corrupt(id, "chunk"))?;
        let rows: Vec<SourceRow> = json_of(id, "chunk", &chunk.rows)?;
        match &chunk.rejected {
            Some(text) if seq < model.next_chunk => {
                let rejected: Vec<RejectedRow> = json_of(id, "rejection list", text)?;
                let mut by_row: HashMap<u64, Vec<RowProblem>> =
                    rejected.into_iter().map(|r| (r.row, r.problems)).collect();
                for row in rows {
                    if let Some(problems) = by_row.remove(&row.row) {
                        out.push((row, problems));
                    }
                }
            }
            _ if failed => {
                let problem = || vec![RowProblem::new("row", NOT_PROCESSED, None)];
                out.extend(rows.into_iter().map(|row| (row, problem())));
            }
            _ => {}
        }
    }
    Ok((current, out))
}

async fn load_chunk(
    db: &impl ConnectionTrait,
    id: Uuid,
    seq: i32,
) -> Result<Vec<SourceRow>, Error> {
    let chunk = import_chunk::Entity::find_by_id((id, seq))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or_else(|| corrupt(id, "chunk"))?;
    json_of(id, "chunk", &chunk.rows)
}

/// A row that passed every check, ready to insert.
#[derive(Debug, Clone)]
enum Ready {
    Lead(crm_domain::lead::LeadFields),
    Customer(crm_domain::customer::CustomerFields),
    Contact(crm_domain::customer::ContactFields),
}

type Outcome = Result<Ready, Vec<RowProblem>>;

/// Checks rows in file order: validation, then duplicates against the database (customers),
/// the customer a contact names, and repeats within the file.
struct Evaluator {
    caller: Caller,
    mapping: Mapping,
    owner: ImportOwner,
    settings: Settings,
    file_keys: FileKeys,
}

impl Evaluator {
    fn new(caller: Caller, mapping: Mapping, owner: ImportOwner, settings: Settings) -> Self {
        Self {
            caller,
            mapping,
            owner,
            settings,
            file_keys: FileKeys::new(),
        }
    }

    async fn evaluate(
        &mut self,
        db: &impl ConnectionTrait,
        rows: &[SourceRow],
    ) -> Result<Vec<Outcome>, Error> {
        let context = RowContext {
            caller_id: self.caller.user_id,
            owner: self.owner,
            settings: &self.settings,
        };
        let drafts: Vec<Result<Draft, Vec<RowProblem>>> = rows
            .iter()
            .map(|row| rows_domain::build(&self.mapping, &row.cells, &context))
            .collect();
        match self.mapping.kind() {
            ImportKind::Leads => Ok(drafts
                .into_iter()
                .map(|d| match d? {
                    Draft::Lead(fields) => Ok(Ready::Lead(fields)),
                    _ => Err(Vec::new()),
                })
                .collect()),
            ImportKind::Customers => self.customers(db, rows, drafts).await,
            ImportKind::Contacts => self.contacts(db, drafts).await,
        }
    }

    async fn customers(
        &mut self,
        db: &impl ConnectionTrait,
        rows: &[SourceRow],
        drafts: Vec<Result<Draft, Vec<RowProblem>>>,
    ) -> Result<Vec<Outcome>, Error> {
        let mut keys = Vec::new();
        let mut codes = Vec::new();
        for draft in drafts.iter().flatten() {
            if let Draft::Customer(fields) = draft {
                keys.push(fields.keys().name_key);
                codes.extend(fields.credit_code.clone());
            }
        }
        let existing = existing_customers(db, &self.caller, keys, codes).await?;
        let mut out = Vec::with_capacity(drafts.len());
        for (row, draft) in rows.iter().zip(drafts) {
            let fields = match draft {
                Ok(Draft::Customer(fields)) => fields,
                Ok(_) => {
                    out.push(Err(Vec::new()));
                    continue;
                }
                Err(problems) => {
                    out.push(Err(problems));
                    continue;
                }
            };
            let key = fields.keys().name_key;
            let code = fields.credit_code.as_deref();
            let found = existing
                .iter()
                .find(|(m, _)| m.name_key == key)
                .map(|e| ("name", e))
                .or_else(|| {
                    existing
                        .iter()
                        .find(|(m, _)| code.is_some() && m.credit_code.as_deref() == code)
                        .map(|e| ("credit_code", e))
                });
            if let Some((field, (_, hint))) = found {
                out.push(Err(vec![RowProblem::new(
                    field,
                    CUSTOMER_DUPLICATE,
                    Some(hint.clone()),
                )]));
                continue;
            }
            match self.file_keys.claim(&fields, row.row) {
                Some(problem) => out.push(Err(vec![problem])),
                None => out.push(Ok(Ready::Customer(fields))),
            }
        }
        Ok(out)
    }

    async fn contacts(
        &mut self,
        db: &impl ConnectionTrait,
        drafts: Vec<Result<Draft, Vec<RowProblem>>>,
    ) -> Result<Vec<Outcome>, Error> {
        let keys: HashSet<String> = drafts
            .iter()
            .flatten()
            .filter_map(|d| match d {
                Draft::Contact { customer_name, .. } => Some(name_key(customer_name)),
                _ => None,
            })
            .collect();
        let found: HashMap<String, Uuid> = if keys.is_empty() {
            HashMap::new()
        } else {
            let mut found = HashMap::new();
            let keys: Vec<String> = keys.into_iter().collect();
            for batch in keys.chunks(INSERT_ROWS) {
                let rows: Vec<(Uuid, String)> = crate::customers::visible(&self.caller)
                    .select_only()
                    .column(customer::Column::Id)
                    .column(customer::Column::NameKey)
                    .filter(customer::Column::NameKey.is_in(batch.to_vec()))
                    .into_tuple()
                    .all(db)
                    .await
                    .map_err(storage)?;
                found.extend(rows.into_iter().map(|(id, key)| (key, id)));
            }
            found
        };
        Ok(drafts
            .into_iter()
            .map(|draft| match draft? {
                Draft::Contact {
                    customer_name,
                    mut fields,
                } => match found.get(&name_key(&customer_name)) {
                    Some(id) => {
                        fields.customer_id = *id;
                        Ok(Ready::Contact(fields))
                    }
                    None => Err(vec![RowProblem::from_violation(
                        "customer_name",
                        Violation::NotFound,
                    )]),
                },
                _ => Err(Vec::new()),
            })
            .collect())
    }
}

/// Live customers of the tenant with any of these name keys or credit codes, each with the
/// hint a duplicate answer gives (masked outside the caller's scope), as JSON `[name, owner]`.
async fn existing_customers(
    db: &impl ConnectionTrait,
    caller: &Caller,
    keys: Vec<String>,
    codes: Vec<String>,
) -> Result<Vec<(customer::Model, String)>, Error> {
    // Two lookups, each an index probe per key on its unique index; one query with `OR`
    // makes PostgreSQL scan the tenant's customers instead.
    let live = || {
        customer::Entity::find()
            .select_only()
            .column(customer::Column::Id)
            .filter(customer::Column::TenantId.eq(caller.tenant_id))
            .filter(customer::Column::DeletedAt.is_null())
            .filter(customer::Column::MergedInto.is_null())
    };
    let mut ids: Vec<Uuid> = Vec::new();
    for (column, values) in [
        (customer::Column::NameKey, keys),
        (customer::Column::CreditCode, codes),
    ] {
        if values.is_empty() {
            continue;
        }
        let found: Vec<Uuid> = live()
            .filter(column.is_in(values))
            .into_tuple()
            .all(db)
            .await
            .map_err(storage)?;
        ids.extend(
            found
                .into_iter()
                .filter(|id| !ids.contains(id))
                .collect::<Vec<_>>(),
        );
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let models = customer::Entity::find()
        .filter(customer::Column::Id.is_in(ids))
        .all(db)
        .await
        .map_err(storage)?;
    if models.is_empty() {
        return Ok(Vec::new());
    }
    let described = crate::customers::describe(
        db,
        caller,
        models
            .iter()
            .map(|m| (crm_api_types::customers::MatchReason::Name, m.clone()))
            .collect(),
    )
    .await?;
    models
        .into_iter()
        .zip(described)
        .map(|(m, d)| Ok((m, text_of(&(d.name, d.owner_hint))?)))
        .collect()
}

/// The caller a run acts as: the import's creator as they are now (role, department,
/// active), without a login session. `None` when the user is gone or disabled.
pub async fn caller_for(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    user_id: Uuid,
) -> Result<Option<Caller>, Error> {
    #[derive(FromQueryResult)]
    struct CallerRow {
        department_id: Uuid,
        path: String,
        permissions: Value,
        data_scope: String,
    }
    let query = Query::select()
        .column((user::Entity, user::Column::DepartmentId))
        .column((department::Entity, department::Column::Path))
        .column((role::Entity, role::Column::Permissions))
        .column((role::Entity, role::Column::DataScope))
        .from(user::Entity)
        .inner_join(
            role::Entity,
            Expr::col((role::Entity, role::Column::Id))
                .equals((user::Entity, user::Column::RoleId)),
        )
        .inner_join(
            department::Entity,
            Expr::col((department::Entity, department::Column::Id))
                .equals((user::Entity, user::Column::DepartmentId)),
        )
        .and_where(Expr::col((user::Entity, user::Column::Id)).eq(user_id))
        .and_where(Expr::col((user::Entity, user::Column::TenantId)).eq(tenant_id))
        .and_where(Expr::col((user::Entity, user::Column::Active)).eq(true))
        .to_owned();
    let row = CallerRow::find_by_statement(db.get_database_backend().build(&query))
        .one(db)
        .await
        .map_err(storage)?;
    Ok(row.map(|row| Caller {
        tenant_id,
        user_id,
        department_id: row.department_id,
        department_path: row.path,
        data_scope: crate::roles::parse_scope(&row.data_scope),
        permissions: crate::roles::parse_permissions(&row.permissions),
        credential: crm_domain::Credential::System,
        request_id: None,
    }))
}

/// A worker's hold on one import.
#[derive(Debug, Clone, Copy)]
pub struct Claim {
    pub import_id: Uuid,
    token: Uuid,
}

/// Takes the oldest queued import, or a running one whose worker went quiet, for this worker.
/// Safe across nodes: the claim is an `UPDATE … WHERE status = …` that only one can win.
pub async fn claim_next(db: &crate::Database) -> Result<Option<Claim>, Error> {
    let cutoff = now() - STALE_AFTER;
    let waiting = Condition::any()
        .add(import::Column::Status.eq(ImportStatus::Queued.as_str()))
        .add(
            Condition::all()
                .add(import::Column::Status.eq(ImportStatus::Running.as_str()))
                .add(import::Column::HeartbeatAt.lt(cutoff)),
        );
    let candidates: Vec<(Uuid, i32)> = import::Entity::find()
        .select_only()
        .column(import::Column::Id)
        .column(import::Column::Attempts)
        .filter(waiting.clone())
        .order_by_asc(import::Column::CreatedAt)
        .limit(5)
        .into_tuple()
        .all(db)
        .await
        .map_err(storage)?;
    for (id, attempts) in candidates {
        let at = now();
        if attempts >= MAX_ATTEMPTS {
            give_up(db, id, None, waiting.clone(), "internal_error").await?;
            continue;
        }
        let token = new_id();
        let claimed = import::Entity::update_many()
            .col_expr(
                import::Column::Status,
                Expr::value(ImportStatus::Running.as_str()),
            )
            .col_expr(import::Column::ClaimToken, Expr::value(token))
            .col_expr(import::Column::HeartbeatAt, Expr::value(at))
            .col_expr(
                import::Column::StartedAt,
                Func::coalesce([Expr::col(import::Column::StartedAt), Expr::value(at)]).into(),
            )
            .col_expr(
                import::Column::Attempts,
                Expr::col(import::Column::Attempts).add(1),
            )
            .col_expr(import::Column::UpdatedAt, Expr::value(at))
            .filter(import::Column::Id.eq(id))
            .filter(waiting.clone())
            .exec(db)
            .await
            .map_err(storage)?;
        if claimed.rows_affected == 1 {
            return Ok(Some(Claim {
                import_id: id,
                token,
            }));
        }
    }
    Ok(None)
}

/// Claims one import for a synchronous run (the CLI), whatever other workers do.
pub async fn claim(db: &crate::Database, caller: &Caller, id: Uuid) -> Result<Claim, Error> {
    find(db, caller, id).await?;
    let token = new_id();
    let at = now();
    let claimed = import::Entity::update_many()
        .col_expr(
            import::Column::Status,
            Expr::value(ImportStatus::Running.as_str()),
        )
        .col_expr(import::Column::ClaimToken, Expr::value(token))
        .col_expr(import::Column::HeartbeatAt, Expr::value(at))
        .col_expr(import::Column::StartedAt, Expr::value(at))
        .col_expr(import::Column::UpdatedAt, Expr::value(at))
        .filter(import::Column::Id.eq(id))
        .filter(import::Column::Status.eq(ImportStatus::Queued.as_str()))
        .exec(db)
        .await
        .map_err(storage)?;
    if claimed.rows_affected == 1 {
        Ok(Claim {
            import_id: id,
            token,
        })
    } else {
        Err(Error::Conflict {
            code: "import_not_queued",
            field: None,
        })
    }
}

/// Marks an import `failed` with `code`, if `token` (or, without one, `condition`) still
/// holds it.
async fn give_up(
    db: &impl ConnectionTrait,
    id: Uuid,
    token: Option<Uuid>,
    condition: Condition,
    code: &str,
) -> Result<(), Error> {
    let at = now();
    let mut update = import::Entity::update_many()
        .col_expr(
            import::Column::Status,
            Expr::value(ImportStatus::Failed.as_str()),
        )
        .col_expr(import::Column::Error, Expr::value(code))
        .col_expr(import::Column::ClaimToken, Expr::value(None::<Uuid>))
        .col_expr(import::Column::FinishedAt, Expr::value(at))
        .col_expr(import::Column::UpdatedAt, Expr::value(at))
        .filter(import::Column::Id.eq(id));
    update = match token {
        Some(token) => update.filter(import::Column::ClaimToken.eq(token)),
        None => update.filter(condition),
    };
    update.exec(db).await.map(drop).map_err(storage)
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunEnd {
    Done,
    /// Stopped for a reason recorded on the import (`forbidden`, `creator_inactive`).
    Failed,
    /// Another worker took the import over; this one stopped without writing more.
    LostClaim,
}

/// Processes the claimed import's remaining chunks, one transaction each, then marks it
/// `done`. A storage error hands the import back to the queue for another attempt.
pub async fn run(db: &crate::Database, claim: Claim) -> Result<RunEnd, Error> {
    match run_claimed(db, claim).await {
        Err(Error::Storage(source)) => {
            tracing::warn!(import_id = %claim.import_id, error = %source, "import batch failed; queued again");
            import::Entity::update_many()
                .col_expr(
                    import::Column::Status,
                    Expr::value(ImportStatus::Queued.as_str()),
                )
                .col_expr(import::Column::ClaimToken, Expr::value(None::<Uuid>))
                .col_expr(import::Column::UpdatedAt, Expr::value(now()))
                .filter(import::Column::Id.eq(claim.import_id))
                .filter(import::Column::ClaimToken.eq(claim.token))
                .exec(db)
                .await
                .map_err(storage)?;
            Err(Error::Storage(source))
        }
        other => other,
    }
}

async fn run_claimed(db: &crate::Database, claim: Claim) -> Result<RunEnd, Error> {
    let id = claim.import_id;
    let model = import::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    let current = view(model.clone())?;
    let fail = |code: &'static str| async move {
        give_up(db, id, Some(claim.token), Condition::all(), code).await?;
        Ok(RunEnd::Failed)
    };
    let Some(mut caller) = caller_for(db, model.tenant_id, model.created_by).await? else {
        return fail("creator_inactive").await;
    };
    if !caller.can(permission(current.kind)) {
        return fail("forbidden").await;
    }
    caller.request_id = Some(format!("import:{id}"));
    let raw_mapping = current.mapping.clone().unwrap_or_default();
    let Ok(mapping) = Mapping::parse(current.kind, &raw_mapping, current.headers.len()) else {
        return fail("invalid_mapping").await;
    };
    let owner = current.owner.unwrap_or_default();
    let (settings, _) = crate::settings::load(db, caller.tenant_id).await?;
    let mut evaluator = Evaluator::new(caller.clone(), mapping, owner, settings);
    let problems = current.problems.clone();
    // Resuming: replay the chunks already committed to know which keys the file has taken.
    for seq in 0..model.next_chunk {
        let rows = load_chunk(db, id, seq).await?;
        if current.kind == ImportKind::Customers {
            let context = RowContext {
                caller_id: caller.user_id,
                owner,
                settings: &evaluator.settings,
            };
            for row in &rows {
                if let Ok(Draft::Customer(fields)) =
                    rows_domain::build(&evaluator.mapping, &row.cells, &context)
                {
                    evaluator.file_keys.claim(&fields, row.row);
                }
            }
        }
    }
    if model.next_chunk < model.chunk_count {
        let (first, count) = (model.next_chunk, model.chunk_count);
        if !pipeline(db, claim, &mut evaluator, first, count, problems).await? {
            return Ok(RunEnd::LostClaim);
        }
    }
    let at = now();
    let done = import::Entity::update_many()
        .col_expr(
            import::Column::Status,
            Expr::value(ImportStatus::Done.as_str()),
        )
        .col_expr(import::Column::ClaimToken, Expr::value(None::<Uuid>))
        .col_expr(import::Column::FinishedAt, Expr::value(at))
        .col_expr(import::Column::UpdatedAt, Expr::value(at))
        .filter(import::Column::Id.eq(id))
        .filter(import::Column::ClaimToken.eq(claim.token))
        .exec(db)
        .await
        .map_err(storage)?;
    Ok(if done.rows_affected == 1 {
        RunEnd::Done
    } else {
        RunEnd::LostClaim
    })
}

enum BatchError {
    /// Another transaction committed a conflicting row first: retry the batch, whose checks
    /// will now see it and reject the offending rows.
    Unique(DbErr),
    Other(Error),
}

impl From<Error> for BatchError {
    fn from(err: Error) -> Self {
        Self::Other(err)
    }
}

fn batch_err(err: DbErr) -> BatchError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => BatchError::Unique(err),
        _ => BatchError::Other(storage(err)),
    }
}

/// Runs chunks `first..count` as a pipeline: while one batch's transaction runs, the next
/// chunk is loaded, checked and turned into rows (the row building on a blocking thread), so
/// our CPU and the database's work overlap. Returns early (`LostClaim` is an `Ok(false)`).
async fn pipeline(
    db: &crate::Database,
    claim: Claim,
    evaluator: &mut Evaluator,
    first: i32,
    count: i32,
    mut problems: Vec<NumberedProblem>,
) -> Result<bool, Error> {
    let caller = evaluator.caller.clone();
    let mut statistics = Statistics::new(db, evaluator.mapping.kind()).await?;
    let mut keys_before = evaluator.file_keys.clone();
    let mut current = prepare(db, evaluator, claim.import_id, first).await?;
    let mut retries = 0;
    loop {
        let seq = current.seq;
        let inserted = current.inserted() as u64;
        let keys_before_next = evaluator.file_keys.clone();
        let (committed, next) = tokio::join!(
            commit_batch(db, claim, &caller, current, &problems),
            async {
                if seq + 1 < count {
                    Some(prepare(db, evaluator, claim.import_id, seq + 1).await)
                } else {
                    None
                }
            }
        );
        match committed {
            Ok(Some(kept)) => problems = kept,
            Ok(None) => return Ok(false),
            Err(BatchError::Unique(err)) if retries < MAX_BATCH_RETRIES => {
                tracing::info!(import_id = %claim.import_id, seq, error = %err, "unique violation in an import batch; retrying it");
                retries += 1;
                // Check the batch again (now seeing what the other transaction committed);
                // the next batch is prepared again after it.
                evaluator.file_keys = keys_before.clone();
                current = prepare(db, evaluator, claim.import_id, seq).await?;
                continue;
            }
            Err(BatchError::Unique(err)) => return Err(storage(err)),
            Err(BatchError::Other(err)) => return Err(err),
        }
        retries = 0;
        statistics.grew(db, inserted).await?;
        match next {
            Some(prepared) => {
                current = prepared?;
                keys_before = keys_before_next;
            }
            None => {
                statistics.finish(db).await?;
                return Ok(true);
            }
        }
    }
}

/// PostgreSQL plans the duplicate lookups from the table's statistics; a table that grows by
/// an import faster than autovacuum analyzes it (a first import into a new database) gets
/// plans that scan the tenant's customers for every batch. So a customer import analyzes the
/// table when it has none, and again whenever it has added as many rows as were known.
struct Statistics {
    table: Option<&'static str>,
    known: u64,
    added: u64,
}

const ANALYZE_AFTER: u64 = 2_000;

impl Statistics {
    async fn new(db: &crate::Database, kind: ImportKind) -> Result<Self, Error> {
        let postgres = db.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
        let table = (postgres && kind == ImportKind::Customers).then_some("customers");
        let mut statistics = Self {
            table,
            known: 0,
            added: 0,
        };
        if let Some(table) = table {
            let row = db
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DatabaseBackend::Postgres,
                    format!("SELECT reltuples::float8 AS n FROM pg_class WHERE oid = '{table}'::regclass"),
                ))
                .await
                .map_err(storage)?;
            let known: f64 = row.and_then(|r| r.try_get("", "n").ok()).unwrap_or(-1.0);
            if known < 0.0 {
                statistics.analyze(db).await?;
            } else {
                statistics.known = known as u64;
            }
        }
        Ok(statistics)
    }

    async fn grew(&mut self, db: &crate::Database, rows: u64) -> Result<(), Error> {
        self.added += rows;
        if self.table.is_some() && self.added >= Ord::max(self.known, ANALYZE_AFTER) {
            self.analyze(db).await?;
        }
        Ok(())
    }

    async fn finish(&mut self, db: &crate::Database) -> Result<(), Error> {
        if self.added >= ANALYZE_AFTER {
            self.analyze(db).await?;
        }
        Ok(())
    }

    async fn analyze(&mut self, db: &crate::Database) -> Result<(), Error> {
        if let Some(table) = self.table {
            db.execute_unprepared(&format!("ANALYZE {table}"))
                .await
                .map_err(storage)?;
            self.known += self.added;
            self.added = 0;
        }
        Ok(())
    }
}

/// One chunk, checked and turned into the rows to insert.
struct Prepared {
    seq: i32,
    rows: usize,
    built: Built,
    rejected: Vec<RejectedRow>,
}

impl Prepared {
    fn inserted(&self) -> usize {
        self.built.leads.len() + self.built.customers.len() + self.built.contacts.len()
    }
}

#[derive(Default)]
struct Built {
    leads: Vec<lead::ActiveModel>,
    customers: Vec<customer::ActiveModel>,
    /// Contacts are built in the transaction: which one is primary depends on the database.
    contacts: Vec<ContactFields>,
    audits: Vec<audit_entry::ActiveModel>,
    owners: Vec<owner_change::ActiveModel>,
    events: Vec<outbox_event::Model>,
}

async fn prepare(
    db: &crate::Database,
    evaluator: &mut Evaluator,
    import_id: Uuid,
    seq: i32,
) -> Result<Prepared, Error> {
    let rows = load_chunk(db, import_id, seq).await?;
    let outcomes = evaluator.evaluate(db, &rows).await?;
    let mut ready = Vec::with_capacity(rows.len());
    let mut rejected = Vec::new();
    for (row, outcome) in rows.iter().zip(outcomes) {
        match outcome {
            Ok(fields) => ready.push(fields),
            Err(problems) => rejected.push(RejectedRow {
                row: row.row,
                problems,
            }),
        }
    }
    let caller = evaluator.caller.clone();
    let built = tokio::task::spawn_blocking(move || build(&caller, ready))
        .await
        .map_err(|e| Error::Storage(Box::new(e)))?;
    Ok(Prepared {
        seq,
        rows: rows.len(),
        built,
        rejected,
    })
}

/// The records, their audit entries, their owner history and their events, as rows to insert.
fn build(caller: &Caller, ready: Vec<Ready>) -> Built {
    let actor = Actor::from(caller);
    let at = now();
    let mut built = Built::default();
    for fields in ready {
        let id = new_id();
        match fields {
            Ready::Lead(fields) => {
                let mut active = crate::leads::active_fields(&fields);
                active.id = Set(id);
                active.tenant_id = Set(caller.tenant_id);
                active.status = Set(LeadStatus::New.as_str().to_owned());
                active.version = Set(1);
                active.created_at = Set(at);
                active.updated_at = Set(at);
                active.created_by = Set(caller.user_id);
                active.deleted_at = Set(None);
                built.leads.push(active);
                built.audits.push(crate::audit::entry(
                    &actor,
                    AuditAction::Created,
                    "lead",
                    id,
                    diff(&Value::Null, &fields.audit_view()),
                ));
                built.events.push(crate::outbox::event(
                    caller.tenant_id,
                    EventType::LeadCreated,
                    id,
                    &crate::leads::snapshot(id, &fields, LeadStatus::New),
                    at,
                ));
                built
                    .owners
                    .extend(owner_change(caller, at, Owned::Lead, id, fields.owner_id));
            }
            Ready::Customer(fields) => {
                let mut active = crate::customers::active_fields(&fields);
                active.id = Set(id);
                active.tenant_id = Set(caller.tenant_id);
                active.last_activity_at = Set(None);
                active.pool_clock_at = Set(at);
                active.pool_warned_at = Set(None);
                active.merged_into = Set(None);
                active.version = Set(1);
                active.created_at = Set(at);
                active.updated_at = Set(at);
                active.created_by = Set(caller.user_id);
                active.deleted_at = Set(None);
                built.customers.push(active);
                built.audits.push(crate::audit::entry(
                    &actor,
                    AuditAction::Created,
                    "customer",
                    id,
                    diff(&Value::Null, &fields.audit_view()),
                ));
                built.events.push(crate::outbox::event(
                    caller.tenant_id,
                    EventType::CustomerCreated,
                    id,
                    &crate::customers::snapshot(id, &fields),
                    at,
                ));
                built.owners.extend(owner_change(
                    caller,
                    at,
                    Owned::Customer,
                    id,
                    fields.owner_id,
                ));
            }
            Ready::Contact(fields) => built.contacts.push(fields),
        }
    }
    built
}

/// The owner history's first entry of a new record, as `ownership::record_change` writes it.
fn owner_change(
    caller: &Caller,
    at: DateTime<Utc>,
    owned: Owned,
    id: Uuid,
    to: Option<Uuid>,
) -> Option<owner_change::ActiveModel> {
    let to = to?;
    Some(owner_change::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(caller.tenant_id),
        entity_type: Set(owned.as_str().to_owned()),
        entity_id: Set(id),
        from_owner: Set(None),
        to_owner: Set(Some(to)),
        reason: Set(OwnerChangeReason::Created.as_str().to_owned()),
        note: Set(None),
        changed_by: Set(Some(caller.user_id)),
        changed_at: Set(at),
    })
}

/// One chunk in one transaction: its records, audit entries, owner history, events, rejected
/// rows and the import's progress. `Ok(None)`: the claim was lost, nothing written; otherwise
/// the problems kept for display.
async fn commit_batch(
    db: &crate::Database,
    claim: Claim,
    caller: &Caller,
    batch: Prepared,
    problems: &[NumberedProblem],
) -> Result<Option<Vec<NumberedProblem>>, BatchError> {
    let Prepared {
        seq,
        rows,
        mut built,
        rejected,
    } = batch;
    let mut problems = problems.to_vec();
    for row in &rejected {
        keep_problems(&mut problems, row.row, row.problems.clone());
    }
    let txn = db.begin().await.map_err(storage)?;
    let contacts = std::mem::take(&mut built.contacts);
    let inserted = (built.leads.len() + built.customers.len() + contacts.len()) as i64;
    if !contacts.is_empty() {
        let needing = primary_needed(&txn, &contacts).await.map_err(batch_err)?;
        let (actor, at) = (Actor::from(caller), now());
        let mut given: HashSet<Uuid> = HashSet::new();
        for mut fields in contacts {
            let id = new_id();
            // A customer's first contact is its primary one, as on single creates.
            fields.is_primary =
                needing.contains(&fields.customer_id) && given.insert(fields.customer_id);
            let mut active = crate::contacts::active_fields(&fields);
            active.id = Set(id);
            active.tenant_id = Set(caller.tenant_id);
            active.customer_id = Set(fields.customer_id);
            active.version = Set(1);
            active.created_at = Set(at);
            active.updated_at = Set(at);
            active.created_by = Set(caller.user_id);
            active.deleted_at = Set(None);
            built.audits.push(crate::audit::entry(
                &actor,
                AuditAction::Created,
                "contact",
                id,
                diff(&Value::Null, &fields.audit_view()),
            ));
            built.events.push(crate::outbox::event(
                caller.tenant_id,
                EventType::ContactCreated,
                id,
                &crate::contacts::snapshot(id, &fields),
                at,
            ));
            insert_all::<contact::ActiveModel>(&txn, vec![active]).await?;
        }
    }
    insert_all::<lead::ActiveModel>(&txn, built.leads).await?;
    insert_all::<customer::ActiveModel>(&txn, built.customers).await?;
    insert_all::<owner_change::ActiveModel>(&txn, built.owners).await?;
    insert_all::<audit_entry::ActiveModel>(&txn, built.audits).await?;
    crate::outbox::queue(&txn, built.events).await?;
    import_chunk::Entity::update_many()
        .col_expr(
            import_chunk::Column::Rejected,
            Expr::value(text_of(&rejected)?),
        )
        .filter(import_chunk::Column::ImportId.eq(claim.import_id))
        .filter(import_chunk::Column::Seq.eq(seq))
        .exec(&txn)
        .await
        .map_err(batch_err)?;
    let at = now();
    let progressed = import::Entity::update_many()
        .col_expr(
            import::Column::Processed,
            Expr::col(import::Column::Processed).add(rows as i64),
        )
        .col_expr(
            import::Column::Inserted,
            Expr::col(import::Column::Inserted).add(inserted),
        )
        .col_expr(
            import::Column::Rejected,
            Expr::col(import::Column::Rejected).add(rejected.len() as i64),
        )
        .col_expr(import::Column::NextChunk, Expr::value(seq + 1))
        .col_expr(import::Column::Problems, Expr::value(text_of(&problems)?))
        .col_expr(import::Column::HeartbeatAt, Expr::value(at))
        .col_expr(import::Column::UpdatedAt, Expr::value(at))
        .filter(import::Column::Id.eq(claim.import_id))
        .filter(import::Column::ClaimToken.eq(claim.token))
        .filter(import::Column::NextChunk.eq(seq))
        .exec(&txn)
        .await
        .map_err(batch_err)?;
    if progressed.rows_affected != 1 {
        txn.rollback().await.map_err(storage)?;
        return Ok(None);
    }
    txn.commit().await.map_err(batch_err)?;
    Ok(Some(problems))
}

/// Multi-row INSERTs of `INSERT_ROWS` rows, moving the models (no copies: they are large).
async fn insert_all<A>(txn: &DatabaseTransaction, models: Vec<A>) -> Result<(), BatchError>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    let mut models = models.into_iter();
    loop {
        let chunk: Vec<A> = models.by_ref().take(INSERT_ROWS).collect();
        if chunk.is_empty() {
            return Ok(());
        }
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(txn)
            .await
            .map_err(batch_err)?;
    }
}

/// The customers of these contacts that have no primary contact yet.
async fn primary_needed(
    txn: &DatabaseTransaction,
    contacts: &[ContactFields],
) -> Result<HashSet<Uuid>, DbErr> {
    let customers: HashSet<Uuid> = contacts.iter().map(|c| c.customer_id).collect();
    let ids: Vec<Uuid> = customers.iter().copied().collect();
    let mut with_primary = HashSet::new();
    for batch in ids.chunks(INSERT_ROWS) {
        let found: Vec<Uuid> = contact::Entity::find()
            .select_only()
            .column(contact::Column::CustomerId)
            .filter(contact::Column::CustomerId.is_in(batch.to_vec()))
            .filter(contact::Column::IsPrimary.eq(true))
            .filter(contact::Column::DeletedAt.is_null())
            .into_tuple()
            .all(txn)
            .await?;
        with_primary.extend(found);
    }
    Ok(customers.difference(&with_primary).copied().collect())
}
