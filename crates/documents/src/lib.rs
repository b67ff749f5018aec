//! The CRM's printed documents: the quote (报价单) as a PDF.
//!
//! A pure library: data in, PDF bytes out. The layout is a Typst template
//! (`src/quote.typ`) compiled with an embedded CJK font (文泉驿微米黑, see `fonts/`), so a
//! bare server renders Chinese without any font installed. The data reaches the template as
//! Typst values, never as markup: whatever users typed prints as typed.

mod engine;
mod format;
mod quote;
mod words;

pub use quote::{CustomerBlock, QuoteDocument, SellerContact, render_quote};
pub use words::amount_in_words_zh;

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The logo is not a PNG or JPEG image that decodes: the uploader's fault (a 422).
    #[error("the logo is not a readable PNG or JPEG image: {0}")]
    Logo(String),
    /// The template failed to compile: a bug here, not bad input.
    #[error("the document template failed: {0}")]
    Template(String),
    /// Writing the laid-out document as PDF failed.
    #[error("PDF export failed: {0}")]
    Pdf(String),
}
