//! Spreadsheet files in and out: reading an uploaded CSV (UTF-8 with or without BOM, UTF-16
//! with BOM, or GBK/GB18030 as Chinese Excel saves it) or XLSX into a header row and data rows
//! of text, and writing CSV (UTF-8 with BOM, so Excel shows Chinese) and XLSX.
//!
//! Rows keep their number in the file (the header is row 1), so problems can name them.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};
use crm_persistence::imports::SourceRow;

/// At most this many data rows: 20 MiB of CSV rarely holds more.
pub const MAX_ROWS: usize = 200_000;
/// At most this many columns.
pub const MAX_COLUMNS: usize = 200;
/// What an XLSX may claim to unpack to: guards against zip bombs.
const MAX_UNPACKED: u64 = 256 * 1024 * 1024;

/// A file as rows of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<SourceRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabularError {
    /// Neither XLSX nor text in a known encoding, or a broken file.
    Unreadable,
    /// No header row, or no data row after it.
    Empty,
    /// More rows than `MAX_ROWS`.
    TooManyRows,
    /// More columns than `MAX_COLUMNS`.
    TooManyColumns,
}

/// Reads a CSV or XLSX file (XLSX is recognized by its zip signature).
pub fn read(bytes: &[u8]) -> Result<Sheet, TabularError> {
    let rows = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)?
    } else {
        read_csv(&decode_text(bytes)?)?
    };
    into_sheet(rows)
}

/// The text of a CSV file: UTF-8 (a BOM is dropped), UTF-16 with a BOM, and otherwise
/// GB18030 (a superset of GBK and GB2312), which Chinese Excel uses for "CSV".
pub fn decode_text(bytes: &[u8]) -> Result<String, TabularError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).map_err(|_| TabularError::Unreadable);
    }
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, malformed) = encoding.decode_with_bom_removal(bytes);
        return if malformed {
            Err(TabularError::Unreadable)
        } else {
            Ok(text.into_owned())
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|text| text.into_owned())
            .ok_or(TabularError::Unreadable),
    }
}

/// Comma, tab or semicolon, whichever the first line has most of.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .filter(|d| first.as_bytes().contains(d))
        .unwrap_or(b',')
}

fn read_csv(text: &str) -> Result<Vec<(u64, Vec<String>)>, TabularError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // Rows as a spreadsheet numbers them: blank lines count, a cell's line breaks do not.
    let mut inner_breaks = 0u64;
    let (bytes, mut counted, mut lines) = (text.as_bytes(), 0usize, 0u64);
    for record in reader.records() {
        let record = record.map_err(|_| TabularError::Unreadable)?;
        if rows.len() > MAX_ROWS {
            return Err(TabularError::TooManyRows);
        }
        // The reader leaves the previous record's line end (and blank lines) before the start.
        let mut start = record.position().map_or(0, |p| p.byte() as usize);
        while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            start += 1;
        }
        lines += bytes.get(counted..start.max(counted)).map_or(0, |seen| {
            seen.iter().filter(|b| **b == b'\n').count() as u64
        });
        counted = counted.max(start);
        rows.push((lines + 1 - inner_breaks, record.iter().map(clean).collect()));
        inner_breaks += record
            .iter()
            .map(|c| c.matches('\n').count() as u64)
            .sum::<u64>();
    }
    Ok(rows)
}

/// PostgreSQL cannot store NUL in text; no cell has a use for it.
fn clean(cell: &str) -> String {
    cell.replace('\0', "")
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<(u64, Vec<String>)>, TabularError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| TabularError::Unreadable)?;
    let mut unpacked = 0u64;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|_| TabularError::Unreadable)?;
        unpacked = unpacked.saturating_add(entry.size());
    }
    if unpacked > MAX_UNPACKED {
        return Err(TabularError::TooManyRows);
    }
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|_| TabularError::Unreadable)?;
    let first = workbook
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(TabularError::Empty)?;
    let mut cells = workbook
        .worksheet_cells_reader(&first)
        .map_err(|_| TabularError::Unreadable)?;
    let mut rows: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(|_| TabularError::Unreadable)? {
        let (row, column) = cell.get_position();
        let (row, column) = (u64::from(row) + 1, column as usize);
        let text = clean(&text_of(cell.get_value()));
        if text.is_empty() {
            continue;
        }
        if column >= MAX_COLUMNS {
            return Err(TabularError::TooManyColumns);
        }
        if rows.len() > MAX_ROWS && !rows.contains_key(&row) {
            return Err(TabularError::TooManyRows);
        }
        let values = rows.entry(row).or_default();
        if values.len() <= column {
            values.resize(column + 1, String::new());
        }
        values[column] = text;
    }
    Ok(rows.into_iter().collect())
}

