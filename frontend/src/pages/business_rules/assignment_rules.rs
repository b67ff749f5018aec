//! 分配规则: region and/or industry → a user, or round-robin in a department; tried in order,
//! the first match wins. Listed, added, replaced (`If-Match`) and deleted one at a time.

use crm_api_types::identity::{DepartmentResponse, UserResponse};
use crm_api_types::ownership::{AssignmentRuleRequest, AssignmentRuleResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::form_field::{FormErrors, SelectField, TextField};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::{ConfirmDialog, Modal};
use crate::components::table::{EmptyState, Spinner};
use crate::format::non_blank;
use crate::i18n::{K, use_i18n};
use crate::load::Load;

const FIELDS: [&str; 5] = ["position", "region", "industry", "user_id", "department_id"];

#[derive(Debug, Clone, PartialEq)]
enum Dialog {
    Closed,
    Create,
    Edit(Box<AssignmentRuleResponse>),
    Delete(Box<AssignmentRuleResponse>),
}

/// The people and departments rules can name, for pickers and for showing targets.
#[derive(Debug, Clone, Copy)]
struct Targets {
    users: RwSignal<Vec<UserResponse>>,
    departments: RwSignal<Vec<DepartmentResponse>>,
}

impl Targets {
    /// Whom a rule gives leads to, as a person reads it; unknown ids in a short form.
    fn describe(self, rule: &AssignmentRuleResponse, round_robin: &str) -> String {
        let short = |id: Uuid| id.to_string().chars().take(8).collect::<String>();
        match (rule.user_id, rule.department_id) {
            (Some(user), _) => self.users.with(|all| {
                all.iter()
                    .find(|u| u.id == user)
                    .map_or_else(|| short(user), |u| u.name.clone())
            }),
            (None, Some(department)) => {
                let name = self.departments.with(|all| {
                    all.iter()
                        .find(|d| d.id == department)
                        .map_or_else(|| short(department), |d| d.name.clone())
                });
                format!("{name} · {round_robin}")
            }
            (None, None) => "—".to_owned(),
        }
    }
}

#[component]
pub fn AssignmentRules() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let rules = RwSignal::new(Load::<Vec<AssignmentRuleResponse>>::Loading);
    let targets = Targets {
        users: RwSignal::new(Vec::new()),
        departments: RwSignal::new(Vec::new()),
    };
    let dialog = RwSignal::new(Dialog::Closed);
    let deleting = RwSignal::new(false);

    let reload = move || {
        spawn_local(async move {
            match api.assignment_rules().await {
                Ok(all) => rules.set(Load::Loaded(all)),
                Err(error) => {
                    api.report(&error);
                    rules.set(Load::Failed);
                }
            }
        });
    };
    reload();
    spawn_local(async move {
        let (users, departments) =
            futures::future::join(api.all_users(), api.all_departments()).await;
        match users {
            Ok(all) => targets.users.set(all),
            Err(error) => api.report(&error),
        }
        match departments {
            Ok(all) => targets.departments.set(all),
            Err(error) => api.report(&error),
        }
    });

    let close = Callback::new(move |()| dialog.set(Dialog::Closed));
    let on_saved = Callback::new(move |created: bool| {
        dialog.set(Dialog::Closed);
        api.toasts.success(api.i18n.t(if created {
            K::AssignmentRuleCreated
        } else {
            K::AssignmentRuleSaved
        }));
        reload();
    });
    let on_stale = Callback::new(move |()| {
        dialog.set(Dialog::Closed);
        reload();
    });
    let on_delete = Callback::new(move |()| {
        let Dialog::Delete(rule) = dialog.get_untracked() else {
            return;
        };
        deleting.set(true);
        spawn_local(async move {
            let result = api.delete_assignment_rule(rule.id).await;
            deleting.set(false);
            dialog.set(Dialog::Closed);
            match result {
                Ok(()) => {
                    api.toasts.success(api.i18n.t(K::AssignmentRuleDeleted));
                    reload();
                }
                Err(error) => api.report(&error),
            }
        });
    });

    let row = move |rule: AssignmentRuleResponse| {
        let condition = |value: &Option<String>| {
            let value = value.clone();
            move || {
                value
                    .clone()
                    .unwrap_or_else(|| i18n.t(K::AnyValue).to_owned())
            }
        };
        let region = condition(&rule.region);
        let industry = condition(&rule.industry);
        let shown = rule.clone();
        let target = move || targets.describe(&shown, i18n.t(K::RoundRobin));
        let (for_edit, for_delete) = (rule.clone(), rule.clone());
        view! {
            <tr data-testid="assignment-rule-row" data-id=rule.id.to_string()>
                <td class="cell-mono">{rule.position}</td>
                <td>{region}</td>
                <td>{industry}</td>
                <td class="cell-strong">{target}</td>
                <td class="cell-actions">
                    <button type="button" class="btn btn-link btn-sm" data-testid="assignment-rule-edit"
                        on:click=move |_| dialog.set(Dialog::Edit(Box::new(for_edit.clone())))>
                        {i18n.tr(K::Edit)}
                    </button>
                    <button type="button" class="btn btn-link btn-link-danger btn-sm" data-testid="assignment-rule-delete"
                        on:click=move |_| dialog.set(Dialog::Delete(Box::new(for_delete.clone())))>
                        {i18n.tr(K::Delete)}
                    </button>
                </td>
            </tr>
        }
    };

    let body = move || match rules.get() {
        Load::Loading => view! { <Spinner label=true/> }.into_any(),
        Load::Failed | Load::NotFound => {
            view! { <p class="muted panel-empty">{i18n.tr(K::UnexpectedError)}</p> }.into_any()
        }
        Load::Loaded(all) if all.is_empty() => view! {
            <EmptyState
                icon=IconName::Users
                title=Signal::derive(move || i18n.t(K::AssignmentRulesEmpty).to_owned())
                hint=Signal::derive(String::new)
                testid="assignment-rules-empty"
            />
        }
        .into_any(),
        Load::Loaded(all) => view! {
            <div class="table-wrap">
                <table class="table" data-testid="assignment-rules-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::FieldPosition)}</th>
                            <th scope="col">{i18n.tr(K::FieldRegion)}</th>
                            <th scope="col">{i18n.tr(K::FieldIndustry)}</th>
                            <th scope="col">{i18n.tr(K::FieldTarget)}</th>
                            <th scope="col">{i18n.tr(K::Actions)}</th>
                        </tr>
                    </thead>
                    <tbody>{all.into_iter().map(row).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any(),
    };

    view! {
        <section class="card" aria-labelledby="assignment-rules-title" data-testid="assignment-rules">
            <h2 class="card-title" id="assignment-rules-title">
                <Icon name=IconName::Users/>
                <span>{i18n.tr(K::AssignmentRules)}</span>
                <span class="toolbar-spacer"></span>
                <button type="button" class="btn btn-secondary btn-sm" data-testid="assignment-rule-new" on:click=move |_| dialog.set(Dialog::Create)>
                    <Icon name=IconName::Plus/>
                    <span>{i18n.tr(K::NewAssignmentRule)}</span>
                </button>
            </h2>
            <p class="field-hint card-hint">{i18n.tr(K::AssignmentRulesHint)}</p>
            {body}
        </section>
        {move || match dialog.get() {
            Dialog::Closed => ().into_any(),
            Dialog::Create => view! { <RuleDialog rule=None targets on_saved on_stale on_close=close/> }.into_any(),
            Dialog::Edit(rule) => view! { <RuleDialog rule=Some(*rule) targets on_saved on_stale on_close=close/> }.into_any(),
            Dialog::Delete(_) => view! {
                <ConfirmDialog
                    title=K::DeleteAssignmentRule
                    message=Signal::derive(move || i18n.t(K::DeleteAssignmentRuleConfirm).to_owned())
                    busy=deleting
                    on_confirm=on_delete
                    on_cancel=close
                />
            }
            .into_any(),
        }}
    }
}

/// Adds a rule (`rule` = `None`) or replaces one.
#[component]
fn RuleDialog(
    rule: Option<AssignmentRuleResponse>,
    targets: Targets,
    /// `true` when a rule was added.
    on_saved: Callback<bool>,
    /// Someone changed the rule since it was loaded: load the list again.
    on_stale: Callback<()>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let stale = RwSignal::new(false);
    let text = |f: fn(&AssignmentRuleResponse) -> Option<String>| {
        RwSignal::new(rule.as_ref().and_then(f).unwrap_or_default())
    };
    let position = text(|r| Some(r.position.to_string()));
    let region = text(|r| r.region.clone());
    let industry = text(|r| r.industry.clone());
    let user_id = text(|r| r.user_id.map(|id| id.to_string()));
    let department_id = text(|r| r.department_id.map(|id| id.to_string()));
    let to_department = RwSignal::new(rule.as_ref().is_some_and(|r| r.department_id.is_some()));
    let editing = rule.as_ref().map(|r| (r.id, r.version));

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let id_of = |s: RwSignal<String>| Uuid::parse_str(&s.get_untracked()).ok();
        let position_text = position.get_untracked();
        let position = match position_text.trim() {
            "" => None,
            typed => match typed.parse::<i32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push("position", i18n.t(K::WholeNumber));
                    return;
                }
            },
        };
        let (user, department) = if to_department.get_untracked() {
            (None, id_of(department_id))
        } else {
            (id_of(user_id), None)
        };
        if user.is_none() && department.is_none() {
            let field = if to_department.get_untracked() {
                "department_id"
            } else {
                "user_id"
            };
            errors.push(field, i18n.t(K::ValueRequired));
            return;
        }
        let request = AssignmentRuleRequest {
            position,
            region: non_blank(&region.get_untracked()),
            industry: non_blank(&industry.get_untracked()),
            user_id: user,
            department_id: department,
        };
        saving.set(true);
        spawn_local(async move {
            let result = match editing {
                Some((id, version)) => api.replace_assignment_rule(id, version, &request).await,
                None => api.create_assignment_rule(&request).await,
            };
            saving.set(false);
            match result {
                Ok(_) => on_saved.run(editing.is_none()),
                Err(error) if error.is_stale() => stale.set(true),
                Err(error) => {
                    if !errors.absorb(&error, &FIELDS) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    let user_options = Signal::derive(move || {
        targets
            .users
            .get()
            .into_iter()
            .filter(|u| u.active)
            .map(|u| (u.id.to_string(), u.name))
            .collect()
    });
    let department_options = Signal::derive(move || {
        targets
            .departments
            .get()
            .into_iter()
            .map(|d| (d.id.to_string(), d.name))
            .collect()
    });
    let title = if editing.is_some() {
        K::EditAssignmentRule
    } else {
        K::NewAssignmentRule
    };
    let target_choice = move |department: bool, testid: &'static str, label: K| {
        view! {
            <label class="check">
                <input type="radio" name="rule-target" data-testid=testid
                    prop:checked=move || to_department.get() == department
                    on:change=move |_| to_department.set(department)/>
                <span>{i18n.tr(label)}</span>
            </label>
        }
    };

    view! {
        <Modal title=Signal::derive(move || i18n.t(title).to_owned()) on_close testid="assignment-rule-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid">
                    <Show when=move || stale.get()>
                        <div class="alert alert-warning field-wide" role="alert" data-testid="stale-warning">
                            <Icon name=IconName::Alert/>
                            <div class="alert-body">
                                <strong>{i18n.tr(K::StaleTitle)}</strong>
                            </div>
                            <button type="button" class="btn btn-secondary btn-sm" data-testid="reload-latest" on:click=move |_| on_stale.run(())>
                                {i18n.tr(K::StaleReload)}
                            </button>
                        </div>
                    </Show>
                    <TextField label=K::FieldRegion name="region" prefix="rule" value=region errors placeholder=K::RegionPlaceholder/>
                    <TextField label=K::FieldIndustry name="industry" prefix="rule" value=industry errors placeholder=K::IndustryPlaceholder/>
                    <fieldset class="field field-wide rule-target">
                        <legend class="field-label">{i18n.tr(K::FieldTarget)}</legend>
                        {target_choice(false, "rule-target-user", K::TargetUser)}
                        {target_choice(true, "rule-target-department", K::TargetDepartment)}
                    </fieldset>
                    <Show
                        when=move || to_department.get()
                        fallback=move || view! {
                            <SelectField label=K::TargetUser name="user_id" prefix="rule" value=user_id errors options=user_options empty_label=K::SelectPlaceholder required=true/>
                        }
                    >
                        <SelectField label=K::TargetDepartment name="department_id" prefix="rule" value=department_id errors options=department_options empty_label=K::SelectPlaceholder required=true/>
                    </Show>
                    <TextField label=K::FieldPosition name="position" prefix="rule" value=position errors input_type="number" hint=Some(K::PositionHint)/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="rule-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
