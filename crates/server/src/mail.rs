//! Reminder emails: when SMTP is configured (`smtp_url`, `smtp_from`), each new in-app
//! notification is also mailed to its user, in Chinese (the users' working language). A mail
//! that fails is logged and not retried: the notification in the app stays.

use crm_api_types::notifications::{NotificationKind, NotificationResponse};
use crm_persistence::Database;
use crm_persistence::notifications::{Fresh, recipients};
use crm_persistence::reminders::ReminderReport;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// An SMTP relay and the sender address.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `url` as lettre reads it, e.g. `smtps://user:pass@smtp.exmail.qq.com` or
    /// `smtp://127.0.0.1:2525` (no TLS, for a local relay).
    pub fn new(url: &str, from: &str) -> anyhow::Result<Self> {
        Ok(Self {
            transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build(),
            from: from.parse()?,
        })
    }

    async fn send(&self, to: Mailbox, subject: &str, body: String) -> anyhow::Result<()> {
        let part = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .header(ContentTransferEncoding::QuotedPrintable)
            .body(body);
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .singlepart(part)?;
        self.transport.send(message).await?;
        Ok(())
    }
}

/// The subject and text of a notification's mail.
fn text(n: &NotificationResponse) -> (&'static str, String) {
    let whose = if n.as_manager { "您的团队" } else { "您" };
    match n.kind {
        NotificationKind::DeliveryOverdue => (
            "交期超期提醒",
            format!(
                "{whose}有 {} 个订单交期超期，最长已超期 {} 天。\n请登录 CRM 查看：/sales-orders/overdue\n",
                n.order_count, n.days_overdue
            ),
        ),
        NotificationKind::ReceivableOverdue => (
            "应收逾期提醒",
            format!(
                "{whose}有 {} 个订单应收逾期{}，最长已逾期 {} 天。\n请登录 CRM 查看：/receivables\n",
                n.order_count,
                n.amount.map(|a| format!("，共 ¥{a}")).unwrap_or_default(),
                n.days_overdue
            ),
        ),
        NotificationKind::WebhookDisabled => (
            "Webhook 推送地址已停用",
            format!(
                "您创建的 Webhook 推送地址连续失败，已被停用。\n请检查接收方后在 CRM 中重新启用：/settings/webhooks/{}\n",
                n.subject_id
            ),
        ),
    }
}

/// Mails the run's new notifications; returns how many were sent.
pub async fn send_all(db: &Database, mailer: &Mailer, fresh: &[Fresh]) -> anyhow::Result<u64> {
    let people = recipients(db, fresh)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut sent = 0;
    for f in fresh {
        let Some((name, email)) = people.get(&f.user_id) else {
            continue;
        };
        let Ok(address) = email.parse() else {
            tracing::warn!(user = %f.user_id, "reminder not mailed: unusable address");
            continue;
        };
        let (subject, body) = text(&f.notification);
        let to = Mailbox::new(Some(name.clone()), address);
        match mailer.send(to, subject, body).await {
            Ok(()) => sent += 1,
            Err(error) => {
                tracing::warn!(user = %f.user_id, %error, "reminder not mailed");
            }
        }
    }
    Ok(sent)
}

/// The reminder job: notifications in the app, and by mail when a mailer is given.
pub async fn remind(
    db: &Database,
    mailer: Option<&Mailer>,
    today: chrono::NaiveDate,
) -> anyhow::Result<(ReminderReport, u64)> {
    let report = crm_persistence::reminders::run(db, today)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mailed = match mailer {
        Some(mailer) => send_all(db, mailer, &report.fresh).await?,
        None => 0,
    };
    Ok((report, mailed))
}
