use clap::Subcommand;
use crm_api_types::identity::CreateUserRequest;
use crm_domain::identity::NewUser;
use crm_persistence::{departments, roles, tenants, users};

use crate::settings::Settings;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user in a tenant, by role key and department name.
    Create {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        password: String,
        /// A role key: admin, sales_director, sales_manager, sales_rep, finance, service, viewer, …
        #[arg(long, default_value = "sales_rep")]
        role: String,
        /// Department name (default: the head office).
        #[arg(long)]
        department: Option<String>,
    },
}

pub async fn run(settings: &Settings, command: UserCommand) -> anyhow::Result<()> {
    let UserCommand::Create {
        tenant,
        email,
        name,
        password,
        role,
        department,
    } = command;
    let db = super::migrate(settings).await?;
    let tenant = tenants::find_by_slug(&db, &tenant)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .ok_or_else(|| anyhow::anyhow!("no tenant {tenant}"))?;
    let admin = super::demo::system_caller(&db, tenant.id).await?;
    let role_id = roles::list(&db, &admin)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .into_iter()
        .find(|r| r.key == role)
        .map(|r| r.id)
        .ok_or_else(|| anyhow::anyhow!("no role {role}"))?;
    let all_departments = departments::list(&db, &admin)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let department_id = match department {
        Some(name) => all_departments
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.id)
            .ok_or_else(|| anyhow::anyhow!("no department {name}"))?,
        None => all_departments
            .first()
            .map(|d| d.id)
            .ok_or_else(|| anyhow::anyhow!("tenant has no department"))?,
    };
    let request = CreateUserRequest {
        email,
        name,
        password: password.clone(),
        phone: None,
        department_id,
        role_id,
    };
    let new = NewUser::parse(&request).map_err(|e| {
        let fields: Vec<String> = e
            .iter()
            .map(|(f, v)| format!("{f}: {}", v.code()))
            .collect();
        anyhow::anyhow!("invalid user: {}", fields.join(", "))
    })?;
    let hash = crm_api::auth::passwords::hash(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
    let user = users::create(&db, &admin, new, hash)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("user {} ({}) created", user.user.email, user.user.id);
    Ok(())
}
