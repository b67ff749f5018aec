//! Settings → 业绩目标, for `settings.manage`: one year's targets for one metric as a grid,
//! departments (as a tree) or people down the side, the twelve months and four quarters
//! across. Only the cells changed are sent (`PUT /targets`); a cell emptied removes its
//! target; a refused cell is marked where it sits.

use std::collections::HashMap;

use chrono::Datelike;
use crm_api_types::calendar::{Month, TargetPeriod};
use crm_api_types::targets::{
    SetTargetsRequest, SubjectKind, TargetEntry, TargetMetric, TargetQuery,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::table::Spinner;
use crate::i18n::{K, use_i18n};
use crate::tree::tree_order;

/// A cell of the grid: whose target, for which period.
type Cell = (SubjectKind, Uuid, TargetPeriod);

/// A row of the grid: a department (indented by its depth) or a person.
#[derive(Debug, Clone, PartialEq)]
struct Subject {
    kind: SubjectKind,
    id: Uuid,
    name: String,
    depth: usize,
}

/// The columns: each quarter's three months, then the quarter.
fn periods(year: i32) -> Vec<TargetPeriod> {
    (1..=12)
        .filter_map(|m| Month::new(year, m))
        .flat_map(|month| {
            let mut columns = vec![TargetPeriod::Month(month)];
            if month.number() % 3 == 0 {
                columns.push(TargetPeriod::Quarter(month.quarter()));
            }
            columns
        })
        .collect()
}

/// The column's heading: `3月`/`Q1` as the period's last part.
fn heading(period: TargetPeriod) -> String {
    match period {
        TargetPeriod::Month(m) => format!("{:02}", m.number()),
        TargetPeriod::Quarter(_) => period.to_string().split_off(5),
    }
}

/// The cells whose text changed, as the request sends them; `Err` with the cells whose
/// text is not an amount.
fn changes(
    current: &HashMap<Cell, String>,
    saved: &HashMap<Cell, String>,
) -> Result<Vec<(Cell, TargetEntry)>, Vec<Cell>> {
    let mut entries = Vec::new();
    let mut bad = Vec::new();
    for (cell, text) in current {
        let text = text.trim();
        if saved.get(cell).map(String::as_str).unwrap_or("") == text {
            continue;
        }
        let amount = if text.is_empty() {
            None
        } else {
            match text.replace(',', "").parse::<Decimal>() {
                Ok(amount) => Some(amount),
                Err(_) => {
                    bad.push(*cell);
                    continue;
                }
            }
        };
        let (subject_kind, subject_id, period) = *cell;
        entries.push((
            *cell,
            TargetEntry {
                subject_kind,
                subject_id,
                period,
                amount,
                currency: None,
            },
        ));
    }
    if bad.is_empty() {
        Ok(entries)
    } else {
        Err(bad)
    }
}

#[component]
pub fn TargetsPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let year = RwSignal::new(crate::format::china_today().year());
    let metric = RwSignal::new(TargetMetric::WonAmount);
    let kind = RwSignal::new(SubjectKind::Department);
    let subjects = RwSignal::new(None::<Vec<Subject>>);
    let saved = RwSignal::new(HashMap::<Cell, String>::new());
    let current = RwSignal::new(HashMap::<Cell, String>::new());
    let invalid = RwSignal::new(HashMap::<Cell, String>::new());
    let saving = RwSignal::new(false);

    spawn_local(async move {
        let departments = api.all_departments().await;
        let people = api.directory(true).await;
        match (departments, people) {
            (Ok(departments), Ok(people)) => {
                let mut rows: Vec<Subject> = tree_order(&departments)
                    .into_iter()
                    .map(|(d, depth)| Subject {
                        kind: SubjectKind::Department,
                        id: d.id,
                        name: d.name,
                        depth,
                    })
                    .collect();
                rows.extend(people.into_iter().map(|p| Subject {
                    kind: SubjectKind::User,
                    id: p.id,
                    name: format!("{} · {}", p.name, p.department_name),
                    depth: 0,
                }));
                subjects.set(Some(rows));
            }
            (Err(error), _) | (_, Err(error)) => api.report(&error),
        }
    });

    let load = move || {
        let query = TargetQuery {
            year: Some(year.get_untracked()),
            metric: Some(metric.get_untracked()),
        };
        spawn_local(async move {
            match api.target_plan(&query).await {
                Ok(plan) => {
                    let cells: HashMap<Cell, String> = plan
                        .items
                        .into_iter()
                        .map(|t| {
                            (
                                (t.subject_kind, t.subject_id, t.period),
                                t.amount.normalize().to_string(),
                            )
                        })
                        .collect();
                    saved.set(cells.clone());
                    current.set(cells);
                    invalid.set(HashMap::new());
                }
                Err(error) => api.report(&error),
            }
        });
    };
    Effect::new(move |_| {
        year.track();
        metric.track();
        load();
    });

    let save = move |_| {
        if saving.get_untracked() {
            return;
        }
        let entries = match changes(&current.get_untracked(), &saved.get_untracked()) {
            Ok(entries) => entries,
            Err(bad) => {
                let message = i18n.t(K::TargetsNotAmount).to_owned();
                invalid.set(bad.into_iter().map(|c| (c, message.clone())).collect());
                return;
            }
        };
        if entries.is_empty() {
            api.toasts.success(i18n.t(K::TargetsSaved));
            return;
        }
        let (cells, targets): (Vec<Cell>, Vec<TargetEntry>) = entries.into_iter().unzip();
        let request = SetTargetsRequest {
            metric: metric.get_untracked(),
            targets,
        };
        saving.set(true);
        spawn_local(async move {
            let result = api.set_targets(&request).await;
            saving.set(false);
            match result {
                Ok(_) => {
                    api.toasts.success(api.i18n.t(K::TargetsSaved));
                    load();
                }
                Err(error) => {
                    // `targets[i].amount` → the i-th cell sent.
                    let marked: HashMap<Cell, String> = error
                        .field_errors()
                        .iter()
                        .filter_map(|e| {
                            let index = e
                                .field
                                .strip_prefix("targets[")?
                                .split(']')
                                .next()?
                                .parse::<usize>()
                                .ok()?;
                            Some((*cells.get(index)?, e.message.clone()))
                        })
                        .collect();
                    if marked.is_empty() {
                        api.report(&error);
                    }
                    invalid.set(marked);
                }
            }
        });
    };

    let years = move || {
        let this = crate::format::china_today().year();
        (this - 2..=this + 1)
            .map(|y| view! { <option value=y.to_string() selected=move || year.get() == y>{y}</option> })
            .collect_view()
    };
    let metric_options = move || {
        TargetMetric::ALL
            .into_iter()
            .map(|m| {
                let label = match m {
                    TargetMetric::WonAmount => K::MetricWonAmount,
                    TargetMetric::OrderAmount => K::MetricOrderAmount,
                    TargetMetric::Collections => K::MetricCollections,
                };
                view! { <option value=m.as_str() selected=move || metric.get() == m>{i18n.tr(label)}</option> }
            })
            .collect_view()
    };
    let kind_tab = move |k: SubjectKind, label: K, testid: &'static str| {
        view! {
            <button type="button" class="tab" class:active=move || kind.get() == k data-testid=testid on:click=move |_| kind.set(k)>
                {i18n.tr(label)}
            </button>
        }
    };

    let grid = move || {
        let Some(rows) = subjects.get() else {
            return view! { <Spinner label=true/> }.into_any();
        };
        let columns = periods(year.get());
        let head = columns
            .iter()
            .map(|p| {
                let quarter = matches!(p, TargetPeriod::Quarter(_));
                view! { <th class="num" class:quarter=quarter>{heading(*p)}</th> }
            })
            .collect_view();
        let body = rows
            .into_iter()
            .filter(|s| s.kind == kind.get())
            .map(|subject| {
                let cells = columns
                    .iter()
                    .map(|period| {
                        let cell: Cell = (subject.kind, subject.id, *period);
                        let quarter = matches!(period, TargetPeriod::Quarter(_));
                        view! {
                            <td class:quarter=quarter>
                                <input
                                    class="target-input"
                                    class:invalid=move || invalid.with(|i| i.contains_key(&cell))
                                    inputmode="decimal"
                                    data-testid="target-cell"
                                    data-subject=subject.id.to_string()
                                    data-period=period.to_string()
                                    title=move || invalid.with(|i| i.get(&cell).cloned())
                                    prop:value=move || current.with(|c| c.get(&cell).cloned().unwrap_or_default())
                                    on:input=move |ev| {
                                        let text = event_target_value(&ev);
                                        current.update(|c| { c.insert(cell, text); });
                                    }
                                />
                            </td>
                        }
                    })
                    .collect_view();
                let indent = format!("padding-left: {}rem", 0.5 + subject.depth as f32 * 1.25);
                view! {
                    <tr data-testid="target-row" data-subject=subject.id.to_string()>
                        <th scope="row" style=indent>{subject.name.clone()}</th>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="table targets-grid" data-testid="targets-grid">
                    <thead><tr><th>{move || i18n.tr(if kind.get() == SubjectKind::User { K::TargetsPeople } else { K::TargetsDepartments })}</th>{head}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        }
        .into_any()
    };

    view! {
        <section class="card">
            <div class="card-header">
                <div>
                    <h2>{i18n.tr(K::TabTargets)}</h2>
                    <p class="field-hint">{i18n.tr(K::TargetsHint)}</p>
                </div>
            </div>
            <div class="toolbar">
                <label class="inline-field">
                    <span>{i18n.tr(K::TargetsYear)}</span>
                    <select data-testid="targets-year" on:change=move |ev| {
                        if let Ok(y) = event_target_value(&ev).parse() { year.set(y); }
                    }>{years}</select>
                </label>
                <label class="inline-field">
                    <span>{i18n.tr(K::TargetsMetric)}</span>
                    <select data-testid="targets-metric" on:change=move |ev| {
                        if let Some(m) = TargetMetric::parse(&event_target_value(&ev)) { metric.set(m); }
                    }>{metric_options}</select>
                </label>
                <div class="tabs tabs-inline">
                    {kind_tab(SubjectKind::Department, K::TargetsDepartments, "targets-departments")}
                    {kind_tab(SubjectKind::User, K::TargetsPeople, "targets-people")}
                </div>
                <button type="button" class="btn btn-primary" data-testid="targets-save" disabled=move || saving.get() on:click=save>
                    {move || i18n.tr(if saving.get() { K::Saving } else { K::Save })}
                </button>
            </div>
            {grid}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_has_twelve_months_and_four_quarters_each_after_its_months() {
        let columns: Vec<String> = periods(2026).iter().map(ToString::to_string).collect();
        assert_eq!(columns.len(), 16);
        assert_eq!(
            &columns[..5],
            ["2026-01", "2026-02", "2026-03", "2026-Q1", "2026-04"]
        );
        assert_eq!(heading(periods(2026)[3]), "Q1");
        assert_eq!(heading(periods(2026)[0]), "01");
    }

    #[test]
    fn only_changed_cells_are_sent_and_an_emptied_one_removes_its_target() {
        let period = |t: &str| t.parse::<TargetPeriod>().unwrap_or_else(|e| panic!("{e}"));
        let cell = |p: &str| (SubjectKind::User, Uuid::nil(), period(p));
        let saved = HashMap::from([
            (cell("2026-01"), "100".to_owned()),
            (cell("2026-02"), "200".to_owned()),
        ]);
        let mut current = saved.clone();
        current.insert(cell("2026-01"), " 100 ".to_owned());
        current.insert(cell("2026-02"), String::new());
        current.insert(cell("2026-03"), "1,500.5".to_owned());
        let mut sent = changes(&current, &saved).unwrap_or_else(|_| panic!("valid"));
        sent.sort_by_key(|(c, _)| c.2);
        let amounts: Vec<(String, Option<String>)> = sent
            .iter()
            .map(|(c, e)| (c.2.to_string(), e.amount.map(|a| a.to_string())))
            .collect();
        assert_eq!(
            amounts,
            [
                ("2026-02".to_owned(), None),
                ("2026-03".to_owned(), Some("1500.5".to_owned()))
            ]
        );
        current.insert(cell("2026-04"), "一百万".to_owned());
        assert_eq!(changes(&current, &saved).err(), Some(vec![cell("2026-04")]));
    }
}
