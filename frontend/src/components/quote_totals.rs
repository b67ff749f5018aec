//! A quote's totals as the server computed them: 合计, 整单折扣, 不含税金额, 税额, 总计. The
//! app never works out money itself; it shows these.

use crm_api_types::quotes::QuoteTotals;
use leptos::prelude::*;

use crate::format::{money, plain};
use crate::i18n::{K, use_i18n};

#[component]
pub fn QuoteTotalsList(
    /// `None` while nothing is known yet (an editor before its first preview).
    #[prop(into)]
    totals: Signal<Option<QuoteTotals>>,
    #[prop(into)] currency: Signal<String>,
    /// Dimmed while a newer preview is on its way.
    #[prop(optional, into)]
    stale: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let line = move |label: Signal<String>,
                     testid: &'static str,
                     strong: bool,
                     amount: fn(&QuoteTotals) -> rust_decimal::Decimal| {
        let text = move || {
            totals.with(|t| {
                t.as_ref()
                    .map_or_else(|| "—".to_owned(), |t| money(amount(t), &currency.get()))
            })
        };
        view! {
            <div class="totals-row" class:totals-grand=strong>
                <dt>{move || label.get()}</dt>
                <dd data-testid=testid>{text}</dd>
            </div>
        }
    };
    let discount_label = Signal::derive(move || {
        let percent = totals.with(|t| t.as_ref().map(|t| plain(t.header_discount_percent)));
        match percent {
            Some(p) if p != "0" => format!("{}（{p}%）", i18n.t(K::HeaderDiscount)),
            _ => i18n.t(K::HeaderDiscount).to_owned(),
        }
    });
    let label = move |key: K| i18n.signal(key);
    view! {
        <dl class="totals" class:is-stale=move || stale.get() data-testid="quote-totals">
            {line(label(K::LinesTotal), "totals-lines_total", false, |t| t.lines_total)}
            {line(discount_label, "totals-header_discount_amount", false, |t| t.header_discount_amount)}
            {line(label(K::TotalExclVat), "totals-total_excl_vat", false, |t| t.total_excl_vat)}
            {line(label(K::VatAmount), "totals-vat_amount", false, |t| t.vat_amount)}
            {line(label(K::GrandTotal), "totals-total", true, |t| t.total)}
        </dl>
    }
}
