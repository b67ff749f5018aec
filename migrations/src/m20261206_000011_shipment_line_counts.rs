//! A shipment's line count, stored: a shipment's lines never change once recorded, and the
//! order page lists the shipments with their counts without reading their lines (an order of
//! 200 lines and 50 shipments has 10,000).

use sea_orm_migration::prelude::{
    DbErr, DeriveMigrationName, MigrationTrait, SchemaManager, Table,
};
use sea_orm_migration::schema::integer;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::columns::n;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(n("shipments"))
                    .add_column(integer(n("line_count")).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE shipments SET line_count = \
                 (SELECT COUNT(*) FROM shipment_lines WHERE shipment_lines.shipment_id = shipments.id)",
            )
            .await?;
        Ok(())
    }
}
