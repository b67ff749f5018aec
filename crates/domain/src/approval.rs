//! The approval engine (审批流), one for every kind of document: a policy chosen by the
//! document's facts (`policy`), approvers found for each of its steps (`approvers`), and the
//! request moving step by step as approvers decide (`flow`).

pub mod approvers;
pub mod flow;
pub mod policy;

/// At most this many characters in a decision's comment.
pub const COMMENT_MAX: usize = 2000;
