//! Commerce in the business console end to end: an admin creates, edits, searches and
//! deletes products with prices as decimal text (exact minor units), imports a CSV with
//! progress and a per-row error report; an agent reads but cannot change; another WABA's
//! agent sees none of it and changes nothing. Agents send `product` and `product_list`
//! messages under the Cloud API's rules; the orders list shows payments, fees and refunds,
//! and `order_status` updates sent from the console change the order.

use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Db, TestServer};

#[tokio::test]
async fn admins_manage_the_catalog_in_the_console() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 5101").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        let sam = s.agent(&shop, "sam@acme.example", "agent").await;
        let empty = sam.get("/console/v1/catalog").await;
        assert_eq!(empty["catalog"], Value::Null);

        // Prices are decimal text, converted with the currency's exponent.
        let jacket = boss
            .post(
                "/console/v1/catalog/products",
                json!({"retailer_id": "jacket", "name": "Rain jacket", "price_text": "89.90",
                       "currency": "EUR", "image_url": "https://shop.example/j.png",
                       "collections": ["Outerwear"]}),
            )
            .await;
        assert_eq!(jacket["price"], 8990);
        assert_eq!(jacket["price_text"], "89.90 EUR");
        let id = jacket["id"].as_str().unwrap().to_string();
        // Bad input is refused and changes nothing.
        for bad in [
            json!({"retailer_id": "x", "name": "X", "price_text": "1.999", "currency": "EUR"}),
            json!({"retailer_id": "x", "name": "X", "price_text": "12,50", "currency": "EUR"}),
            json!({"retailer_id": "x", "name": "X", "price_text": "5", "currency": "ZZZ"}),
            json!({"retailer_id": "x", "name": "X", "price": 5, "price_text": "5", "currency": "EUR"}),
            json!({"retailer_id": "jacket", "name": "Dup", "price_text": "5", "currency": "EUR"}),
            json!({"retailer_id": "x", "name": "X", "price_text": "5", "currency": "EUR", "colour": "red"}),
        ] {
            let (status, v) = boss
                .call(
                    Method::POST,
                    "/console/v1/catalog/products",
                    Some(bad.clone()),
                )
                .await;
            assert_eq!(status, 400, "{bad} → {v}");
            assert!(v["error"]["message"].is_string(), "{v}");
        }
        let (status, _) = boss
            .call(
                Method::PATCH,
                &format!("/console/v1/catalog/products/{id}"),
                Some(json!({"price_text": "1.5.0"})),
            )
            .await;
        assert_eq!(status, 400);
        let edited = boss
            .patch(
                &format!("/console/v1/catalog/products/{id}"),
                json!({"sale_price_text": "79", "name": "Rain jacket II"}),
            )
            .await;
        assert_eq!(edited["sale_price"], 7900);
        assert_eq!(edited["price"], 8990);
        boss.post(
            "/console/v1/catalog/products",
            json!({"retailer_id": "socks", "name": "Wool socks", "price_text": "12.5",
                   "currency": "EUR", "image_url": "https://shop.example/s.png",
                   "collections": ["Basics", "Outerwear"]}),
        )
        .await;

        // Agents read and search, but cannot change.
        let found = sam.get("/console/v1/catalog?q=wool").await;
        assert_eq!(found["data"].as_array().unwrap().len(), 1);
        assert_eq!(found["data"][0]["price"], 1250);
        assert_eq!(
            found["collections"],
            json!([{"name": "Basics", "products": 1}, {"name": "Outerwear", "products": 2}])
        );
        for (m, path, body) in [
            (
                Method::POST,
                "/console/v1/catalog/products".to_string(),
                Some(
                    json!({"retailer_id": "y", "name": "Y", "price_text": "1", "currency": "EUR"}),
                ),
            ),
            (
                Method::PATCH,
                format!("/console/v1/catalog/products/{id}"),
                Some(json!({"name": "Z"})),
            ),
            (
                Method::DELETE,
                format!("/console/v1/catalog/products/{id}"),
                None,
            ),
            (
                Method::POST,
                "/console/v1/catalog/import".to_string(),
                Some(json!({"csv": "id,title\nq,Q\n"})),
            ),
        ] {
            assert_eq!(sam.call(m, &path, body).await.0, 403, "{path}");
        }

        // Another WABA's admin: the product does not exist for them; nothing changes.
        let other = s.business("Other", "+1 650 555 5102").await;
        let eve = s.agent(&other, "eve@other.example", "admin").await;
        let (status, _) = eve
            .call(
                Method::PATCH,
                &format!("/console/v1/catalog/products/{id}"),
                Some(json!({"name": "Hacked"})),
            )
            .await;
        assert_eq!(status, 404);
        let (status, _) = eve
            .call(
                Method::DELETE,
                &format!("/console/v1/catalog/products/{id}"),
                None,
            )
            .await;
        assert_eq!(status, 404);
        assert_eq!(eve.get("/console/v1/catalog").await["catalog"], Value::Null);
        let mine = boss.get("/console/v1/catalog").await;
        assert_eq!(mine["data"].as_array().unwrap().len(), 2);
        assert_eq!(mine["data"][0]["name"], "Rain jacket II");

        // CSV import: progress lines, then the report naming each failed row.
        let mut csv = String::from("id,title,price,image_link\n");
        for i in 0..60 {
            csv.push_str(&format!(
                "p{i},Item {i},{}.25 EUR,https://shop.example/{i}.png\n",
                i + 1
            ));
        }
        csv.push_str("bad,Bad price,1.234 EUR,https://shop.example/b.png\n");
        csv.push_str("socks,Wool socks,13.00 EUR,https://shop.example/s.png\n");
        let resp = reqwest::Client::new()
            .post(format!("{}/console/v1/catalog/import?progress=true", s.url))
            .bearer_auth(&boss.token)
            .json(&json!({ "csv": csv }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let text = resp.text().await.unwrap();
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(lines.iter().any(|l| l["processed"] == 25), "{text}");
        let report = &lines.last().unwrap()["report"];
        assert_eq!(report["created"], 60, "{report}");
        assert_eq!(report["updated"], 1);
        assert_eq!(report["failed"], 1);
        assert_eq!(report["errors"][0]["row"], 62);
        assert_eq!(report["errors"][0]["retailer_id"], "bad");
        let socks = boss.get("/console/v1/catalog?q=socks").await;
        assert_eq!(socks["data"][0]["price"], 1300);
        // A broken CSV is refused whole.
        let (status, _) = boss
            .call(
                Method::POST,
                "/console/v1/catalog/import",
                Some(json!({"csv": "title\nX\n"})),
            )
            .await;
        assert_eq!(status, 400);

        boss.call(
            Method::DELETE,
            &format!("/console/v1/catalog/products/{id}"),
            None,
        )
        .await;
        let left = boss.get("/console/v1/catalog").await;
        assert_eq!(left["data"].as_array().unwrap().len(), 61);
    }
}

