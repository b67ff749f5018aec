//! `/attachments` (附件): files on a customer, opportunity, quote, contract or order. An
//! upload is the raw file as the body; a download is fetched with the token like every call.

use crm_api_types::attachments::{
    AttachmentListQuery, AttachmentResponse, AttachmentSubject, UploadAttachmentQuery,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, Call, Download};

impl Api {
    pub async fn list_attachments(
        self,
        subject_kind: AttachmentSubject,
        subject_id: Uuid,
    ) -> Result<Vec<AttachmentResponse>, ApiError> {
        let query = AttachmentListQuery {
            subject_kind,
            subject_id,
        };
        self.json(Call::get("/attachments").with_query(&query)?)
            .await
    }

    /// At most 20 MiB; the server names the type from the bytes.
    pub async fn upload_attachment(
        self,
        subject_kind: AttachmentSubject,
        subject_id: Uuid,
        file: web_sys::File,
    ) -> Result<AttachmentResponse, ApiError> {
        let query = UploadAttachmentQuery {
            subject_kind,
            subject_id,
            file_name: file.name(),
        };
        self.json(
            Call::new(Method::POST, "/attachments")
                .with_query(&query)?
                .with_file(file),
        )
        .await
    }

    pub async fn attachment_content(self, id: Uuid) -> Result<Download, ApiError> {
        self.download(Call::get(format!("/attachments/{id}/content")))
            .await
    }

    pub async fn delete_attachment(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(Method::DELETE, format!("/attachments/{id}")))
            .await
    }
}
