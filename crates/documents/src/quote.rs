//! The quote (报价单): what the template receives, built from the API's quote.

use chrono::NaiveDate;
use crm_api_types::quotes::{
    DocumentLanguage, DocumentTemplate, PdfVariant, QuoteLineResponse, QuoteResponse,
};
use rust_decimal::Decimal;
use typst::foundations::{Array, Bytes, Dict, IntoValue, Smart, Value};
use typst::visualize::{ExchangeFormat, RasterImage};

use crate::{RenderError, engine, format, words};

/// Everything printed on a quote.
#[derive(Debug, Clone, Copy)]
pub struct QuoteDocument<'a> {
    /// Lines, totals, terms, number, revision, validity, customer and owner names.
    /// `internal_note` is never printed.
    pub quote: &'a QuoteResponse,
    /// The letterhead and the template's texts; fields left `None` take the defaults.
    pub template: &'a DocumentTemplate,
    /// The company name when `template.company_name` is `None`.
    pub tenant_name: &'a str,
    /// PNG or JPEG bytes, printed top left of the letterhead.
    pub logo: Option<&'a [u8]>,
    pub customer: CustomerBlock<'a>,
    pub seller_contact: SellerContact<'a>,
    /// 报价日期
    pub issued_on: NaiveDate,
    /// The labels' language; the data prints as entered.
    pub language: DocumentLanguage,
    pub variant: PdfVariant,
}

/// The buyer as printed (客户, 联系人, 电话, 地址).
#[derive(Debug, Clone, Copy, Default)]
pub struct CustomerBlock<'a> {
    pub name: &'a str,
    pub address: Option<&'a str>,
    pub contact_name: Option<&'a str>,
    pub contact_phone: Option<&'a str>,
    pub contact_mobile: Option<&'a str>,
    pub contact_email: Option<&'a str>,
}

/// The quote's owner, the sales rep the customer talks to (销售代表).
#[derive(Debug, Clone, Copy, Default)]
pub struct SellerContact<'a> {
    pub name: &'a str,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
}

/// Renders the quote as a PDF (A4, lines table repeating its header on every page).
///
/// Fails with [`RenderError::Logo`] when `logo` is not a PNG or JPEG image that decodes.
/// Blocking CPU work (release build: ~15 ms a page, ~130 ms for 200 lines): call it off
/// the async executor, e.g. in `actix_web::web::block`.
pub fn render_quote(doc: &QuoteDocument) -> Result<Vec<u8>, RenderError> {
    let inputs = inputs(doc)?;
    let summary = &doc.quote.summary;
    engine::render_quote_pdf(inputs, format!("{}/{}", summary.number, summary.revision))
}

fn inputs(doc: &QuoteDocument) -> Result<Dict, RenderError> {
    let quote = doc.quote;
    let summary = &quote.summary;
    let template = doc.template;
    let language = doc.language;
    let priced = doc.variant == PdfVariant::Priced;

    let number = if summary.revision > 1 {
        format!("{} v{}", summary.number, summary.revision)
    } else {
        summary.number.clone()
    };
    let company_name = text(template.company_name.as_deref()).unwrap_or(doc.tenant_name);
    let (logo, logo_format) = match doc.logo {
        Some(bytes) => {
            let (bytes, format) = logo(bytes)?;
            (Value::Bytes(bytes), format.into_value())
        }
        None => (Value::None, Value::None),
    };

    let mut lines: Vec<&QuoteLineResponse> = quote.lines.iter().collect();
    lines.sort_by_key(|line| line.position);
    let lines: Array = lines
        .iter()
        .enumerate()
        .map(|(i, line)| line_value(i + 1, line, priced))
        .collect();

    Ok(dict([
        ("lang", str_value(lang_key(language))),
        ("priced", Value::Bool(priced)),
        ("number", str_value(&number)),
        ("title", opt(template.quote_title.as_deref())),
        ("subject", opt(summary.title.as_deref())),
        ("intro", opt(template.quote_intro.as_deref())),
        ("closing", opt(template.quote_closing.as_deref())),
        (
            "seller_sign",
            opt(template.seller_signature_label.as_deref()),
        ),
        ("buyer_sign", opt(template.buyer_signature_label.as_deref())),
        (
            "issued_on",
            str_value(&format::date(doc.issued_on, language)),
        ),
        (
            "valid_until",
            str_value(&format::date(summary.valid_until, language)),
        ),
        ("currency", str_value(&summary.currency)),
        ("logo", logo),
        ("logo_format", logo_format),
        (
            "company",
            Value::Dict(dict([
                ("name", str_value(company_name)),
                ("address", opt(template.address.as_deref())),
                ("phone", opt(template.phone.as_deref())),
                ("email", opt(template.email.as_deref())),
                ("website", opt(template.website.as_deref())),
                ("tax_id", opt(template.tax_id.as_deref())),
                ("bank_name", opt(template.bank_name.as_deref())),
                ("bank_account", opt(template.bank_account.as_deref())),
            ])),
        ),
        (
            "customer",
            Value::Dict(dict([
                ("name", str_value(doc.customer.name)),
                ("address", opt(doc.customer.address)),
                ("contact", opt(doc.customer.contact_name)),
                ("phone", opt(doc.customer.contact_phone)),
                ("mobile", opt(doc.customer.contact_mobile)),
                ("email", opt(doc.customer.contact_email)),
            ])),
        ),
        (
            "seller",
            Value::Dict(dict([
                ("name", opt(Some(doc.seller_contact.name))),
                ("phone", opt(doc.seller_contact.phone)),
                ("email", opt(doc.seller_contact.email)),
            ])),
        ),
        ("lines", Value::Array(lines)),
        (
            "totals",
            if priced {
                totals_value(quote)
            } else {
                Value::None
            },
        ),
        (
            "terms",
            Value::Dict(dict([
                ("payment", opt(quote.payment_terms.as_deref())),
                ("delivery", opt(quote.delivery_terms.as_deref())),
                ("notes", opt(quote.notes.as_deref())),
            ])),
        ),
    ]))
}

