//! Every report as a file: `?format=csv` or `xlsx` on a report's address gives the rows of its
//! table and its totals, headers in the caller's language and figures as numbers, counted
//! within the reader's data scope like the report itself.

use rust_decimal::Decimal;

use crate::helpers::spawn_app;
use crate::imports::{csv_rows, download, xlsx_rows};
use crate::order_reports::{get, money, orders_seen, scenario};
use crate::quotes::error_fields;

fn figure(cell: &str) -> Decimal {
    cell.parse()
        .unwrap_or_else(|e| panic!("not a plain number: {cell:?} ({e})"))
}

#[tokio::test]
async fn a_report_downloads_as_csv_or_xlsx_with_the_figures_its_reader_sees() {
    let app = spawn_app().await;
    let (org, west, finance) = scenario(&app).await;

    // 订单与交付 by product, as the manager's CSV: one row per product, the total of the
    // orders the manager sees (not the other region's), then the delivery figures.
    let report = get(&org.mgr, "/reports/orders?group_by=product").await;
    let (headers, bytes) = download(
        &org.mgr,
        "/reports/orders?group_by=product&format=csv",
        "zh-CN",
    )
    .await;
    let disposition = headers
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        disposition.contains("filename=\"orders-") && disposition.contains(".csv"),
        "{disposition}"
    );
    let rows = csv_rows(&bytes);
    assert_eq!(rows[0], ["产品", "订单数", "数量", "金额 (CNY)"]);
    let products = report["rows"].as_array().cloned().unwrap_or_default();
    assert!(!products.is_empty());
    for (row, product) in rows[1..].iter().zip(&products) {
        assert_eq!(row[0], product["name"].as_str().unwrap_or_default());
        assert_eq!(row[1], product["orders"].to_string());
        assert_eq!(figure(&row[3]), money(&product["amount"]));
    }
    let total = &rows[products.len() + 1];
    assert_eq!(total[0], "合计");
    let seen: Decimal = orders_seen(&org.mgr)
        .await
        .iter()
        .map(|o| money(&o["total"]) - money(&o["cancelled_amount"]))
        .sum();
    assert_eq!(
        figure(&total[3]),
        seen,
        "the manager's orders, no one else's"
    );
    let on_time = rows
        .iter()
        .find(|r| r[0] == "准时交付率 %")
        .unwrap_or_else(|| panic!("no on-time row: {rows:?}"));
    assert_eq!(
        figure(&on_time[1]),
        money(&report["delivery"]["on_time_percent"])
    );
    let (_, bytes) = download(&west, "/reports/orders?format=csv", "zh-CN").await;
    let rows = csv_rows(&bytes);
    let west_total: Decimal = orders_seen(&west)
        .await
        .iter()
        .map(|o| money(&o["total"]))
        .sum();
    let total = rows
        .iter()
        .find(|r| r[0] == "合计")
        .unwrap_or_else(|| panic!("no total: {rows:?}"));
    assert_eq!(
        figure(&total[2]),
        west_total,
        "the other region: its own order only"
    );

    // 回款分析 as finance's workbook in English: a row per month with numbers in it, the
    // total, then DSO.
    let report = get(&finance, "/reports/collections").await;
    let (_, bytes) = download(&finance, "/reports/collections?format=xlsx", "en").await;
    let rows = xlsx_rows(&bytes);
    assert_eq!(
        rows[0],
        [
            "Month",
            "Due (CNY)",
            "Collected (CNY)",
            "Collection rate %",
            "Outstanding (CNY)",
            "Received (CNY)"
        ]
    );
    let months = report["months"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), months.len() + 3, "months, total, DSO: {rows:?}");
    for (row, month) in rows[1..].iter().zip(&months) {
        assert_eq!(row[0], month["month"].as_str().unwrap_or_default());
        assert_eq!(figure(&row[1]), money(&month["due"]));
        assert_eq!(figure(&row[2]), money(&month["collected"]));
        assert_eq!(figure(&row[5]), money(&month["received"]));
    }
    let total = &rows[months.len() + 1];
    assert_eq!(total[0], "Total");
    assert_eq!(figure(&total[5]), money(&report["total"]["received"]));
    assert!(
        figure(&total[5]) > Decimal::ZERO,
        "the payment came in this period"
    );
    assert!(
        numeric_cell(&bytes, months.len() + 1, 5),
        "a number, not text"
    );

    // 销售漏斗: a row per stage of the default pipeline, with its counts.
    let report = get(&org.gm, "/reports/funnel").await;
    let (_, bytes) = download(&org.gm, "/reports/funnel?format=csv", "zh-CN").await;
    let rows = csv_rows(&bytes);
    let stages = report["stages"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), stages.len() + 1);
    for (row, stage) in rows[1..].iter().zip(&stages) {
        assert_eq!(row[0], stage["name"].as_str().unwrap_or_default());
        assert_eq!(row[3], stage["count"].to_string());
    }

    // 客户价值分析: the largest customers first, then the classes under their own header.
    let report = get(&org.gm, "/reports/customer-value").await;
    let (_, bytes) = download(&org.gm, "/reports/customer-value?format=csv", "zh-CN").await;
    let rows = csv_rows(&bytes);
    let top = report["top"].as_array().cloned().unwrap_or_default();
    assert!(!top.is_empty(), "{report}");
    for (row, customer) in rows[1..].iter().zip(&top) {
        assert_eq!(row[1], customer["name"].as_str().unwrap_or_default());
        assert_eq!(figure(&row[3]), money(&customer["revenue"]));
    }
    let classes = rows
        .iter()
        .position(|r| r[0] == "类别")
        .unwrap_or_else(|| panic!("no class table: {rows:?}"));
    assert_eq!(rows[classes + 1][0], "A");
    assert_eq!(
        figure(&rows[classes + 1][2]),
        money(&report["classes"][0]["revenue"])
    );

    // 线索来源分析 and 跟进分析: their totals rows hold the report's totals.
    let report = get(&org.gm, "/reports/lead-sources").await;
    let (_, bytes) = download(&org.gm, "/reports/lead-sources?format=csv", "zh-CN").await;
    let rows = csv_rows(&bytes);
    assert_eq!(rows[0][..3], ["来源", "线索", "已认定"]);
    let total = rows.last().unwrap_or_else(|| panic!("no rows"));
    assert_eq!(total[0], "合计");
    assert_eq!(total[1], report["total"]["leads"].to_string());
    let report = get(&org.gm, "/reports/activity").await;
    let (_, bytes) = download(&org.gm, "/reports/activity?format=xlsx", "en").await;
    let rows = xlsx_rows(&bytes);
    assert_eq!(rows[0][0], "Rep");
    let total = rows
        .iter()
        .find(|r| r[0] == "Total")
        .unwrap_or_else(|| panic!("no total: {rows:?}"));
    let weeks = report["weeks"].as_array().map_or(0, Vec::len);
    assert_eq!(total[weeks + 1], report["total"].to_string());

    // A format no report has is named.
    let response = org.gm.get("/reports/funnel?format=pdf").await;
    assert_eq!(error_fields(response).await, ["format"]);
}

/// Whether the cell at `row`, `column` of the first sheet holds a number.
fn numeric_cell(bytes: &[u8], row: usize, column: usize) -> bool {
    use calamine::{Data, Reader};
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
            .unwrap_or_else(|e| panic!("{e}"));
    let range = workbook
        .worksheet_range_at(0)
        .unwrap_or_else(|| panic!("no sheet"))
        .unwrap_or_else(|e| panic!("{e}"));
    matches!(
        range.get((row, column)),
        Some(Data::Float(_) | Data::Int(_))
    )
}
