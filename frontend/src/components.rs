//! Building blocks shared by the pages.

pub mod form_field;
pub mod icons;
pub mod modal;
pub mod shell;
pub mod table;
pub mod toast;
