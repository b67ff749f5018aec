//! One file per page.

pub mod coming_soon;
pub mod departments;
pub mod lead_detail;
pub mod lead_form;
pub mod leads_list;
pub mod login;
pub mod not_found;
pub mod roles;
pub mod settings;
pub mod users;
