//! The tenant's document template: letterhead, texts and logo printed on its documents. A
//! tenant that never saved one prints with the defaults (its own name, standard texts).

use crm_api_types::quotes::{DocumentTemplate, DocumentTemplateResponse};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::{Caller, Error, check_version, new_id, now};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use serde_json::{Value, json};

use crate::audit::{Actor, record};
use crate::entities::document_template;
use crate::error::storage;

/// A logo as stored.
pub struct Logo {
    pub bytes: Vec<u8>,
    pub content_type: String,
}

async fn stored(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<Option<document_template::Model>, Error> {
    document_template::Entity::find()
        .filter(document_template::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)
}

fn texts_of(model: &document_template::Model) -> Result<DocumentTemplate, Error> {
    serde_json::from_str(&model.texts).map_err(|_| {
        Error::Storage(format!("document template {} cannot be read", model.id).into())
    })
}

fn response(model: Option<&document_template::Model>) -> Result<DocumentTemplateResponse, Error> {
    Ok(match model {
        Some(m) => DocumentTemplateResponse {
            template: texts_of(m)?,
            has_logo: m.logo.is_some(),
            version: m.version,
        },
        None => DocumentTemplateResponse {
            template: DocumentTemplate::default(),
            has_logo: false,
            version: 0,
        },
    })
}

pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<DocumentTemplateResponse, Error> {
    response(stored(db, caller).await?.as_ref())
}

/// The texts and the logo, for printing.
pub async fn for_printing(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<(DocumentTemplate, Option<Logo>), Error> {
    Ok(match stored(db, caller).await? {
        Some(m) => {
            let texts = texts_of(&m)?;
            let logo = m.logo.map(|bytes| Logo {
                bytes,
                content_type: m.logo_content_type.unwrap_or_default(),
            });
            (texts, logo)
        }
        None => (DocumentTemplate::default(), None),
    })
}

pub async fn logo(db: &impl ConnectionTrait, caller: &Caller) -> Result<Logo, Error> {
    for_printing(db, caller).await?.1.ok_or(Error::NotFound)
}

/// Writes the template's row, creating it on first save. `If-Match` version 0 stands for
/// "never saved".
async fn write(
    db: &crate::Database,
    caller: &Caller,
    if_match: Option<i32>,
    change: impl FnOnce(&mut document_template::ActiveModel),
    audit: Value,
) -> Result<DocumentTemplateResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = stored(&txn, caller).await?;
    check_version(current.as_ref().map_or(0, |m| m.version), if_match)?;
    let before = match &current {
        Some(m) => json!({"texts": texts_of(m)?, "has_logo": m.logo.is_some()}),
        None => Value::Null,
    };
    let mut active = document_template::ActiveModel::default();
    change(&mut active);
    let id = match &current {
        Some(m) => {
            crate::versioned::update::<document_template::Entity>(
                &txn, active, m.id, m.version, storage,
            )
            .await?;
            m.id
        }
        None => {
            let at = now();
            let id = new_id();
            active.id = Set(id);
            active.tenant_id = Set(caller.tenant_id);
            if active.texts.is_not_set() {
                active.texts = Set(json!(DocumentTemplate::default()).to_string());
            }
            if active.logo.is_not_set() {
                active.logo = Set(None);
                active.logo_content_type = Set(None);
            }
            active.version = Set(1);
            active.created_at = Set(at);
            active.updated_at = Set(at);
            sea_orm::ActiveModelTrait::insert(active, &txn)
                .await
                .map_err(storage)?;
            id
        }
    };
    let mut after = before.clone();
    if after.is_null() {
        after = json!({});
    }
    if let (Some(after), Some(change)) = (after.as_object_mut(), audit.as_object()) {
        after.extend(change.clone());
    }
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "document_template",
        id,
        diff(&before, &after),
    )
    .await?;
    let saved = stored(&txn, caller).await?;
    let answer = response(saved.as_ref())?;
    txn.commit().await.map_err(storage)?;
    Ok(answer)
}

pub async fn save_texts(
    db: &crate::Database,
    caller: &Caller,
    if_match: Option<i32>,
    texts: &DocumentTemplate,
) -> Result<DocumentTemplateResponse, Error> {
    let json = json!(texts);
    let stored_texts = json.to_string();
    write(
        db,
        caller,
        if_match,
        |active| active.texts = Set(stored_texts),
        json!({ "texts": json }),
    )
    .await
}

/// Replaces the logo (`Some`) or removes it (`None`).
pub async fn save_logo(
    db: &crate::Database,
    caller: &Caller,
    logo: Option<Logo>,
) -> Result<DocumentTemplateResponse, Error> {
    let has_logo = logo.is_some();
    write(
        db,
        caller,
        None,
        |active| match logo {
            Some(logo) => {
                active.logo = Set(Some(logo.bytes));
                active.logo_content_type = Set(Some(logo.content_type));
            }
            None => {
                active.logo = Set(None);
                active.logo_content_type = Set(None);
            }
        },
        json!({ "has_logo": has_logo }),
    )
    .await
}
