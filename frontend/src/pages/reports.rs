//! 报表 (统计分析): the reports managers read every morning. What each number means is in
//! docs/reports.md; every page keeps its filters in the URL, so a report can be linked to,
//! printed, and the back button returns to it from a drill-down.

mod funnel;
mod funnel_chart;

pub use funnel::FunnelPage;

use std::fmt::Write;

/// A query-string value as `encodeURIComponent` writes it (region and industry are Chinese).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// `name=value` pairs joined into a query string, the absent ones left out.
fn query_string(pairs: &[(&str, Option<String>)]) -> String {
    pairs
        .iter()
        .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name}={}", encode(v))))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_encoded_like_encode_uri_component() {
        assert_eq!(encode("华东"), "%E5%8D%8E%E4%B8%9C");
        assert_eq!(encode("a b&c=d"), "a%20b%26c%3Dd");
        assert_eq!(
            query_string(&[
                ("a", Some("1".into())),
                ("b", None),
                ("c", Some("x y".into()))
            ]),
            "a=1&c=x%20y"
        );
    }
}
