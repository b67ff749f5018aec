//! `crm import`: the API's import path run synchronously from a file, timed. For bulk loads
//! and for `make bench` (import throughput).

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};
use crm_api_types::imports::{ImportKind, ImportOwner};
use crm_domain::import::Mapping;
use crm_persistence::imports::{self, NewImport, RunEnd};
use crm_persistence::{tenants, users};

use crate::settings::Settings;

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    Leads,
    Customers,
    Contacts,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Owner {
    Me,
    Pool,
}

#[derive(Args)]
pub struct ImportArgs {
    /// The tenant's slug.
    #[arg(long)]
    pub slug: String,
    /// The user the import acts as (their permissions and data scope apply).
    #[arg(long = "as")]
    pub as_email: String,
    #[arg(long, value_enum)]
    pub kind: Kind,
    /// A CSV (UTF-8 or GBK) or XLSX file; its headers must suggest every required field.
    #[arg(long)]
    pub file: PathBuf,
    #[arg(long, value_enum, default_value = "me")]
    pub owner: Owner,
}

fn failed(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

pub async fn run(settings: &Settings, args: ImportArgs) -> anyhow::Result<()> {
    let db = super::migrate(settings).await?;
    let tenant = tenants::find_by_slug(&db, &args.slug)
        .await
        .map_err(failed)?
        .ok_or_else(|| anyhow::anyhow!("no tenant {}", args.slug))?;
    let user = users::find_for_login(&db, tenant.id, &args.as_email)
        .await
        .map_err(failed)?
        .ok_or_else(|| anyhow::anyhow!("no user {}", args.as_email))?;
    let caller = imports::caller_for(&db, tenant.id, user.id)
        .await
        .map_err(failed)?
        .ok_or_else(|| anyhow::anyhow!("user {} is disabled", args.as_email))?;
    let kind = match args.kind {
        Kind::Leads => ImportKind::Leads,
        Kind::Customers => ImportKind::Customers,
        Kind::Contacts => ImportKind::Contacts,
    };
    let owner = match args.owner {
        Owner::Me => ImportOwner::Me,
        Owner::Pool => ImportOwner::Pool,
    };

    let started = Instant::now();
    let bytes = std::fs::read(&args.file)?;
    let sheet = crm_api::tabular::read(&bytes).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let parsed = started.elapsed();
    let mapping = Mapping::suggested(kind, &sheet.headers).ok_or_else(|| {
        anyhow::anyhow!(
            "the headers {:?} do not name every required field",
            sheet.headers
        )
    })?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rows = sheet.rows.len();
    let new = NewImport {
        kind,
        file_name,
        headers: sheet.headers,
        rows: sheet.rows,
    };
    let stored_at = Instant::now();
    let view = imports::create(&db, &caller, new).await.map_err(failed)?;
    let stored = stored_at.elapsed();
    let preview_at = Instant::now();
    let preview = imports::preview(&db, &caller, view.id, &mapping.keys(), owner)
        .await
        .map_err(failed)?;
    let previewed = preview_at.elapsed();
    imports::commit(&db, &caller, view.id)
        .await
        .map_err(failed)?;
    let claim = imports::claim(&db, &caller, view.id)
        .await
        .map_err(failed)?;
    let run_at = Instant::now();
    let end = imports::run(&db, claim).await.map_err(failed)?;
    let ran = run_at.elapsed();
    let done = imports::get(&db, &caller, view.id).await.map_err(failed)?;
    let rate = |d: std::time::Duration| rows as f64 / d.as_secs_f64().max(1e-9);
    println!(
        "import {} ({rows} rows): {} inserted, {} rejected, {end:?}",
        view.id, done.inserted, done.rejected
    );
    println!("  read file      {:>8.2} s", parsed.as_secs_f64());
    println!("  store rows     {:>8.2} s", stored.as_secs_f64());
    println!(
        "  preview        {:>8.2} s  {:>9.0} rows/s  ({} valid, {} rejected)",
        previewed.as_secs_f64(),
        rate(previewed),
        preview.valid,
        preview.rejected
    );
    println!(
        "  commit run     {:>8.2} s  {:>9.0} rows/s  (validation, duplicate checks, inserts, audit)",
        ran.as_secs_f64(),
        rate(ran)
    );
    println!(
        "  end to end     {:>8.2} s  {:>9.0} rows/s",
        started.elapsed().as_secs_f64(),
        rate(started.elapsed())
    );
    if end != RunEnd::Done {
        anyhow::bail!("the import did not finish: {end:?}");
    }
    Ok(())
}
