//! What a page knows about the record it shows.

#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Loaded(T),
    NotFound,
    Failed,
}
