//! A realistic zh-CN demo company: departments, users in every role, leads and customers
//! spread over the reps and the last six months, contacts, follow-ups and a few customers in
//! the pool. Also used by `make bench` with `--leads 100000 --customers 1000000`.

use chrono::Duration;
use clap::Args;
use crm_api_types::activities::{ActivityKind, CreateActivityRequest};
use crm_api_types::customers::{CreateContactRequest, CustomerStatus, DecisionRole};
use crm_api_types::identity::{CreateUserRequest, Permission};
use crm_api_types::leads::LeadSource;
use crm_domain::activity::ActivityFields;
use crm_domain::customer::{ContactFields, CustomerFields};
use crm_domain::identity::{BuiltinRole, NewUser};
use crm_domain::lead::LeadFields;
use crm_domain::{Caller, now, today_in_china};
use crm_persistence::history::{self, HistorySize};
use crm_persistence::tenants::NewTenant;
use crm_persistence::{
    Database, activities, contacts, customers, departments, leads, roles, tenants, users,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use crate::settings::Settings;

mod orders;
mod sales;

#[derive(Args)]
pub struct DemoArgs {
    #[arg(long, default_value = "demo")]
    slug: String,
    /// How many leads to create.
    #[arg(long, default_value_t = 300)]
    leads: usize,
    /// How many customers to create. Up to 5,000 also get a contact each, some follow-ups and
    /// tasks, and one in ten waits in the pool.
    #[arg(long, default_value_t = 120)]
    customers: usize,
    /// Sales reps per regional department (per team when the regions have teams).
    #[arg(long, default_value_t = 3)]
    reps_per_department: usize,
    /// Teams (sub-departments) in each regional department; 0 puts the reps in the region.
    #[arg(long, default_value_t = 0)]
    teams_per_region: usize,
    /// How many opportunities to create, over the reps' customers.
    #[arg(long, default_value_t = 80)]
    opportunities: usize,
    /// How many products (the first 12 are the demo catalogue, then variants).
    #[arg(long, default_value_t = 12)]
    products: usize,
    /// How many sales orders to create, at every stage from confirmed to signed for (with a
    /// quote ordered and a contract awaiting approval besides).
    #[arg(long, default_value_t = 12)]
    orders: usize,
    /// Leads of the last two years (some qualified, some converted into the customers),
    /// bulk-inserted (for the reports).
    #[arg(long, default_value_t = 0)]
    history_leads: usize,
    /// Follow-ups with the customers over the last two years, bulk-inserted.
    #[arg(long, default_value_t = 0)]
    history_activities: usize,
    /// Closed and open opportunities of the last two years, with their stage history,
    /// bulk-inserted (for the reports).
    #[arg(long, default_value_t = 0)]
    history_opportunities: usize,
    /// Orders of the last two years (four lines, a shipment, four instalments and their
    /// payments each), bulk-inserted.
    #[arg(long, default_value_t = 0)]
    history_orders: usize,
}

pub const DEMO_PASSWORD: &str = "Demo@2026";
const REGIONS: [(&str, &str, &[&str]); 5] = [
    (
        "华东销售部",
        "华东",
        &["苏州", "无锡", "杭州", "宁波", "上海", "南京"],
    ),
    (
        "华南销售部",
        "华南",
        &["深圳", "东莞", "佛山", "广州", "厦门"],
    ),
    (
        "华北销售部",
        "华北",
        &["天津", "北京", "石家庄", "济南", "青岛"],
    ),
    ("西南销售部", "西南", &["成都", "重庆", "昆明", "贵阳"]),
    ("华中销售部", "华中", &["武汉", "长沙", "郑州", "合肥"]),
];
const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗",
];
const GIVEN: [&str; 20] = [
    "伟", "芳", "娜", "敏", "静", "磊", "强", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
    "秀英", "建国", "海燕", "志强", "晓东",
];
const BRANDS: [&str; 16] = [
    "精工", "恒通", "华锐", "中联", "博远", "瑞丰", "鼎盛", "天成", "宏达", "新元", "金桥", "众诚",
    "汇川", "嘉禾", "远景", "同创",
];
const INDUSTRIES: [(&str, &str); 8] = [
    ("机械制造", "机械"),
    ("汽车零部件", "汽车部件"),
    ("电子电气", "电子"),
    ("新能源", "新能源科技"),
    ("化工", "化工"),
    ("食品饮料", "食品"),
    ("建筑工程", "建设工程"),
    ("医疗器械", "医疗器械"),
];
const TITLES: [&str; 8] = [
    "采购经理",
    "设备部经理",
    "总经理",
    "技术总监",
    "生产厂长",
    "项目经理",
    "采购专员",
    "工程师",
];

