//! Company identity for duplicate detection: the normalized name key, the core name used for
//! "similar" matches, the unified social credit code, and masking for hints about records the
//! caller may not see.

/// The name two spellings of one company share: full-width folded to half-width, lowercase,
/// bracketed parts (`(中国)`, `（苏州）`) dropped, spaces and punctuation dropped, and legal
/// suffixes (有限公司, 股份有限公司, 集团, Co., Ltd. …) stripped.
///
/// `苏州精工机械有限公司`, `苏州 精工机械（集团）有限公司` and `苏州精工机械股份有限公司` share one key.
pub fn name_key(name: &str) -> String {
    let folded: String = name
        .chars()
        .map(fold)
        .flat_map(char::to_lowercase)
        .collect();
    let unbracketed = drop_bracketed(&folded);
    let without_english = strip_english_suffixes(&unbracketed);
    let compact: String = without_english
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let stripped = strip_chinese_suffixes(&compact);
    if stripped.is_empty() {
        compact
    } else {
        stripped
    }
}

/// The key without a leading place name (省, 市): `苏州精工机械` and `上海精工机械` share the core
/// `精工机械`, so each is shown as a similar match of the other.
pub fn name_core(key: &str) -> String {
    let mut core = key;
    // A province, then a city: 江苏苏州精工 → 精工.
    for _ in 0..2 {
        if let Some(place) = PLACES
            .iter()
            .find(|p| core.starts_with(**p) && core.len() > p.len())
        {
            core = &core[place.len()..];
            core = ["省", "市", "自治区"]
                .iter()
                .find_map(|s| core.strip_prefix(s))
                .unwrap_or(core);
        }
    }
    if core.is_empty() {
        key.to_owned()
    } else {
        core.to_owned()
    }
}

/// Full-width ASCII and the ideographic space to their half-width forms; CJK brackets to `()`.
fn fold(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '【' | '〔' | '［' | '〖' | '[' => '(',
        '】' | '〕' | '］' | '〗' | ']' => ')',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Removes every `(...)` segment; an unclosed bracket drops only itself.
fn drop_bracketed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut pending = String::new();
    for c in text.chars() {
        match c {
            '(' => {
                depth += 1;
                pending.clear();
            }
            ')' if depth > 0 => {
                depth -= 1;
                pending.clear();
            }
            _ if depth > 0 => pending.push(c),
            _ => out.push(c),
        }
    }
    out.push_str(&pending);
    out
}

const ENGLISH_SUFFIXES: [&str; 12] = [
    "co",
    "ltd",
    "limited",
    "inc",
    "corp",
    "corporation",
    "company",
    "group",
    "llc",
    "gmbh",
    "plc",
    "incorporated",
];

/// Strips trailing English legal words (`Co., Ltd.`, `Inc.`), whole words only, so `Costco`
/// keeps its `co`.
fn strip_english_suffixes(text: &str) -> String {
    let mut rest = text.trim_end_matches(|c: char| !c.is_alphanumeric());
    loop {
        let word_start = rest
            .rfind(|c: char| !c.is_ascii_alphanumeric())
            .map_or(0, |i| {
                i + rest[i..].chars().next().map_or(1, char::len_utf8)
            });
        let word = &rest[word_start..];
        if word_start == 0 || !ENGLISH_SUFFIXES.contains(&word) {
            return rest.to_owned();
        }
        rest = rest[..word_start].trim_end_matches(|c: char| !c.is_alphanumeric());
    }
}

const CHINESE_SUFFIXES: [&str; 7] = [
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "总公司",
    "集团",
    "公司",
];

fn strip_chinese_suffixes(text: &str) -> String {
    let mut rest = text;
    // A branch (分公司) is a company of its own and keeps its name.
    while !rest.ends_with("分公司") {
        match CHINESE_SUFFIXES.iter().find_map(|s| rest.strip_suffix(s)) {
            Some(shorter) => rest = shorter,
            None => break,
        }
    }
    rest.to_owned()
}

/// Provinces, municipalities and the larger cities, without 省/市 (stripped separately).
/// Longer names first where one is a prefix of another.
const PLACES: [&str; 76] = [
    "内蒙古",
    "黑龙江",
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
    "台湾",
    "苏州",
    "无锡",
    "常州",
    "南京",
    "南通",
    "杭州",
    "宁波",
    "温州",
    "嘉兴",
    "绍兴",
    "台州",
    "金华",
    "合肥",
    "福州",
    "厦门",
    "泉州",
    "南昌",
    "济南",
    "青岛",
    "烟台",
    "潍坊",
    "郑州",
    "武汉",
    "长沙",
    "广州",
    "深圳",
    "东莞",
    "佛山",
    "珠海",
    "中山",
    "成都",
    "贵阳",
    "昆明",
    "西安",
    "兰州",
    "沈阳",
    "大连",
    "长春",
    "哈尔滨",
    "石家庄",
    "太原",
    "南宁",
];

