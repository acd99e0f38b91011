//! Shop → cart → order → order_details → pay → confirmations, end to end: a person opens the
//! shop, asks about a product, sends a cart as an `order`; the business answers with product
//! messages and `order_details` (totals checked); the person pays with sandbox cards that
//! succeed, are declined, or stay pending until the test clock moves; the business gets
//! `payment` status webhooks, both sides get confirmations, the fee ledger gets one line per
//! payment, `order_status` updates arrive, cancelling refunds. Also: the hosted payment-link
//! provider with its signed, idempotent callback, and tenancy of the order endpoints.

use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Business, Db, Person, TestServer, Ws};

async fn stocked_shop(s: &TestServer) -> (Business, String) {
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let (_, v) = shop
        .api(
            Method::POST,
            &format!("/v23.0/{}/product_catalogs", shop.waba_id),
            Some(json!({"name": "Acme"})),
        )
        .await;
    let catalog = v["id"].as_str().unwrap().to_string();
    for p in [
        json!({"retailer_id": "jacket", "name": "Rain jacket", "price": 4999, "currency": "EUR", "image_url": "https://img.example/j.png", "collections": ["Outerwear"]}),
        json!({"retailer_id": "socks", "name": "Wool socks", "price": 1250, "sale_price": 999, "currency": "EUR", "inventory": 5}),
        json!({"retailer_id": "gone", "name": "Old hat", "price": 500, "currency": "EUR", "availability": "out of stock"}),
    ] {
        let (status, v) = shop
            .api(Method::POST, &format!("/v23.0/{catalog}/products"), Some(p))
            .await;
        assert_eq!(status, 200, "{v}");
    }
    (shop, catalog)
}

fn order_details(reference: &str, total: i64) -> Value {
    json!({"type": "order_details", "body": {"text": "Your order"}, "action": {"name": "review_and_pay", "parameters": {
        "reference_id": reference, "type": "physical-goods", "payment_type": "wasla", "currency": "EUR",
        "total_amount": {"value": total, "offset": 100},
        "order": {"status": "pending", "items": [
            {"retailer_id": "jacket", "name": "Rain jacket", "amount": {"value": 4999, "offset": 100}, "quantity": 2},
            {"retailer_id": "socks", "name": "Wool socks", "amount": {"value": 1250, "offset": 100}, "sale_amount": {"value": 999, "offset": 100}, "quantity": 3}],
            "subtotal": {"value": 12995, "offset": 100}, "tax": {"value": 1000, "offset": 100},
            "shipping": {"value": 500, "offset": 100}, "discount": {"value": 495, "offset": 100}}}}})
}

async fn send_interactive(shop: &Business, to: &str, interactive: Value) -> (u16, Value) {
    shop.send(json!({"messaging_product": "whatsapp", "to": to, "type": "interactive", "interactive": interactive}))
        .await
}

async fn ask_to_pay(shop: &Business, ada: &Person, reference: &str) -> String {
    let (status, v) = send_interactive(shop, &ada.wa_id, order_details(reference, 14000)).await;
    assert_eq!(status, 200, "{v}");
    v["messages"][0]["id"].as_str().unwrap().to_string()
}

async fn pay(ada: &Person, chat: &str, wamid: &str, card: &str) -> Result<Value, (u16, Value)> {
    ada.post(
        &format!("/client/v1/chats/{chat}/messages/{wamid}/pay"),
        json!({"card_number": card}),
    )
    .await
}

async fn payment_hook(shop: &Business, wamid: &str, status: &str) -> Value {
    shop.hooks
        .wait_for(&format!("payment {status}"), 10, |v| {
            v["statuses"][0]["type"] == "payment"
                && v["statuses"][0]["id"] == wamid
                && v["statuses"][0]["status"] == status
        })
        .await["statuses"][0]
        .clone()
}

async fn note(ws: &mut Ws, words: &str) -> Value {
    let words = words.to_string();
    ws.expect(&format!("note {words}"), move |f| {
        f["event"]["message"]["type"] == "system"
            && f["event"]["message"]["system"]["body"]
                .as_str()
                .is_some_and(|b| b.contains(&words))
    })
    .await
}

