//! `/document-template` (单据模板): the letterhead and texts printed on every document, and
//! its logo, uploaded as the raw image.

use crm_api_types::quotes::{DocumentTemplate, DocumentTemplateResponse};
use gloo_net::http::Method;

use super::{Api, ApiError, Call, Download, Versioned};

impl Api {
    pub async fn get_document_template(
        self,
    ) -> Result<Versioned<DocumentTemplateResponse>, ApiError> {
        self.versioned(
            Call::get("/document-template"),
            |t: &DocumentTemplateResponse| t.version,
        )
        .await
    }

    pub async fn replace_document_template(
        self,
        version: i32,
        body: &DocumentTemplate,
    ) -> Result<DocumentTemplateResponse, ApiError> {
        let call = Call::new(Method::PUT, "/document-template")
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    /// A PNG or JPEG of at most 512 KB, sent as is (the browser names its type).
    pub async fn upload_logo(
        self,
        file: web_sys::File,
    ) -> Result<DocumentTemplateResponse, ApiError> {
        self.json(Call::new(Method::PUT, "/document-template/logo").with_file(file))
            .await
    }

    pub async fn delete_logo(self) -> Result<DocumentTemplateResponse, ApiError> {
        self.json(Call::new(Method::DELETE, "/document-template/logo"))
            .await
    }

    /// The image, fetched with the token like every call.
    pub async fn logo(self) -> Result<Download, ApiError> {
        self.download(Call::get("/document-template/logo")).await
    }
}