/// A unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from the
/// code's alphabet with a valid check character. Returns it uppercased.
pub fn parse_credit_code(value: &str) -> Option<String> {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let code: String = value
        .trim()
        .chars()
        .map(fold)
        .collect::<String>()
        .to_ascii_uppercase();
    let values: Vec<usize> = code
        .chars()
        .map(|c| ALPHABET.find(c))
        .collect::<Option<_>>()?;
    if values.len() != 18 {
        return None;
    }
    let sum: usize = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    (values[17] == check).then_some(code)
}

/// `苏州精工机械有限公司` → `苏州**有限公司`: enough to recognise, not enough to learn.
pub fn mask_company(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0..=2 => format!(
            "{}*",
            chars.first().map(char::to_string).unwrap_or_default()
        ),
        3..=6 => format!("{}**{}", chars[0], chars[chars.len() - 1]),
        n => format!(
            "{}**{}",
            chars[..2].iter().collect::<String>(),
            chars[n - 4..].iter().collect::<String>()
        ),
    }
}

/// `张伟` → `张*`, `欧阳娜娜` → `欧***`.
pub fn mask_person(name: &str) -> String {
    let mut chars = name.chars();
    let first = chars.next().map(String::from).unwrap_or_default();
    first + &"*".repeat(chars.count().max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_company_share_a_key() {
        let key = name_key("苏州精工机械有限公司");
        assert_eq!(key, "苏州精工机械");
        for spelling in [
            "苏州 精工机械有限公司",
            "苏州精工机械股份有限公司",
            "苏州精工机械（集团）有限公司",
            "苏州精工机械集团有限公司",
            "苏州精工机械有限责任公司",
            "【苏州】苏州精工机械公司",
            "苏州精工机械\u{3000}有限公司",
        ] {
            assert_eq!(name_key(spelling), key, "{spelling}");
        }
    }

    #[test]
    fn foreign_names_fold_width_case_and_legal_words() {
        assert_eq!(name_key("Siemens（中国）有限公司"), "siemens");
        assert_eq!(name_key("ＡＢＢ Co., Ltd."), "abb");
        assert_eq!(name_key("abb co ltd"), "abb");
        assert_eq!(
            name_key("Costco Inc."),
            "costco",
            "a suffix is stripped only as a whole word"
        );
    }

    #[test]
    fn a_branch_is_not_its_head_office() {
        assert_ne!(
            name_key("精工机械有限公司上海分公司"),
            name_key("精工机械有限公司")
        );
    }

    #[test]
    fn a_name_that_is_only_a_suffix_keeps_a_key() {
        assert_eq!(name_key("有限公司"), "有限公司");
    }

    #[test]
    fn the_core_drops_leading_place_names() {
        assert_eq!(name_core(&name_key("苏州精工机械有限公司")), "精工机械");
        assert_eq!(
            name_core(&name_key("江苏省苏州市精工机械有限公司")),
            "精工机械"
        );
        assert_eq!(name_core(&name_key("上海精工机械有限公司")), "精工机械");
        assert_eq!(name_core("上海"), "上海", "a bare place name stays");
    }

    #[test]
    fn credit_codes_need_the_right_check_character() {
        assert_eq!(
            parse_credit_code("91350100M000100Y43").as_deref(),
            Some("91350100M000100Y43")
        );
        assert_eq!(
            parse_credit_code(" 91320500ma1mxxxx0x ").as_deref(),
            Some("91320500MA1MXXXX0X")
        );
        assert_eq!(
            parse_credit_code("91350100M000100Y44"),
            None,
            "wrong check character"
        );
        assert_eq!(
            parse_credit_code("91350100M000100Y4"),
            None,
            "17 characters"
        );
        assert_eq!(
            parse_credit_code("91350100I000100Y43"),
            None,
            "I is not in the alphabet"
        );
    }

    #[test]
    fn masks_keep_a_recognisable_outline() {
        assert_eq!(mask_company("苏州精工机械有限公司"), "苏州**有限公司");
        assert_eq!(mask_company("精工机械"), "精**械");
        assert_eq!(mask_person("张伟"), "张*");
        assert_eq!(mask_person("欧阳娜娜"), "欧***");
        assert_eq!(mask_person("张"), "张*");
    }
}
