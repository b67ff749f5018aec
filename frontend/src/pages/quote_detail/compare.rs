//! Two versions side by side, as the server compares them: the header fields that differ,
//! the lines (added, removed, changed with the fields named, unchanged) and the totals
//! before and after.

use crm_api_types::quotes::{
    LineChangeKind, LineComparison, QuoteComparisonResponse, QuoteLineResponse, QuoteTotals,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::modal::Modal;
use crate::components::table::Spinner;
use crate::format::{grouped, plain};
use crate::i18n::{K, line_change_key, quote_field_key, use_i18n, vat_rate_label};
use crate::load::Load;

#[component]
pub fn CompareDialog(before: Uuid, after: Uuid, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let found = RwSignal::new(Load::<QuoteComparisonResponse>::Loading);
    spawn_local(async move {
        match api.compare_quotes(before, after).await {
            Ok(comparison) => found.set(Load::Loaded(comparison)),
            Err(error) => {
                api.report(&error);
                found.set(Load::Failed);
            }
        }
    });
    let title = Signal::derive(move || match found.get() {
        Load::Loaded(c) => format!(
            "{} {} v{} → v{}",
            i18n.t(K::CompareVersions),
            c.after.number,
            c.before.revision,
            c.after.revision
        ),
        _ => i18n.t(K::CompareVersions).to_owned(),
    });
    let body = move || match found.get() {
        Load::Loading => view! { <Spinner label=true/> }.into_any(),
        Load::NotFound | Load::Failed => {
            view! { <p class="panel-empty muted">{i18n.tr(K::UnexpectedError)}</p> }.into_any()
        }
        Load::Loaded(comparison) => view! { <Comparison comparison/> }.into_any(),
    };
    view! {
        <Modal title on_close testid="quote-compare" wide=true>
            <div class="modal-body compare-body">{body}</div>
            <footer class="modal-footer">
                <button type="button" class="btn btn-primary" on:click=move |_| on_close.run(())>{i18n.tr(K::Close)}</button>
            </footer>
        </Modal>
    }
}

/// A field's label by its API name, else the name itself.
fn field_label(i18n: crate::i18n::I18n, field: &str) -> String {
    quote_field_key(field).map_or_else(|| field.to_owned(), |k| i18n.t(k).to_owned())
}

#[component]
fn Comparison(comparison: QuoteComparisonResponse) -> impl IntoView {
    let i18n = use_i18n();
    let currency = comparison.after.currency.clone();
    let fields = comparison.fields;
    let totals_rows = totals_table(&comparison.totals_before, &comparison.totals_after);
    view! {
        <h3 class="subheading">{i18n.tr(K::CompareFields)}</h3>
        {if fields.is_empty() {
            view! { <p class="muted" data-testid="compare-fields-same">{i18n.tr(K::CompareNoFieldChanges)}</p> }.into_any()
        } else {
            view! {
                <table class="table table-compact" data-testid="compare-fields">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::CompareField)}</th>
                            <th scope="col">{i18n.tr(K::Before)}</th>
                            <th scope="col">{i18n.tr(K::After)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {fields.into_iter().map(|f| {
                            // A contact is named by its id: say that it changed, not the ids.
                            let ids = f.field.ends_with("_id");
                            let show = move |v: Option<String>| if ids { String::new() } else { crate::format::or_dash(v.as_deref()) };
                            let name = f.field.clone();
                            view! {
                                <tr class="diff-changed" data-testid="compare-field" data-field=f.field.clone()>
                                    <th scope="row">{move || field_label(i18n, &name)}</th>
                                    <td class="change-old">{show(f.before)}</td>
                                    <td class="change-new">{if ids { i18n.t(K::Changed).to_owned() } else { show(f.after) }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        }}
        <h3 class="subheading">{i18n.tr(K::Lines)}</h3>
        <div class="table-scroll">
            <table class="table table-compact compare-lines" data-testid="compare-lines">
                <thead>
                    <tr>
                        <th scope="col">{i18n.tr(K::CompareChange)}</th>
                        <th scope="col">{i18n.tr(K::FieldProductName)}</th>
                        <th scope="col" class="cell-num">{i18n.tr(K::FieldQuantity)}</th>
                        <th scope="col" class="cell-num">{i18n.tr(K::FieldUnitPrice)}</th>
                        <th scope="col" class="cell-num">{i18n.tr(K::FieldDiscount)}</th>
                        <th scope="col" class="cell-num">{i18n.tr(K::FieldVatRate)}</th>
                        <th scope="col" class="cell-num">{i18n.tr(K::FieldAmount)}</th>
                    </tr>
                </thead>
                <tbody>{comparison.lines.into_iter().map(|line| view! { <LineDiff line/> }).collect_view()}</tbody>
            </table>
        </div>
        <h3 class="subheading">{i18n.tr(K::CompareTotals)}</h3>
        <table class="table table-compact" data-testid="compare-totals">
            <thead>
                <tr>
                    <th scope="col"></th>
                    <th scope="col" class="cell-num">{i18n.tr(K::Before)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::After)}</th>
                </tr>
            </thead>
            <tbody>
                {totals_rows.into_iter().map(|(label, field, before, after)| {
                    let differs = before != after;
                    let cur = currency.clone();
                    view! {
                        <tr class:diff-changed=differs data-testid="compare-total" data-field=field>
                            <th scope="row">{i18n.tr(label)}</th>
                            <td class="cell-num">{crate::format::money(before, &cur)}</td>
                            <td class="cell-num cell-strong">{crate::format::money(after, &cur)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

fn totals_table(
    before: &QuoteTotals,
    after: &QuoteTotals,
) -> Vec<(K, &'static str, Decimal, Decimal)> {
    vec![
        (
            K::LinesTotal,
            "lines_total",
            before.lines_total,
            after.lines_total,
        ),
        (
            K::HeaderDiscount,
            "header_discount_amount",
            before.header_discount_amount,
            after.header_discount_amount,
        ),
        (
            K::TotalExclVat,
            "total_excl_vat",
            before.total_excl_vat,
            after.total_excl_vat,
        ),
        (
            K::VatAmount,
            "vat_amount",
            before.vat_amount,
            after.vat_amount,
        ),
        (K::GrandTotal, "total", before.total, after.total),
    ]
}

/// One compared line: a changed value shows as `old → new`.
#[component]
fn LineDiff(line: LineComparison) -> impl IntoView {
    let i18n = use_i18n();
    let kind = line.kind;
    let class = match kind {
        LineChangeKind::Added => "diff-added",
        LineChangeKind::Removed => "diff-removed",
        LineChangeKind::Changed => "diff-changed",
        LineChangeKind::Unchanged => "",
    };
    let (before, after) = (line.before, line.after);
    let shown: Option<QuoteLineResponse> = after.clone().or_else(|| before.clone());
    let Some(main) = shown else {
        return ().into_any();
    };
    let cell = move |text: fn(&QuoteLineResponse) -> String| {
        let now = after
            .as_ref()
            .or(before.as_ref())
            .map(text)
            .unwrap_or_default();
        match (&before, &after) {
            (Some(old), Some(_)) if text(old) != now => view! {
                <span class="change-old">{text(old)}</span>
                <span class="change-arrow">" → "</span>
                <span class="change-new">{now}</span>
            }
            .into_any(),
            _ => view! { <span>{now}</span> }.into_any(),
        }
    };
    let names = line.changed_fields.clone();
    view! {
        <tr class=class data-testid="compare-line" data-kind=kind.as_str()>
            <td>
                <span class="badge badge-outline">{i18n.tr(line_change_key(kind))}</span>
            </td>
            <td class="cell-wrap">
                {main.product_code.clone().map(|c| view! { <span class="cell-code">{c}</span>" " })}
                <span class="cell-strong">{cell(|l| l.name.clone())}</span>
                {main.spec.clone().map(|s| view! { <span class="cell-sub">{s}</span> })}
                {(!names.is_empty()).then(|| {
                    let names = names.clone();
                    view! {
                        <span class="cell-sub" data-testid="compare-changed-fields">
                            {move || {
                                let (colon, sep) = match i18n.lang() {
                                    crate::i18n::Lang::ZhCn => ("：", "、"),
                                    crate::i18n::Lang::En => (": ", ", "),
                                };
                                let labels: Vec<String> = names.iter().map(|f| field_label(i18n, f)).collect();
                                format!("{}{colon}{}", i18n.t(K::ChangedFields), labels.join(sep))
                            }}
                        </span>
                    }
                })}
            </td>
            <td class="cell-num">{cell(|l| format!("{} {}", plain(l.quantity), l.unit))}</td>
            <td class="cell-num">{cell(|l| grouped(l.unit_price))}</td>
            <td class="cell-num">{cell(|l| format!("{}%", plain(l.discount_percent)))}</td>
            <td class="cell-num">{cell(|l| vat_rate_label(l.vat_rate).to_owned())}</td>
            <td class="cell-num">{cell(|l| grouped(l.amount))}</td>
        </tr>
    }
    .into_any()
}