pub async fn run(settings: &Settings, args: DemoArgs) -> anyhow::Result<()> {
    let db = super::migrate(settings).await?;
    let hash = crm_api::auth::passwords::hash(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?;
    let existing = tenants::find_by_slug(&db, &args.slug)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    anyhow::ensure!(
        existing.is_none(),
        "tenant {} already exists; remove the data directory to start over",
        args.slug
    );
    let created = tenants::create(
        &db,
        NewTenant {
            slug: args.slug.clone(),
            name: "苏州恒远智能装备有限公司".to_owned(),
            admin_email: format!("admin@{}.cn", args.slug),
            admin_name: "系统管理员".to_owned(),
            admin_password_hash: hash.clone(),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let admin = system_caller(&db, created.tenant.id).await?;
    let role = |key: BuiltinRole| {
        created
            .roles
            .iter()
            .find(|r| r.key == key.key())
            .map(|r| r.id)
            .unwrap_or_default()
    };
    let domain = format!("{}.cn", args.slug);

    let mut rng = StdRng::seed_from_u64(2026);
    let head = created.head_office.id;
    let sales = department(&db, &admin, "销售中心", Some(head)).await?;
    let finance = department(&db, &admin, "财务部", Some(head)).await?;
    let service = department(&db, &admin, "客服部", Some(head)).await?;
    let mut people = People {
        db: &db,
        admin: &admin,
        hash: &hash,
        domain: &domain,
        count: 0,
    };
    people
        .add("张伟", "director", sales, role(BuiltinRole::SalesDirector))
        .await?;
    let finance_user = people
        .add("周静", "finance", finance, role(BuiltinRole::Finance))
        .await?;
    people
        .add("郑律", "legal", head, role(BuiltinRole::Legal))
        .await?;
    people
        .add("吴敏", "service", service, role(BuiltinRole::Service))
        .await?;
    people
        .add("孙洋", "viewer", head, role(BuiltinRole::Viewer))
        .await?;

    let mut reps: Vec<(Uuid, &str, &[&str])> = Vec::new();
    for (index, (name, region, cities)) in REGIONS.iter().enumerate() {
        let dept = department(&db, &admin, name, Some(sales)).await?;
        let manager_name = format!("{}{}", SURNAMES[index], "经理");
        people
            .add(
                &manager_name,
                &format!("manager{}", index + 1),
                dept,
                role(BuiltinRole::SalesManager),
            )
            .await?;
        let teams = if args.teams_per_region == 0 {
            vec![dept]
        } else {
            let mut teams = Vec::with_capacity(args.teams_per_region);
            for t in 0..args.teams_per_region {
                let team = format!("{}{}组", name.trim_end_matches('部'), t + 1);
                teams.push(department(&db, &admin, &team, Some(dept)).await?);
            }
            teams
        };
        for (t, team) in teams.into_iter().enumerate() {
            for m in 0..args.reps_per_department {
                let n = t * args.reps_per_department + m;
                let rep_name = format!(
                    "{}{}",
                    SURNAMES[(index * 7 + n * 3 + 5) % SURNAMES.len()],
                    GIVEN[(index * 5 + n) % GIVEN.len()]
                );
                let id = people
                    .add(
                        &rep_name,
                        &format!("rep{}{}", index + 1, n + 1),
                        team,
                        role(BuiltinRole::SalesRep),
                    )
                    .await?;
                reps.push((id, region, cities));
            }
        }
    }

    let started = now();
    let mut batch = Vec::with_capacity(1000);
    let mut created_leads = 0;
    for i in 0..args.leads {
        let (owner_id, region, cities) = reps[i % reps.len()];
        batch.push((
            random_lead(&mut rng, owner_id, region, cities),
            started - Duration::seconds(rng.random_range(0..180 * 86_400)),
        ));
        if batch.len() == 1000 || i + 1 == args.leads {
            let owner = Caller {
                user_id: owner_id,
                ..admin.clone()
            };
            created_leads += leads::import(&db, &owner, std::mem::take(&mut batch))
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    let owned = seed_customers(&db, &admin, &reps, args.customers, &mut rng).await?;
    let catalogue = sales::seed_catalogue(&db, &admin, args.products).await?;
    let created_opportunities = sales::seed_opportunities(
        &db,
        &admin,
        &owned,
        &catalogue,
        args.opportunities,
        &mut rng,
    )
    .await?;
    let finance_caller = Caller {
        user_id: finance_user,
        ..admin.clone()
    };
    let created_orders = orders::seed(
        &db,
        &admin,
        &finance_caller,
        &owned,
        &catalogue,
        args.orders,
    )
    .await?;
    let history = history::seed(
        &db,
        admin.tenant_id,
        &owned,
        HistorySize {
            leads: args.history_leads,
            activities: args.history_activities,
            opportunities: args.history_opportunities,
            orders: args.history_orders,
        },
        today_in_china(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    if args.history_leads
        + args.history_activities
        + args.history_opportunities
        + args.history_orders
        > 0
    {
        println!(
            "history: {} leads, {} follow-ups, {} opportunities with {} stage changes, {} orders with {} lines, {} shipments, {} instalments and {} payments",
            history.leads,
            history.activities,
            history.opportunities,
            history.stage_changes,
            history.orders,
            history.order_lines,
            history.shipments,
            history.instalments,
            history.payments
        );
    }
    println!(
        "demo tenant '{}' ready: {} users, {} leads, {} customers, {} products, {created_opportunities} opportunities, {created_orders} orders. \
         Log in as admin@{} / {DEMO_PASSWORD} \
         (also director@, manager1@, rep11@, finance@, legal@ … with the same password)",
        args.slug,
        people.count + 1,
        created_leads,
        args.customers,
        catalogue.len(),
        domain
    );
    Ok(())
}

/// Customers with distinct names (city × brand × industry, then a number), owned round-robin
/// by the reps; a small demo also gets contacts, follow-ups and a pool. Returns the first
/// owned ones (id, owner), for the opportunities.
async fn seed_customers(
    db: &Database,
    admin: &Caller,
    reps: &[(Uuid, &str, &[&str])],
    count: usize,
    rng: &mut StdRng,
) -> anyhow::Result<Vec<(Uuid, Uuid)>> {
    /// Enough customers for any number of demo opportunities.
    const KEPT: usize = 20_000;
    const CITIES: [(&str, &str, &str); 12] = [
        ("苏州", "江苏省", "苏州市"),
        ("无锡", "江苏省", "无锡市"),
        ("杭州", "浙江省", "杭州市"),
        ("宁波", "浙江省", "宁波市"),
        ("上海", "上海市", "上海市"),
        ("深圳", "广东省", "深圳市"),
        ("东莞", "广东省", "东莞市"),
        ("天津", "天津市", "天津市"),
        ("成都", "四川省", "成都市"),
        ("重庆", "重庆市", "重庆市"),
        ("武汉", "湖北省", "武汉市"),
        ("长沙", "湖南省", "长沙市"),
    ];
    let small = count <= 5000;
    let started = now();
    let mut owned = Vec::new();
    let mut batch = Vec::with_capacity(1000);
    for i in 0..count {
        let (city, province, city_name) = CITIES[i % CITIES.len()];
        let brand = BRANDS[(i / CITIES.len()) % BRANDS.len()];
        let (industry, suffix) = INDUSTRIES[(i / (CITIES.len() * BRANDS.len())) % INDUSTRIES.len()];
        let round = i / (CITIES.len() * BRANDS.len() * INDUSTRIES.len());
        let number = if round == 0 {
            String::new()
        } else {
            round.to_string()
        };
        let (owner, region, _) = reps[i % reps.len()];
        let status = [
            CustomerStatus::Potential,
            CustomerStatus::Active,
            CustomerStatus::Dormant,
        ][rng.random_range(0..3)];
        let fields = CustomerFields {
            name: format!("{city}{brand}{number}{suffix}有限公司"),
            short_name: Some(format!("{brand}{number}")),
            credit_code: None,
            industry: Some(industry.to_owned()),
            region: Some(region.to_owned()),
            province: Some(province.to_owned()),
            city: Some(city_name.to_owned()),
            address: None,
            website: Some(format!("www.{}.com.cn", brand_pinyin(brand))),
            tier: Some(["A", "B", "C"][rng.random_range(0..3)].to_owned()),
            tags: if rng.random_bool(0.2) {
                vec!["重点客户".to_owned()]
            } else {
                Vec::new()
            },
            source: Some(LeadSource::ALL[rng.random_range(0..LeadSource::ALL.len())]),
            status,
            parent_id: None,
            owner_id: (!small || i % 10 != 9).then_some(owner),
            notes: None,
        };
        batch.push((
            fields,
            started - Duration::seconds(rng.random_range(0..180 * 86_400)),
        ));
        if batch.len() == 1000 || i + 1 == count {
            let owners: Vec<Option<Uuid>> = batch.iter().map(|(f, _)| f.owner_id).collect();
            let ids = customers::import(db, admin, std::mem::take(&mut batch))
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            if small {
                for (n, id) in ids.iter().enumerate() {
                    follow_up(db, admin, *id, n, rng).await?;
                }
            }
            let room = KEPT.saturating_sub(owned.len());
            owned.extend(
                ids.iter()
                    .zip(owners)
                    .filter_map(|(id, owner)| owner.map(|o| (*id, o)))
                    .take(room),
            );
        }
    }
    Ok(owned)
}

/// A contact for the customer and, for some, a visit that plans the next call.
async fn follow_up(
    db: &Database,
    admin: &Caller,
    customer_id: Uuid,
    n: usize,
    rng: &mut StdRng,
) -> anyhow::Result<()> {
    let contact = CreateContactRequest {
        customer_id,
        name: format!(
            "{}{}",
            SURNAMES[rng.random_range(0..SURNAMES.len())],
            GIVEN[rng.random_range(0..GIVEN.len())]
        ),
        title: Some(TITLES[rng.random_range(0..TITLES.len())].to_owned()),
        department: None,
        mobile: Some(format!(
            "1{}{:09}",
            [3, 5, 7, 8, 9][rng.random_range(0..5)],
            rng.random_range(0..1_000_000_000u64)
        )),
        phone: None,
        email: None,
        wechat: None,
        birthday: None,
        decision_role: Some(
            [
                DecisionRole::DecisionMaker,
                DecisionRole::Influencer,
                DecisionRole::User,
                DecisionRole::TechnicalGate,
            ][n % 4],
        ),
        is_primary: true,
        notes: None,
    };
    let fields = ContactFields::parse_new(&contact).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    contacts::create(db, admin, fields)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if n.is_multiple_of(3) {
        let today = now();
        let occurred_at = today - Duration::days(rng.random_range(1..20));
        // Some follow-ups are overdue (up to 3 days), none before the visit itself.
        let follow_up_on = (today + Duration::days(rng.random_range(-3..7))).max(occurred_at);
        let visit = CreateActivityRequest {
            kind: [
                ActivityKind::Visit,
                ActivityKind::Call,
                ActivityKind::Wechat,
            ][(n / 3) % 3],
            occurred_at: Some(occurred_at),
            subject: "了解新产线设备需求".to_owned(),
            notes: None,
            outcome: Some("客户计划下季度招标，需提供方案".to_owned()),
            lead_id: None,
            customer_id: Some(customer_id),
            opportunity_id: None,
            contact_ids: Vec::new(),
            next_follow_up_on: Some(follow_up_on.date_naive()).filter(|_| n.is_multiple_of(2)),
        };
        let fields = ActivityFields::parse_new(&visit, today + Duration::days(7))
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        activities::create(db, admin, fields)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}

fn random_lead(rng: &mut StdRng, owner_id: Uuid, region: &str, cities: &[&str]) -> LeadFields {
    let city = cities[rng.random_range(0..cities.len())];
    let brand = BRANDS[rng.random_range(0..BRANDS.len())];
    let (industry, suffix) = INDUSTRIES[rng.random_range(0..INDUSTRIES.len())];
    let company_type = if rng.random_bool(0.3) {
        "股份有限公司"
    } else {
        "有限公司"
    };
    let contact = format!(
        "{}{}",
        SURNAMES[rng.random_range(0..SURNAMES.len())],
        GIVEN[rng.random_range(0..GIVEN.len())]
    );
    let mobile = format!(
        "1{}{:09}",
        [3, 5, 7, 8, 9][rng.random_range(0..5)],
        rng.random_range(0..1_000_000_000u64)
    );
    let source = LeadSource::ALL[rng.random_range(0..LeadSource::ALL.len())];
    LeadFields {
        company_name: format!("{city}{brand}{suffix}{company_type}"),
        contact_name: contact,
        title: Some(TITLES[rng.random_range(0..TITLES.len())].to_owned()),
        phone: rng.random_bool(0.4).then(|| {
            format!(
                "0{}-{:08}",
                rng.random_range(10..999),
                rng.random_range(0..100_000_000u32)
            )
        }),
        mobile: Some(mobile),
        email: rng.random_bool(0.6).then(|| {
            format!(
                "contact{}@{}.com.cn",
                rng.random_range(1..9999),
                brand_pinyin(brand)
            )
        }),
        source,
        region: Some(region.to_owned()),
        industry: Some(industry.to_owned()),
        owner_id: Some(owner_id),
        notes: rng
            .random_bool(0.2)
            .then(|| "客户有新产线扩建计划，预计明年一季度招标。".to_owned()),
    }
}

fn brand_pinyin(brand: &str) -> &'static str {
    match brand {
        "精工" => "jinggong",
        "恒通" => "hengtong",
        "华锐" => "huarui",
        "中联" => "zhonglian",
        "博远" => "boyuan",
        "瑞丰" => "ruifeng",
        "鼎盛" => "dingsheng",
        "天成" => "tiancheng",
        "宏达" => "hongda",
        "新元" => "xinyuan",
        "金桥" => "jinqiao",
        "众诚" => "zhongcheng",
        "汇川" => "huichuan",
        "嘉禾" => "jiahe",
        "远景" => "yuanjing",
        _ => "tongchuang",
    }
}

async fn department(
    db: &Database,
    admin: &Caller,
    name: &str,
    parent: Option<Uuid>,
) -> anyhow::Result<Uuid> {
    Ok(
        departments::create(db, admin, name.to_owned(), parent, None)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .id,
    )
}

struct People<'a> {
    db: &'a Database,
    admin: &'a Caller,
    hash: &'a str,
    domain: &'a str,
    count: usize,
}

impl People<'_> {
    async fn add(
        &mut self,
        name: &str,
        login: &str,
        department_id: Uuid,
        role_id: Uuid,
    ) -> anyhow::Result<Uuid> {
        let request = CreateUserRequest {
            email: format!("{login}@{}", self.domain),
            name: name.to_owned(),
            password: DEMO_PASSWORD.to_owned(),
            phone: None,
            department_id,
            role_id,
        };
        let new = NewUser::parse(&request).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let user = users::create(self.db, self.admin, new, self.hash.to_owned())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        self.count += 1;
        Ok(user.user.id)
    }
}

/// The tenant's first admin, as a caller for administrative commands.
pub async fn system_caller(db: &Database, tenant_id: Uuid) -> anyhow::Result<Caller> {
    let bootstrap = Caller {
        tenant_id,
        user_id: Uuid::nil(),
        department_id: Uuid::nil(),
        department_path: String::new(),
        data_scope: crm_api_types::identity::DataScope::All,
        permissions: Permission::ALL.into_iter().collect(),
        credential: crm_domain::Credential::System,
        request_id: None,
    };
    let admin_role = roles::list(db, &bootstrap)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .into_iter()
        .find(|r| r.key == BuiltinRole::Admin.key())
        .ok_or_else(|| anyhow::anyhow!("tenant has no admin role"))?;
    let (all, _) = users::list(db, &bootstrap, None, 200, None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let admin = all
        .into_iter()
        .find(|u| u.user.role_id == admin_role.id && u.user.active)
        .ok_or_else(|| anyhow::anyhow!("tenant has no active admin"))?;
    let department = departments::get(db, &bootstrap, admin.user.department_id)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Caller {
        user_id: admin.user.id,
        department_id: department.id,
        department_path: department.path,
        ..bootstrap
    })
}
