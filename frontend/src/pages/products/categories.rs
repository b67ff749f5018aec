//! The product category tree: choosing a category filters the catalogue; `product.manage`
//! adds (at the top or below a category), renames, moves (a new parent) and deletes.

use crm_api_types::products::{
    CreateProductCategoryRequest, ProductCategoryResponse, UpdateProductCategoryRequest,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::form_field::{FormErrors, SelectField, TextField};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::{ConfirmDialog, Modal};
use crate::i18n::{K, use_i18n};
use crate::tree::{subtree, tree_order};

#[derive(Debug, Clone, PartialEq)]
enum Dialog {
    Closed,
    /// A new category under the given parent (or at the top).
    Create(Option<Uuid>),
    Edit(ProductCategoryResponse),
    Delete(ProductCategoryResponse),
}

#[component]
pub fn CategoryTree(
    categories: RwSignal<Vec<ProductCategoryResponse>>,
    #[prop(into)] chosen: Signal<Option<Uuid>>,
    on_choose: Callback<Option<Uuid>>,
    can_manage: Signal<bool>,
    /// Told after a change: the caller loads the categories again.
    on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let dialog = RwSignal::new(Dialog::Closed);
    let deleting = RwSignal::new(false);
    let close = Callback::new(move |()| dialog.set(Dialog::Closed));
    let saved = Callback::new(move |created: bool| {
        dialog.set(Dialog::Closed);
        api.toasts.success(api.i18n.t(if created {
            K::CategoryCreated
        } else {
            K::CategorySaved
        }));
        on_changed.run(());
    });
    let on_delete = Callback::new(move |()| {
        let Dialog::Delete(category) = dialog.get_untracked() else {
            return;
        };
        deleting.set(true);
        spawn_local(async move {
            let result = api.delete_product_category(category.id).await;
            deleting.set(false);
            dialog.set(Dialog::Closed);
            match result {
                Ok(()) => {
                    api.toasts.success(api.i18n.t(K::CategoryDeleted));
                    if chosen.get_untracked() == Some(category.id) {
                        on_choose.run(None);
                    }
                    on_changed.run(());
                }
                Err(error) => api.report(&error),
            }
        });
    });

    let nodes = move || {
        tree_order(&categories.get())
            .into_iter()
            .map(|(category, depth)| {
                let id = category.id;
                let for_edit = category.clone();
                let for_delete = category.clone();
                view! {
                    <li class="tree-node" class:tree-root=depth == 0 class:active=move || chosen.get() == Some(id)
                        style=format!("--depth: {depth}") data-testid="category-node" data-id=id.to_string()>
                        <span class="tree-branch" aria-hidden="true"></span>
                        <button type="button" class="tree-name tree-pick" data-testid="category-pick" on:click=move |_| on_choose.run(Some(id))>
                            {category.name.clone()}
                        </button>
                        <span class="tree-meta"><span class="tree-count">{category.product_count}</span></span>
                        <Show when=move || can_manage.get()>
                            <span class="tree-actions">
                                <button type="button" class="icon-button" data-testid="category-add-child" aria-label=i18n.tr(K::AddSubCategory)
                                    title=i18n.tr(K::AddSubCategory) on:click=move |_| dialog.set(Dialog::Create(Some(id)))>
                                    <Icon name=IconName::Plus/>
                                </button>
                                <button type="button" class="icon-button" data-testid="category-edit" aria-label=i18n.tr(K::Edit)
                                    title=i18n.tr(K::Edit) on:click={
                                        let for_edit = for_edit.clone();
                                        move |_| dialog.set(Dialog::Edit(for_edit.clone()))
                                    }>
                                    <Icon name=IconName::Edit/>
                                </button>
                                <button type="button" class="icon-button" data-testid="category-delete" aria-label=i18n.tr(K::Delete)
                                    title=i18n.tr(K::Delete) on:click={
                                        let for_delete = for_delete.clone();
                                        move |_| dialog.set(Dialog::Delete(for_delete.clone()))
                                    }>
                                    <Icon name=IconName::Trash/>
                                </button>
                            </span>
                        </Show>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <aside class="card category-tree" data-testid="category-tree">
            <h2 class="card-title">
                <Icon name=IconName::Tree/>
                <span>{i18n.tr(K::FieldCategory)}</span>
                <span class="toolbar-spacer"></span>
                <Show when=move || can_manage.get()>
                    <button type="button" class="btn btn-link btn-sm" data-testid="category-new" on:click=move |_| dialog.set(Dialog::Create(None))>
                        {i18n.tr(K::NewCategory)}
                    </button>
                </Show>
            </h2>
            <ul class="tree" role="tree">
                <li class="tree-node tree-root" class:active=move || chosen.with(Option::is_none) style="--depth: 0">
                    <button type="button" class="tree-name tree-pick" data-testid="category-all" on:click=move |_| on_choose.run(None)>
                        {i18n.tr(K::AllCategories)}
                    </button>
                </li>
                {nodes}
            </ul>
        </aside>
        {move || match dialog.get() {
            Dialog::Closed => ().into_any(),
            Dialog::Create(parent) => view! { <CategoryDialog category=None parent categories on_saved=saved on_close=close/> }.into_any(),
            Dialog::Edit(category) => {
                let parent = category.parent_id;
                view! { <CategoryDialog category=Some(category) parent categories on_saved=saved on_close=close/> }.into_any()
            }
            Dialog::Delete(category) => view! {
                <ConfirmDialog
                    title=K::DeleteCategory
                    message=Signal::derive(move || i18n.confirm_delete_named(&category.name))
                    busy=deleting
                    on_confirm=on_delete
                    on_cancel=close
                />
            }.into_any(),
        }}
    }
}

#[component]
fn CategoryDialog(
    category: Option<ProductCategoryResponse>,
    parent: Option<Uuid>,
    categories: RwSignal<Vec<ProductCategoryResponse>>,
    on_saved: Callback<bool>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let name = RwSignal::new(
        category
            .as_ref()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
    );
    let parent_id = RwSignal::new(parent.map(|p| p.to_string()).unwrap_or_default());
    let saving = RwSignal::new(false);
    let editing = category.clone();
    // A category cannot move below itself.
    let options = Signal::derive(move || {
        let all = categories.get();
        let excluded = editing
            .as_ref()
            .map(|c| subtree(&all, c.id))
            .unwrap_or_default();
        tree_order(&all)
            .into_iter()
            .filter(|(c, _)| !excluded.contains(&c.id))
            .map(|(c, depth)| {
                (
                    c.id.to_string(),
                    format!("{}{}", "　".repeat(depth), c.name),
                )
            })
            .collect()
    });
    let title = if category.is_some() {
        K::EditCategory
    } else {
        K::NewCategory
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let text = name.get_untracked().trim().to_owned();
        if text.is_empty() {
            errors.push("name", i18n.t(K::ValueRequired));
            return;
        }
        let new_parent: Option<Uuid> = parent_id.get_untracked().parse().ok();
        let category = category.clone();
        saving.set(true);
        spawn_local(async move {
            let result = match &category {
                None => api
                    .create_product_category(&CreateProductCategoryRequest {
                        name: text,
                        parent_id: new_parent,
                    })
                    .await
                    .map(|_| true),
                Some(existing) => {
                    let update = UpdateProductCategoryRequest {
                        name: (text != existing.name).then_some(text),
                        parent_id: (new_parent != existing.parent_id).then_some(new_parent),
                    };
                    api.update_product_category(existing.id, existing.version, &update)
                        .await
                        .map(|_| false)
                }
            };
            saving.set(false);
            match result {
                Ok(created) => on_saved.run(created),
                Err(error) => {
                    if !errors.absorb(&error, &["name", "parent_id"]) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    view! {
        <Modal title=Signal::derive(move || i18n.t(title).to_owned()) on_close testid="category-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid form-grid-single">
                    <TextField label=K::CategoryName name="name" prefix="category" value=name errors required=true autofocus=true/>
                    <SelectField label=K::CategoryParent name="parent_id" prefix="category" value=parent_id errors options empty_label=K::NoParent/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="category-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
