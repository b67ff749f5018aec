//! Contracts (合同), and the 法务 (legal) role that reviews them. Every existing tenant gets the
//! role, the contract permissions and the default contract chain: department manager, finance,
//! legal.

use sea_orm_migration::prelude::{
    DbErr, DeriveMigrationName, Expr, ExprTrait, MigrationTrait, Query, SchemaManager,
};
use sea_orm_migration::schema::{
    big_integer, date_null, string, text, text_null, timestamp_with_time_zone_null, uuid, uuid_null,
};
use sea_orm_migration::sea_orm::{ConnectionTrait, JsonValue};

use crate::columns::{n, table, versioned};
use crate::roles::grant_permissions;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [&str; 5] = [
    "CREATE UNIQUE INDEX ux_contracts_number ON contracts (tenant_id, number)",
    "CREATE INDEX ix_contracts_created ON contracts (tenant_id, created_at, id)",
    "CREATE INDEX ix_contracts_updated ON contracts (tenant_id, updated_at, id)",
    "CREATE INDEX ix_contracts_owner ON contracts (tenant_id, owner_id, status)",
    "CREATE INDEX ix_contracts_customer ON contracts (tenant_id, customer_id)",
];

/// The legal role as `BuiltinRole::Legal` defines it at this release.
const LEGAL_PERMISSIONS: [&str; 5] = [
    "customer.read",
    "opportunity.read",
    "quote.read",
    "contract.read",
    "sales_order.read",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut contracts = table("contracts");
        versioned(
            contracts
                .col(string(n("number")))
                .col(uuid(n("customer_id")))
                .col(uuid_null(n("contact_id")))
                .col(uuid_null(n("quote_id")))
                .col(uuid_null(n("opportunity_id")))
                .col(string(n("title")))
                .col(string(n("currency")))
                .col(date_null(n("signed_on")))
                .col(date_null(n("starts_on")))
                .col(date_null(n("ends_on")))
                .col(text_null(n("payment_terms")))
                .col(text_null(n("delivery_terms")))
                .col(text_null(n("terms")))
                .col(big_integer(n("header_discount_percent")))
                .col(big_integer(n("lines_total")))
                .col(big_integer(n("total_excl_vat")))
                .col(big_integer(n("vat_amount")))
                .col(big_integer(n("total")))
                .col(big_integer(n("max_discount_percent")))
                .col(text(n("lines")))
                .col(string(n("status")))
                .col(uuid_null(n("approval_id")))
                .col(uuid(n("owner_id")))
                .col(timestamp_with_time_zone_null(n("activated_at")))
                .col(timestamp_with_time_zone_null(n("completed_at")))
                .col(timestamp_with_time_zone_null(n("terminated_at")))
                .col(text_null(n("termination_reason")))
                .col(uuid(n("created_by")))
                .col(timestamp_with_time_zone_null(n("deleted_at"))),
        );
        manager.create_table(contracts.to_owned()).await?;
        let db = manager.get_connection();
        for statement in INDEXES {
            db.execute_unprepared(statement).await?;
        }
        let all = ["contract.read", "contract.write", "contract.delete"];
        grant_permissions(
            manager,
            &[
                ("admin", &all),
                ("sales_director", &all),
                ("sales_manager", &all),
                ("sales_rep", &["contract.read", "contract.write"]),
                ("finance", &["contract.read"]),
                ("viewer", &["contract.read"]),
            ],
        )
        .await?;
        let tenants = Query::select()
            .column(n("id"))
            .from(n("tenants"))
            .to_owned();
        for row in db.query_all(&tenants).await? {
            let tenant: uuid::Uuid = row.try_get("", "id")?;
            let legal = insert_legal_role(manager, tenant).await?;
            let finance = role_id(manager, tenant, "finance").await?;
            seed_contract_policy(manager, tenant, finance, legal).await?;
        }
        Ok(())
    }
}

async fn role_id(
    manager: &SchemaManager<'_>,
    tenant: uuid::Uuid,
    key: &str,
) -> Result<Option<uuid::Uuid>, DbErr> {
    let select = Query::select()
        .column(n("id"))
        .from(n("roles"))
        .and_where(Expr::col(n("tenant_id")).eq(tenant))
        .and_where(Expr::col(n("key")).eq(key))
        .to_owned();
    match manager.get_connection().query_one(&select).await? {
        Some(row) => Ok(Some(row.try_get("", "id")?)),
        None => Ok(None),
    }
}

async fn insert_legal_role(
    manager: &SchemaManager<'_>,
    tenant: uuid::Uuid,
) -> Result<uuid::Uuid, DbErr> {
    if let Some(existing) = role_id(manager, tenant, "legal").await? {
        return Ok(existing);
    }
    let id = uuid::Uuid::now_v7();
    let now = chrono::Utc::now();
    let insert = Query::insert()
        .into_table(n("roles"))
        .columns(
            [
                "id",
                "tenant_id",
                "key",
                "name",
                "permissions",
                "data_scope",
                "builtin",
                "version",
                "created_at",
                "updated_at",
            ]
            .map(n),
        )
        .values_panic([
            id.into(),
            tenant.into(),
            "legal".into(),
            "法务".into(),
            JsonValue::from(LEGAL_PERMISSIONS.to_vec()).into(),
            "all".into(),
            true.into(),
            1.into(),
            now.into(),
            now.into(),
        ])
        .to_owned();
    manager.get_connection().execute(&insert).await?;
    Ok(id)
}

/// A snapshot of `default_contract_policy`.
async fn seed_contract_policy(
    manager: &SchemaManager<'_>,
    tenant: uuid::Uuid,
    finance: Option<uuid::Uuid>,
    legal: uuid::Uuid,
) -> Result<(), DbErr> {
    let role_step = |name: &str, role: uuid::Uuid| {
        format!(
            r#"{{"name":"{name}","approvers":[{{"kind":"role","role_id":"{role}"}}],"mode":"any"}}"#
        )
    };
    let mut steps = vec![
        r#"{"name":"部门经理审批","approvers":[{"kind":"department_manager"}],"mode":"any"}"#
            .to_owned(),
    ];
    steps.extend(finance.map(|finance| role_step("财务审批", finance)));
    steps.push(role_step("法务审批", legal));
    let steps = format!("[{}]", steps.join(","));
    let now = chrono::Utc::now();
    let insert = Query::insert()
        .into_table(n("approval_policies"))
        .columns(
            [
                "id",
                "tenant_id",
                "document_kind",
                "name",
                "priority",
                "active",
                "match_mode",
                "conditions",
                "steps",
                "allow_self_approval",
                "version",
                "created_at",
                "updated_at",
            ]
            .map(n),
        )
        .values_panic([
            uuid::Uuid::now_v7().into(),
            tenant.into(),
            "contract".into(),
            "合同审批".into(),
            100.into(),
            true.into(),
            "any".into(),
            "[]".into(),
            steps.into(),
            false.into(),
            1.into(),
            now.into(),
            now.into(),
        ])
        .to_owned();
    manager.get_connection().execute(&insert).await?;
    Ok(())
}
