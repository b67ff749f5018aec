//! Reports: each one a few grouped queries the database answers over indexed columns,
//! within the caller's data scope; never rows loaded to be counted here.

mod funnel;
mod win_rate;

pub use funnel::funnel;
pub use win_rate::win_rate;
