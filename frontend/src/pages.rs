//! One file per page.

pub mod business_rules;
pub mod coming_soon;
pub mod customer_detail;
pub mod customer_form;
pub mod customers_list;
pub mod departments;
pub mod home;
pub mod import_wizard;
pub mod lead_detail;
pub mod lead_form;
pub mod leads_list;
pub mod login;
pub mod not_found;
pub mod opportunities;
pub mod opportunity_detail;
pub mod opportunity_form;
pub mod price_list_editor;
pub mod price_lists;
pub mod products;
pub mod roles;
pub mod settings;
pub mod users;