#[tokio::test]
async fn agents_send_product_messages_from_the_console() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 5111").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        let sam = s.agent(&shop, "sam@acme.example", "agent").await;
        for (id, name) in [("jacket", "Rain jacket"), ("socks", "Wool socks")] {
            boss.post(
                "/console/v1/catalog/products",
                json!({"retailer_id": id, "name": name, "price_text": "10", "currency": "EUR",
                       "collections": ["Picks"]}),
            )
            .await;
        }
        let catalog = sam.get("/console/v1/catalog").await["catalog"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let ada = s.register("+44 7911 123411", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        ada.send_text(&chat, "What do you have?").await;
        let path = format!("/console/v1/chats/{chat}/messages");
        let one = sam
            .post(
                &path,
                json!({"type": "interactive", "interactive": {"type": "product",
                    "body": {"text": "This one"},
                    "action": {"catalog_id": catalog, "product_retailer_id": "jacket"}}}),
            )
            .await;
        assert_eq!(one["interactive"]["type"], "product");
        let list = |items: Vec<Value>| {
            json!({"type": "interactive", "interactive": {"type": "product_list",
                "header": {"type": "text", "text": "Our picks"}, "body": {"text": "Have a look"},
                "action": {"catalog_id": catalog, "sections": [{"title": "Picks", "product_items": items}]}}})
        };
        let item = |id: &str| json!({ "product_retailer_id": id });
        let sent = sam
            .post(&path, list(vec![item("jacket"), item("socks")]))
            .await;
        assert_eq!(sent["interactive"]["type"], "product_list");
        // The Cloud API's rules: known products, at most 30 items, the business's own catalog.
        let before = sam.get(&path).await["data"].as_array().unwrap().len();
        for bad in [
            list(vec![item("nope")]),
            list((0..31).map(|_| item("jacket")).collect()),
            json!({"type": "interactive", "interactive": {"type": "product",
                "action": {"catalog_id": "123", "product_retailer_id": "jacket"}}}),
        ] {
            let (status, v) = sam.call(Method::POST, &path, Some(bad)).await;
            assert_eq!(status, 400, "{v}");
        }
        let history = sam.get(&path).await;
        assert_eq!(history["data"].as_array().unwrap().len(), before);
        // Another WABA's agent cannot send into this chat.
        let other = s.business("Other", "+1 650 555 5112").await;
        let eve = s.agent(&other, "eve@other.example", "admin").await;
        let (status, _) = eve
            .call(Method::POST, &path, Some(list(vec![item("jacket")])))
            .await;
        assert_eq!(status, 404);
    }
}

