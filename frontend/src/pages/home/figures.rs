//! What the start page's views share: headline figures that open what is behind them, cards
//! that lead on to the full report, and answers fetched once when a view opens.

use std::future::Future;

use chrono::{Datelike, NaiveDate};
use crm_api_types::sales_orders::OVERDUE_DELIVERIES_SHOWN;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;

use crate::api::{ApiError, use_api};
use crate::i18n::{K, use_i18n};
use crate::load::Load;

/// One headline figure: the number, a line of context under it, and where it leads.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Figure {
    pub value: String,
    pub hint: Option<String>,
    pub href: Option<String>,
}

impl Figure {
    pub fn new(value: String) -> Self {
        Self {
            value,
            hint: None,
            href: None,
        }
    }

    pub fn hint(self, hint: impl Into<Option<String>>) -> Self {
        Self {
            hint: hint.into(),
            ..self
        }
    }

    /// Leads to `href`, unless the figure counts nothing (an empty list is no place to go).
    pub fn opens(self, href: String, counts_something: bool) -> Self {
        Self {
            href: counts_something.then_some(href),
            ..self
        }
    }
}

/// The answer of `request`, asked once when the view opens. A failure is reported (a toast)
/// and leaves the figures that needed it at `—`.
pub(super) fn fetched<T, Fut>(request: Fut) -> RwSignal<Load<T>>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let api = use_api();
    let answer = RwSignal::new(Load::Loading);
    spawn_local(async move {
        match request.await {
            Ok(found) => answer.set(Load::Loaded(found)),
            Err(error) => {
                api.report(&error);
                answer.set(Load::Failed);
            }
        }
    });
    answer
}

/// A figure drawn from an answer: loading while it is on its way, `—` if it failed.
pub(super) fn figure_of<T: Send + Sync + 'static>(
    answer: RwSignal<Load<T>>,
    figure: impl Fn(&T) -> Figure + Send + Sync + 'static,
) -> Signal<Load<Figure>> {
    Signal::derive(move || {
        answer.with(|a| match a {
            Load::Loaded(found) => Load::Loaded(figure(found)),
            Load::Loading => Load::Loading,
            Load::NotFound | Load::Failed => Load::Failed,
        })
    })
}

/// One headline figure, named; `testid` names its value.
#[component]
pub(super) fn Tile(label: K, testid: &'static str, figure: Signal<Load<Figure>>) -> impl IntoView {
    let i18n = use_i18n();
    let value = move || match figure.get() {
        Load::Loading => view! { <span class="skeleton figure-skeleton"></span> }.into_any(),
        Load::Loaded(Figure {
            value,
            href: Some(href),
            ..
        }) => view! { <a href=href data-testid=testid>{value}</a> }.into_any(),
        Load::Loaded(Figure { value, .. }) => {
            view! { <span data-testid=testid>{value}</span> }.into_any()
        }
        Load::NotFound | Load::Failed => view! { <span data-testid=testid>"—"</span> }.into_any(),
    };
    let hint = move || match figure.get() {
        Load::Loaded(Figure { hint: Some(h), .. }) => h,
        _ => String::new(),
    };
    view! {
        <div class="figure">
            <span class="figure-label">{i18n.tr(label)}</span>
            <span class="figure-value">{value}</span>
            <span class="figure-hint">{hint}</span>
        </div>
    }
}

/// A chart of the view in a card whose title leads on to the full report.
#[component]
pub(super) fn ChartCard(
    title: K,
    href: String,
    testid: &'static str,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card report-card" data-testid=testid>
            <h2 class="card-title card-title-split">
                <span>{i18n.tr(title)}</span>
                <a href=href class="card-title-link" data-testid=format!("{testid}-open")>
                    {i18n.tr(K::HomeOpenReport)}
                </a>
            </h2>
            <div class="report-chart-wrap">{children()}</div>
        </section>
    }
}

/// A chart drawn from an answer once it is in: a placeholder meanwhile, nothing if it failed.
pub(super) fn chart_of<T: Clone + Send + Sync + 'static, V: IntoView + 'static>(
    answer: RwSignal<Load<T>>,
    chart: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView {
    move || match answer.get() {
        Load::Loaded(found) => chart(found).into_any(),
        Load::Loading => view! { <div class="skeleton chart-skeleton"></div> }.into_any(),
        Load::NotFound | Load::Failed => ().into_any(),
    }
}

/// How many of the overdue delivery lines `counted` are, from a list that stops at
/// [`OVERDUE_DELIVERIES_SHOWN`]: `200+` (or `3+`) when the list may have more behind it.
pub(super) fn overdue_lines(counted: usize, listed: usize) -> String {
    let full = u64::try_from(listed).is_ok_and(|n| n >= OVERDUE_DELIVERIES_SHOWN);
    if full {
        format!("{counted}+")
    } else {
        counted.to_string()
    }
}

/// `won ÷ target` as a percentage to one decimal; none without a (positive) target.
pub(super) fn completion(won: Decimal, target: Option<Decimal>) -> Option<Decimal> {
    let target = target.filter(|t| *t > Decimal::ZERO)?;
    Some((won * Decimal::ONE_HUNDRED / target).round_dp(1))
}

/// The first day of `day`'s quarter.
pub(super) fn quarter_start(day: NaiveDate) -> NaiveDate {
    let month = (day.month0() / 3) * 3 + 1;
    NaiveDate::from_ymd_opt(day.year(), month, 1).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quarter_starts_on_the_first_of_its_first_month() {
        let day =
            |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d}"));
        assert_eq!(quarter_start(day(2026, 12, 7)), day(2026, 10, 1));
        assert_eq!(quarter_start(day(2026, 1, 1)), day(2026, 1, 1));
        assert_eq!(quarter_start(day(2026, 6, 30)), day(2026, 4, 1));
    }

    #[test]
    fn a_full_overdue_list_says_there_may_be_more() {
        assert_eq!(overdue_lines(3, 3), "3");
        assert_eq!(overdue_lines(200, 200), "200+");
        assert_eq!(overdue_lines(7, 200), "7+", "the rep's own of a full list");
    }

    #[test]
    fn completion_needs_a_positive_target() {
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(completion(d("50"), Some(d("200"))), Some(d("25.0")));
        assert_eq!(completion(d("50"), Some(d("0"))), None);
        assert_eq!(completion(d("50"), None), None);
    }
}
