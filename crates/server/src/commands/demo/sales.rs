//! The demo's catalogue and opportunities: products in categories with list prices, price
//! lists for the A and B tiers with quantity breaks, and opportunities spread over the reps'
//! customers and the open stages, closing in the coming months; in a small demo they carry
//! product lines and some are already won or lost.

use chrono::Duration;
use crm_api_types::opportunities::{
    CreateOpportunityRequest, MoveStageRequest, OpportunityKind, OpportunityLineRequest,
};
use crm_api_types::pipelines::StageKind;
use crm_api_types::products::{
    CreateProductCategoryRequest, CreateProductRequest, PriceListAudience, PriceListItemRequest,
    PriceListRequest, VatRate,
};
use crm_domain::opportunity::OpportunityFields;
use crm_domain::price_list::PriceListFields;
use crm_domain::product::{CategoryFields, ProductFields};
use crm_domain::settings::Settings;
use crm_domain::{Caller, today_in_china};
use crm_persistence::opportunities::{self, Placement};
use crm_persistence::{Database, pipelines, price_lists, product_categories, products};
use rand::Rng;
use rand::rngs::StdRng;
use rust_decimal::Decimal;
use uuid::Uuid;

/// (category, name, spec, unit, list price in yuan, VAT).
const CATALOGUE: [(&str, &str, &str, &str, i64, VatRate); 12] = [
    (
        "数控机床",
        "立式加工中心",
        "VMC-850 行程 800×500×500",
        "台",
        268_000,
        VatRate::Goods13,
    ),
    (
        "数控机床",
        "数控车床",
        "CK6150 最大回转直径 500",
        "台",
        156_000,
        VatRate::Goods13,
    ),
    (
        "数控机床",
        "龙门加工中心",
        "GMC-2015 工作台 2000×1500",
        "台",
        980_000,
        VatRate::Goods13,
    ),
    (
        "自动化设备",
        "六轴工业机器人",
        "负载 20kg 臂展 1.8m",
        "台",
        185_000,
        VatRate::Goods13,
    ),
    (
        "自动化设备",
        "自动上下料单元",
        "双工位 配视觉定位",
        "套",
        96_000,
        VatRate::Goods13,
    ),
    (
        "自动化设备",
        "输送线",
        "倍速链 每米",
        "米",
        3_200,
        VatRate::Goods13,
    ),
    (
        "检测仪器",
        "三坐标测量机",
        "CMM-7106 测量范围 700×1000×600",
        "台",
        420_000,
        VatRate::Goods13,
    ),
    (
        "检测仪器",
        "激光干涉仪",
        "XL-80 线性测量",
        "台",
        238_000,
        VatRate::Goods13,
    ),
    (
        "备件耗材",
        "主轴轴承",
        "7014C 精密角接触",
        "个",
        1_850,
        VatRate::Goods13,
    ),
    (
        "备件耗材",
        "硬质合金刀片",
        "CNMG120408 10片/盒",
        "盒",
        460,
        VatRate::Goods13,
    ),
    (
        "服务",
        "安装调试服务",
        "按人天计",
        "人天",
        2_500,
        VatRate::Services6,
    ),
    (
        "服务",
        "年度维保合同",
        "含两次巡检",
        "年",
        36_000,
        VatRate::Services6,
    ),
];

