//! Flat records with a parent, drawn as a tree: departments and product categories.

use std::collections::{HashMap, HashSet};

use crm_api_types::identity::DepartmentResponse;
use crm_api_types::products::ProductCategoryResponse;
use uuid::Uuid;

/// A record that sits under another of its kind.
pub trait TreeNode {
    fn id(&self) -> Uuid;
    fn parent_id(&self) -> Option<Uuid>;
    /// Siblings are ordered by it.
    fn name(&self) -> &str;
}

impl TreeNode for DepartmentResponse {
    fn id(&self) -> Uuid {
        self.id
    }
    fn parent_id(&self) -> Option<Uuid> {
        self.parent_id
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl TreeNode for ProductCategoryResponse {
    fn id(&self) -> Uuid {
        self.id
    }
    fn parent_id(&self) -> Option<Uuid> {
        self.parent_id
    }
    fn name(&self) -> &str {
        &self.name
    }
}

/// The records in tree order with their depth. Records whose parent is missing (or that sit
/// in a cycle) are shown at the top level rather than lost.
pub fn tree_order<T: TreeNode + Clone>(records: &[T]) -> Vec<(T, usize)> {
    let known: HashSet<Uuid> = records.iter().map(TreeNode::id).collect();
    let mut children: HashMap<Option<Uuid>, Vec<&T>> = HashMap::new();
    for r in records {
        let parent = r.parent_id().filter(|p| known.contains(p) && *p != r.id());
        children.entry(parent).or_default().push(r);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| a.name().cmp(b.name()));
    }
    let mut out = Vec::with_capacity(records.len());
    let mut seen = HashSet::new();
    let mut stack: Vec<(&T, usize)> = children
        .get(&None)
        .map(|roots| roots.iter().rev().map(|r| (*r, 0)).collect())
        .unwrap_or_default();
    loop {
        while let Some((r, depth)) = stack.pop() {
            if !seen.insert(r.id()) {
                continue;
            }
            out.push((r.clone(), depth));
            if let Some(kids) = children.get(&Some(r.id())) {
                stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
            }
        }
        // Anything unreached is in a cycle: show it at the top.
        match records.iter().find(|r| !seen.contains(&r.id())) {
            Some(orphan) => stack.push((orphan, 0)),
            None => break,
        }
    }
    out
}

/// `id` and every record below it: not allowed as its new parent.
pub fn subtree<T: TreeNode>(records: &[T], id: Uuid) -> Vec<Uuid> {
    let mut out = vec![id];
    let mut i = 0;
    while i < out.len() {
        let current = out[i];
        let below: Vec<Uuid> = records
            .iter()
            .filter(|r| r.parent_id() == Some(current) && !out.contains(&r.id()))
            .map(TreeNode::id)
            .collect();
        out.extend(below);
        i += 1;
    }
    out
}
