//! The `admin` and `person` commands: calls to a running server's admin API with the
//! operator token (they never open the database), printed as JSON or as readable lines.

use super::*;

/// Run an `admin` or `person` command against the server.
pub async fn run_client(cli: &Cli) -> anyhow::Result<()> {
    let config = cli.config()?;
    let base = cli
        .server
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.listen))
        .trim_end_matches('/')
        .to_string();
    let token = crate::operator_token_for_client(&config)?;
    let client = Admin {
        http: reqwest::Client::new(),
        base,
        token,
    };
    let (value, summary) = match &cli.command {
        Command::Admin(cmd) => admin(&client, cmd).await?,
        Command::Person(cmd) => person(&client, cmd).await?,
        _ => unreachable!("only client commands come here"),
    };
    if cli.json {
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        println!("{summary}");
    }
    Ok(())
}

struct Admin {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Admin {
    /// GET a document (CSV, HTML) as text.
    async fn text(&self, path: &str) -> anyhow::Result<String> {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .with_context(|| format!("cannot reach the server at {}", self.base))?;
        let status = resp.status();
        let body = resp.text().await?;
        if !status.is_success() {
            let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            let msg = v["error"]["message"].as_str().unwrap_or("request failed");
            bail!("{msg} (HTTP {})", status.as_u16());
        }
        Ok(body)
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.with_context(|| {
            format!(
                "cannot reach the server at {} (is `wasla serve` running?)",
                self.base
            )
        })?;
        let status = resp.status();
        let value: Value = resp.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            let mut msg = value["error"]["message"]
                .as_str()
                .unwrap_or("request failed")
                .to_string();
            // A refused rate card reports every problem by line.
            for p in value["error"]["problems"].as_array().into_iter().flatten() {
                msg.push_str(&format!(
                    "\n  line {}: {}",
                    p["line"],
                    p["message"].as_str().unwrap_or_default()
                ));
            }
            bail!("{msg} (HTTP {})", status.as_u16());
        }
        Ok(value)
    }
}

