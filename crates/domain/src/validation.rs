//! Field-level validation that collects every problem at once, so a form can show them all.

/// What is wrong with a field. The API turns the code into a localized message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Violation {
    Required,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    InvalidFormat,
    UnknownValue,
    /// The field cannot be set through this endpoint (e.g. a state field on PATCH).
    ReadOnly,
    /// The value names a record that does not exist or that the caller cannot use.
    NotFound,
    /// A number outside the allowed range.
    OutOfRange {
        min: i64,
        max: i64,
    },
    /// A query parameter or body field this endpoint does not accept.
    UnknownField,
    /// The value has the wrong JSON type or cannot be read (e.g. `limit=abc`).
    InvalidType,
    /// The value repeats one given earlier in the same list.
    Duplicate,
    /// Only one of this field and another may be given.
    MutuallyExclusive,
    /// More than is open, outstanding or unapplied: shipping past a line's open quantity,
    /// allocating past an instalment's outstanding amount or a payment's unapplied one.
    ExceedsAvailable,
    /// An instalment set below what was already paid on it.
    BelowPaid,
    /// A collection plan that does not add up to what the customer owes.
    SumMismatch,
    /// A time that must lie ahead, such as an expiry, is already past.
    NotInFuture,
    /// A URL whose host is on a loopback or private network that the tenant did not allow.
    InternalAddress,
    /// An `Idempotency-Key` already used with a different request.
    KeyReused,
}

impl Violation {
    pub fn code(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooLong { .. } => "too_long",
            Self::TooShort { .. } => "too_short",
            Self::InvalidFormat => "invalid_format",
            Self::UnknownValue => "unknown_value",
            Self::ReadOnly => "read_only",
            Self::NotFound => "not_found",
            Self::OutOfRange { .. } => "out_of_range",
            Self::UnknownField => "unknown_field",
            Self::InvalidType => "invalid_type",
            Self::Duplicate => "duplicate",
            Self::MutuallyExclusive => "mutually_exclusive",
            Self::ExceedsAvailable => "exceeds_available",
            Self::BelowPaid => "below_paid",
            Self::SumMismatch => "sum_mismatch",
            Self::NotInFuture => "not_in_future",
            Self::InternalAddress => "internal_address",
            Self::KeyReused => "idempotency_key_reused",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<(String, Violation)>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &str, violation: Violation) -> Self {
        let mut errors = Self::new();
        errors.add(field, violation);
        errors
    }

    pub fn add(&mut self, field: &str, violation: Violation) {
        self.0.push((field.to_owned(), violation));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, Violation)> {
        self.0.iter().map(|(f, v)| (f.as_str(), *v))
    }

    /// `Ok(value)` when nothing was collected.
    pub fn finish<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Trims `value`; records `Required` when empty and `TooLong` past `max` characters.
    pub fn required_text(&mut self, field: &str, value: &str, max: usize) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.add(field, Violation::Required);
        } else if value.chars().count() > max {
            self.add(field, Violation::TooLong { max });
        }
        value.to_owned()
    }

    /// Trims `value`; an empty string becomes `None`; records `TooLong` past `max` characters.
    pub fn optional_text(
        &mut self,
        field: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        if value.chars().count() > max {
            self.add(field, Violation::TooLong { max });
        }
        Some(value.to_owned())
    }

    /// Like `optional_text`, then checks the format with `parse`, which returns the normal form.
    pub fn optional_parsed(
        &mut self,
        field: &str,
        value: Option<&str>,
        max: usize,
        parse: impl Fn(&str) -> Option<String>,
    ) -> Option<String> {
        let value = self.optional_text(field, value, max)?;
        match parse(&value) {
            Some(normal) => Some(normal),
            None => {
                self.add(field, Violation::InvalidFormat);
                Some(value)
            }
        }
    }
}

/// Applies a PATCH field that may be absent (keep), `null` (clear) or a value (`parse` it).
pub fn patch_nullable(
    target: &mut Option<String>,
    patch: &Option<Option<String>>,
    parse: impl FnOnce(Option<&str>) -> Option<String>,
) {
    if let Some(value) = patch {
        *target = parse(value.as_deref());
    }
}

/// A mainland mobile number: 11 digits starting with 1[3-9]; `+86`, spaces and dashes allowed.
/// Returns the 11 digits.
pub fn parse_mobile(value: &str) -> Option<String> {
    let digits: String = value.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let digits = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("0086"))
        .unwrap_or(&digits);
    let bytes = digits.as_bytes();
    let ok = bytes.len() == 11
        && bytes.iter().all(u8::is_ascii_digit)
        && bytes[0] == b'1'
        && (b'3'..=b'9').contains(&bytes[1]);
    ok.then(|| digits.to_owned())
}

/// A landline or any other phone: digits with optional `+`, spaces, dashes, parentheses and
/// an extension (`转` or `ext`), 7 to 20 digits in all. Kept as written, trimmed.
pub fn parse_phone(value: &str) -> Option<String> {
    let value = value.trim();
    let (main, extension) = match value.split_once('转').or_else(|| value.split_once("ext")) {
        Some((main, ext)) => (main, Some(ext.trim())),
        None => (value, None),
    };
    let digits = main.chars().filter(char::is_ascii_digit).count();
    let allowed = main.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')') || (c == '+' && i == 0)
    });
    let extension_ok =
        extension.is_none_or(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_digit()));
    (allowed && (7..=20).contains(&digits) && extension_ok).then(|| value.to_owned())
}

/// An email address, lowercased.
pub fn parse_email(value: &str) -> Option<String> {
    use validator::ValidateEmail;
    let value = value.trim().to_lowercase();
    value.validate_email().then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_are_normalized_to_eleven_digits() {
        assert_eq!(
            parse_mobile("+86 138-1234-5678").as_deref(),
            Some("13812345678")
        );
        assert_eq!(parse_mobile("13812345678").as_deref(), Some("13812345678"));
        assert_eq!(parse_mobile("12812345678"), None);
        assert_eq!(parse_mobile("1381234567"), None);
        assert_eq!(parse_mobile("138123456789"), None);
        assert_eq!(parse_mobile("abc"), None);
    }

    #[test]
    fn landlines_accept_area_codes_and_extensions() {
        assert!(parse_phone("0512-66881234").is_some());
        assert!(parse_phone("(021) 5888 1234 转 808").is_some());
        assert!(parse_phone("+86 10 8888 1234").is_some());
        assert!(parse_phone("12345").is_none());
        assert!(parse_phone("0512-6688x1234").is_none());
        assert!(parse_phone("0512-66881234 转").is_none());
    }

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(
            parse_email(" Wang.Lei@JingGong.cn ").as_deref(),
            Some("wang.lei@jinggong.cn")
        );
        assert_eq!(parse_email("not-an-email"), None);
        assert_eq!(parse_email("a@"), None);
    }

    #[test]
    fn errors_are_collected_not_short_circuited() {
        let mut errors = FieldErrors::new();
        errors.required_text("company_name", "  ", 10);
        errors.required_text("contact_name", "一二三四五六七八九十十一", 10);
        let collected: Vec<_> = errors.iter().map(|(f, v)| (f.to_owned(), v)).collect();
        assert_eq!(
            collected,
            vec![
                ("company_name".to_owned(), Violation::Required),
                ("contact_name".to_owned(), Violation::TooLong { max: 10 }),
            ]
        );
    }
}
