//! Enums whose JSON form is a stable snake_case key.

/// Gives a fieldless enum `ALL`, `as_str` and `parse`, from one list of `Variant => "key"`
/// pairs that must match the enum's serde names (a unit test per enum checks it).
#[macro_export]
macro_rules! keyed {
    ($ty:ident { $($variant:ident => $key:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: [$ty; [$($key),+].len()] = [$($ty::$variant),+];

            /// The stable key, as in JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $key),+
                }
            }

            pub fn parse(key: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|v| v.as_str() == key)
            }
        }
    };
}
