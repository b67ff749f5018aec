//! A policy's steps as edited, decided in order: each a name, 或签 or 会签, and its approvers —
//! a user, everyone with a role, the submitter's 部门经理, the manager N levels up, or the
//! 总经理. Errors come as `steps[i].…` and `steps[i].approvers[j].…`.

use crm_api_types::approvals::{ApproverRule, PolicyStep, StepMode};
use leptos::prelude::*;
use uuid::Uuid;

use super::Names;
use crate::bind;
use crate::components::form_field::FormErrors;
use crate::components::icons::{Icon, IconName};
use crate::i18n::{K, step_mode_key, use_i18n};
use crate::rows::RowOwner;

const USER: &str = "user";
const ROLE: &str = "role";
const DEPARTMENT_MANAGER: &str = "department_manager";
const LEVELS_UP: &str = "manager_levels_up";
const TOP_MANAGER: &str = "top_manager";
const KINDS: [(&str, K); 5] = [
    (DEPARTMENT_MANAGER, K::ApproverDepartmentManager),
    (LEVELS_UP, K::ApproverLevelsUp),
    (TOP_MANAGER, K::ApproverTopManager),
    (USER, K::ApproverUser),
    (ROLE, K::ApproverRole),
];

#[derive(Debug, Clone, Copy)]
pub struct ApproverRow {
    id: u64,
    kind: RwSignal<String>,
    user_id: RwSignal<String>,
    role_id: RwSignal<String>,
    levels: RwSignal<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct StepRow {
    id: u64,
    name: RwSignal<String>,
    /// A [`StepMode`] key.
    mode: RwSignal<&'static str>,
    approvers: RwSignal<Vec<ApproverRow>>,
}

/// The steps being edited.
#[derive(Debug, Clone, Copy)]
pub struct StepRows {
    pub rows: RwSignal<Vec<StepRow>>,
    next_id: StoredValue<u64>,
    owner: RowOwner,
}

impl StepRows {
    pub fn new(steps: &[PolicyStep]) -> Self {
        let list = Self {
            rows: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
            owner: RowOwner::here(),
        };
        // A policy has at least one step: a new one starts with a blank one.
        let rows = if steps.is_empty() {
            vec![list.step(None)]
        } else {
            steps.iter().map(|s| list.step(Some(s))).collect()
        };
        list.rows.set(rows);
        list
    }

    fn next(self) -> u64 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        id
    }

    fn approver(self, rule: Option<&ApproverRule>) -> ApproverRow {
        let id = self.next();
        let (kind, user, role, levels) = match rule {
            Some(ApproverRule::User { user_id }) => (USER, user_id.to_string(), String::new(), 1),
            Some(ApproverRule::Role { role_id }) => (ROLE, String::new(), role_id.to_string(), 1),
            Some(ApproverRule::ManagerLevelsUp { levels }) => {
                (LEVELS_UP, String::new(), String::new(), *levels)
            }
            Some(ApproverRule::TopManager) => (TOP_MANAGER, String::new(), String::new(), 1),
            Some(ApproverRule::DepartmentManager) | None => {
                (DEPARTMENT_MANAGER, String::new(), String::new(), 1)
            }
        };
        self.owner.make(|| ApproverRow {
            id,
            kind: RwSignal::new(kind.to_owned()),
            user_id: RwSignal::new(user),
            role_id: RwSignal::new(role),
            levels: RwSignal::new(levels.to_string()),
        })
    }

    fn step(self, step: Option<&PolicyStep>) -> StepRow {
        let id = self.next();
        let approvers = match step {
            Some(s) => s.approvers.iter().map(|r| self.approver(Some(r))).collect(),
            None => vec![self.approver(None)],
        };
        self.owner.make(|| StepRow {
            id,
            name: RwSignal::new(step.map(|s| s.name.clone()).unwrap_or_default()),
            mode: RwSignal::new(step.map(|s| s.mode).unwrap_or_default().as_str()),
            approvers: RwSignal::new(approvers),
        })
    }

    fn add(self) {
        let row = self.step(None);
        self.rows.update(|rows| rows.push(row));
    }

    fn add_approver(self, step: StepRow) {
        let row = self.approver(None);
        step.approvers.update(|rows| rows.push(row));
    }

    fn shift(self, id: u64, down: bool) {
        self.rows.update(|rows| {
            if let Some(i) = rows.iter().position(|r| r.id == id) {
                let j = if down { i + 1 } else { i.wrapping_sub(1) };
                if j < rows.len() {
                    rows.swap(i, j);
                }
            }
        });
    }