/// A cell as the user sees it: whole numbers without `.0`, dates as `YYYY-MM-DD`.
fn text_of(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) if d.is_datetime() => {
            let (y, mo, da, h, mi, s, _) = d.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{da:02}")
            } else {
                format!("{y:04}-{mo:02}-{da:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        DataRef::DateTime(d) => d.as_f64().to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

fn blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// The first non-blank row is the header; blank rows are skipped; every row gets exactly one
/// cell per header (trailing unnamed columns are dropped).
fn into_sheet(rows: Vec<(u64, Vec<String>)>) -> Result<Sheet, TabularError> {
    let mut rows = rows.into_iter().filter(|(_, cells)| !blank(cells));
    let (_, mut headers) = rows.next().ok_or(TabularError::Empty)?;
    while headers.last().is_some_and(|h| h.trim().is_empty()) {
        headers.pop();
    }
    if headers.len() > MAX_COLUMNS {
        return Err(TabularError::TooManyColumns);
    }
    let headers: Vec<String> = headers.iter().map(|h| h.trim().to_owned()).collect();
    let width = headers.len();
    let rows: Vec<SourceRow> = rows
        .map(|(row, mut cells)| {
            cells.resize(width, String::new());
            SourceRow { row, cells }
        })
        .filter(|r| !blank(&r.cells))
        .collect();
    if rows.is_empty() {
        return Err(TabularError::Empty);
    }
    if rows.len() > MAX_ROWS {
        return Err(TabularError::TooManyRows);
    }
    Ok(Sheet { headers, rows })
}

/// CSV for Excel: UTF-8 with a byte-order mark, CRLF line ends. Cells that Excel would run
/// as a formula (`=…`, `@…`, `+cmd…`) get a leading `'`.
pub fn write_csv(headers: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let mut write = |cells: &[String]| {
            let safe: Vec<String> = cells.iter().map(|c| defuse(c)).collect();
            // Writing to a Vec cannot fail.
            let _ = writer.write_record(&safe);
        };
        write(headers);
        for row in rows {
            write(row);
        }
        let _ = writer.flush();
    }
    out
}

/// Spreadsheet formula injection: a cell starting `=`, `@`, or `+`/`-` followed by anything
/// but a number or phone number is made text.
fn defuse(cell: &str) -> String {
    let numberish = |rest: &str| {
        rest.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '+'))
    };
    let risky = match cell.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !numberish(&cell[1..]),
        _ => false,
    };
    if risky {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// An XLSX workbook with one sheet: a bold, frozen header row, then every cell as text, but
/// for the columns from `numbers_from` on, whose numbers are written as numbers (a report's
/// figures, which a spreadsheet should add up; never a list's codes or phone numbers).
pub fn write_xlsx(
    sheet_name: &str,
    headers: &[String],
    rows: &[Vec<String>],
    numbers_from: Option<usize>,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name)?;
    for (column, header) in headers.iter().enumerate() {
        let column = column as u16;
        sheet.write_string_with_format(0, column, header, &bold)?;
        let widest = rows
            .iter()
            .take(200)
            .filter_map(|r| r.get(column as usize))
            .chain(std::iter::once(header))
            .map(|c| {
                c.chars()
                    .map(|ch| if ch.is_ascii() { 1.0 } else { 2.0 })
                    .sum::<f64>()
            })
            .fold(8.0, f64::max);
        sheet.set_column_width(column, widest.min(50.0) + 2.0)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (index, row) in rows.iter().enumerate() {
        let index = index as u32 + 1;
        for (column, cell) in row.iter().enumerate() {
            let number = numbers_from
                .filter(|first| column >= *first)
                .and_then(|_| cell.parse::<f64>().ok());
            match number {
                Some(number) => {
                    sheet.write_number(index, column as u16, number)?;
                }
                None if !cell.is_empty() => {
                    sheet.write_string(index, column as u16, cell)?;
                }
                None => {}
            }
        }
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(sheet: &Sheet) -> Vec<(u64, Vec<&str>)> {
        sheet
            .rows
            .iter()
            .map(|r| (r.row, r.cells.iter().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn utf8_with_and_without_bom_reads_the_same() {
        let text = "客户名称,行业\r\n苏州精工机械有限公司,机械制造\r\n";
        let plain = read(text.as_bytes());
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(plain, read(&bom));
        let sheet = plain.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(sheet.headers, vec!["客户名称", "行业"]);
        assert_eq!(
            cells(&sheet),
            vec![(2, vec!["苏州精工机械有限公司", "机械制造"])]
        );
    }

    #[test]
    fn gbk_from_chinese_excel_is_decoded() {
        let text = "客户名称,统一社会信用代码\n苏州精工机械有限公司,91320500MA1MXXXX0X\n";
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
        assert!(!unmappable);
        assert!(
            std::str::from_utf8(&gbk).is_err(),
            "the bytes are not UTF-8"
        );
        let sheet = read(&gbk).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(sheet.headers, vec!["客户名称", "统一社会信用代码"]);
        assert_eq!(sheet.rows[0].cells[0], "苏州精工机械有限公司");
    }

    #[test]
    fn utf16_with_bom_and_tabs_is_read() {
        let text = "公司名称\t联系人\n精工\t王磊\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let sheet = read(&bytes).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(sheet.headers, vec!["公司名称", "联系人"]);
        assert_eq!(cells(&sheet), vec![(2, vec!["精工", "王磊"])]);
    }

    #[test]
    fn blank_rows_are_skipped_and_rows_keep_their_numbers() {
        let text = "名称,行业,,\n\n精工,机械\n,,\n\"多行\n名称\",化工,多余\n\n,\n";
        let sheet = read(text.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(sheet.headers, vec!["名称", "行业"]);
        assert_eq!(
            cells(&sheet),
            vec![(3, vec!["精工", "机械"]), (5, vec!["多行\n名称", "化工"])]
        );
        assert_eq!(read(b"a,b\n\n,\n"), Err(TabularError::Empty));
        assert_eq!(read(b""), Err(TabularError::Empty));
    }

    #[test]
    fn xlsx_is_read_with_numbers_and_dates_as_text() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let birthday = ExcelDateTime::from_ymd(1985, 6, 1).unwrap_or_else(|e| panic!("{e}"));
        let _ = sheet.write_string(0, 0, "联系人");
        let _ = sheet.write_string(0, 1, "手机");
        let _ = sheet.write_string(0, 2, "生日");
        let _ = sheet.write_string(2, 0, "王磊");
        let _ = sheet.write_number(2, 1, 13812345678.0);
        let _ = sheet.write_datetime_with_format(2, 2, &birthday, &date);
        let bytes = workbook.save_to_buffer().unwrap_or_else(|e| panic!("{e}"));
        let sheet = read(&bytes).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(sheet.headers, vec!["联系人", "手机", "生日"]);
        assert_eq!(
            cells(&sheet),
            vec![(3, vec!["王磊", "13812345678", "1985-06-01"])]
        );
    }

    #[test]
    fn written_files_read_back() {
        let headers = vec!["客户名称".to_owned(), "备注".to_owned()];
        let rows = vec![vec!["苏州精工".to_owned(), "=HYPERLINK(\"x\")".to_owned()]];
        let csv = write_csv(&headers, &rows);
        assert!(csv.starts_with(b"\xEF\xBB\xBF"));
        let back = read(&csv).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            back.rows[0].cells[1], "'=HYPERLINK(\"x\")",
            "formulas are defused"
        );
        let xlsx = write_xlsx("客户", &headers, &rows, None).unwrap_or_else(|e| panic!("{e}"));
        let back = read(&xlsx).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(back.headers, headers);
        assert_eq!(
            back.rows[0].cells, rows[0],
            "XLSX cells are text, never formulas"
        );
    }

    #[test]
    fn phone_numbers_are_not_mistaken_for_formulas() {
        assert_eq!(defuse("+86 138 1234 5678"), "+86 138 1234 5678");
        assert_eq!(defuse("-"), "-");
        assert_eq!(defuse("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
    }

    #[test]
    fn garbage_is_unreadable() {
        assert_eq!(read(b"PK\x03\x04not a zip"), Err(TabularError::Unreadable));
        assert_eq!(
            read(&[0x81, 0x20, 0xFF, 0xFE, 0x00]),
            Err(TabularError::Unreadable)
        );
    }
}
