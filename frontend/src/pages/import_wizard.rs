//! 导入: the import wizard — choose what and which file (CSV or XLSX) → map its columns to
//! fields, with sample rows, and choose the owner → preview what would go in and what not →
//! commit and follow the progress → download the rejected rows with their reasons.
//! `/imports/new?kind=leads|customers|contacts` opens it on that kind.

mod mapping;
mod preview;
mod progress;
mod upload;

use crm_api_types::identity::Permission;
use crm_api_types::imports::{ImportKind, ImportOwner, ImportResponse, PreviewImportResponse};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::auth::{Session, use_session};
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::NoPermission;
use crate::i18n::{K, use_i18n};

use mapping::MappingStep;
use preview::PreviewStep;
use progress::ProgressStep;
use upload::UploadStep;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Upload,
    Mapping,
    Preview,
    Progress,
}

impl Step {
    const ALL: [Step; 4] = [Step::Upload, Step::Mapping, Step::Preview, Step::Progress];

    fn label(self) -> K {
        match self {
            Step::Upload => K::StepFile,
            Step::Mapping => K::StepMapping,
            Step::Preview => K::StepPreview,
            Step::Progress => K::StepRun,
        }
    }
}

/// Where the wizard stands, shared by its steps.
#[derive(Debug, Clone, Copy)]
struct Wizard {
    step: RwSignal<Step>,
    kind: RwSignal<ImportKind>,
    /// The uploaded import, as the API last told it.
    import: RwSignal<Option<ImportResponse>>,
    /// One entry per column of the file: the field it fills, or `None` to skip it.
    mapping: RwSignal<Vec<Option<String>>>,
    owner: RwSignal<ImportOwner>,
    preview: RwSignal<Option<PreviewImportResponse>>,
}

impl Wizard {
    /// Back to the start, for another file.
    fn restart(self) {
        self.import.set(None);
        self.mapping.set(Vec::new());
        self.preview.set(None);
        self.step.set(Step::Upload);
    }
}

/// Whether the role may import `kind`: the write permission of what it creates.
fn may_import(session: Session, kind: ImportKind) -> bool {
    session.can(match kind {
        ImportKind::Leads => Permission::LeadWrite,
        ImportKind::Customers | ImportKind::Contacts => Permission::CustomerWrite,
    })
}

/// The list an import of `kind` fills.
fn list_href(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Leads => "/leads",
        ImportKind::Customers | ImportKind::Contacts => "/customers",
    }
}

fn back_label(kind: ImportKind) -> K {
    match kind {
        ImportKind::Leads => K::BackToLeads,
        ImportKind::Customers | ImportKind::Contacts => K::BackToCustomers,
    }
}

#[component]
pub fn ImportWizardPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    // The kind the link asked for, else the first the role may import.
    let asked = query
        .with_untracked(|q| q.get("kind"))
        .and_then(|k| ImportKind::parse(&k))
        .filter(|k| may_import(session, *k))
        .or_else(|| {
            ImportKind::ALL
                .into_iter()
                .find(|k| may_import(session, *k))
        })
        .unwrap_or(ImportKind::Leads);
    let wizard = Wizard {
        step: RwSignal::new(Step::Upload),
        kind: RwSignal::new(asked),
        import: RwSignal::new(None),
        mapping: RwSignal::new(Vec::new()),
        owner: RwSignal::new(ImportOwner::Me),
        preview: RwSignal::new(None),
    };
    let allowed = move || ImportKind::ALL.into_iter().any(|k| may_import(session, k));

    let steps = move || {
        let current = wizard.step.get();
        Step::ALL
            .into_iter()
            .enumerate()
            .map(|(i, step)| {
                view! {
                    <li class="step" class:active=step == current class:done=step < current
                        aria-current=(step == current).then_some("step")>
                        <span class="step-no">{i + 1}</span>
                        <span>{i18n.tr(step.label())}</span>
                    </li>
                }
            })
            .collect_view()
    };
    let body = move || match wizard.step.get() {
        Step::Upload => view! { <UploadStep wizard/> }.into_any(),
        Step::Mapping => view! { <MappingStep wizard/> }.into_any(),
        Step::Preview => view! { <PreviewStep wizard/> }.into_any(),
        Step::Progress => view! { <ProgressStep wizard/> }.into_any(),
    };

    move || {
        if !allowed() {
            return view! { <NoPermission back_href="/leads" back_label=K::BackToLeads/> }
                .into_any();
        }
        view! {
            <div class="page page-narrow">
                <a class="back-link" href=move || list_href(wizard.kind.get()) data-testid="import-back-to-list">
                    <Icon name=IconName::Back/>
                    <span>{move || i18n.t(back_label(wizard.kind.get()))}</span>
                </a>
                <header class="page-header">
                    <div>
                        <h1>{i18n.tr(K::ImportTitle)}</h1>
                        <p class="page-subtitle">{i18n.tr(K::ImportSubtitle)}</p>
                    </div>
                </header>
                <ol class="steps">{steps}</ol>
                <section class="card import-card" data-testid="import-wizard">{body}</section>
            </div>
        }
        .into_any()
    }
}
