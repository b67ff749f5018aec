//! Outgoing webhooks: the dispatcher that sends the outbox's deliveries, signed per the
//! Standard Webhooks spec, to URLs checked against internal networks.

pub mod dispatcher;
mod sender;
pub mod signature;
