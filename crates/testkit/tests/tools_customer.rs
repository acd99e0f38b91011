//! The inbox customer panel end to end: previous orders a business sent a customer with any of
//! its WABA's numbers, newest first with totals in the currency's exponent, and tenancy (an
//! agent of another business never sees them).

use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Business, Db, TestServer};

fn order_details(reference: &str, currency: &str, total: i64, offset: i64) -> Value {
    json!({"type": "order_details", "body": {"text": "Your order"}, "action": {"name": "review_and_pay", "parameters": {
        "reference_id": reference, "type": "physical-goods", "payment_type": "wasla", "currency": currency,
        "total_amount": {"value": total, "offset": offset},
        "order": {"status": "pending", "items": [
            {"retailer_id": "mug", "name": "Mug", "amount": {"value": total, "offset": offset}, "quantity": 1}],
            "subtotal": {"value": total, "offset": offset}}}}})
}

async fn ask_to_pay(shop: &Business, to: &str, interactive: Value) {
    let (status, v) = shop
        .send(json!({"messaging_product": "whatsapp", "to": to, "type": "interactive", "interactive": interactive}))
        .await;
    assert_eq!(status, 200, "{v}");
}

#[tokio::test]
async fn customer_panel_lists_previous_orders_of_the_business_only() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 6001").await;
        let rival = s.business("Rival", "+1 650 555 6002").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        let other = s.agent(&rival, "boss@rival.example", "admin").await;
        let ada = s.register("+44 7911 126001", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        ada.send_text(&chat, "hi").await;
        let rival_chat = ada.chat_with(&rival.wa_id).await;
        ada.send_text(&rival_chat, "hi").await;

        // No orders yet.
        let customer = boss
            .get(&format!("/console/v1/chats/{chat}/customer"))
            .await;
        assert_eq!(customer["orders"], json!([]));
        assert!(customer.get("orders_available").is_none());

        ask_to_pay(&shop, &ada.wa_id, order_details("A-1", "EUR", 1250, 100)).await;
        ask_to_pay(&shop, &ada.wa_id, order_details("A-2", "JPY", 1500, 1)).await;
        ask_to_pay(&rival, &ada.wa_id, order_details("R-1", "EUR", 999, 100)).await;

        let customer = boss
            .get(&format!("/console/v1/chats/{chat}/customer"))
            .await;
        let orders = customer["orders"].as_array().unwrap();
        assert_eq!(orders.len(), 2, "{customer}");
        let refs: Vec<&str> = orders
            .iter()
            .map(|o| o["reference_id"].as_str().unwrap())
            .collect();
        assert!(refs.contains(&"A-1") && refs.contains(&"A-2"));
        let eur = orders.iter().find(|o| o["reference_id"] == "A-1").unwrap();
        assert_eq!(eur["total"], 1250);
        assert_eq!(eur["total_text"], "12.50 EUR");
        assert_eq!(eur["status"], "pending");
        assert_eq!(eur["payment_status"], "unpaid");
        assert!(eur["created_at"].as_i64().unwrap() > 0);
        let jpy = orders.iter().find(|o| o["reference_id"] == "A-2").unwrap();
        assert_eq!(jpy["total_text"], "1500 JPY");
        assert!(orders[0]["created_at"].as_i64() >= orders[1]["created_at"].as_i64());

        // The rival's agent sees only the rival's order, and not Acme's chat at all.
        let theirs = other
            .get(&format!("/console/v1/chats/{rival_chat}/customer"))
            .await;
        let theirs = theirs["orders"].as_array().unwrap();
        assert_eq!(theirs.len(), 1);
        assert_eq!(theirs[0]["reference_id"], "R-1");
        let (status, v) = other
            .call(
                Method::GET,
                &format!("/console/v1/chats/{chat}/customer"),
                None,
            )
            .await;
        assert_eq!(status, 404);
        assert!(!v.to_string().contains("A-1"));
    }
}

#[tokio::test]
async fn failed_sends_show_in_the_inbox_with_their_error_code() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 6011").await;
        let rival = s.business("Rival", "+1 650 555 6012").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        let other = s.agent(&rival, "boss@rival.example", "admin").await;
        let ada = s.register("+44 7911 126011", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        ada.send_text(&chat, "hi").await;

        // Media by a link that cannot be fetched: accepted, then failed with 131053.
        let (status, v) = shop
            .send(
                json!({"messaging_product": "whatsapp", "to": ada.wa_id, "type": "image",
                "image": {"link": "http://127.0.0.1:9/nothing.png", "caption": "Your receipt"}}),
            )
            .await;
        assert_eq!(status, 200, "{v}");
        let media_wamid = v["messages"][0]["id"].as_str().unwrap().to_string();
        // A day later the window is closed: accepted, then failed with 131047.
        s.clock.advance_ms(25 * 3600 * 1000);
        let (status, v) = shop
            .send(
                json!({"messaging_product": "whatsapp", "to": ada.wa_id, "type": "text",
                "text": {"body": "Are you still there?"}}),
            )
            .await;
        assert_eq!(status, 200, "{v}");
        let late_wamid = v["messages"][0]["id"].as_str().unwrap().to_string();

        let page = boss
            .get(&format!("/console/v1/chats/{chat}/messages"))
            .await;
        let failed = page["failed"].as_array().unwrap();
        assert_eq!(failed.len(), 2, "{page}");
        assert_eq!(failed[0]["id"], media_wamid.as_str());
        assert_eq!(failed[0]["type"], "image");
        assert_eq!(failed[0]["status"], "failed");
        assert_eq!(failed[0]["errors"][0]["code"], 131053);
        assert_eq!(failed[1]["id"], late_wamid.as_str());
        assert_eq!(failed[1]["preview"], "Are you still there?");
        assert_eq!(failed[1]["errors"][0]["code"], 131047);
        assert!(failed[1]["errors"][0]["error_data"]["details"]
            .as_str()
            .unwrap()
            .contains("24 hours"));

        // The person never sees them; another business's agent cannot read the chat.
        let history = ada
            .get(&format!("/client/v1/chats/{chat}/messages"))
            .await
            .unwrap()
            .to_string();
        assert!(!history.contains("Are you still there?") && !history.contains(&late_wamid));
        let (status, v) = other
            .call(
                Method::GET,
                &format!("/console/v1/chats/{chat}/messages"),
                None,
            )
            .await;
        assert_eq!(status, 404);
        assert!(!v.to_string().contains(&late_wamid));
    }
}
