//! What an attachment may be: a named file of a known type, within the size limit. The type
//! is read from the bytes; the name's extension must agree with it, so a renamed executable
//! is not served as a PDF.

use crate::validation::{FieldErrors, Violation};

/// 20 MiB: a scanned contract of a few dozen pages.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
const NAME_MAX: usize = 200;

/// A file type the CRM keeps, with the extensions it goes by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    pub content_type: &'static str,
    extensions: &'static [&'static str],
}

const PDF: FileType = FileType {
    content_type: "application/pdf",
    extensions: &["pdf"],
};
const PNG: FileType = FileType {
    content_type: "image/png",
    extensions: &["png"],
};
const JPEG: FileType = FileType {
    content_type: "image/jpeg",
    extensions: &["jpg", "jpeg"],
};
const GIF: FileType = FileType {
    content_type: "image/gif",
    extensions: &["gif"],
};
const DOCX: FileType = FileType {
    content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    extensions: &["docx"],
};
const XLSX: FileType = FileType {
    content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extensions: &["xlsx"],
};
const PPTX: FileType = FileType {
    content_type: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    extensions: &["pptx"],
};
const ZIP: FileType = FileType {
    content_type: "application/zip",
    extensions: &["zip"],
};
const DOC: FileType = FileType {
    content_type: "application/msword",
    extensions: &["doc"],
};
const XLS: FileType = FileType {
    content_type: "application/vnd.ms-excel",
    extensions: &["xls"],
};
const TEXT: FileType = FileType {
    content_type: "text/plain; charset=utf-8",
    extensions: &["txt"],
};
const CSV: FileType = FileType {
    content_type: "text/csv; charset=utf-8",
    extensions: &["csv"],
};

/// A checked upload: its name and what its bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub file_name: String,
    pub file_type: FileType,
}

fn extension(name: &str) -> Option<String> {
    let (_, ext) = name.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

/// The types the bytes could be; the name's extension picks among them.
fn candidates(bytes: &[u8]) -> &'static [FileType] {
    if bytes.starts_with(b"%PDF-") {
        &[PDF]
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        &[PNG]
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        &[JPEG]
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        &[GIF]
    } else if bytes.starts_with(b"PK\x03\x04") {
        &[DOCX, XLSX, PPTX, ZIP]
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        &[DOC, XLS]
    } else if std::str::from_utf8(bytes).is_ok_and(|t| !t.contains('\0')) {
        &[TEXT, CSV]
    } else {
        &[]
    }
}

/// Checks an upload: a plain file name, 1..=`MAX_BYTES` bytes of a kept type whose extension
/// the name carries. Errors name `file_name` or `file`.
pub fn check(file_name: &str, bytes: &[u8]) -> Result<Upload, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = file_name.trim();
    let plain = !name.is_empty()
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
        && name != "."
        && name != "..";
    if name.chars().count() > NAME_MAX {
        errors.add("file_name", Violation::TooLong { max: NAME_MAX });
    } else if !plain {
        errors.add("file_name", Violation::InvalidFormat);
    }
    if bytes.is_empty() {
        errors.add("file", Violation::Required);
    }
    let ext = extension(name).unwrap_or_default();
    let file_type = candidates(bytes)
        .iter()
        .find(|t| t.extensions.contains(&ext.as_str()))
        .copied();
    if file_type.is_none() && !bytes.is_empty() {
        errors.add("file", Violation::UnknownValue);
    }
    let upload = file_type.map(|file_type| Upload {
        file_name: name.to_owned(),
        file_type,
    });
    match (errors.finish(()), upload) {
        (Ok(()), Some(upload)) => Ok(upload),
        (Err(errors), _) => Err(errors),
        (Ok(()), None) => Err(FieldErrors::single("file", Violation::UnknownValue)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(result: Result<Upload, FieldErrors>) -> Vec<(String, &'static str)> {
        result
            .err()
            .unwrap_or_default()
            .iter()
            .map(|(f, v)| (f.to_owned(), v.code()))
            .collect()
    }

    #[test]
    fn the_bytes_decide_the_type_and_the_name_must_agree() {
        let pdf = check("合同扫描件.PDF", b"%PDF-1.7 ...").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(pdf.file_type.content_type, "application/pdf");
        let docx = check("技术协议.docx", b"PK\x03\x04rest").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(docx.file_type, DOCX);
        // An executable renamed .pdf, or a PDF renamed .exe, is refused.
        assert_eq!(
            codes(check("invoice.pdf", b"MZ\x90\x00binary\x00")),
            [("file".to_owned(), "unknown_value")]
        );
        assert_eq!(
            codes(check("setup.exe", b"%PDF-1.7")),
            [("file".to_owned(), "unknown_value")]
        );
        let csv = check("回款明细.csv", "客户,金额\n苏州,1".as_bytes())
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(csv.file_type, CSV);
    }

    #[test]
    fn names_are_plain_and_files_not_empty() {
        assert_eq!(
            codes(check("../etc/passwd.txt", b"x")),
            [("file_name".to_owned(), "invalid_format")]
        );
        assert_eq!(
            codes(check("a.txt", b"")),
            [("file".to_owned(), "required")]
        );
        let long = format!("{}.pdf", "长".repeat(200));
        assert_eq!(
            codes(check(&long, b"%PDF-")),
            [("file_name".to_owned(), "too_long")]
        );
    }
}