fn line_value(no: usize, line: &QuoteLineResponse, priced: bool) -> Value {
    let mut fields = dict([
        ("no", str_value(&no.to_string())),
        (
            "code",
            str_value(line.product_code.as_deref().unwrap_or_default()),
        ),
        ("name", str_value(&line.name)),
        ("spec", opt(line.spec.as_deref())),
        ("description", opt(line.description.as_deref())),
        ("qty", str_value(&format::quantity(line.quantity))),
        ("unit", str_value(&line.unit)),
    ]);
    if priced {
        let discount = if line.discount_percent.is_zero() {
            "—".to_owned()
        } else {
            format::percent(line.discount_percent)
        };
        for (key, value) in [
            ("unit_price", format::money(line.unit_price)),
            ("discount", discount),
            (
                "vat",
                format::percent(line.vat_rate.rate() * Decimal::ONE_HUNDRED),
            ),
            ("amount", format::money(line.amount)),
        ] {
            fields.insert(key.into(), str_value(&value));
        }
    }
    Value::Dict(fields)
}

fn totals_value(quote: &QuoteResponse) -> Value {
    let totals = &quote.totals;
    let currency = quote.summary.currency.as_str();
    let is_cny = currency.eq_ignore_ascii_case("CNY");
    let in_words = words::amount_in_words_zh(totals.total);
    let discounted = totals.header_discount_percent > Decimal::ZERO;
    Value::Dict(dict([
        (
            "symbol",
            str_value(&if is_cny {
                "¥".to_owned()
            } else {
                format!("{currency} ")
            }),
        ),
        ("lines_total", str_value(&format::money(totals.lines_total))),
        (
            "discount_percent",
            if discounted {
                str_value(&format::percent(totals.header_discount_percent))
            } else {
                Value::None
            },
        ),
        (
            "discount_amount",
            str_value(&format::money(totals.header_discount_amount)),
        ),
        ("excl_vat", str_value(&format::money(totals.total_excl_vat))),
        ("vat", str_value(&format::money(totals.vat_amount))),
        ("total", str_value(&format::money(totals.total))),
        (
            "words",
            str_value(&if is_cny {
                format!("人民币{in_words}")
            } else {
                in_words
            }),
        ),
        (
            "words_currency",
            if is_cny {
                Value::None
            } else {
                str_value(currency)
            },
        ),
    ]))
}

/// Checks the logo is a PNG or JPEG that decodes, so a broken upload is the caller's error
/// rather than a template failure. Typst memoizes the decoding: the template's `image`
/// call reuses this one.
fn logo(bytes: &[u8]) -> Result<(Bytes, &'static str), RenderError> {
    let (format, name) = match ExchangeFormat::detect(bytes) {
        Some(ExchangeFormat::Png) => (ExchangeFormat::Png, "png"),
        Some(ExchangeFormat::Jpg) => (ExchangeFormat::Jpg, "jpg"),
        _ => return Err(RenderError::Logo("not a PNG or JPEG file".to_owned())),
    };
    let bytes = Bytes::new(bytes.to_vec());
    RasterImage::new(bytes.clone(), format, Smart::Auto)
        .map_err(|error| RenderError::Logo(error.to_string()))?;
    Ok((bytes, name))
}

fn lang_key(language: DocumentLanguage) -> &'static str {
    match language {
        DocumentLanguage::ZhCn => "zh",
        DocumentLanguage::En => "en",
    }
}

fn dict<const N: usize>(entries: [(&str, Value); N]) -> Dict {
    let mut dict = Dict::new();
    for (key, value) in entries {
        dict.insert(key.into(), value);
    }
    dict
}

fn str_value(text: &str) -> Value {
    Value::Str(text.into())
}

/// A text with something in it, trimmed.
fn text(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|text| !text.is_empty())
}

/// An optional text: `none` in the template when absent or blank.
fn opt(value: Option<&str>) -> Value {
    text(value).map_or(Value::None, str_value)
}