#[tokio::test]
async fn shop_cart_order_pay_and_confirm() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let (shop, catalog) = stocked_shop(&s).await;
        let ada = s.register("+44 7911 123401", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        let messages = format!("/client/v1/chats/{chat}/messages");

        // The shop, then "ask about this product".
        let seen = ada
            .get(&format!("/client/v1/shops/{}", shop.wa_id))
            .await
            .unwrap();
        assert_eq!(seen["products"].as_array().unwrap().len(), 3);
        ada.post(&messages, json!({"type": "text", "text": {"body": "Is it waterproof?"},
            "context": {"referred_product": {"catalog_id": catalog, "product_retailer_id": "jacket"}}}))
            .await
            .unwrap();
        let v = shop
            .hooks
            .wait_for("referred product", 10, |v| {
                v["messages"][0]["type"] == "text"
            })
            .await;
        assert_eq!(
            v["messages"][0]["context"]["referred_product"],
            json!({"catalog_id": catalog, "product_retailer_id": "jacket"})
        );
        let (status, _) = ada.post(&messages, json!({"type": "text", "text": {"body": "?"},
            "context": {"referred_product": {"catalog_id": catalog, "product_retailer_id": "nope"}}})).await.unwrap_err();
        assert_eq!(status, 400);

        // The business shows products.
        let (status, v) = send_interactive(
            &shop,
            &ada.wa_id,
            json!({"type": "product", "body": {"text": "This one"},
            "action": {"catalog_id": catalog, "product_retailer_id": "jacket"}}),
        )
        .await;
        assert_eq!(status, 200, "{v}");
        let (status, v) = send_interactive(&shop, &ada.wa_id, json!({"type": "product_list", "header": {"type": "text", "text": "Picks"},
            "body": {"text": "For the rain"}, "action": {"catalog_id": catalog, "sections": [
                {"title": "Wear", "product_items": [{"product_retailer_id": "jacket"}, {"product_retailer_id": "socks"}]}]}})).await;
        assert_eq!(status, 200, "{v}");
        let (status, v) = send_interactive(&shop, &ada.wa_id, json!({"type": "catalog_message", "body": {"text": "Browse"},
            "action": {"name": "catalog_message", "parameters": {"thumbnail_product_retailer_id": "jacket"}}})).await;
        assert_eq!(status, 200, "{v}");
        let many: Vec<Value> = (0..31)
            .map(|_| json!({"product_retailer_id": "jacket"}))
            .collect();
        for (bad, why) in [
            (
                json!({"type": "product", "action": {"catalog_id": "123", "product_retailer_id": "jacket"}}),
                "another catalog",
            ),
            (
                json!({"type": "product", "action": {"catalog_id": catalog, "product_retailer_id": "nope"}}),
                "unknown product",
            ),
            (
                json!({"type": "product_list", "header": {"type": "text", "text": "P"}, "body": {"text": "b"},
                "action": {"catalog_id": catalog, "sections": [{"title": "All", "product_items": many}]}}),
                "31 products",
            ),
        ] {
            let (status, v) = send_interactive(&shop, &ada.wa_id, bad).await;
            assert_eq!(status, 400, "{why}: {v}");
        }

        // The cart, sent as an order, priced from the catalog.
        ada.post(&messages, json!({"type": "order", "order": {"text": "Before Friday", "product_items": [
            {"product_retailer_id": "jacket", "quantity": 2}, {"product_retailer_id": "socks", "quantity": 3, "item_price": 0.01}]}}))
            .await
            .unwrap();
        let v = shop
            .hooks
            .wait_for("order", 10, |v| v["messages"][0]["type"] == "order")
            .await;
        let order = &v["messages"][0]["order"];
        assert_eq!(order["catalog_id"], catalog.as_str());
        assert_eq!(order["text"], "Before Friday");
        assert_eq!(
            order["product_items"][0],
            json!({"product_retailer_id": "jacket", "quantity": 2, "item_price": 49.99, "item_price_minor": 4999, "currency": "EUR"})
        );
        assert_eq!(order["product_items"][1]["item_price"], 9.99);
        for (items, why) in [
            (
                json!([{"product_retailer_id": "gone", "quantity": 1}]),
                "out of stock",
            ),
            (
                json!([{"product_retailer_id": "socks", "quantity": 6}]),
                "more than inventory",
            ),
            (
                json!([{"product_retailer_id": "jacket", "quantity": 0}]),
                "zero",
            ),
            (json!([]), "empty"),
        ] {
            let (status, _) = ada
                .post(
                    &messages,
                    json!({"type": "order", "order": {"product_items": items}}),
                )
                .await
                .unwrap_err();
            assert_eq!(status, 400, "{why}");
        }

        // order_details: totals must add up.
        let (status, v) = send_interactive(&shop, &ada.wa_id, order_details("ref-1", 14500)).await;
        assert_eq!(status, 400, "{v}");
        let details = v["error"]["error_data"]["details"].as_str().unwrap();
        assert!(
            details.contains("total_amount is 14500") && details.contains("= 14000"),
            "{details}"
        );
        let mut wrong_offset = order_details("ref-1", 14000);
        wrong_offset["action"]["parameters"]["order"]["tax"]["offset"] = json!(1000);
        let (status, _) = send_interactive(&shop, &ada.wa_id, wrong_offset).await;
        assert_eq!(status, 400);
        let mut ws = ada.ws(0).await;
        ws.drain(200).await;
        let ref1 = ask_to_pay(&shop, &ada, "ref-1").await;
        let got = ws.expect_event("message").await;
        assert_eq!(got["message"]["interactive"]["type"], "order_details");
        let view = ada.get(&format!("{messages}/{ref1}/order")).await.unwrap();
        assert_eq!(
            (view["payment_status"].as_str(), view["total_text"].as_str()),
            (Some("unpaid"), Some("140.00 EUR"))
        );

        // Declined, then paid.
        let p = pay(&ada, &chat, &ref1, "4000 0000 0000 0002")
            .await
            .unwrap();
        assert_eq!(
            (p["status"].as_str(), p["error"].as_str()),
            (Some("failed"), Some("card_declined"))
        );
        let hook = payment_hook(&shop, &ref1, "failed").await;
        assert_eq!(hook["payment"]["transaction"]["status"], "failed");
        note(&mut ws, "failed").await;
        let p = pay(&ada, &chat, &ref1, "4242 4242 4242 4242")
            .await
            .unwrap();
        assert_eq!(p["status"], "success");
        assert_eq!(p["amount"], 14000);
        let hook = payment_hook(&shop, &ref1, "captured").await;
        assert_eq!(hook["payment"]["reference_id"], "ref-1");
        assert_eq!(
            hook["payment"]["amount"],
            json!({"value": 14000, "offset": 100})
        );
        assert_eq!(hook["payment"]["transaction"]["id"], p["transaction_id"]);
        assert_eq!(hook["recipient_id"], ada.wa_id.as_str());
        let confirmation = note(&mut ws, "Payment received: 140.00 EUR").await;
        assert!(confirmation["event"]["message"]["system"]["body"]
            .as_str()
            .unwrap()
            .contains("ref-1"));
        // Paid once: paying again is refused and the order cannot be re-sent.
        assert_eq!(
            pay(&ada, &chat, &ref1, "4242424242424242")
                .await
                .unwrap_err()
                .0,
            409
        );
        let (status, _) = send_interactive(&shop, &ada.wa_id, order_details("ref-1", 14000)).await;
        assert_eq!(status, 400);
        let business = shop.phone_number_id.parse::<i64>().unwrap();
        let ledger = s.app.commerce.ledger(business).await.unwrap();
        assert_eq!(ledger.len(), 1);
        assert_eq!(
            (ledger[0].gross, ledger[0].currency.as_str()),
            (14000, "EUR")
        );

        // Order status updates appear in the chat; final statuses are final.
        let (status, v) = send_interactive(&shop, &ada.wa_id, json!({"type": "order_status", "body": {"text": "On its way"},
            "action": {"name": "review_order", "parameters": {"reference_id": "ref-1", "order": {"status": "shipped", "description": "Tracking 42"}}}})).await;
        assert_eq!(status, 200, "{v}");
        let got = ws.expect_event("message").await;
        assert_eq!(
            got["message"]["interactive"]["action"]["parameters"]["order"]["status"],
            "shipped"
        );
        let (status, _) = send_interactive(&shop, &ada.wa_id, json!({"type": "order_status", "body": {"text": "?"},
            "action": {"name": "review_order", "parameters": {"reference_id": "nope", "order": {"status": "shipped"}}}})).await;
        assert_eq!(status, 400);

        // Pending, then settled when the (test) clock passes the settle time.
        let ref2 = ask_to_pay(&shop, &ada, "ref-2").await;
        let p = pay(&ada, &chat, &ref2, "4000000000000077").await.unwrap();
        assert_eq!(p["status"], "pending");
        payment_hook(&shop, &ref2, "pending").await;
        // Paying again while pending returns the same payment.
        let again = pay(&ada, &chat, &ref2, "4242424242424242").await.unwrap();
        assert_eq!(again["id"], p["id"]);
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        assert_eq!(
            ada.get(&format!("{messages}/{ref2}/order")).await.unwrap()["payment_status"],
            "pending"
        );
        s.clock.advance_ms(31_000);
        payment_hook(&shop, &ref2, "captured").await;
        note(&mut ws, "ref-2").await;
        assert_eq!(
            ada.get(&format!("{messages}/{ref2}/order")).await.unwrap()["payment_status"],
            "paid"
        );
        assert_eq!(s.app.commerce.ledger(business).await.unwrap().len(), 2);

        // Cancelling a paid order refunds it.
        let (status, v) = send_interactive(&shop, &ada.wa_id, json!({"type": "order_status", "body": {"text": "Sorry"},
            "action": {"name": "review_order", "parameters": {"reference_id": "ref-2", "order": {"status": "canceled"}}}})).await;
        assert_eq!(status, 200, "{v}");
        payment_hook(&shop, &ref2, "refunded").await;
        let ledger = s.app.commerce.ledger(business).await.unwrap();
        assert_eq!(
            (ledger[0].kind.as_str(), ledger[0].gross),
            ("refund", -14000)
        );
        let (status, _) = send_interactive(&shop, &ada.wa_id, json!({"type": "order_status", "body": {"text": "?"},
            "action": {"name": "review_order", "parameters": {"reference_id": "ref-2", "order": {"status": "shipped"}}}})).await;
        assert_eq!(status, 400, "a canceled order stays canceled");

        // With the cart off, orders are refused.
        shop.api(
            Method::POST,
            &format!(
                "/v23.0/{}/whatsapp_commerce_settings?is_cart_enabled=false",
                shop.phone_number_id
            ),
            None,
        )
        .await;
        let (status, _) = ada.post(&messages, json!({"type": "order", "order": {"product_items": [{"product_retailer_id": "jacket", "quantity": 1}]}})).await.unwrap_err();
        assert_eq!(status, 400);
        assert_eq!(shop.hooks.rejected(), 0);
    }
}

