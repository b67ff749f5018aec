//! Quotes to render: a Suzhou machine builder quoting servo parts.

use std::str::FromStr;

use chrono::{NaiveDate, TimeZone, Utc};
use crm_api_types::products::VatRate;
use crm_api_types::quotes::{
    DocumentLanguage, DocumentTemplate, PdfVariant, QuoteLineResponse, QuoteResponse, QuoteStatus,
    QuoteSummary, QuoteTotals,
};
use crm_documents::{CustomerBlock, QuoteDocument, SellerContact};
use rust_decimal::{Decimal, RoundingStrategy};
use uuid::Uuid;

pub static LOGO: &[u8] = include_bytes!("logo.png");

pub fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d}"))
}

fn cents(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

#[derive(Clone)]
pub struct Line {
    pub code: Option<&'static str>,
    pub name: &'static str,
    pub spec: Option<&'static str>,
    pub description: Option<&'static str>,
    pub quantity: &'static str,
    pub unit: &'static str,
    pub unit_price: &'static str,
    pub discount: &'static str,
    pub vat: VatRate,
}

/// The five lines of the sample: 100,300.00 in all, VAT included.
pub fn servo_lines() -> Vec<Line> {
    vec![
        Line {
            code: Some("SRV-750"),
            name: "伺服电机",
            spec: Some("MS1H2-75B30CB / 750W 220V 带抱闸"),
            description: Some("含编码器，IP65 防护"),
            quantity: "10",
            unit: "台",
            unit_price: "3280.00",
            discount: "0",
            vat: VatRate::Goods13,
        },
        Line {
            code: Some("SRV-D750"),
            name: "伺服驱动器",
            spec: Some("SV660PS5R5I / 0.75kW"),
            description: None,
            quantity: "10",
            unit: "台",
            unit_price: "2650.00",
            discount: "0",
            vat: VatRate::Goods13,
        },
        Line {
            code: Some("PLC-1200"),
            name: "PLC 控制器",
            spec: Some("CPU 1214C DC/DC/DC"),
            description: None,
            quantity: "2",
            unit: "套",
            unit_price: "12500.00",
            discount: "0",
            vat: VatRate::Goods13,
        },
        Line {
            code: Some("CAB-5M"),
            name: "编码器电缆",
            spec: Some("5 米，高柔性"),
            description: None,
            quantity: "20",
            unit: "根",
            unit_price: "200.00",
            discount: "10",
            vat: VatRate::Goods13,
        },
        Line {
            code: None,
            name: "安装调试费",
            spec: None,
            description: Some("现场安装、接线与联机调试，含 2 人 × 3 天差旅"),
            quantity: "1",
            unit: "项",
            unit_price: "12400.00",
            discount: "0",
            vat: VatRate::Services6,
        },
    ]
}

/// A quote with the lines' amounts and totals computed as the server does.
pub fn quote(lines: &[Line], header_discount: &str, currency: &str) -> QuoteResponse {
    let header_discount = dec(header_discount);
    let keep = Decimal::ONE - header_discount / Decimal::ONE_HUNDRED;
    let lines: Vec<QuoteLineResponse> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let quantity = dec(line.quantity);
            let unit_price = dec(line.unit_price);
            let discount = dec(line.discount);
            let amount =
                cents(quantity * unit_price * (Decimal::ONE - discount / Decimal::ONE_HUNDRED));
            let net_amount = cents(amount * keep);
            let net_amount_excl_vat = cents(net_amount / (Decimal::ONE + line.vat.rate()));
            QuoteLineResponse {
                position: i as u32,
                product_id: line.code.map(|_| Uuid::nil()),
                product_code: line.code.map(str::to_owned),
                name: line.name.to_owned(),
                spec: line.spec.map(str::to_owned),
                description: line.description.map(str::to_owned),
                quantity,
                unit: line.unit.to_owned(),
                list_price: Some(unit_price),
                unit_price,
                price_source: None,
                last_price: None,
                discount_percent: discount,
                vat_rate: line.vat,
                amount,
                net_amount,
                net_amount_excl_vat,
                vat_amount: net_amount - net_amount_excl_vat,
                effective_discount_percent: discount,
            }
        })
        .collect();
    let sum = |f: fn(&QuoteLineResponse) -> Decimal| lines.iter().map(f).sum::<Decimal>();
    let lines_total = sum(|l| l.amount);
    let total = sum(|l| l.net_amount);
    let totals = QuoteTotals {
        lines_total,
        header_discount_percent: header_discount,
        header_discount_amount: lines_total - total,
        total_excl_vat: sum(|l| l.net_amount_excl_vat),
        vat_amount: sum(|l| l.vat_amount),
        total,
    };
    let at = Utc
        .with_ymd_and_hms(2026, 11, 23, 9, 30, 0)
        .single()
        .unwrap_or_default();
    QuoteResponse {
        summary: QuoteSummary {
            id: Uuid::nil(),
            number: "QT-2026-000123".to_owned(),
            revision: 2,
            title: Some("二号线伺服改造".to_owned()),
            customer_id: Uuid::nil(),
            customer_name: "苏州精密机械有限公司".to_owned(),
            opportunity_id: None,
            opportunity_name: None,
            status: QuoteStatus::Approved,
            superseded: false,
            total,
            currency: currency.to_owned(),
            valid_until: date(2026, 12, 23),
            owner_id: Uuid::nil(),
            owner_name: "李娜".to_owned(),
            approval_id: None,
            version: 1,
            created_at: at,
            updated_at: at,
        },
        contact_id: None,
        contact_name: Some("王建国".to_owned()),
        payment_terms: Some("预付 30%，发货前付 60%，验收合格后付 10%".to_owned()),
        delivery_terms: Some("合同生效后 45 天内交货，运费由卖方承担".to_owned()),
        notes: Some("1. 以上价格含 13% 增值税专用发票（安装调试费为 6%）。\n2. 质保期为验收合格后 12 个月。".to_owned()),
        internal_note: Some("内部：底价 95000，勿外传".to_owned()),
        lines,
        totals,
        revised_from: None,
        copied_from: None,
        sent_at: None,
        accepted_at: None,
        declined_at: None,
        decline_reason: None,
        created_by: Uuid::nil(),
    }
}