async fn admin(c: &Admin, cmd: &AdminCommand) -> anyhow::Result<(Value, String)> {
    use reqwest::Method;
    Ok(match cmd {
        AdminCommand::Business(BusinessCommand::Create { name }) => {
            let v = c
                .call(
                    Method::POST,
                    "/admin/v1/businesses",
                    Some(json!({"name": name})),
                )
                .await?;
            let s = format!(
                "created business {} (WABA id {})",
                v["name"],
                v["id"].as_str().unwrap_or_default()
            );
            (v, s)
        }
        AdminCommand::Business(BusinessCommand::List) => {
            let v = c.call(Method::GET, "/admin/v1/businesses", None).await?;
            let s = lines(&v, |b| {
                format!(
                    "{}  {}",
                    b["id"].as_str().unwrap_or_default(),
                    b["name"].as_str().unwrap_or_default()
                )
            });
            (v, s)
        }
        AdminCommand::PhoneNumber(PhoneNumberCommand::Create {
            waba,
            number,
            verified_name,
        }) => {
            let body = json!({"waba_id": waba, "number": number, "verified_name": verified_name});
            let v = c
                .call(Method::POST, "/admin/v1/phone-numbers", Some(body))
                .await?;
            let s = format!(
                "registered {} as phone-number id {}",
                v["display_phone_number"].as_str().unwrap_or_default(),
                v["id"].as_str().unwrap_or_default()
            );
            (v, s)
        }
        AdminCommand::PhoneNumber(PhoneNumberCommand::List(w)) => {
            let v = c
                .call(
                    Method::GET,
                    &format!("/admin/v1/businesses/{}/phone-numbers", w.waba),
                    None,
                )
                .await?;
            let s = lines(&v, |p| {
                format!(
                    "{}  {}  {}",
                    p["id"].as_str().unwrap_or_default(),
                    p["display_phone_number"].as_str().unwrap_or_default(),
                    p["verified_name"].as_str().unwrap_or_default()
                )
            });
            (v, s)
        }
        AdminCommand::App(AppCommand::Create {
            waba,
            webhook_url,
            verify_token,
        }) => {
            let body =
                json!({"waba_id": waba, "webhook_url": webhook_url, "verify_token": verify_token});
            let v = c.call(Method::POST, "/admin/v1/apps", Some(body)).await?;
            let s = format!(
                "created app {}\napp secret (shown once): {}",
                v["id"].as_str().unwrap_or_default(),
                v["app_secret"].as_str().unwrap_or_default()
            );
            (v, s)
        }
        AdminCommand::App(AppCommand::List(w)) => {
            let v = c
                .call(
                    Method::GET,
                    &format!("/admin/v1/businesses/{}/apps", w.waba),
                    None,
                )
                .await?;
            let s = lines(&v, |a| {
                format!(
                    "{}  {}",
                    a["id"].as_str().unwrap_or_default(),
                    a["webhook_url"].as_str().unwrap_or_default()
                )
            });
            (v, s)
        }
        AdminCommand::Token(TokenCommand::Create(w)) => {
            let v = c
                .call(
                    Method::POST,
                    "/admin/v1/tokens",
                    Some(json!({"waba_id": w.waba})),
                )
                .await?;
            let s = format!(
                "token id {}\naccess token (shown once): {}",
                v["id"].as_str().unwrap_or_default(),
                v["access_token"].as_str().unwrap_or_default()
            );
            (v, s)
        }
        AdminCommand::Ledger { phone_number } => {
            let v = c
                .call(
                    Method::GET,
                    &format!("/admin/v1/phone-numbers/{phone_number}/ledger"),
                    None,
                )
                .await?;
            let s = lines(&v, |l| {
                format!(
                    "{}  payment {}  {}  gross={} fee={} net={} {}",
                    l["id"].as_str().unwrap_or_default(),
                    l["payment_id"].as_str().unwrap_or_default(),
                    l["kind"].as_str().unwrap_or_default(),
                    l["gross"],
                    l["fee"],
                    l["net"],
                    l["currency"].as_str().unwrap_or_default()
                )
            });
            (v, s)
        }
        AdminCommand::Webhook(WebhookCommand::Log { app, limit }) => {
            let v = c
                .call(
                    Method::GET,
                    &format!("/admin/v1/apps/{app}/deliveries?limit={limit}"),
                    None,
                )
                .await?;
            let s = lines(&v, |d| {
                format!(
                    "{}  {}  attempts={}  last={}  {}",
                    d["id"].as_str().unwrap_or_default(),
                    d["state"].as_str().unwrap_or_default(),
                    d["attempts"],
                    d["last_status"],
                    d["event"]["event"].as_str().unwrap_or_default()
                )
            });
            (v, s)
        }
        AdminCommand::Webhook(WebhookCommand::Redeliver { app, delivery }) => {
            let v = c
                .call(
                    Method::POST,
                    &format!("/admin/v1/apps/{app}/deliveries/{delivery}/redeliver"),
                    None,
                )
                .await?;
            (v, format!("delivery {delivery} queued again"))
        }
        AdminCommand::Template(TemplateCommand::Approve { id }) => {
            let v = c
                .call(
                    Method::POST,
                    &format!("/admin/v1/templates/{id}/review"),
                    Some(json!({"status": "APPROVED"})),
                )
                .await?;
            let s = format!(
                "template {} ({}) is {}",
                v["name"].as_str().unwrap_or_default(),
                v["language"].as_str().unwrap_or_default(),
                v["status"].as_str().unwrap_or_default()
            );
            (v, s)
        }
        AdminCommand::Template(TemplateCommand::Reject { id, reason }) => {
            let v = c
                .call(
                    Method::POST,
                    &format!("/admin/v1/templates/{id}/review"),
                    Some(json!({"status": "REJECTED", "reason": reason})),
                )
                .await?;
            let s = format!(
                "template {} rejected ({reason})",
                v["name"].as_str().unwrap_or_default()
            );
            (v, s)
        }
        AdminCommand::Template(TemplateCommand::AutoApprove { waba, off }) => {
            let v = c
                .call(
                    Method::POST,
                    &format!("/admin/v1/businesses/{waba}/auto-approve"),
                    Some(json!({"enabled": !off})),
                )
                .await?;
            (
                v,
                format!(
                    "automatic template approval {} for {waba}",
                    if *off { "off" } else { "on" }
                ),
            )
        }
        AdminCommand::Agent(AgentCommand::Create {
            waba,
            email,
            name,
            role,
        }) => {
            let v = c
                .call(
                    Method::POST,
                    &format!("/admin/v1/businesses/{waba}/agents"),
                    Some(json!({"email": email, "name": name, "role": role})),
                )
                .await?;
            let s = format!(
                "agent {} ({role})\ninvite link (shown once): {}",
                v["agent"]["id"].as_str().unwrap_or_default(),
                v["invite_url"].as_str().unwrap_or_default()
            );
            (v, s)
        }
        AdminCommand::Agent(AgentCommand::List { waba }) => {
            let v = c
                .call(
                    Method::GET,
                    &format!("/admin/v1/businesses/{waba}/agents"),
                    None,
                )
                .await?;
            let lines: Vec<String> = v["data"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| {
                            format!(
                                "{}  {}  {}  {}",
                                x["id"].as_str().unwrap_or_default(),
                                x["email"].as_str().unwrap_or_default(),
                                x["role"].as_str().unwrap_or_default(),
                                if x["active"] == true {
                                    "active"
                                } else {
                                    "invited"
                                }
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            (v, lines.join("\n"))
        }
        AdminCommand::Ads(cmd) => {
            let (method, path, body) = super::ads::request(cmd);
            let v = c.call(method, &path, body).await?;
            let s = super::ads::summary(cmd, &v);
            (v, s)
        }
        AdminCommand::Limits(cmd) => {
            let (method, path, body) = super::limits::request(cmd);
            let v = c.call(method, &path, body).await?;
            let s = super::limits::summary(&v);
            (v, s)
        }
        AdminCommand::Audit(a) => {
            let v = c.call(Method::GET, &super::audit::path(a), None).await?;
            let s = super::audit::summary(&v);
            (v, s)
        }
        AdminCommand::Billing(b) => {
            let (method, path, body) = super::billing::request(b)?;
            if super::billing::wants_text(b) {
                let text = c.text(&path).await?;
                (json!({ "body": text }), text)
            } else {
                let v = c.call(method, &path, body).await?;
                let s = super::billing::summary(b, &v);
                (v, s)
            }
        }
        AdminCommand::Token(TokenCommand::Revoke { id }) => {
            let v = c
                .call(Method::DELETE, &format!("/admin/v1/tokens/{id}"), None)
                .await?;
            (v, format!("revoked token {id}"))
        }
    })
}

async fn person(c: &Admin, cmd: &PersonCommand) -> anyhow::Result<(Value, String)> {
    use reqwest::Method;
    Ok(match cmd {
        PersonCommand::Register { phone, name } => {
            let v = c
                .call(
                    Method::POST,
                    "/admin/v1/persons",
                    Some(json!({"phone": phone, "name": name})),
                )
                .await?;
            let s = format!(
                "{} ({})\nsession token: {}",
                v["account"]["display_name"].as_str().unwrap_or_default(),
                v["account"]["phone"].as_str().unwrap_or_default(),
                v["token"].as_str().unwrap_or_default()
            );
            (v, s)
        }
        PersonCommand::Send { from, to, text } => {
            let wa_id = wasla_core::phone::normalize(from)
                .map_err(|e| anyhow::anyhow!("--from: {e}"))?
                .wa_id;
            let v = c
                .call(
                    Method::POST,
                    &format!("/admin/v1/persons/{wa_id}/messages"),
                    Some(json!({"to": to, "text": text})),
                )
                .await?;
            let s = format!("sent {}", v["id"].as_str().unwrap_or_default());
            (v, s)
        }
    })
}

fn lines(v: &Value, f: impl Fn(&Value) -> String) -> String {
    let rows: Vec<String> = v["data"]
        .as_array()
        .map(|a| a.iter().map(&f).collect())
        .unwrap_or_default();
    if rows.is_empty() {
        "(none)".into()
    } else {
        rows.join("\n")
    }
}
