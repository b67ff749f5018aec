//! The funnel as an inline SVG: one centred bar per open stage in the pipeline's order, as
//! wide as its count is large; between two open stages the first one's conversion rate; then,
//! apart and in green and red, what was won and lost in the period. Names, counts and amounts
//! are `<text>` in the page's font (CSS), so they read in Chinese and print sharp.

use crm_api_types::pipelines::StageKind;
use crm_api_types::reports::{FunnelReport, FunnelStage};
use leptos::prelude::*;

use super::funnel::stage_amounts;
use super::percent;
use crate::i18n::{K, use_i18n};

/// The drawing's coordinate system (`viewBox`); it scales to the card's width.
const WIDTH: f64 = 860.0;
/// Stage names end here (right-aligned).
const LABEL_END: f64 = 150.0;
/// The bars are centred here and at most this wide.
const BAR_CENTRE: f64 = 400.0;
const BAR_MAX: f64 = 460.0;
/// Counts and amounts start here.
const FIGURES_X: f64 = BAR_CENTRE + BAR_MAX / 2.0 + 14.0;
const BAR_H: f64 = 30.0;
/// Room between two open stages for the conversion rate.
const GAP: f64 = 24.0;
/// Room between the open stages and won/lost, for the note that they count the period.
const CLOSED_GAP: f64 = 40.0;
const CLOSED_STEP: f64 = BAR_H + 8.0;
const PAD: f64 = 8.0;

/// A bar's width for `count` out of the largest `max`; an empty stage still shows a sliver.
fn bar_width(count: u64, max: u64) -> f64 {
    if max == 0 || count == 0 {
        return 2.0;
    }
    // Counts stay far below 2^52.
    #[allow(clippy::cast_precision_loss)]
    let share = count as f64 / max as f64;
    (BAR_MAX * share).max(6.0)
}

fn px(v: f64) -> String {
    format!("{v:.1}")
}

#[component]
pub fn FunnelChart(report: FunnelReport) -> impl IntoView {
    let i18n = use_i18n();
    let (open, closed): (Vec<&FunnelStage>, Vec<&FunnelStage>) = report
        .stages
        .iter()
        .partition(|s| s.kind == StageKind::Open);
    let max = report.stages.iter().map(|s| s.count).max().unwrap_or(0);
    let open_n = open.len();
    let closed_top = PAD + open_n as f64 * (BAR_H + GAP) - GAP + CLOSED_GAP;
    let height = closed_top + closed.len() as f64 * CLOSED_STEP + PAD;

    let bar = move |s: &FunnelStage, y: f64| {
        let width = bar_width(s.count, max);
        let class = match s.kind {
            StageKind::Open => "funnel-bar",
            StageKind::Won => "funnel-bar is-won",
            StageKind::Lost => "funnel-bar is-lost",
        };
        let mid = y + BAR_H / 2.0;
        let figures = format!("{} · {}", i18n.deal_count(s.count), stage_amounts(s, false));
        view! {
            <g data-testid="funnel-bar" data-stage-id=s.stage_id.to_string() data-stage-kind=s.kind.as_str() data-count=s.count.to_string()>
                <text x=px(LABEL_END) y=px(mid) class="funnel-label" text-anchor="end" dominant-baseline="central">
                    {s.name.clone()}
                </text>
                <rect
                    class=class
                    class:is-empty=s.count == 0
                    x=px(BAR_CENTRE - width / 2.0)
                    y=px(y)
                    width=px(width)
                    height=px(BAR_H)
                    rx="4"
                ></rect>
                <text x=px(FIGURES_X) y=px(mid) class="funnel-figures" dominant-baseline="central">
                    {figures}
                </text>
            </g>
        }
    };

    let open_bars = open
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let y = PAD + i as f64 * (BAR_H + GAP);
            let conversion = (i + 1 < open_n).then(|| {
                let text = format!(
                    "↓ {} {}",
                    i18n.t(K::FunnelConversion),
                    percent(s.conversion_percent)
                );
                view! {
                    <text
                        x=px(BAR_CENTRE)
                        y=px(y + BAR_H + GAP / 2.0)
                        class="funnel-conversion"
                        text-anchor="middle"
                        dominant-baseline="central"
                        data-testid="funnel-conversion-step"
                    >
                        {text}
                    </text>
                }
            });
            view! {
                {bar(s, y)}
                {conversion}
            }
        })
        .collect_view();
    let closed_bars = closed
        .iter()
        .enumerate()
        .map(|(i, s)| bar(s, closed_top + i as f64 * CLOSED_STEP))
        .collect_view();
    let divider_y = closed_top - CLOSED_GAP / 2.0;
    let has_closed = !closed.is_empty();

    let summary_stages: Vec<(String, u64)> = report
        .stages
        .iter()
        .map(|s| (s.name.clone(), s.count))
        .collect();
    let pipeline = report.pipeline_name.clone();
    let label = move || i18n.funnel_summary(&pipeline, &summary_stages);

    view! {
        <svg
            class="funnel-chart"
            data-testid="funnel-chart"
            role="img"
            aria-label=label
            viewBox=format!("0 0 {WIDTH} {}", px(height))
            preserveAspectRatio="xMinYMin meet"
        >
            {open_bars}
            {has_closed.then(|| view! {
                <line class="funnel-divider" x1=px(PAD) x2=px(WIDTH - PAD) y1=px(divider_y) y2=px(divider_y)></line>
                <text x=px(WIDTH - PAD) y=px(divider_y - 6.0) class="funnel-note" text-anchor="end">
                    {i18n.tr(K::FunnelClosedNote)}
                </text>
            })}
            {closed_bars}
        </svg>
    }
}
