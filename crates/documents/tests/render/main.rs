//! Renders quotes and reads the PDFs back with `pdftotext` (Debian's `poppler-utils`, which
//! `scripts/setup.sh` installs).

mod fixtures;

use std::error::Error;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use crm_api_types::quotes::{DocumentLanguage, DocumentTemplate, PdfVariant};
use crm_documents::{CustomerBlock, RenderError, SellerContact, render_quote};
use fixtures::{Line, document, letterhead, quote, servo_lines};

type TestResult = Result<(), Box<dyn Error>>;

const SMALL_PDF: usize = 200 * 1024;

fn temp_pdf(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("crm-documents-{}-{name}.pdf", std::process::id()))
}

/// The PDF's text as `pdftotext -layout` extracts it.
fn pdf_text(pdf: &[u8], name: &str) -> Result<String, Box<dyn Error>> {
    let path = temp_pdf(name);
    std::fs::write(&path, pdf)?;
    let output = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output();
    std::fs::remove_file(&path)?;
    let output = output.map_err(|e| format!("pdftotext (apt-get install poppler-utils): {e}"))?;
    if !output.status.success() {
        return Err(format!("pdftotext: {}", String::from_utf8_lossy(&output.stderr)).into());
    }
    Ok(String::from_utf8(output.stdout)?)
}

/// Without whitespace: `-layout` drops the narrow spaces Typst sets between Chinese and
/// Latin text (第 2 页 comes out as 第2页) and pads columns with wide ones; the template
/// puts zero-width spaces into overlong codes and figures to let them wrap.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200B}')
        .collect()
}

fn assert_contains(text: &str, needles: &[&str]) {
    let squashed = squash(text);
    for needle in needles {
        assert!(
            squashed.contains(&squash(needle)),
            "{needle:?} missing from:\n{text}"
        );
    }
}

fn assert_lacks(text: &str, needles: &[&str]) {
    let squashed = squash(text);
    for needle in needles {
        assert!(
            !squashed.contains(&squash(needle)),
            "{needle:?} printed:\n{text}"
        );
    }
}

fn many_lines(count: usize) -> Vec<Line> {
    servo_lines().into_iter().cycle().take(count).collect()
}

#[test]
fn a_priced_chinese_quote_prints_customer_lines_totals_and_words() -> TestResult {
    let quote = quote(&servo_lines(), "0", "CNY");
    let template = letterhead();
    let pdf = render_quote(&document(
        &quote,
        &template,
        DocumentLanguage::ZhCn,
        PdfVariant::Priced,
    ))?;
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        pdf.len() < SMALL_PDF,
        "a one-page quote takes {} bytes",
        pdf.len()
    );

    let text = pdf_text(&pdf, "priced")?;
    assert_contains(
        &text,
        &[
            "苏州艾克姆自动化设备有限公司",
            "报价单",
            "QT-2026-000123 v2",
            "2026年11月23日",
            "2026年12月23日",
            "苏州精密机械有限公司",
            "王建国",
            "李娜",
            "伺服电机",
            "MS1H2-75B30CB",
            "SRV-750",
            "3,280.00",
            "32,800.00",
            "10%",
            "13%",
            "6%",
            "100,300.00",
            "人民币壹拾万零叁佰元整",
            "预付 30%",
            "合同生效后 45 天",
            "质保期为验收合格后 12 个月",
            "中国工商银行苏州工业园区支行",
            "卖方（盖章）",
            "买方确认（盖章）",
            "第 1 页 / 共 1 页",
        ],
    );
    // No header discount, no line for it; the internal note is never printed.
    assert_lacks(&text, &["整单折扣", "底价"]);
    Ok(())
}

#[test]
fn the_no_prices_copy_lists_the_goods_without_any_amount() -> TestResult {
    let quote = quote(&servo_lines(), "0", "CNY");
    let template = letterhead();
    let doc = document(
        &quote,
        &template,
        DocumentLanguage::ZhCn,
        PdfVariant::NoPrices,
    );
    let text = pdf_text(&render_quote(&doc)?, "no-prices")?;
    assert_contains(
        &text,
        &["伺服电机", "伺服驱动器", "安装调试费", "SRV-750", "台"],
    );
    assert_lacks(
        &text,
        &[
            "3,280.00",
            "32,800.00",
            "100,300.00",
            "大写金额",
            "单价",
            "税率",
            "合计",
        ],
    );
    Ok(())
}

