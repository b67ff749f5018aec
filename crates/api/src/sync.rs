//! What every synced resource's `PUT …/by-external-id/{source}/{id}` and `POST …/bulk`
//! share: the external identity from the path, the body read both as a new record and as a
//! patch, a refused sync recorded for the operators before its problem goes back, and a bulk
//! request run as one upsert per item.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use crm_api_types::identity::Permission;
use crm_api_types::sync::{BulkItemResult, BulkItemStatus, BulkResponse};
use crm_domain::sync::{BULK_LIMIT, ExternalRef, SyncedKind};
use crm_domain::{Caller, FieldErrors, Violation};
use crm_persistence::Database;
use crm_persistence::sync::{Upsert, Upserted};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::from_value;
use crate::i18n::Lang;

/// A resource an external system can own, as its `PUT …/by-external-id/{source}/{id}` and
/// `POST …/bulk` see it.
pub trait Synced {
    const KIND: SyncedKind;
    /// What creating or changing one takes.
    const WRITE: Permission;
    /// What the `PUT` answers.
    type Answer;
    /// What every item reads alike (the tenant's settings, …): read once per request, so a
    /// bulk of 1,000 items reads it once.
    type Shared: Default;

    async fn shared(_state: &AppState, _caller: &Caller) -> Result<Self::Shared, ApiError> {
        Ok(Self::Shared::default())
    }

    /// Creates or changes the record `external` names from `body`.
    async fn upsert(
        state: &AppState,
        caller: &Caller,
        shared: &Self::Shared,
        external: &ExternalRef,
        body: Value,
    ) -> Result<(Upserted, Self::Answer), ApiError>;

    /// The record written, for a bulk item's result.
    fn id(answer: &Self::Answer) -> Uuid;

    /// The `PUT`'s response (with the `ETag` of a versioned record).
    fn respond(status: StatusCode, answer: Self::Answer) -> HttpResponse;
}

/// `PUT /<resource>/by-external-id/{source}/{id}`.
pub async fn put<R: Synced>(
    req: &HttpRequest,
    state: &AppState,
    caller: &Caller,
    path: (String, String),
    body: Value,
) -> Result<HttpResponse, ApiError> {
    caller.require(R::WRITE)?;
    let external = path_ref(path)?;
    let shared = R::shared(state, caller).await?;
    let outcome = R::upsert(state, caller, &shared, &external, body).await;
    let (upserted, answer) = recorded(req, &state.db, caller, R::KIND, &external, outcome).await?;
    Ok(R::respond(status(upserted), answer))
}

