//! Settings → business rules (业务规则), for roles with `settings.manage`: the fields a lead
//! needs before it can be qualified, the disqualification reasons, the customer tiers, the
//! reasons an opportunity is lost, the pool's rules and the credit check (信用检查) on
//! submitting a sales order, and the internal hosts webhooks may reach. Saved in one PATCH with `If-Match`; a
//! 412 offers to load what someone else saved. The assignment rules and the sales pipelines
//! below are resources of their own ([`AssignmentRules`], [`Pipelines`]).

mod assignment_rules;
mod pipelines;

use std::collections::BTreeSet;

use crm_api_types::settings::{
    Choice, CreditCheckMode, QualificationField, SettingsResponse, UpdateSettingsRequest,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{Versioned, use_api};
use crate::components::form_field::{
    FormErrors, SelectField, TextAreaField, TextField, scroll_to_testid,
};
use crate::components::icons::{Icon, IconName};
use crate::components::table::Spinner;
use crate::i18n::{K, credit_check_mode_key, qualification_field_key, use_i18n};

use assignment_rules::AssignmentRules;
use pipelines::Pipelines;

/// The pool's numeric settings, by API field name.
const POOL_FIELDS: [&str; 3] = ["pool_return_days", "pool_warning_days", "pool_claim_limit"];
const COMMIT_PROBABILITY: &str = "forecast_commit_probability";

/// The webhook allow-list's API field; its entries' errors come as `webhook_allowed_hosts[i]`.
const ALLOWED_HOSTS: &str = "webhook_allowed_hosts";

/// The entries of a one-per-line list, with the (1-based) line each came from.
fn lines(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let entry = line.trim();
            (!entry.is_empty()).then(|| (i + 1, entry.to_owned()))
        })
        .collect()
}

/// One editable entry of a choice list; `id` keeps its inputs when others come and go.
#[derive(Debug, Clone, Copy)]
struct ChoiceRow {
    id: u64,
    key: RwSignal<String>,
    label: RwSignal<String>,
}

/// A choice list being edited.
#[derive(Debug, Clone, Copy)]
struct ChoiceList {
    rows: RwSignal<Vec<ChoiceRow>>,
    next_id: StoredValue<u64>,
}

impl ChoiceList {
    fn new() -> Self {
        Self {
            rows: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        }
    }

    fn row(self, choice: Choice) -> ChoiceRow {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        ChoiceRow {
            id,
            key: RwSignal::new(choice.key),
            label: RwSignal::new(choice.label),
        }
    }

    fn load(self, choices: Vec<Choice>) {
        let rows = choices.into_iter().map(|c| self.row(c)).collect();
        self.rows.set(rows);
    }

    fn add(self) {
        let row = self.row(Choice {
            key: String::new(),
            label: String::new(),
        });
        self.rows.update(|rows| rows.push(row));
    }

    fn remove(self, id: u64) {
        self.rows.update(|rows| rows.retain(|r| r.id != id));
    }

    fn move_up(self, id: u64) {
        self.rows.update(|rows| {
            if let Some(i) = rows.iter().position(|r| r.id == id)
                && i > 0
            {
                rows.swap(i - 1, i);
            }
        });
    }

    fn choices(self) -> Vec<Choice> {
        self.rows.with_untracked(|rows| {
            rows.iter()
                .map(|r| Choice {
                    key: r.key.get_untracked().trim().to_owned(),
                    label: r.label.get_untracked().trim().to_owned(),
                })
                .collect()
        })
    }
}

