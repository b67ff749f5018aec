//! `/quotes` (报价单): the list, one quote and its edits, the live preview of an editor's
//! totals, the actions that move a quote along (submit, send, accept, decline, revise, copy),
//! its versions and their comparison, and its PDF.

use crm_api_types::Page;
use crm_api_types::quotes::{
    CompareQuery, CreateQuoteRequest, DeclineQuoteRequest, DocumentLanguage, PdfQuery, PdfVariant,
    QuoteActionRequest, QuoteComparisonResponse, QuoteListQuery, QuotePreviewResponse,
    QuoteResponse, QuoteSummary, UpdateQuoteRequest,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, Call, Download, Versioned};

/// The actions that take an optional note and answer with the quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteAction {
    /// For approval; with no policy matching it is approved at once.
    Submit,
    Send,
    Accept,
    /// A new version (draft, revision + 1); the old one freezes.
    Revise,
    /// A new quote with a new number.
    Copy,
}

impl QuoteAction {
    fn path(self) -> &'static str {
        match self {
            QuoteAction::Submit => "submit",
            QuoteAction::Send => "send",
            QuoteAction::Accept => "accept",
            QuoteAction::Revise => "revise",
            QuoteAction::Copy => "copy",
        }
    }
}

impl Api {
    pub async fn list_quotes(self, query: &QuoteListQuery) -> Result<Page<QuoteSummary>, ApiError> {
        self.json(Call::get("/quotes").with_query(query)?).await
    }

    pub async fn create_quote(self, body: &CreateQuoteRequest) -> Result<QuoteResponse, ApiError> {
        self.json(Call::new(Method::POST, "/quotes").with_json(body)?)
            .await
    }

    /// The lines and totals `body` would store, computed by the server; nothing is saved.
    pub async fn preview_quote(
        self,
        body: &CreateQuoteRequest,
    ) -> Result<QuotePreviewResponse, ApiError> {
        self.json(Call::new(Method::POST, "/quotes/preview").with_json(body)?)
            .await
    }

    pub async fn get_quote(self, id: Uuid) -> Result<Versioned<QuoteResponse>, ApiError> {
        self.versioned(Call::get(format!("/quotes/{id}")), |q: &QuoteResponse| {
            q.summary.version
        })
        .await
    }

    pub async fn update_quote(
        self,
        id: Uuid,
        version: i32,
        body: &UpdateQuoteRequest,
    ) -> Result<QuoteResponse, ApiError> {
        let call = Call::new(Method::PATCH, format!("/quotes/{id}"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    /// A draft or rejected quote only.
    pub async fn delete_quote(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(Method::DELETE, format!("/quotes/{id}")))
            .await
    }

    /// `version` is the one the user saw (`If-Match`): a quote changed since answers 412.
    /// Revise and copy answer with the new quote, the others with this one.
    pub async fn quote_action(
        self,
        id: Uuid,
        version: i32,
        action: QuoteAction,
        body: &QuoteActionRequest,
    ) -> Result<QuoteResponse, ApiError> {
        let path = format!("/quotes/{id}/{}", action.path());
        let call = Call::new(Method::POST, path).with_json(body)?;
        // A copy leaves the quote as it is, whatever its version.
        let call = if action == QuoteAction::Copy {
            call
        } else {
            call.if_match(version)
        };
        self.json(call).await
    }

    pub async fn decline_quote(
        self,
        id: Uuid,
        version: i32,
        body: &DeclineQuoteRequest,
    ) -> Result<QuoteResponse, ApiError> {
        let call = Call::new(Method::POST, format!("/quotes/{id}/decline"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    /// Every version of the quote's number, oldest first.
    pub async fn quote_versions(self, id: Uuid) -> Result<Vec<QuoteSummary>, ApiError> {
        self.json(Call::get(format!("/quotes/{id}/versions"))).await
    }

    /// `id` is the version shown as "before", `with` the one shown as "after".
    pub async fn compare_quotes(
        self,
        id: Uuid,
        with: Uuid,
    ) -> Result<QuoteComparisonResponse, ApiError> {
        let query = CompareQuery { with };
        self.json(Call::get(format!("/quotes/{id}/compare")).with_query(&query)?)
            .await
    }

    /// The printed quote; `download` asks for an attachment (a file name) rather than inline.
    pub async fn quote_pdf(
        self,
        id: Uuid,
        variant: PdfVariant,
        lang: DocumentLanguage,
        download: bool,
    ) -> Result<Download, ApiError> {
        let query = PdfQuery {
            variant: Some(variant),
            lang: Some(lang),
            download: Some(download),
        };
        self.download(Call::get(format!("/quotes/{id}/pdf")).with_query(&query)?)
            .await
    }
}
