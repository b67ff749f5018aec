//! Reports: each one a few grouped queries the database answers over indexed columns,
//! within the caller's data scope; never rows loaded to be counted here.

mod activity;
mod collections;
mod customer_value;
mod forecast;
mod funnel;
mod lead_sources;
mod orders;
mod performance;
mod records;
mod win_rate;

use crm_api_types::sales_orders::SalesOrderStatus;

pub use activity::{ActivitySpec, activity};
pub use collections::{CollectionsSpec, collections};
pub use customer_value::{CustomerValueSpec, customer_value};
pub use forecast::{ForecastSpec, forecast};
pub use funnel::funnel;
pub use lead_sources::lead_sources;
pub use orders::{OrdersSpec, orders};
pub use performance::{PerformanceSpec, performance};
pub use records::RecordNarrowing;
pub use win_rate::win_rate;

/// Order statuses whose orders count as ordered: confirmed or further, not cancelled.
pub(crate) const ORDERED: [SalesOrderStatus; 4] = [
    SalesOrderStatus::Confirmed,
    SalesOrderStatus::PartiallyShipped,
    SalesOrderStatus::Shipped,
    SalesOrderStatus::Completed,
];
