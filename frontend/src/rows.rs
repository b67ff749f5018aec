//! Rows of editable lists (product lines, stages, price-list items …) hold signals of their
//! own. Made in a click handler, those signals would belong to whatever drew the button, and
//! go away with it (an 编辑 button hides itself when clicked). A [`RowOwner`] makes them
//! belong to the panel instead.

use leptos::prelude::*;

/// The reactive owner of the component that holds the rows.
#[derive(Debug, Clone, Copy)]
pub struct RowOwner(StoredValue<Option<Owner>>);

impl RowOwner {
    /// The owner of the component being built now.
    pub fn here() -> Self {
        Self(StoredValue::new(Owner::current()))
    }

    /// Runs `make` (which creates a row's signals) under the component's owner.
    pub fn make<T>(self, make: impl FnOnce() -> T) -> T {
        match self.0.get_value() {
            Some(owner) => owner.with(make),
            None => make(),
        }
    }
}