#[test]
fn user_texts_print_literally_even_with_typst_syntax() -> TestResult {
    let mut quote = quote(&servo_lines(), "0", "CNY");
    quote.notes =
        Some(r"#set text(red) [x] $5 *bold* a\b _under_ <lbl> @ref // not a comment".to_owned());
    quote.lines[0].name = "#emph[伺服]".to_owned();
    let template = letterhead();
    let text = pdf_text(
        &render_quote(&document(
            &quote,
            &template,
            DocumentLanguage::ZhCn,
            PdfVariant::Priced,
        ))?,
        "literal",
    )?;
    assert_contains(
        &text,
        &[
            "#set text(red) [x] $5 *bold* a\\b _under_ <lbl> @ref // not a comment",
            "#emph[伺服]",
        ],
    );
    Ok(())
}

#[test]
fn a_long_quote_breaks_across_pages_and_numbers_them() -> TestResult {
    let quote = quote(&many_lines(200), "0", "CNY");
    let template = letterhead();
    let pdf = render_quote(&document(
        &quote,
        &template,
        DocumentLanguage::ZhCn,
        PdfVariant::Priced,
    ))?;
    let text = pdf_text(&pdf, "long")?;
    assert_contains(&text, &["第 2 页", "第 1 页 / 共", "200"]);
    // The header row repeats on every page.
    let pages = text
        .split('\u{c}')
        .filter(|page| !page.trim().is_empty())
        .count();
    assert!(pages >= 4, "{pages} pages");
    assert_eq!(
        text.matches("产品编码").count(),
        pages,
        "one table header a page"
    );
    assert!(pdf.len() < SMALL_PDF, "{} bytes for 200 lines", pdf.len());
    Ok(())
}

#[test]
fn a_logo_that_is_not_an_image_is_a_logo_error() {
    let quote = quote(&servo_lines(), "0", "CNY");
    let template = letterhead();
    let random: Vec<u8> = (0u32..512)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let mut broken_png = fixtures::LOGO[..40].to_vec();
    broken_png.extend_from_slice(&random);
    for logo in [&random[..], &broken_png[..], b"GIF89a"] {
        let mut doc = document(
            &quote,
            &template,
            DocumentLanguage::ZhCn,
            PdfVariant::Priced,
        );
        doc.logo = Some(logo);
        assert!(
            matches!(render_quote(&doc), Err(RenderError::Logo(_))),
            "{:?}",
            &logo[..6]
        );
    }
}

#[test]
fn the_english_quote_has_english_labels_and_keeps_the_data() -> TestResult {
    let quote = quote(&servo_lines(), "2.5", "USD");
    let mut template = letterhead();
    template.quote_closing = None;
    let mut doc = document(&quote, &template, DocumentLanguage::En, PdfVariant::Priced);
    doc.logo = None;
    let text = pdf_text(&render_quote(&doc)?, "english")?;
    assert_contains(
        &text,
        &[
            "Quotation",
            "QT-2026-000123 v2",
            "23 Nov 2026",
            "Unit price",
            "Subtotal",
            "Discount 2.5%",
            "-USD 2,507.50",
            "Total (incl. VAT)",
            "USD 97,792.50",
            "In Chinese capitals (USD): 玖万柒仟柒佰玖拾贰元伍角",
            "苏州精密机械有限公司",
            "伺服电机",
            "Page 1 of 1",
        ],
    );
    assert_lacks(&text, &["人民币"]);
    Ok(())
}

#[test]
fn the_template_texts_replace_the_defaults() -> TestResult {
    let quote = quote(&servo_lines(), "0", "CNY");
    let mut template = letterhead();
    template.company_name = None;
    template.quote_title = Some("销售报价".to_owned());
    template.quote_intro = Some("承蒙垂询，谨报价如下：".to_owned());
    template.seller_signature_label = Some("供方（盖章）".to_owned());
    template.buyer_signature_label = Some("需方（盖章）".to_owned());
    template.bank_name = None;
    template.bank_account = None;
    let text = pdf_text(
        &render_quote(&document(
            &quote,
            &template,
            DocumentLanguage::ZhCn,
            PdfVariant::Priced,
        ))?,
        "template",
    )?;
    assert_contains(
        &text,
        &[
            "艾克姆",
            "承蒙垂询，谨报价如下：",
            "供方（盖章）",
            "需方（盖章）",
        ],
    );
    assert_contains(&text, &["销售报价"]);
    assert_lacks(
        &text,
        &[
            "感谢贵司的垂询",
            "卖方（盖章）",
            "开户行",
            "苏州艾克姆自动化设备有限公司",
        ],
    );
    Ok(())
}