#[tokio::test]
async fn orders_belong_to_their_chat_and_business() {
    let s = TestServer::start().await;
    let (shop, _) = stocked_shop(&s).await;
    let rival = s.business("Rival", "+1 650 555 9999").await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let eve = s.register("+44 7911 123402", "Eve").await;
    let chat = ada.chat_with(&shop.wa_id).await;
    ada.send_text(&chat, "hi").await;
    let eve_chat = eve.chat_with(&rival.wa_id).await;
    eve.send_text(&eve_chat, "hi").await;
    let wamid = ask_to_pay(&shop, &ada, "ref-9").await;
    // Eve cannot see or pay Ada's order, in Ada's chat or in her own.
    assert_eq!(
        eve.get(&format!("/client/v1/chats/{chat}/messages/{wamid}/order"))
            .await
            .unwrap_err()
            .0,
        404
    );
    assert_eq!(
        pay(&eve, &chat, &wamid, "4242424242424242")
            .await
            .unwrap_err()
            .0,
        404
    );
    assert_eq!(
        pay(&eve, &eve_chat, &wamid, "4242424242424242")
            .await
            .unwrap_err()
            .0,
        404
    );
    // The rival cannot update the order, nor send another WABA's catalog.
    let (status, _) = send_interactive(&rival, &eve.wa_id, json!({"type": "order_status", "body": {"text": "x"},
        "action": {"name": "review_order", "parameters": {"reference_id": "ref-9", "order": {"status": "canceled"}}}})).await;
    assert_eq!(status, 400);
    let shop_catalog = ada
        .get(&format!("/client/v1/shops/{}", shop.wa_id))
        .await
        .unwrap()["catalog_id"]
        .clone();
    let (status, _) = send_interactive(&rival, &eve.wa_id, json!({"type": "product", "action": {"catalog_id": shop_catalog, "product_retailer_id": "jacket"}})).await;
    assert_eq!(status, 400);
    // Ada's order is untouched and payable.
    let p = pay(&ada, &chat, &wamid, "4242424242424242").await.unwrap();
    assert_eq!(p["status"], "success");
}