/// `POST /<resource>/bulk`.
pub async fn post_bulk<R: Synced>(
    req: &HttpRequest,
    state: &AppState,
    caller: &Caller,
    body: BulkBody,
) -> Result<HttpResponse, ApiError> {
    caller.require(R::WRITE)?;
    let shared = R::shared(state, caller).await?;
    let answer = bulk(
        req,
        &state.db,
        caller,
        R::KIND,
        body,
        async |external, fields| {
            let (upserted, answer) = R::upsert(state, caller, &shared, external, fields).await?;
            Ok((upserted, R::id(&answer)))
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// The path parameters `{source}/{id}`.
pub(crate) fn path_ref(path: (String, String)) -> Result<ExternalRef, ApiError> {
    Ok(ExternalRef::parse(&path.0, &path.1)?)
}

/// `201` for a record the sync created, `200` for one it changed or found as it was.
pub fn status(upserted: Upserted) -> StatusCode {
    match upserted {
        Upserted::Created => StatusCode::CREATED,
        Upserted::Updated | Upserted::Unchanged => StatusCode::OK,
    }
}

/// The fields a record gets at creation, as an upsert body for a known record gave them:
/// each may repeat the record's value (an ERP sends the whole record every time) but not
/// change it.
pub struct Fixed(serde_json::Map<String, Value>);

impl Fixed {
    /// Takes `names` out of `body`, so that what is left reads as the resource's patch.
    pub fn take(body: &mut Value, names: &[&str]) -> Self {
        let mut given = serde_json::Map::new();
        if let Value::Object(fields) = body {
            for name in names {
                if let Some(value) = fields.remove(*name).filter(|v| !v.is_null()) {
                    given.insert((*name).to_owned(), value);
                }
            }
        }
        Self(given)
    }

    /// `422 read_only` on each field given with another value than `current`'s (the
    /// record's response as JSON).
    pub fn check(&self, current: &Value) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        for (name, given) in &self.0 {
            if *given != current[name] {
                errors.add(name, Violation::ReadOnly);
            }
        }
        errors.finish(())
    }
}

/// Reads an upsert body as the resource's create request `C` (turned into its fields by
/// `fields`) and as its patch `P`.
pub fn upsert_body<C: DeserializeOwned, F, P: DeserializeOwned>(
    external: &ExternalRef,
    body: Value,
    fields: impl FnOnce(C) -> Result<F, FieldErrors>,
) -> Upsert<F, P> {
    Upsert {
        external: external.clone(),
        create: from_value::<C>(body.clone()).and_then(fields),
        patch: from_value::<P>(body),
    }
}

/// Runs `attempt` again once when it lost a race: a conflict, and the external record now
/// exists (a concurrent sync created it first), so the second run changes it instead.
pub async fn retried<T>(
    db: &Database,
    caller: &Caller,
    kind: SyncedKind,
    external: &ExternalRef,
    attempt: impl AsyncFn() -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    match attempt().await {
        Err(error)
            if error.status() == StatusCode::CONFLICT
                && crm_persistence::sync::find(db, caller, kind, external)
                    .await
                    .is_ok() =>
        {
            attempt().await
        }
        other => other,
    }
}

/// Passes `outcome` on; a refusal is first recorded as the external record's sync state,
/// with the problem the caller gets.
pub async fn recorded<T>(
    req: &HttpRequest,
    db: &Database,
    caller: &Caller,
    kind: SyncedKind,
    external: &ExternalRef,
    outcome: Result<T, ApiError>,
) -> Result<T, ApiError> {
    let Err(error) = outcome else {
        return outcome;
    };
    let problem = error.problem(lang(req));
    if let Err(failure) = crm_persistence::sync::failed(db, caller, kind, external, &problem).await
    {
        tracing::error!(error = %failure, "could not record a refused sync");
    }
    Err(error)
}

fn lang(req: &HttpRequest) -> Lang {
    Lang::from_accept_language(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// A bulk body as received: the items stay JSON until each is read on its own, so one bad
/// item fails alone.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkBody {
    items: Vec<Value>,
}

/// Runs `one` for every item, in order, each in its own transaction, and answers what
/// happened to each. Items that fail are recorded like a refused single upsert.
pub async fn bulk(
    req: &HttpRequest,
    db: &Database,
    caller: &Caller,
    kind: SyncedKind,
    body: BulkBody,
    one: impl AsyncFn(&ExternalRef, Value) -> Result<(Upserted, Uuid), ApiError>,
) -> Result<BulkResponse, ApiError> {
    if body.items.is_empty() {
        return Err(ApiError::field("items", Violation::TooShort { min: 1 }));
    }
    if body.items.len() > BULK_LIMIT {
        return Err(ApiError::field(
            "items",
            Violation::OutOfRange {
                min: 1,
                max: BULK_LIMIT as i64,
            },
        ));
    }
    let mut response = BulkResponse {
        items: Vec::with_capacity(body.items.len()),
        created: 0,
        updated: 0,
        unchanged: 0,
        failed: 0,
    };
    for (index, item) in body.items.into_iter().enumerate() {
        let (names, parsed) = split_item(item);
        let outcome = match parsed {
            Ok((external, fields)) => {
                let outcome = one(&external, fields).await;
                recorded(req, db, caller, kind, &external, outcome).await
            }
            Err(errors) => Err(ApiError::validation(errors)),
        };
        let (status, id, problem) = match outcome {
            Ok((Upserted::Created, id)) => (BulkItemStatus::Created, Some(id), None),
            Ok((Upserted::Updated, id)) => (BulkItemStatus::Updated, Some(id), None),
            Ok((Upserted::Unchanged, id)) => (BulkItemStatus::Unchanged, Some(id), None),
            Err(error) => (BulkItemStatus::Failed, None, Some(error.problem(lang(req)))),
        };
        match status {
            BulkItemStatus::Created => response.created += 1,
            BulkItemStatus::Updated => response.updated += 1,
            BulkItemStatus::Unchanged => response.unchanged += 1,
            BulkItemStatus::Failed => response.failed += 1,
        }
        response.items.push(BulkItemResult {
            index: index as u32,
            external_source: names.0,
            external_id: names.1,
            status,
            id,
            problem,
        });
    }
    Ok(response)
}

type ItemNames = (Option<String>, Option<String>);

/// Reads an item's external identity and its `data`. The names as sent are kept for the
/// result even when they are invalid.
fn split_item(item: Value) -> (ItemNames, Result<(ExternalRef, Value), FieldErrors>) {
    let Value::Object(mut fields) = item else {
        return (
            (None, None),
            Err(FieldErrors::single("body", Violation::InvalidType)),
        );
    };
    let mut text = |name: &str| match fields.remove(name) {
        Some(Value::String(text)) => Ok(Some(text)),
        None | Some(Value::Null) => Ok(None),
        Some(_) => Err(()),
    };
    let (source, id) = (text("external_source"), text("external_id"));
    let names = (source.clone().ok().flatten(), id.clone().ok().flatten());
    let data = fields.remove("data");
    let mut errors = FieldErrors::new();
    for (name, value) in [("external_source", &source), ("external_id", &id)] {
        if value.is_err() {
            errors.add(name, Violation::InvalidType);
        }
    }
    match &data {
        None | Some(Value::Null) => errors.add("data", Violation::Required),
        Some(Value::Object(_)) => {}
        Some(_) => errors.add("data", Violation::InvalidType),
    }
    if let Some(unknown) = fields.keys().next() {
        errors.add(unknown, Violation::UnknownField);
    }
    if !errors.is_empty() {
        return (names, Err(errors));
    }
    let parsed = ExternalRef::parse(
        names.0.as_deref().unwrap_or_default(),
        names.1.as_deref().unwrap_or_default(),
    )
    .map(|external| (external, data.unwrap_or_default()));
    (names, parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_item_gives_up_its_identity_and_keeps_its_fields() {
        let ((source, id), parsed) = split_item(json!({
            "external_source": "kingdee", "external_id": "C-1", "data": {"name": "华东机电"}
        }));
        assert_eq!(
            (source.as_deref(), id.as_deref()),
            (Some("kingdee"), Some("C-1"))
        );
        let (external, fields) = parsed.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((external.source(), external.id()), ("kingdee", "C-1"));
        assert_eq!(fields, json!({"name": "华东机电"}));
    }

    #[test]
    fn an_item_without_a_usable_identity_names_the_field() {
        let codes = |item: Value| -> Vec<(String, &'static str)> {
            match split_item(item).1 {
                Ok(_) => Vec::new(),
                Err(errors) => errors
                    .iter()
                    .map(|(f, v)| (f.to_owned(), v.code()))
                    .collect(),
            }
        };
        assert_eq!(
            codes(json!({"external_source": "kingdee", "data": {}})),
            [("external_id".to_owned(), "required")]
        );
        assert_eq!(
            codes(json!({"external_source": 7, "external_id": "1", "data": {}})),
            [("external_source".to_owned(), "invalid_type")]
        );
        assert_eq!(
            codes(json!({"external_source": "erp", "external_id": "1", "name": "x"})),
            [
                ("data".to_owned(), "required"),
                ("name".to_owned(), "unknown_field")
            ]
        );
        assert_eq!(codes(json!([1])), [("body".to_owned(), "invalid_type")]);
    }
}