#[tokio::test]
async fn orders_show_payments_and_take_status_updates_in_the_console() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 5121").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        boss.post(
            "/console/v1/catalog/products",
            json!({"retailer_id": "jacket", "name": "Rain jacket", "price_text": "49.99", "currency": "EUR"}),
        )
        .await;
        let ada = s.register("+44 7911 123421", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        ada.send_text(&chat, "I'd like the jacket").await;
        let (status, v) = shop
            .send(json!({"messaging_product": "whatsapp", "to": ada.wa_id, "type": "interactive",
                "interactive": {"type": "order_details", "body": {"text": "Your order"},
                "action": {"name": "review_and_pay", "parameters": {
                    "reference_id": "ref-9", "type": "physical-goods", "payment_type": "wasla",
                    "currency": "EUR", "total_amount": {"value": 4999, "offset": 100},
                    "order": {"status": "pending", "items": [{"retailer_id": "jacket", "name": "Rain jacket",
                        "amount": {"value": 4999, "offset": 100}, "quantity": 1}],
                        "subtotal": {"value": 4999, "offset": 100}}}}}}))
            .await;
        assert_eq!(status, 200, "{v}");
        let wamid = v["messages"][0]["id"].as_str().unwrap();
        let unpaid = boss.get("/console/v1/orders").await;
        assert_eq!(unpaid["data"][0]["payment_status"], "unpaid");
        let paid = ada
            .post(
                &format!("/client/v1/chats/{chat}/messages/{wamid}/pay"),
                json!({"card_number": "4242 4242 4242 4242"}),
            )
            .await
            .unwrap();
        assert_eq!(paid["status"], "success");
        let orders = boss.get("/console/v1/orders").await;
        let o = &orders["data"][0];
        assert_eq!(o["reference_id"], "ref-9");
        assert_eq!(o["payment_status"], "paid");
        assert_eq!(o["total_text"], "49.99 EUR");
        assert_eq!(o["chat_id"], chat.as_str());
        assert_eq!(o["payment"]["transaction_id"], paid["transaction_id"]);
        assert!(o["fee"].is_i64(), "{o}");

        // Status updates go out as order_status messages through the console's send path.
        let status_msg = |status: &str| {
            json!({"type": "interactive", "interactive": {"type": "order_status",
                "body": {"text": format!("Your order is {status}")},
                "action": {"name": "review_order", "parameters": {"reference_id": "ref-9",
                    "order": {"status": status}}}}})
        };
        let path = format!("/console/v1/chats/{chat}/messages");
        boss.post(&path, status_msg("shipped")).await;
        assert_eq!(
            boss.get("/console/v1/orders").await["data"][0]["status"],
            "shipped"
        );
        let (status, _) = boss
            .call(Method::POST, &path, Some(status_msg("lost")))
            .await;
        assert_eq!(status, 400);
        // Cancelling the paid order refunds it.
        boss.post(&path, status_msg("canceled")).await;
        let o = &boss.get("/console/v1/orders").await["data"][0];
        assert_eq!(o["status"], "canceled");
        assert_eq!(o["payment_status"], "refunded", "{o}");
        assert_eq!(o["refunded"], 4999);
        let (status, _) = boss
            .call(Method::POST, &path, Some(status_msg("shipped")))
            .await;
        assert_eq!(status, 400, "a canceled order stays canceled");

        // Another WABA sees none of it.
        let other = s.business("Other", "+1 650 555 5122").await;
        let eve = s.agent(&other, "eve@other.example", "admin").await;
        assert_eq!(eve.get("/console/v1/orders").await["data"], json!([]));
    }
}