#[component]
pub fn BusinessRulesPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let version = RwSignal::new(None::<i32>);
    let failed = RwSignal::new(false);
    let required = RwSignal::new(BTreeSet::<QualificationField>::new());
    let reasons = ChoiceList::new();
    let tiers = ChoiceList::new();
    let lost_reasons = ChoiceList::new();
    let pool = POOL_FIELDS.map(|_| RwSignal::new(String::new()));
    let [return_days, warning_days, claim_limit] = pool;
    let credit_check = RwSignal::new(CreditCheckMode::default().as_str().to_owned());
    let commit_probability = RwSignal::new(String::new());
    let allowed_hosts = RwSignal::new(String::new());
    // The textarea line of each entry sent, to place `webhook_allowed_hosts[i]` errors.
    let sent_lines = StoredValue::new(Vec::<usize>::new());
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let stale = RwSignal::new(false);

    let show = move |settings: Versioned<SettingsResponse>| {
        required.set(
            settings
                .value
                .lead_qualification_fields
                .into_iter()
                .collect(),
        );
        reasons.load(settings.value.disqualify_reasons);
        tiers.load(settings.value.customer_tiers);
        lost_reasons.load(settings.value.lost_reasons);
        return_days.set(settings.value.pool_return_days.to_string());
        warning_days.set(settings.value.pool_warning_days.to_string());
        claim_limit.set(settings.value.pool_claim_limit.to_string());
        credit_check.set(settings.value.credit_check_mode.as_str().to_owned());
        commit_probability.set(settings.value.forecast_commit_probability.to_string());
        allowed_hosts.set(settings.value.webhook_allowed_hosts.join("\n"));
        version.set(Some(settings.version));
        errors.clear();
        stale.set(false);
    };
    let load = move || {
        spawn_local(async move {
            match api.get_settings().await {
                Ok(settings) => show(settings),
                Err(error) => {
                    failed.set(true);
                    api.report(&error);
                }
            }
        });
    };
    load();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(current) = version.get_untracked() else {
            return;
        };
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let numbers: [Option<u32>; 3] = std::array::from_fn(|i| {
            let number = pool[i].get_untracked().trim().parse::<u32>().ok();
            if number.is_none() {
                errors.push(POOL_FIELDS[i], i18n.t(K::WholeNumber));
            }
            number
        });
        let [
            Some(pool_return_days),
            Some(pool_warning_days),
            Some(pool_claim_limit),
        ] = numbers
        else {
            return;
        };
        let Some(forecast_commit_probability) = commit_probability
            .get_untracked()
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|p| *p <= 100)
        else {
            errors.push(COMMIT_PROBABILITY, i18n.t(K::WholeNumber));
            return;
        };
        let (line_numbers, hosts): (Vec<usize>, Vec<String>) =
            lines(&allowed_hosts.get_untracked()).into_iter().unzip();
        sent_lines.set_value(line_numbers);
        let request = UpdateSettingsRequest {
            lead_qualification_fields: Some(required.get_untracked().into_iter().collect()),
            disqualify_reasons: Some(reasons.choices()),
            customer_tiers: Some(tiers.choices()),
            lost_reasons: Some(lost_reasons.choices()),
            pool_return_days: Some(pool_return_days),
            pool_warning_days: Some(pool_warning_days),
            pool_claim_limit: Some(pool_claim_limit),
            credit_check_mode: CreditCheckMode::parse(&credit_check.get_untracked()),
            webhook_allowed_hosts: Some(hosts),
            forecast_commit_probability: Some(forecast_commit_probability),
        };
        saving.set(true);
        spawn_local(async move {
            let result = api.update_settings(current, &request).await;
            saving.set(false);
            match result {
                Ok(saved) => {
                    let version = saved.version;
                    show(Versioned {
                        value: saved,
                        version,
                    });
                    api.toasts.success(api.i18n.t(K::RulesSaved));
                }
                Err(error) if error.is_stale() => {
                    stale.set(true);
                    scroll_to_testid("stale-warning");
                }
                Err(error) => {
                    let known = error.field_errors().iter().all(|e| {
                        e.field.starts_with("disqualify_reasons")
                            || e.field.starts_with("customer_tiers")
                            || e.field.starts_with("lost_reasons")
                            || e.field == "lead_qualification_fields"
                            || POOL_FIELDS.contains(&e.field.as_str())
                            || e.field == "credit_check_mode"
                            || e.field == COMMIT_PROBABILITY
                            || e.field.starts_with(ALLOWED_HOSTS)
                    });
                    errors.set(error.field_errors().to_vec());
                    if error.field_errors().is_empty() || !known {
                        api.report(&error);
                    }
                }
            }
        });
    };

    let field_boxes = move || {
        QualificationField::ALL
            .into_iter()
            .map(|field| {
                view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            data-testid=format!("qualification-{}", field.as_str())
                            prop:checked=move || required.with(|r| r.contains(&field))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                required.update(|r| {
                                    if on {
                                        r.insert(field);
                                    } else {
                                        r.remove(&field);
                                    }
                                });
                            }
                        />
                        <span>{move || i18n.t(qualification_field_key(field))}</span>
                        <span class="check-key">{field.as_str()}</span>
                    </label>
                }
            })
            .collect_view()
    };

    let credit_options = Signal::derive(move || {
        CreditCheckMode::ALL
            .into_iter()
            .map(|m| {
                (
                    m.as_str().to_owned(),
                    i18n.t(credit_check_mode_key(m)).to_owned(),
                )
            })
            .collect::<Vec<_>>()
    });

    let content = move || {
        if version.with(Option::is_none) {
            return if failed.get() {
                view! { <p class="muted panel-empty">{i18n.tr(K::UnexpectedError)}</p> }.into_any()
            } else {
                view! { <Spinner label=true/> }.into_any()
            };
        }
        view! {
            <Show when=move || stale.get()>
                <div class="alert alert-warning" role="alert" data-testid="stale-warning">
                    <Icon name=IconName::Alert/>
                    <div class="alert-body">
                        <strong>{i18n.tr(K::StaleTitle)}</strong>
                        <p>{i18n.tr(K::StaleBody)}</p>
                    </div>
                    <button type="button" class="btn btn-secondary btn-sm" data-testid="reload-latest" on:click=move |_| load()>
                        {i18n.tr(K::StaleReload)}
                    </button>
                </div>
            </Show>
            <fieldset class="form-section">
                <legend>{i18n.tr(K::RulesQualification)}</legend>
                <p class="field-hint section-hint">{i18n.tr(K::RulesQualificationHint)}</p>
                <div class="check-grid">{field_boxes}</div>
                {move || errors.message("lead_qualification_fields").map(|m| view! {
                    <p class="field-error" data-testid="error-lead_qualification_fields">{m}</p>
                })}
            </fieldset>
            <ChoiceEditor legend=K::RulesReasons hint=K::RulesReasonsHint field="disqualify_reasons" testid="reasons" list=reasons errors/>
            <ChoiceEditor legend=K::RulesTiers hint=K::RulesTiersHint field="customer_tiers" testid="tiers" list=tiers errors/>
            <ChoiceEditor legend=K::RulesLostReasons hint=K::RulesLostReasonsHint field="lost_reasons" testid="lost-reasons" list=lost_reasons errors/>
            <fieldset class="form-section">
                <legend>{i18n.tr(K::RulesPool)}</legend>
                <p class="field-hint section-hint">{i18n.tr(K::RulesPoolHint)}</p>
                <div class="form-grid form-grid-3">
                    <TextField label=K::FieldPoolReturnDays name="pool_return_days" prefix="settings" value=return_days errors input_type="number" hint=Some(K::PoolReturnDaysHint)/>
                    <TextField label=K::FieldPoolWarningDays name="pool_warning_days" prefix="settings" value=warning_days errors input_type="number" hint=Some(K::PoolWarningDaysHint)/>
                    <TextField label=K::FieldPoolClaimLimit name="pool_claim_limit" prefix="settings" value=claim_limit errors input_type="number" hint=Some(K::PoolClaimLimitHint)/>
                </div>
            </fieldset>
            <fieldset class="form-section">
                <legend>{i18n.tr(K::RulesCreditCheck)}</legend>
                <p class="field-hint section-hint">{i18n.tr(K::RulesCreditCheckHint)}</p>
                <div class="form-grid form-grid-3">
                    <SelectField label=K::FieldCreditCheckMode name="credit_check_mode" prefix="settings" value=credit_check errors options=credit_options/>
                </div>
            </fieldset>
            <fieldset class="form-section">
                <legend>{i18n.tr(K::RulesForecast)}</legend>
                <p class="field-hint section-hint">{i18n.tr(K::RulesForecastHint)}</p>
                <div class="form-grid form-grid-3">
                    <TextField label=K::FieldForecastCommitProbability name=COMMIT_PROBABILITY prefix="settings" value=commit_probability errors input_type="number"/>
                </div>
            </fieldset>
            <fieldset class="form-section">
                <legend>{i18n.tr(K::TabWebhooks)}</legend>
                <div class="form-grid">
                    <TextAreaField label=K::RulesWebhookHosts name=ALLOWED_HOSTS prefix="settings" value=allowed_hosts errors wide=true hint=Some(K::RulesWebhookHostsHint)/>
                </div>
                {move || errors.all_under(ALLOWED_HOSTS).into_iter().filter(|e| e.field != ALLOWED_HOSTS).map(|e| {
                    let index = e.field
                        .strip_prefix(ALLOWED_HOSTS)
                        .and_then(|rest| rest.strip_prefix('['))
                        .and_then(|rest| rest.strip_suffix(']'))
                        .and_then(|i| i.parse::<usize>().ok());
                    let line = index.and_then(|i| sent_lines.with_value(|lines| lines.get(i).copied()));
                    let text = line.map_or_else(|| e.message.clone(), |line| i18n.line_error(line, &e.message));
                    view! { <p class="field-error" data-testid="error-webhook_allowed_hosts-item" data-field=e.field>{text}</p> }
                }).collect_view()}
            </fieldset>
            <footer class="form-footer">
                <button type="submit" class="btn btn-primary" data-testid="rules-submit" disabled=move || saving.get()>
                    {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                </button>
            </footer>
        }
        .into_any()
    };

    view! {
        <div class="settings-stack">
            <form class="card form" novalidate=true on:submit=on_submit data-testid="rules-form">
                {content}
            </form>
            <Pipelines/>
            <AssignmentRules/>
        </div>
    }
}