    /// The steps, or `None` after marking what is missing in `errors`.
    pub fn steps(
        self,
        errors: FormErrors,
        required: &str,
        invalid: &str,
    ) -> Option<Vec<PolicyStep>> {
        let mut out = Vec::new();
        let mut ok = true;
        for (i, step) in self.rows.get_untracked().into_iter().enumerate() {
            let mut approvers = Vec::new();
            for (j, a) in step.approvers.get_untracked().into_iter().enumerate() {
                let field = |name: &str| format!("steps[{i}].approvers[{j}].{name}");
                let id = |s: RwSignal<String>| s.get_untracked().parse::<Uuid>().ok();
                let rule = match a.kind.get_untracked().as_str() {
                    USER => id(a.user_id).map(|user_id| ApproverRule::User { user_id }),
                    ROLE => id(a.role_id).map(|role_id| ApproverRule::Role { role_id }),
                    LEVELS_UP => match a.levels.get_untracked().trim().parse::<u8>() {
                        Ok(levels) if levels >= 1 => Some(ApproverRule::ManagerLevelsUp { levels }),
                        _ => {
                            errors.push(&field("levels"), invalid);
                            ok = false;
                            continue;
                        }
                    },
                    TOP_MANAGER => Some(ApproverRule::TopManager),
                    _ => Some(ApproverRule::DepartmentManager),
                };
                match rule {
                    Some(rule) => approvers.push(rule),
                    None => {
                        let name = if a.kind.with_untracked(|k| k == ROLE) {
                            "role_id"
                        } else {
                            "user_id"
                        };
                        errors.push(&field(name), required);
                        ok = false;
                    }
                }
            }
            out.push(PolicyStep {
                name: step.name.get_untracked().trim().to_owned(),
                approvers,
                mode: StepMode::parse(step.mode.get_untracked()).unwrap_or_default(),
            });
        }
        ok.then_some(out)
    }
}

