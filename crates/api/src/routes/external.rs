//! Inbound sync by external id: `PUT /<resource>/by-external-id/{source}/{id}` creates the
//! record an ERP names or changes the one it made before; `GET` on the same path reads it
//! (for records with a page of their own); `POST /<resource>/bulk` upserts up to 1,000 at
//! once with a result per item. Every outcome is kept as the external record's sync state
//! (`/sync-states`).

mod documents;
mod master_data;

use super::Registry;

pub fn configure(cfg: &mut impl Registry) {
    master_data::configure(cfg);
    documents::configure(cfg);
}
