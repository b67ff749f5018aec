//! 竞争对手: who else is bidding, their price when known, strengths and weaknesses.

use crm_api_types::opportunities::{Competitor, UpdateOpportunityRequest};
use leptos::prelude::*;

use super::{EditCard, Shown, save_part};
use crate::components::form_field::FormErrors;
use crate::components::icons::{Icon, IconName};
use crate::format::{money, non_blank, parse_decimal, plain};
use crate::i18n::{K, use_i18n};
use crate::rows::RowOwner;

#[derive(Debug, Clone, Copy)]
struct Row {
    id: u64,
    name: RwSignal<String>,
    price: RwSignal<String>,
    strengths: RwSignal<String>,
    weaknesses: RwSignal<String>,
}

#[component]
pub fn CompetitorsPanel(shown: Shown) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let errors = FormErrors::new();
    let rows = RwSignal::new(Vec::<Row>::new());
    let next_id = StoredValue::new(0_u64);
    let owner = RowOwner::here();
    let row = move |c: Competitor| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        owner.make(|| Row {
            id,
            name: RwSignal::new(c.name),
            price: RwSignal::new(c.price.map(plain).unwrap_or_default()),
            strengths: RwSignal::new(c.strengths.unwrap_or_default()),
            weaknesses: RwSignal::new(c.weaknesses.unwrap_or_default()),
        })
    };

    let on_edit = Callback::new(move |()| {
        let current = shown.value.with_untracked(|o| o.competitors.clone());
        rows.set(current.into_iter().map(row).collect());
        errors.clear();
        editing.set(true);
    });
    let on_save = Callback::new(move |()| {
        errors.clear();
        let mut competitors = Vec::new();
        for (i, r) in rows.get_untracked().iter().enumerate() {
            let price = parse_decimal(&r.price.get_untracked());
            if price == Some(None) {
                errors.push(&format!("competitors[{i}].price"), i18n.t(K::InvalidNumber));
                return;
            }
            competitors.push(Competitor {
                name: r.name.get_untracked().trim().to_owned(),
                price: price.flatten(),
                strengths: non_blank(&r.strengths.get_untracked()),
                weaknesses: non_blank(&r.weaknesses.get_untracked()),
            });
        }
        let update = UpdateOpportunityRequest {
            competitors: Some(competitors),
            ..UpdateOpportunityRequest::default()
        };
        save_part(shown, update, "competitors", errors, editing, saving);
    });

    let view_body = move || {
        let (competitors, currency) = shown
            .value
            .with(|o| (o.competitors.clone(), o.summary.currency.clone()));
        if competitors.is_empty() {
            return view! { <p class="panel-empty muted">{i18n.tr(K::CompetitorsEmpty)}</p> }
                .into_any();
        }
        view! {
            <table class="table table-compact">
                <thead>
                    <tr>
                        <th scope="col">{i18n.tr(K::CompetitorName)}</th>
                        <th scope="col" class="cell-num">{i18n.tr(K::CompetitorPrice)}</th>
                        <th scope="col">{i18n.tr(K::Strengths)}</th>
                        <th scope="col">{i18n.tr(K::Weaknesses)}</th>
                    </tr>
                </thead>
                <tbody>
                    {competitors.into_iter().map(|c| view! {
                        <tr data-testid="competitor">
                            <td class="cell-strong">{c.name}</td>
                            <td class="cell-num">{c.price.map_or_else(|| "—".to_owned(), |p| money(p, &currency))}</td>
                            <td class="cell-wrap">{c.strengths.unwrap_or_default()}</td>
                            <td class="cell-wrap">{c.weaknesses.unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };

    let edit_body = move || {
        view! {
            <For
                each=move || rows.get()
                key=|r| r.id
                children=move |r| {
                    let id = r.id;
                    let index = move || rows.with(|rows| rows.iter().position(|x| x.id == id).unwrap_or(0));
                    view! {
                        <div class="row-edit row-edit-4" data-testid="competitor-row">
                            <input class="input" placeholder=i18n.tr(K::CompetitorName) aria-label=i18n.tr(K::CompetitorName)
                                prop:value=move || r.name.get() on:input=move |ev| r.name.set(event_target_value(&ev))/>
                            <input class="input" type="number" placeholder=i18n.tr(K::CompetitorPrice) aria-label=i18n.tr(K::CompetitorPrice)
                                prop:value=move || r.price.get() on:input=move |ev| r.price.set(event_target_value(&ev))/>
                            <input class="input" placeholder=i18n.tr(K::Strengths) aria-label=i18n.tr(K::Strengths)
                                prop:value=move || r.strengths.get() on:input=move |ev| r.strengths.set(event_target_value(&ev))/>
                            <input class="input" placeholder=i18n.tr(K::Weaknesses) aria-label=i18n.tr(K::Weaknesses)
                                prop:value=move || r.weaknesses.get() on:input=move |ev| r.weaknesses.set(event_target_value(&ev))/>
                            <button type="button" class="icon-button" aria-label=i18n.tr(K::Remove)
                                on:click=move |_| rows.update(|rows| rows.retain(|x| x.id != id))>
                                <Icon name=IconName::Trash/>
                            </button>
                            {move || errors.message_under(&format!("competitors[{}]", index())).map(|m| view! { <p class="field-error row-error">{m}</p> })}
                        </div>
                    }
                }
            />
            <button type="button" class="btn btn-secondary btn-sm" data-testid="competitor-add"
                on:click=move |_| {
                    let added = row(Competitor { name: String::new(), price: None, strengths: None, weaknesses: None });
                    rows.update(|rows| rows.push(added));
                }>
                <Icon name=IconName::Plus/>
                <span>{i18n.tr(K::Add)}</span>
            </button>
        }
        .into_any()
    };

    view! {
        <EditCard title=K::Competitors icon=IconName::Shield testid="competitors" shown editing saving on_edit on_save
            view_body=view_body edit_body=edit_body/>
    }
}
