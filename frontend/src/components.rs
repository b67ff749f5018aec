//! Building blocks shared by the pages.

pub mod activity_form;
pub mod activity_timeline;
pub mod allocation;
pub mod approval_panel;
pub mod approvals_badge;
pub mod attachments;
pub mod badges;
pub mod customer_picker;
pub mod duplicates;
pub mod editor_page;
pub mod export_buttons;
pub mod form_field;
pub mod icons;
pub mod modal;
pub mod notifications_bell;
pub mod owner;
pub mod page_state;
pub mod paged;
pub mod payment_dialog;
pub mod product_picker;
pub mod quote_totals;
pub mod shell;
pub mod stage_move;
pub mod table;
pub mod tags_field;
pub mod toast;
