//! `/imports` (upload a file, preview a column mapping, commit, follow, rejected rows) and
//! `/exports/{leads|customers|contacts}`. Files come back as [`Download`]s: fetched with the
//! access token like every call, then handed to the browser (see [`crate::files`]).

use crm_api_types::imports::{
    ContactExportQuery, CreateImportQuery, CustomerExportQuery, FileFormat, ImportKind,
    ImportResponse, LeadExportQuery, PreviewImportRequest, PreviewImportResponse, RejectionsQuery,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, Call, problem};

/// A file the API answered with.
#[derive(Debug, Clone, PartialEq)]
pub struct Download {
    pub bytes: Vec<u8>,
    pub content_type: String,
    /// From `Content-Disposition`, when the server named the file.
    pub file_name: Option<String>,
    /// An export that stopped at its row limit (`x-export-truncated: true`).
    pub truncated: bool,
}

impl Api {
    /// Stores the file; nothing is imported until a preview and a commit.
    pub async fn create_import(
        self,
        kind: ImportKind,
        file: web_sys::File,
    ) -> Result<ImportResponse, ApiError> {
        let query = CreateImportQuery {
            kind,
            file_name: file.name(),
        };
        self.json(
            Call::new(Method::POST, "/imports")
                .with_query(&query)?
                .with_file(file),
        )
        .await
    }

    pub async fn get_import(self, id: Uuid) -> Result<ImportResponse, ApiError> {
        self.json(Call::get(format!("/imports/{id}"))).await
    }

    /// A 422 names `mapping[i]` (unknown or repeated field) or `mapping.<field>` (unmapped).
    pub async fn preview_import(
        self,
        id: Uuid,
        body: &PreviewImportRequest,
    ) -> Result<PreviewImportResponse, ApiError> {
        self.json(Call::new(Method::POST, format!("/imports/{id}/preview")).with_json(body)?)
            .await
    }

    pub async fn commit_import(self, id: Uuid) -> Result<ImportResponse, ApiError> {
        self.json(Call::new(Method::POST, format!("/imports/{id}/commit")))
            .await
    }

    /// The rows that did not go in, each with its reason.
    pub async fn import_rejections(
        self,
        id: Uuid,
        format: FileFormat,
    ) -> Result<Download, ApiError> {
        let query = RejectionsQuery {
            format: Some(format),
        };
        self.download(Call::get(format!("/imports/{id}/rejections")).with_query(&query)?)
            .await
    }

    pub async fn export_leads(self, query: &LeadExportQuery) -> Result<Download, ApiError> {
        self.download(Call::get("/exports/leads").with_query(query)?)
            .await
    }

    pub async fn export_customers(self, query: &CustomerExportQuery) -> Result<Download, ApiError> {
        self.download(Call::get("/exports/customers").with_query(query)?)
            .await
    }

    pub async fn export_contacts(self, query: &ContactExportQuery) -> Result<Download, ApiError> {
        self.download(Call::get("/exports/contacts").with_query(query)?)
            .await
    }

    pub(super) async fn download(self, call: Call) -> Result<Download, ApiError> {
        let response = self.send(call).await?;
        if !response.ok() {
            return Err(problem(response).await);
        }
        let headers = response.headers();
        let file_name = headers
            .get("content-disposition")
            .as_deref()
            .and_then(disposition_file_name);
        let content_type = headers.get("content-type").unwrap_or_default();
        let truncated = headers.get("x-export-truncated").as_deref() == Some("true");
        let bytes = response.binary().await.map_err(|_| ApiError::Network)?;
        Ok(Download {
            bytes,
            content_type,
            file_name,
            truncated,
        })
    }
}

/// The file name of `attachment; filename="a.csv"; filename*=UTF-8''%E5%AE%A2.csv`: the
/// UTF-8 one when given, else the plain one.
fn disposition_file_name(header: &str) -> Option<String> {
    let mut plain = None;
    for part in header.split(';').map(str::trim) {
        if let Some(encoded) = part.strip_prefix("filename*=") {
            let value = encoded.split_once("''").map_or(encoded, |(_, v)| v);
            if let Some(name) = percent_decode(value) {
                return Some(name);
            }
        } else if let Some(value) = part.strip_prefix("filename=") {
            plain = Some(value.trim_matches('"').to_owned());
        }
    }
    plain.filter(|name| !name.is_empty())
}

fn percent_decode(value: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(value.len());
    let mut rest = value.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        if byte == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(byte);
            rest = tail;
        }
    }
    String::from_utf8(bytes)
        .ok()
        .filter(|name| !name.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_utf8_name_wins() {
        let header = "attachment; filename=\"customers-rejected.csv\"; \
                      filename*=UTF-8''%E5%AE%A2%E6%88%B7-%E9%94%99%E8%AF%AF%E8%A1%8C.csv";
        assert_eq!(
            disposition_file_name(header).as_deref(),
            Some("客户-错误行.csv")
        );
    }

    #[test]
    fn the_plain_name_otherwise() {
        assert_eq!(
            disposition_file_name("attachment; filename=\"leads.xlsx\"").as_deref(),
            Some("leads.xlsx")
        );
        assert_eq!(
            disposition_file_name("attachment; filename*=UTF-8''%ZZ; filename=\"a.csv\"")
                .as_deref(),
            Some("a.csv")
        );
        assert_eq!(disposition_file_name("attachment"), None);
    }
}
