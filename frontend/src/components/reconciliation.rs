//! 对账: an ERP's reported figures next to the CRM's. The order page shows each system's
//! report (一致, or a small table of the differences); the 对账差异 page lists the
//! differences of each order that disagrees as `字段：CRM → ERP`.

use crm_api_types::reconciliation::FigureDifference;
use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::components::sync_status::separator;
use crate::format::{money, plain};
use crate::i18n::{K, use_i18n};

/// Amounts in the order's currency (`¥80,000.00`); a shipped quantity as a plain number.
pub fn figure_text(field: &str, value: Decimal, currency: &str) -> String {
    match field {
        "total" | "invoiced" | "paid" => money(value, currency),
        _ => plain(value),
    }
}

/// The 一致 badge of a report with no differences.
#[component]
pub fn AgreesBadge() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="badge badge-green" data-testid="recon-agrees">{i18n.tr(K::FiguresAgree)}</span>
    }
}

/// The differences as a table: 字段 / CRM / ERP.
#[component]
pub fn DifferencesTable(differences: Vec<FigureDifference>, currency: String) -> impl IntoView {
    let i18n = use_i18n();
    let rows = differences
        .into_iter()
        .map(|d| {
            let crm = figure_text(&d.field, d.crm, &currency);
            let erp = figure_text(&d.field, d.erp, &currency);
            let field = d.field.clone();
            view! {
                <tr data-testid="recon-diff" data-field=d.field>
                    <td data-testid="recon-field">{move || i18n.figure_field(&field)}</td>
                    <td class="cell-num" data-testid="recon-crm">{crm}</td>
                    <td class="cell-num recon-erp" data-testid="recon-erp">{erp}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table table-compact recon-diffs" data-testid="recon-diffs">
            <thead>
                <tr>
                    <th scope="col">{i18n.tr(K::FigureField)}</th>
                    <th scope="col" class="cell-num">"CRM"</th>
                    <th scope="col" class="cell-num">"ERP"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The differences, one per line: `已收款：¥0.00 → ¥80,000.00`.
#[component]
pub fn DifferencesList(differences: Vec<FigureDifference>, currency: String) -> impl IntoView {
    let i18n = use_i18n();
    let items = differences
        .into_iter()
        .map(|d| {
            let change = format!(
                "{} → {}",
                figure_text(&d.field, d.crm, &currency),
                figure_text(&d.field, d.erp, &currency)
            );
            let field = d.field.clone();
            view! {
                <li data-testid="recon-diff" data-field=d.field>
                    {move || format!("{}{}{change}", i18n.figure_field(&field), separator(i18n))}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="recon-diff-list">{items}</ul> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_show_as_money_and_quantities_as_numbers() {
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
        assert_eq!(figure_text("paid", d("80000"), "CNY"), "¥80,000.00");
        assert_eq!(figure_text("total", d("12.5"), "USD"), "USD 12.50");
        assert_eq!(
            figure_text("lines[0].shipped_quantity", d("2.000"), "CNY"),
            "2"
        );
    }
}
