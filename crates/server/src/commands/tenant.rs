use clap::Subcommand;
use crm_domain::FieldErrors;
use crm_domain::identity::{check_password, parse_slug, parse_user_email};
use crm_persistence::tenants::{self, NewTenant};

use crate::settings::Settings;

#[derive(Subcommand)]
pub enum TenantCommand {
    /// Create a tenant with its built-in roles, a head-office department and an admin.
    Create {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        admin_email: String,
        #[arg(long)]
        admin_password: String,
        #[arg(long, default_value = "管理员")]
        admin_name: String,
    },
}

pub async fn run(settings: &Settings, command: TenantCommand) -> anyhow::Result<()> {
    let TenantCommand::Create {
        slug,
        name,
        admin_email,
        admin_password,
        admin_name,
    } = command;
    let slug = parse_slug(&slug)
        .map_err(|_| anyhow::anyhow!("--slug: lowercase letters, digits and '-', 2–40 long"))?;
    let mut errors = FieldErrors::new();
    let admin_email = parse_user_email(&mut errors, &admin_email);
    check_password(&mut errors, &admin_password);
    if !errors.is_empty() {
        let fields: Vec<String> = errors
            .iter()
            .map(|(f, v)| format!("{f}: {}", v.code()))
            .collect();
        anyhow::bail!("invalid admin: {}", fields.join(", "));
    }
    let db = super::migrate(settings).await?;
    let hash =
        crm_api::auth::passwords::hash(&admin_password).map_err(|e| anyhow::anyhow!("{e}"))?;
    let created = tenants::create(
        &db,
        NewTenant {
            slug,
            name,
            admin_email,
            admin_name,
            admin_password_hash: hash,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "tenant {} ({}) created; admin {}",
        created.tenant.slug, created.tenant.id, created.admin.email
    );
    Ok(())
}