pub fn letterhead() -> DocumentTemplate {
    DocumentTemplate {
        company_name: Some("苏州艾克姆自动化设备有限公司".to_owned()),
        address: Some("江苏省苏州市工业园区星湖街 328 号 5 栋".to_owned()),
        phone: Some("0512-6288 1234".to_owned()),
        email: Some("sales@acme-auto.cn".to_owned()),
        website: Some("www.acme-auto.cn".to_owned()),
        tax_id: Some("91320594MA1XYZ1234".to_owned()),
        bank_name: Some("中国工商银行苏州工业园区支行".to_owned()),
        bank_account: Some("1102 0201 0900 1234 567".to_owned()),
        quote_title: None,
        quote_intro: None,
        quote_closing: Some("如有任何疑问，敬请随时与我们联系。期待与贵司合作！".to_owned()),
        seller_signature_label: None,
        buyer_signature_label: None,
    }
}

pub fn document<'a>(
    quote: &'a QuoteResponse,
    template: &'a DocumentTemplate,
    language: DocumentLanguage,
    variant: PdfVariant,
) -> QuoteDocument<'a> {
    QuoteDocument {
        quote,
        template,
        tenant_name: "艾克姆",
        logo: Some(LOGO),
        customer: CustomerBlock {
            name: &quote.summary.customer_name,
            address: Some("江苏省苏州市吴中区木渎镇金枫南路 1688 号"),
            contact_name: quote.contact_name.as_deref(),
            contact_phone: Some("0512-6658 0001"),
            contact_mobile: Some("138 1234 5678"),
            contact_email: Some("wangjg@sz-precision.com"),
        },
        seller_contact: SellerContact {
            name: &quote.summary.owner_name,
            phone: Some("139 1500 8899"),
            email: Some("lina@acme-auto.cn"),
        },
        issued_on: date(2026, 11, 23),
        language,
        variant,
    }
}