/// An editable key/label list; errors come as `<field>[i].key` and `<field>[i].label`.
#[component]
fn ChoiceEditor(
    legend: K,
    hint: K,
    field: &'static str,
    testid: &'static str,
    list: ChoiceList,
    errors: FormErrors,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="form-section">
            <legend>{i18n.tr(legend)}</legend>
            <p class="field-hint section-hint">{i18n.tr(hint)}</p>
            <div class="choice-head" aria-hidden="true">
                <span>{i18n.tr(K::ChoiceKey)}</span>
                <span>{i18n.tr(K::ChoiceLabel)}</span>
            </div>
            <ol class="choice-list" data-testid=format!("{testid}-list")>
                <For
                    each=move || list.rows.get()
                    key=|row| row.id
                    children=move |row| {
                        let id = row.id;
                        let index = move || list.rows.with(|rows| rows.iter().position(|r| r.id == id).unwrap_or(0));
                        let key_error = move || errors.message(&format!("{field}[{}].key", index()));
                        let label_error = move || errors.message(&format!("{field}[{}].label", index()));
                        view! {
                            <li class="choice-row" data-testid=format!("{testid}-row")>
                                <div class="choice-cell" class:has-error=move || key_error().is_some()>
                                    <input
                                        class="input cell-code"
                                        data-testid=format!("{testid}-key")
                                        aria-label=i18n.tr(K::ChoiceKey)
                                        aria-invalid=move || if key_error().is_some() { "true" } else { "false" }
                                        prop:value=move || row.key.get()
                                        on:input=move |ev| row.key.set(event_target_value(&ev))
                                    />
                                    {move || key_error().map(|m| view! { <p class="field-error">{m}</p> })}
                                </div>
                                <div class="choice-cell" class:has-error=move || label_error().is_some()>
                                    <input
                                        class="input"
                                        data-testid=format!("{testid}-label")
                                        aria-label=i18n.tr(K::ChoiceLabel)
                                        aria-invalid=move || if label_error().is_some() { "true" } else { "false" }
                                        prop:value=move || row.label.get()
                                        on:input=move |ev| row.label.set(event_target_value(&ev))
                                    />
                                    {move || label_error().map(|m| view! { <p class="field-error">{m}</p> })}
                                </div>
                                <button type="button" class="icon-button" data-testid=format!("{testid}-up")
                                    aria-label=i18n.tr(K::MoveUp) disabled=move || index() == 0
                                    on:click=move |_| list.move_up(id)>
                                    <Icon name=IconName::ArrowUp/>
                                </button>
                                <button type="button" class="icon-button" data-testid=format!("{testid}-remove")
                                    aria-label=i18n.tr(K::Remove) on:click=move |_| list.remove(id)>
                                    <Icon name=IconName::Trash/>
                                </button>
                            </li>
                        }
                    }
                />
            </ol>
            {move || errors.message(field).map(|m| view! { <p class="field-error" data-testid=format!("error-{field}")>{m}</p> })}
            <p class="field-hint">{i18n.tr(K::ChoiceKeyHint)}</p>
            <button type="button" class="btn btn-secondary btn-sm choice-add" data-testid=format!("{testid}-add") on:click=move |_| list.add()>
                <Icon name=IconName::Plus/>
                <span>{i18n.tr(K::Add)}</span>
            </button>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_hosts_are_the_lines_that_say_something() {
        assert_eq!(
            lines("127.0.0.1\n\n  10.8.0.0/16  \nerp.corp.local\n"),
            vec![
                (1, "127.0.0.1".to_owned()),
                (3, "10.8.0.0/16".to_owned()),
                (4, "erp.corp.local".to_owned()),
            ]
        );
    }
}
