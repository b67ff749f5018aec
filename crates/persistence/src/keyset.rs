//! Keyset pagination shared by every list: order by (sort column, id), fetch one row more
//! than the page to know whether another follows, and resume after the cursor's row with a
//! row comparison the database answers from the (tenant, column, id) index.

use chrono::{DateTime, Utc};
use crm_domain::{Error, FieldErrors, Violation};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect, Select,
};

use crate::cursor::Cursor;
use crate::error::storage;

/// The type of a sort column's values, for reading them back from a cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyKind {
    Time,
    Date,
    Text,
    Int,
}

impl KeyKind {
    /// The cursor's value as a typed SQL value; a tampered value is a 422 on `cursor`.
    fn parse(self, text: &str) -> Result<sea_orm::Value, FieldErrors> {
        match self {
            Self::Time => DateTime::parse_from_rfc3339(text)
                .map(|t| t.with_timezone(&Utc).into())
                .map_err(|_| FieldErrors::single("cursor", Violation::InvalidFormat)),
            Self::Date => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Into::into)
                .map_err(|_| FieldErrors::single("cursor", Violation::InvalidFormat)),
            Self::Text => Ok(text.to_owned().into()),
            Self::Int => text
                .parse::<i64>()
                .map(Into::into)
                .map_err(|_| FieldErrors::single("cursor", Violation::InvalidFormat)),
        }
    }
}

/// One list's ordering: the sort column (typed by `kind`), the id column, the direction.
pub(crate) struct Keyset<C> {
    pub column: C,
    pub kind: KeyKind,
    pub id: C,
    pub descending: bool,
}

/// One page of `query`. `position` gives a row's (sort value as text, id) for the next cursor.
pub(crate) async fn page<E, C>(
    db: &impl ConnectionTrait,
    mut query: Select<E>,
    keyset: Keyset<C>,
    limit: u64,
    cursor: Option<&Cursor>,
    position: impl Fn(&E::Model) -> Cursor,
) -> Result<(Vec<E::Model>, Option<Cursor>), Error>
where
    E: EntityTrait<Column = C>,
    C: ColumnTrait,
{
    if let Some(cursor) = cursor {
        // A row comparison, `(column, id) < (value, id)`, so the database seeks into the
        // index; the equivalent OR of two conditions makes PostgreSQL walk the index from the
        // top and page 200 cost 40× page 1.
        let value = keyset.kind.parse(&cursor.value)?;
        let row = Expr::tuple([
            Expr::col((E::default(), keyset.column)),
            Expr::col((E::default(), keyset.id)),
        ]);
        let after = Expr::tuple([Expr::val(value), Expr::val(cursor.id)]);
        query = query.filter(if keyset.descending {
            row.lt(after)
        } else {
            row.gt(after)
        });
    }
    let order = if keyset.descending {
        Order::Desc
    } else {
        Order::Asc
    };
    let mut models = query
        .order_by(keyset.column, order.clone())
        .order_by(keyset.id, order)
        .limit(limit + 1)
        .all(db)
        .await
        .map_err(storage)?;
    let next = if models.len() as u64 > limit {
        models.truncate(limit as usize);
        models.last().map(position)
    } else {
        None
    };
    Ok((models, next))
}
