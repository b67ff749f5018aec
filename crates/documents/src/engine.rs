//! The Typst engine with the quote template and the embedded font, built once per process.

use std::sync::OnceLock;

use typst::diag::SourceDiagnostic;
use typst::foundations::{Bytes, Dict, Smart};
use typst::syntax::{DiagSpanKind, Source};
use typst::text::Font;
use typst_as_lib::conversions::IntoSource;
use typst_as_lib::{TypstAsLibError, TypstEngine, TypstTemplateMainFile};
use typst_layout::PagedDocument;

use crate::RenderError;

/// 文泉驿微米黑 (WenQuanYi Micro Hei) from Debian's `fonts-wqy-microhei`: CJK and Latin in
/// one face, a few MB in the binary; PDFs embed only the glyphs they use.
static FONT: &[u8] = include_bytes!("../fonts/wqy-microhei.ttc");
/// The collection's proportional face; its second face is the monospaced one.
const FONT_FAMILY: &str = "WenQuanYi Micro Hei";
static QUOTE_TEMPLATE: &str = include_str!("quote.typ");

struct Template {
    engine: TypstEngine<TypstTemplateMainFile>,
    /// Kept to point template errors at their line.
    source: Source,
}

fn quote_template() -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let fonts = Font::iter(Bytes::new(FONT)).filter(|font| font.info().family == FONT_FAMILY);
        let source = ("quote.typ", QUOTE_TEMPLATE).into_source();
        let engine = TypstEngine::builder()
            .main_file(source.clone())
            .fonts(fonts)
            .build();
        Template { engine, source }
    })
}

/// Lays out the quote template with `inputs` as `sys.inputs` and writes it as PDF.
pub(crate) fn render_quote_pdf(inputs: Dict, ident: String) -> Result<Vec<u8>, RenderError> {
    let template = quote_template();
    let document: PagedDocument =
        template
            .engine
            .compile_with_input(inputs)
            .output
            .map_err(|error| match error {
                TypstAsLibError::TypstSource(diagnostics) => {
                    RenderError::Template(template.messages(&diagnostics))
                }
                other => RenderError::Template(other.to_string()),
            })?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(ident),
        // Tags (accessibility structure) take ~2 KB per table row: 600 KB for 200 lines.
        tagged: false,
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options)
        .map_err(|diagnostics| RenderError::Pdf(template.messages(&diagnostics)))
}

impl Template {
    /// `quote.typ:12: message` for each diagnostic.
    fn messages(&self, diagnostics: &[SourceDiagnostic]) -> String {
        let messages: Vec<_> = diagnostics
            .iter()
            .map(|diagnostic| {
                let start = match diagnostic.span.get() {
                    DiagSpanKind::Number { num, sub_range, .. } => {
                        self.source.range(num, sub_range).map(|range| range.start)
                    }
                    DiagSpanKind::Range { range, .. } => Some(range.start),
                    DiagSpanKind::Detached => None,
                };
                let line = start.and_then(|start| self.source.lines().byte_to_line(start));
                match line {
                    Some(line) => format!("quote.typ:{}: {}", line + 1, diagnostic.message),
                    None => diagnostic.message.to_string(),
                }
            })
            .collect();
        messages.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_collection_yields_one_face_of_the_family() {
        let faces: Vec<_> = Font::iter(Bytes::new(FONT))
            .map(|font| font.info().family.clone())
            .collect();
        let matching = faces.iter().filter(|family| *family == FONT_FAMILY).count();
        assert_eq!(matching, 1, "{faces:?}");
    }
}
