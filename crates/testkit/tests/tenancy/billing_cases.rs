//! The tenancy cases of billing: the console's balance, ledger, invoices and analytics (B's
//! admin reads B's own; A's ledger entry as B's page cursor and A's invoice month show B's),
//! and the operator's limits, revenue, rate cards and accounts (tokens that are not the
//! operator's get 401 with A's WABA).

use super::World;
use crate::{c, cb, Call, Kind};
use serde_json::{json, Value};

/// The billing routes' cases.
pub fn cases(w: &World) -> Vec<(&'static str, &'static str, Kind)> {
    use Kind::*;
    let (bt, ba, x, waba) = (&*w.b.token, &*w.b_admin.token, &w.x, &w.a.waba_id);
    let not_operator = |path: String, body: Value| -> Vec<Call> {
        vec![cb(bt, path.clone(), body.clone()), cb(ba, path, body)]
    };
    #[rustfmt::skip]
    let cases = vec![
        ("GET", "/console/v1/billing/analytics", Own(vec![c(ba, "/console/v1/billing/analytics")])),
        ("GET", "/console/v1/billing/account", Own(vec![c(ba, "/console/v1/billing/account")])),
        // A's ledger entry as B's page cursor pages B's ledger only; A's month is B's invoice.
        ("GET", "/console/v1/billing/ledger", Own(vec![c(ba, "/console/v1/billing/ledger"), c(ba, format!("/console/v1/billing/ledger?before={}", x.ledger_entry))])),
        ("GET", "/console/v1/billing/invoices/{month}", Own(vec![c(ba, "/console/v1/billing/invoices/current"), c(ba, format!("/console/v1/billing/invoices/{}", x.month))])),
        ("GET", "/console/v1/billing/invoices/{month}/csv", Own(vec![c(ba, format!("/console/v1/billing/invoices/{}/csv", x.month))])),
        ("GET", "/console/v1/billing/invoices/{month}/html", Own(vec![c(ba, format!("/console/v1/billing/invoices/{}/html", x.month))])),
        ("GET", "/admin/v1/businesses/{id}/limits", Foreign(not_operator(format!("/admin/v1/businesses/{waba}/limits"), Value::Null))),
        ("PUT", "/admin/v1/businesses/{id}/limits", Foreign(not_operator(format!("/admin/v1/businesses/{waba}/limits"), json!({"tier": "TIER_250"})))),
        ("GET", "/admin/v1/revenue", Foreign(not_operator("/admin/v1/revenue".into(), Value::Null))),
        ("GET", "/admin/v1/billing/cards", Foreign(not_operator("/admin/v1/billing/cards".into(), Value::Null))),
        ("POST", "/admin/v1/billing/cards", Foreign(not_operator("/admin/v1/billing/cards".into(), json!({"name": "x", "effective_from": "2026-01-01", "source": "x", "csv": "Market,Currency,Marketing,Utility,Authentication,Authentication-International,Service,Tier From\nOther,USD,1,1,1,,0,\n"})))),
        ("GET", "/admin/v1/billing/cards/{id}/csv", Foreign(not_operator("/admin/v1/billing/cards/1/csv".into(), Value::Null))),
        ("PUT", "/admin/v1/billing/accounts/{waba_id}/card", Foreign(not_operator(format!("/admin/v1/billing/accounts/{waba}/card"), json!({"card_name": "default"})))),
        ("GET", "/admin/v1/billing/accounts/{waba_id}/rated", Foreign(not_operator(format!("/admin/v1/billing/accounts/{waba}/rated"), Value::Null))),
        ("GET", "/admin/v1/billing/accounts/{waba_id}", Foreign(not_operator(format!("/admin/v1/billing/accounts/{waba}"), Value::Null))),
        ("PATCH", "/admin/v1/billing/accounts/{waba_id}", Foreign(not_operator(format!("/admin/v1/billing/accounts/{waba}"), json!({"credit_limit": 0})))),
        ("POST", "/admin/v1/billing/accounts/{waba_id}/top-ups", Foreign(not_operator(format!("/admin/v1/billing/accounts/{waba}/top-ups"), json!({"amount": 100})))),
        ("POST", "/admin/v1/billing/accounts/{waba_id}/adjustments", Foreign(not_operator(format!("/admin/v1/billing/accounts/{waba}/adjustments"), json!({"amount": -100})))),
        ("GET", "/admin/v1/billing/accounts/{waba_id}/ledger", Foreign(not_operator(format!("/admin/v1/billing/accounts/{waba}/ledger"), Value::Null))),
        ("GET", "/admin/v1/billing/accounts/{waba_id}/invoices/{month}", Foreign(not_operator(format!("/admin/v1/billing/accounts/{waba}/invoices/{}", x.month), Value::Null))),
        ("GET", "/admin/v1/billing/accounts/{waba_id}/invoices/{month}/csv", Foreign(not_operator(format!("/admin/v1/billing/accounts/{waba}/invoices/{}/csv", x.month), Value::Null))),
        ("GET", "/admin/v1/billing/accounts/{waba_id}/invoices/{month}/html", Foreign(not_operator(format!("/admin/v1/billing/accounts/{waba}/invoices/{}/html", x.month), Value::Null))),
    ];
    cases
}