/// Products (the catalogue, then numbered variants up to `count`), and price lists for the
/// A and B tiers: 5% and 3% off the list price, 4% more from 5 units on. Returns the ids.
pub async fn seed_catalogue(
    db: &Database,
    admin: &Caller,
    count: usize,
) -> anyhow::Result<Vec<Uuid>> {
    let mut categories = std::collections::HashMap::new();
    for (category, ..) in CATALOGUE {
        if !categories.contains_key(category) {
            let fields = CategoryFields::parse_new(&CreateProductCategoryRequest {
                name: category.to_owned(),
                parent_id: None,
            })
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let row = product_categories::create(db, admin, fields)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            categories.insert(category, row.category.id);
        }
    }
    let mut created = Vec::with_capacity(count);
    for i in 0..count {
        let (category, name, spec, unit, price, vat) = CATALOGUE[i % CATALOGUE.len()];
        let round = i / CATALOGUE.len();
        let request = CreateProductRequest {
            code: format!("P{:05}", i + 1),
            name: if round == 0 {
                name.to_owned()
            } else {
                format!("{name} 型{round}")
            },
            spec: Some(spec.to_owned()),
            unit: unit.to_owned(),
            category_id: categories.get(category).copied(),
            list_price: Decimal::from(price + i64::try_from(round).unwrap_or(0) * 100),
            vat_rate: Some(vat),
            ..Default::default()
        };
        let fields = ProductFields::parse_new(&request).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let row = products::create(db, admin, fields)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        created.push((row.id, request.list_price));
    }
    for (tier, discount) in [("A", 95), ("B", 97)] {
        let items = created
            .iter()
            .flat_map(|(id, price)| {
                let at = |percent: i64| {
                    (*price * Decimal::from(percent) / Decimal::ONE_HUNDRED).round_dp(2)
                };
                [
                    PriceListItemRequest {
                        product_id: *id,
                        min_quantity: None,
                        unit_price: at(discount),
                    },
                    PriceListItemRequest {
                        product_id: *id,
                        min_quantity: Some(Decimal::from(5)),
                        unit_price: at(discount - 4),
                    },
                ]
            })
            .collect();
        let request = PriceListRequest {
            name: format!("{tier} 类客户价格"),
            audience: PriceListAudience::Tier {
                tier: tier.to_owned(),
            },
            currency: None,
            valid_from: None,
            valid_to: None,
            active: None,
            notes: None,
            items,
        };
        let fields = PriceListFields::parse(&request, &Settings::default())
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        price_lists::create(db, admin, fields)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(created.into_iter().map(|(id, _)| id).collect())
}

const DEALS: [(&str, OpportunityKind); 6] = [
    ("产线自动化改造", OpportunityKind::Project),
    ("二期扩产设备采购", OpportunityKind::Project),
    ("年度备件采购", OpportunityKind::Simple),
    ("数控机床更新", OpportunityKind::Simple),
    ("MES 系统集成", OpportunityKind::Project),
    ("检测设备补充", OpportunityKind::Simple),
];

/// Creates `count` opportunities over `customers` (id, owner); returns how many.
pub async fn seed_opportunities(
    db: &Database,
    admin: &Caller,
    customers: &[(Uuid, Uuid)],
    products: &[Uuid],
    count: usize,
    rng: &mut StdRng,
) -> anyhow::Result<usize> {
    if customers.is_empty() {
        return Ok(0);
    }
    let pipeline = pipelines::list(db, admin.tenant_id)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .into_iter()
        .find(|p| p.is_default)
        .ok_or_else(|| anyhow::anyhow!("tenant has no default pipeline"))?;
    let open: Vec<Uuid> = pipeline
        .stages
        .iter()
        .filter(|s| s.kind == StageKind::Open)
        .map(|s| s.id)
        .collect();
    let closing = |kind| {
        pipeline
            .stages
            .iter()
            .find(|s| s.kind == kind)
            .map(|s| s.id)
    };
    let (won, lost) = (closing(StageKind::Won), closing(StageKind::Lost));
    let small = count <= 500;
    let settings = Settings::default();
    let today = today_in_china();
    for i in 0..count {
        let (customer_id, owner_id) = customers[i % customers.len()];
        let owner = Caller {
            user_id: owner_id,
            ..admin.clone()
        };
        let (name, kind) = DEALS[i % DEALS.len()];
        let lines = if small && !products.is_empty() {
            (0..rng.random_range(1..4))
                .map(|_| OpportunityLineRequest {
                    product_id: products[rng.random_range(0..products.len())],
                    quantity: Decimal::from(rng.random_range(1..8)),
                    unit_price: None,
                    discount_percent: None,
                })
                .collect()
        } else {
            Vec::new()
        };
        let request = CreateOpportunityRequest {
            name: format!("{name}（{}）", i + 1),
            customer_id,
            amount: Some(Decimal::new(rng.random_range(50_000..5_000_000) * 100, 2)),
            expected_close_date: today + Duration::days(rng.random_range(-20..180)),
            kind: Some(kind),
            lines,
            ..Default::default()
        };
        let (fields, lines) = OpportunityFields::parse_new(&request, owner_id)
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let placement = Placement {
            pipeline_id: Some(pipeline.id),
            stage_id: Some(open[rng.random_range(0..open.len())]),
            probability: None,
            lead_id: None,
        };
        let created = opportunities::create(db, &owner, fields, lines, placement)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let close = match rng.random_range(0..10) {
            0 | 1 => won.map(|stage| MoveStageRequest {
                stage_id: stage,
                ..Default::default()
            }),
            2 => lost.map(|stage| MoveStageRequest {
                stage_id: stage,
                lost_reason: Some("price".to_owned()),
                winning_competitor: Some("德玛吉森精机".to_owned()),
                ..Default::default()
            }),
            _ => None,
        };
        if let Some(request) = close.filter(|_| small) {
            let id = created.summary.id;
            opportunities::move_stage(db, &owner, id, None, &request, &settings)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    Ok(count)
}
