//! Line icons (24×24, drawn with `currentColor`), inlined so the app loads no icon font.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IconName {
    Leads,
    Customers,
    Opportunities,
    Quotes,
    Orders,
    Receivables,
    Reports,
    Settings,
    Search,
    Plus,
    Logout,
    Globe,
    Edit,
    Trash,
    Back,
    Inbox,
    Clock,
    Lock,
    Rocket,
    ChevronRight,
    Alert,
    Users,
    Shield,
    Tree,
    Close,
    Home,
    Chat,
    Check,
    Merge,
    Contact,
    Convert,
    ArrowUp,
    ArrowDown,
    Download,
    Upload,
    Board,
    List,
    Box,
    Tag,
    Stamp,
    Print,
    Bell,
    Contract,
    Paperclip,
    Key,
    Sync,
}

impl IconName {
    fn markup(self) -> &'static str {
        match self {
            IconName::Leads => r#"<path d="M3 4h18l-7 8.5V19l-4 2v-8.5z"/>"#,
            IconName::Customers => {
                r#"<path d="M4 21V6l7-3v18M11 8h8v13M3 21h18M7 8h1M7 12h1M7 16h1M14 12h2M14 16h2"/>"#
            }
            IconName::Opportunities => {
                r#"<circle cx="12" cy="12" r="8"/><circle cx="12" cy="12" r="4"/><circle cx="12" cy="12" r="0.5"/>"#
            }
            IconName::Quotes => {
                r#"<path d="M6 3h9l4 4v14H6z"/><path d="M14 3v5h5M9 12h7M9 16h7"/>"#
            }
            IconName::Orders => {
                r#"<path d="M9 4h6v3H9z"/><path d="M9 5.5H6V21h12V5.5h-3M9 12l2 2 4-4"/>"#
            }
            IconName::Receivables => {
                r#"<rect x="3" y="6" width="18" height="13" rx="2"/><path d="M3 10h18M16 15h2"/>"#
            }
            IconName::Reports => r#"<path d="M4 20V4M4 20h16M8 16v-5M12 16V8M16 16v-3"/>"#,
            IconName::Settings => {
                r#"<path d="M4 7h10M18 7h2M4 17h4M12 17h8"/><circle cx="16" cy="7" r="2"/><circle cx="10" cy="17" r="2"/>"#
            }
            IconName::Search => r#"<circle cx="11" cy="11" r="6.5"/><path d="M20 20l-4.2-4.2"/>"#,
            IconName::Plus => r#"<path d="M12 5v14M5 12h14"/>"#,
            IconName::Logout => {
                r#"<path d="M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3M10 17l-5-5 5-5M5 12h11"/>"#
            }
            IconName::Globe => {
                r#"<circle cx="12" cy="12" r="8.5"/><path d="M3.5 12h17M12 3.5c2.5 2.7 2.5 14.3 0 17M12 3.5c-2.5 2.7-2.5 14.3 0 17"/>"#
            }
            IconName::Edit => r#"<path d="M4 20h4L19 9l-4-4L4 16z"/><path d="M13.5 6.5l4 4"/>"#,
            IconName::Trash => r#"<path d="M4 7h16M10 4h4M6 7l1 13h10l1-13M10 11v6M14 11v6"/>"#,
            IconName::Back => r#"<path d="M15 5l-7 7 7 7"/>"#,
            IconName::Inbox => {
                r#"<path d="M3 13l3-8h12l3 8v6H3z"/><path d="M3 13h5l1 3h6l1-3h5"/>"#
            }
            IconName::Clock => r#"<circle cx="12" cy="12" r="8.5"/><path d="M12 7v5l3 2"/>"#,
            IconName::Key => {
                r#"<circle cx="8" cy="15" r="4"/><path d="M10.8 12.2 20 3M16 7l3 3M14 9l2 2"/>"#
            }
            IconName::Lock => {
                r#"<rect x="5" y="11" width="14" height="9" rx="2"/><path d="M8 11V8a4 4 0 0 1 8 0v3"/>"#
            }
            IconName::Rocket => {
                r#"<path d="M12 15l-3-3c1.5-4.5 4.5-8 10-8 0 5.5-3.5 8.5-8 10z"/><path d="M9 12l-4 1-1 3 4-1M12 15l-1 4-3 1 1-4"/><circle cx="15" cy="9" r="1.5"/>"#
            }
            IconName::ChevronRight => r#"<path d="M9 5l7 7-7 7"/>"#,
            IconName::Alert => r#"<path d="M12 4l9 16H3z"/><path d="M12 10v4M12 17v.5"/>"#,
            IconName::Users => {
                r#"<circle cx="9" cy="8" r="3.5"/><path d="M3 20c0-3.5 2.7-6 6-6s6 2.5 6 6M16 4.5a3.5 3.5 0 0 1 0 7M18 14c2 .8 3 3 3 6"/>"#
            }
            IconName::Shield => {
                r#"<path d="M12 3l7 3v6c0 4.5-3 7.5-7 9-4-1.5-7-4.5-7-9V6z"/><path d="M9 12l2 2 4-4"/>"#
            }
            IconName::Close => r#"<path d="M6 6l12 12M18 6L6 18"/>"#,
            IconName::Home => r#"<path d="M4 11l8-7 8 7M6 9.5V20h12V9.5M10 20v-6h4v6"/>"#,
            IconName::Chat => r#"<path d="M4 5h16v11H9l-5 4z"/><path d="M8 9h8M8 12h5"/>"#,
            IconName::Check => r#"<path d="M5 12.5l4.5 4.5L19 7.5"/>"#,
            IconName::Merge => {
                r#"<path d="M6 4v4c0 4 6 5 6 9v3M18 4v4c0 4-6 5-6 9"/><path d="M9 17l3 3 3-3"/>"#
            }
            IconName::Contact => {
                r#"<circle cx="12" cy="8" r="3.5"/><path d="M5 20c0-3.9 3.1-6.5 7-6.5s7 2.6 7 6.5"/>"#
            }
            IconName::Convert => r#"<path d="M4 12h14M13 6l6 6-6 6"/>"#,
            IconName::ArrowUp => r#"<path d="M12 19V5M6 11l6-6 6 6"/>"#,
            IconName::Download => r#"<path d="M12 4v11M7 10l5 5 5-5M5 20h14"/>"#,
            IconName::Upload => r#"<path d="M12 15V4M7 9l5-5 5 5M5 20h14"/>"#,
            IconName::ArrowDown => r#"<path d="M12 5v14M6 13l6 6 6-6"/>"#,
            IconName::Board => {
                r#"<rect x="3" y="4" width="5" height="16" rx="1"/><rect x="10" y="4" width="5" height="11" rx="1"/><rect x="17" y="4" width="4" height="7" rx="1"/>"#
            }
            IconName::List => {
                r#"<path d="M8 6h13M8 12h13M8 18h13M3.5 6h.01M3.5 12h.01M3.5 18h.01"/>"#
            }
            IconName::Box => {
                r#"<path d="M21 8l-9-5-9 5v8l9 5 9-5z"/><path d="M3 8l9 5 9-5M12 13v8"/>"#
            }
            IconName::Tag => {
                r#"<path d="M20 13l-7 7-10-10V3h7z"/><circle cx="7.5" cy="7.5" r="1.5"/>"#
            }
            IconName::Stamp => {
                r#"<path d="M9 4h6v5l-1 4h-4l-1-4z"/><path d="M5 14h14v3H5zM6 20h12"/>"#
            }
            IconName::Print => {
                r#"<path d="M7 8V3h10v5M7 17H4v-7h16v7h-3"/><rect x="7" y="14" width="10" height="7"/>"#
            }
            IconName::Bell => r#"<path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4z"/><path d="M10 21h4"/>"#,
            IconName::Contract => {
                r#"<path d="M6 3h12v18H6z"/><path d="M9 8h6M9 12h6M9 17l2-1 2 1 2-1"/>"#
            }
            IconName::Paperclip => {
                r#"<path d="M20 11l-8 8a5 5 0 0 1-7-7l8-8a3.5 3.5 0 0 1 5 5l-8 8a2 2 0 0 1-3-3l7-7"/>"#
            }
            IconName::Sync => {
                r#"<path d="M20 11a8 8 0 0 0-14.5-4.5M4 4v3h3M4 13a8 8 0 0 0 14.5 4.5M20 20v-3h-3"/>"#
            }
            IconName::Tree => {
                r#"<rect x="9" y="3" width="6" height="4" rx="1"/><rect x="3" y="17" width="6" height="4" rx="1"/><rect x="15" y="17" width="6" height="4" rx="1"/><path d="M12 7v5M6 17v-5h12v5"/>"#
            }
        }
    }
}

#[component]
pub fn Icon(name: IconName, #[prop(optional)] class: &'static str) -> impl IntoView {
    let class = if class.is_empty() { "icon" } else { class };
    view! {
        <svg
            class=class
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            stroke-width="1.8"
            stroke-linecap="round"
            stroke-linejoin="round"
            aria-hidden="true"
            focusable="false"
            inner_html=name.markup()
        ></svg>
    }
}