#[tokio::test]
async fn payment_link_callbacks_are_signed_and_idempotent() {
    let s = TestServer::start_with(|c| {
        c.commerce.payment_provider = "payment_link".into();
        c.commerce.payment_link_url = "https://pay.example/checkout".into();
        c.commerce.payment_link_secret = "link-secret".into();
        c.commerce.fee_basis_points = 290;
        c.commerce.fee_fixed_minor = 30;
    })
    .await;
    let (shop, _) = stocked_shop(&s).await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let chat = ada.chat_with(&shop.wa_id).await;
    ada.send_text(&chat, "hi").await;
    let wamid = ask_to_pay(&shop, &ada, "ref-7").await;
    let mut ws = ada.ws(0).await;
    ws.drain(200).await;
    let p = pay(&ada, &chat, &wamid, "").await.unwrap();
    assert_eq!(p["status"], "pending");
    let url = p["redirect_url"].as_str().unwrap();
    let txn = p["transaction_id"].as_str().unwrap();
    assert!(
        url.starts_with("https://pay.example/checkout?transaction_id=")
            && url.contains("amount=14000&currency=EUR"),
        "{url}"
    );
    payment_hook(&shop, &wamid, "pending").await;

    let body = json!({"transaction_id": txn, "status": "success"}).to_string();
    let sign = |secret: &str| {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(body.as_bytes());
        format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
    };
    let callback = |sig: String| {
        let body = body.clone();
        let url = format!("{}/payments/callback", s.url);
        async move {
            let r = reqwest::Client::new()
                .post(url)
                .header("x-wasla-signature", sig)
                .body(body)
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    assert_eq!(callback(sign("wrong")).await.0, 401);
    assert_eq!(
        ada.get(&format!("/client/v1/chats/{chat}/messages/{wamid}/order"))
            .await
            .unwrap()["payment_status"],
        "pending"
    );
    let (status, v) = callback(sign("link-secret")).await;
    assert_eq!((status, v["changed"].as_bool()), (200, Some(true)), "{v}");
    let (status, v) = callback(sign("link-secret")).await;
    assert_eq!(
        (status, v["changed"].as_bool()),
        (200, Some(false)),
        "a retried callback changes nothing: {v}"
    );
    payment_hook(&shop, &wamid, "captured").await;
    note(&mut ws, "Payment received").await;
    // Exactly one capture webhook, one confirmation, one ledger line with the fee.
    let log = s
        .wait_deliveries(&shop.app_id, "payment deliveries", |log| {
            log.iter()
                .filter(|d| d["event"]["event"] == "payment" && d["event"]["status"] == "captured")
                .count()
                == 1
                && log.iter().all(|d| d["state"] == "delivered")
        })
        .await;
    assert_eq!(
        log.iter()
            .filter(|d| d["event"]["event"] == "payment" && d["event"]["status"] == "captured")
            .count(),
        1
    );
    let extra = ws.drain(500).await;
    assert!(
        !extra
            .iter()
            .any(|f| f["event"]["message"]["type"] == "system"),
        "{extra:?}"
    );
    let ledger = s
        .app
        .commerce
        .ledger(shop.phone_number_id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(ledger.len(), 1);
    // 2.9 % of 140.00 is 4.06, plus 0.30.
    assert_eq!(
        (ledger[0].gross, ledger[0].fee, ledger[0].net),
        (14000, 436, 13564)
    );
    // The operator reads the same ledger through the admin API.
    let (status, v) = s
        .admin(
            Method::GET,
            &format!("/admin/v1/phone-numbers/{}/ledger", shop.phone_number_id),
            None,
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["data"][0]["kind"], "payment");
    assert_eq!(
        v["totals"]["EUR"],
        json!({"gross": 14000, "fee": 436, "net": 13564})
    );
}