#[test]
fn odd_data_still_renders() -> TestResult {
    let template = DocumentTemplate::default();
    let mut empty = quote(&[], "0", "CNY");
    empty.notes = None;
    empty.payment_terms = Some("  ".to_owned());
    let mut doc = document(
        &empty,
        &template,
        DocumentLanguage::ZhCn,
        PdfVariant::Priced,
    );
    doc.logo = None;
    doc.customer = CustomerBlock {
        name: "某客户",
        ..CustomerBlock::default()
    };
    doc.seller_contact = SellerContact::default();
    let text = pdf_text(&render_quote(&doc)?, "empty")?;
    assert_contains(&text, &["艾克姆", "某客户", "零元整"]);
    assert_lacks(&text, &["付款方式", "销售代表"]);

    let mut long = quote(&servo_lines(), "0", "CNY");
    long.lines[0].name = "超长名称".repeat(60);
    long.lines[0].product_code = Some("X".repeat(50));
    long.lines[3].spec = Some(format!("{} end", "Y".repeat(120)));
    long.lines[1].description = Some("很长的描述，".repeat(150));
    long.notes = Some("备注 ".repeat(1500));
    long.lines[2].quantity = fixtures::dec("1234567.125");
    long.lines[2].unit_price = fixtures::dec("987654321.99");
    long.lines[2].amount = fixtures::dec("-1219318987654.32");
    let doc = document(&long, &template, DocumentLanguage::ZhCn, PdfVariant::Priced);
    let text = pdf_text(&render_quote(&doc)?, "long-texts")?;
    // Figures too wide for their column wrap after a thousands separator.
    assert_contains(
        &text,
        &[
            "1,234,",
            "567.125",
            "987,654,",
            "321.99",
            "-1,219,318,987,",
            "654.32",
        ],
    );
    Ok(())
}

/// `cargo test -p crm-documents --release -- --ignored --nocapture`: the render time of a
/// 200-line quote, and sample PDFs in `$CRM_SAMPLE_DIR` (default: the temp directory).
#[test]
#[ignore]
fn render_time_and_samples() -> TestResult {
    let template = letterhead();
    let short = quote(&servo_lines(), "0", "CNY");
    let long = quote(&many_lines(200), "3", "CNY");
    let dir = std::env::var_os("CRM_SAMPLE_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
    let samples = [
        (
            "quote-sample",
            &short,
            DocumentLanguage::ZhCn,
            PdfVariant::Priced,
        ),
        (
            "quote-sample-200",
            &long,
            DocumentLanguage::ZhCn,
            PdfVariant::Priced,
        ),
        (
            "quote-sample-no-prices",
            &short,
            DocumentLanguage::ZhCn,
            PdfVariant::NoPrices,
        ),
        (
            "quote-sample-en",
            &short,
            DocumentLanguage::En,
            PdfVariant::Priced,
        ),
    ];
    for (name, quote, language, variant) in samples {
        let start = Instant::now();
        let pdf = render_quote(&document(quote, &template, language, variant))?;
        let elapsed = start.elapsed();
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, &pdf)?;
        println!("{}: {} bytes in {elapsed:?}", path.display(), pdf.len());
    }
    for (name, quote) in [("1-page", &short), ("200-line", &long)] {
        let doc = document(quote, &template, DocumentLanguage::ZhCn, PdfVariant::Priced);
        let mut times = Vec::new();
        for _ in 0..11 {
            let start = Instant::now();
            render_quote(&doc)?;
            times.push(start.elapsed());
        }
        times.sort();
        println!(
            "{name} quote: median {:?}, min {:?}, max {:?}",
            times[5], times[0], times[10]
        );
    }
    Ok(())
}
