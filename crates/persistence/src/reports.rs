//! Reports: each one a few grouped queries the database answers over indexed columns,
//! within the caller's data scope; never rows loaded to be counted here.

mod forecast;
mod funnel;
mod performance;
mod win_rate;

pub use forecast::{ForecastSpec, forecast};
pub use funnel::funnel;
pub use performance::{PerformanceSpec, performance};
pub use win_rate::win_rate;
