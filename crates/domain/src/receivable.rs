//! Receivables (应收款): an order's collection plan of instalments (`plan`), payments and how
//! they are applied to instalments (`allocation`), invoices (`invoice`), and how long what is
//! outstanding has been due (`aging`). Every amount here is to the cent.

pub mod aging;
pub mod allocation;
pub mod invoice;
pub mod plan;

/// A payment number from the tenant's series: `RC-2026-000017` (收款单).
pub fn payment_number(year: i32, sequence: i64) -> String {
    format!("RC-{year}-{sequence:06}")
}