#[component]
pub fn StepEditor(list: StepRows, names: Names, errors: FormErrors) -> impl IntoView {
    let i18n = use_i18n();
    let rows = list.rows;

    let approver_view = move |step: StepRow, step_index: Memo<usize>, a: ApproverRow| {
        let id = a.id;
        let index = move || {
            step.approvers
                .with(|rows| rows.iter().position(|r| r.id == id).unwrap_or(0))
        };
        let error = move || {
            errors.message_under(&format!(
                "steps[{}].approvers[{}]",
                step_index.get(),
                index()
            ))
        };
        view! {
            <li class="approver-row" data-testid="approver-row">
                <select class="input select" data-testid="approver-kind" aria-label=i18n.tr(K::ApproverKind)
                    on:change=bind::set(a.kind)>
                    {KINDS.into_iter().map(|(key, label)| view! {
                        <option value=key prop:selected=move || a.kind.with(|k| k == key)>{i18n.tr(label)}</option>
                    }).collect_view()}
                </select>
                {move || match a.kind.get().as_str() {
                    USER => view! {
                        <select class="input select" data-testid="approver-user" aria-label=i18n.tr(K::ApproverUser)
                            on:change=bind::set(a.user_id)>
                            <option value="" prop:selected=move || a.user_id.with(String::is_empty)>{i18n.tr(K::SelectPlaceholder)}</option>
                            {move || names.users.get().into_iter().map(|u| {
                                let value = u.id.to_string();
                                let selected = value.clone();
                                view! { <option value=value prop:selected=move || a.user_id.with(|v| *v == selected)>{format!("{}（{}）", u.name, u.department_name)}</option> }
                            }).collect_view()}
                        </select>
                    }
                    .into_any(),
                    ROLE => view! {
                        <select class="input select" data-testid="approver-role" aria-label=i18n.tr(K::ApproverRole)
                            on:change=bind::set(a.role_id)>
                            <option value="" prop:selected=move || a.role_id.with(String::is_empty)>{i18n.tr(K::SelectPlaceholder)}</option>
                            {move || names.roles.get().into_iter().map(|r| {
                                let value = r.id.to_string();
                                let selected = value.clone();
                                view! { <option value=value prop:selected=move || a.role_id.with(|v| *v == selected)>{r.name}</option> }
                            }).collect_view()}
                        </select>
                    }
                    .into_any(),
                    LEVELS_UP => view! {
                        <div class="input-unit">
                            <input class="input input-num input-short" type="number" min="1" max="10" data-testid="approver-levels"
                                aria-label=i18n.tr(K::ApproverLevels)
                                prop:value=bind::value(a.levels) on:input=bind::set(a.levels)/>
                            <span class="unit">{i18n.tr(K::LevelsUp)}</span>
                        </div>
                    }
                    .into_any(),
                    _ => view! { <span></span> }.into_any(),
                }}
                <button type="button" class="icon-button" data-testid="approver-remove" aria-label=i18n.tr(K::Remove)
                    on:click=move |_| step.approvers.update(|rows| rows.retain(|r| r.id != id))>
                    <Icon name=IconName::Close/>
                </button>
                {move || error().map(|m| view! { <p class="field-error row-error">{m}</p> })}
            </li>
        }
    };

    let step_view = move |step: StepRow| {
        let id = step.id;
        let index =
            Memo::new(move |_| rows.with(|rows| rows.iter().position(|r| r.id == id).unwrap_or(0)));
        let is_last = move || index.get() + 1 == rows.with(Vec::len);
        let name_error = move || errors.message(&format!("steps[{}].name", index.get()));
        let step_error = move || {
            let i = index.get();
            errors
                .message(&format!("steps[{i}]"))
                .or_else(|| errors.message(&format!("steps[{i}].approvers")))
        };
        view! {
            <li class="policy-step" data-testid="step-row">
                <div class="policy-step-head">
                    <span class="step-no">{move || index.get() + 1}</span>
                    <div class="choice-cell" class:has-error=move || name_error().is_some()>
                        <input class="input" data-testid="step-name" aria-label=i18n.tr(K::StepName) placeholder=i18n.tr(K::StepNamePlaceholder)
                            prop:value=bind::value(step.name) on:input=bind::set(step.name)/>
                        {move || name_error().map(|m| view! { <p class="field-error">{m}</p> })}
                    </div>
                    <div class="segments" role="radiogroup" aria-label=i18n.tr(K::StepModeLabel)>
                        {StepMode::ALL.into_iter().map(|mode| view! {
                            <button type="button" role="radio" class="segment" class:active=move || step.mode.get() == mode.as_str()
                                aria-checked=move || if step.mode.get() == mode.as_str() { "true" } else { "false" }
                                data-testid=format!("step-mode-{}", mode.as_str()) on:click=move |_| step.mode.set(mode.as_str())>
                                {i18n.tr(step_mode_key(mode))}
                            </button>
                        }).collect_view()}
                    </div>
                    <button type="button" class="icon-button" data-testid="step-up" aria-label=i18n.tr(K::MoveUp)
                        disabled=move || index.get() == 0 on:click=move |_| list.shift(id, false)>
                        <Icon name=IconName::ArrowUp/>
                    </button>
                    <button type="button" class="icon-button" data-testid="step-down" aria-label=i18n.tr(K::MoveDown)
                        disabled=is_last on:click=move |_| list.shift(id, true)>
                        <Icon name=IconName::ArrowDown/>
                    </button>
                    <button type="button" class="icon-button" data-testid="step-remove" aria-label=i18n.tr(K::Remove)
                        on:click=move |_| rows.update(|rows| rows.retain(|r| r.id != id))>
                        <Icon name=IconName::Trash/>
                    </button>
                </div>
                <ul class="approver-list">
                    <For each=move || step.approvers.get() key=|a| a.id children=move |a| approver_view(step, index, a)/>
                </ul>
                {move || step_error().map(|m| view! { <p class="field-error">{m}</p> })}
                <button type="button" class="btn btn-link btn-sm" data-testid="approver-add" on:click=move |_| list.add_approver(step)>
                    <Icon name=IconName::Plus/>
                    <span>{i18n.tr(K::AddApprover)}</span>
                </button>
            </li>
        }
    };

    view! {
        <ol class="policy-steps" data-testid="step-list">
            <For each=move || rows.get() key=|r| r.id children=step_view/>
        </ol>
        {move || errors.message("steps").map(|m| view! { <p class="field-error" data-testid="error-steps">{m}</p> })}
        <button type="button" class="btn btn-secondary btn-sm choice-add" data-testid="step-add" on:click=move |_| list.add()>
            <Icon name=IconName::Plus/>
            <span>{i18n.tr(K::AddStep)}</span>
        </button>
    }
}
