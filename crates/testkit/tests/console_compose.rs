//! The agent's composer in the business console, end to end: customer carts listed as orders
//! to act on, payment requests built from a cart or from picked products (priced from the
//! catalog in minor units, totals checked, the provider among those configured) and paid by
//! the customer; attachments uploaded under the Cloud API's type and size rules and sent with
//! a caption; templates when the 24-hour window is closed, with the Cloud API's parameter
//! checks. Bad input is refused and changes nothing; another business's agent can neither
//! compose in the chat nor read its media or carts.

use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Agent, Db, TestServer};

/// A 2×2 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a,
    0x73, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x38, 0x11, 0xa0, 0x01,
    0x44, 0x30, 0x04, 0x0a, 0x00, 0x25, 0x8e, 0x05, 0x01, 0xa9, 0x33, 0x71, 0xc8, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// Upload `bytes` as a multipart `file` to a chat's composer; status and JSON body.
async fn attach(
    s: &TestServer,
    who: &Agent,
    chat: &str,
    mime: &str,
    bytes: Vec<u8>,
) -> (u16, Value) {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name("photo.png")
        .mime_str(mime)
        .unwrap();
    let resp = reqwest::Client::new()
        .post(format!("{}/console/v1/chats/{chat}/media", s.url))
        .bearer_auth(&who.token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn message(v: &Value) -> String {
    v["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn carts_become_payment_requests_that_customers_pay() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 5301").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        let sam = s.agent(&shop, "sam@acme.example", "agent").await;
        for (id, name, price) in [
            ("jacket", "Rain jacket", "49.99"),
            ("socks", "Wool socks", "12.50"),
        ] {
            boss.post(
                "/console/v1/catalog/products",
                json!({"retailer_id": id, "name": name, "price_text": price, "currency": "EUR",
                       "image_url": format!("https://shop.example/{id}.png")}),
            )
            .await;
        }
        let ada = s.register("+44 7911 123501", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        let messages = format!("/client/v1/chats/{chat}/messages");
        let cart = ada
            .post(&messages, json!({"type": "order", "order": {"text": "Before Friday", "product_items": [
                {"product_retailer_id": "jacket", "quantity": 2}, {"product_retailer_id": "socks", "quantity": 1}]}}))
            .await
            .unwrap();
        let cart_id = cart["id"].as_str().unwrap().to_string();
        let inbox = sam.get("/console/v1/inbox").await;
        let console_chat = inbox["data"][0]["chat_id"].as_str().unwrap().to_string();
        let base = format!("/console/v1/chats/{console_chat}");

        // The composer knows the window is open and which provider to offer.
        let info = sam.get(&format!("{base}/compose")).await;
        assert_eq!(info["window_open"], true, "{info}");
        assert_eq!(info["providers"][0]["id"], "sandbox");

        // The cart is an order to act on: names, lines and total in minor units.
        let carts = sam.get("/console/v1/carts").await;
        let c = &carts["data"][0];
        assert_eq!(
            (c["message_id"].as_str(), c["name"].as_str()),
            (Some(cart_id.as_str()), Some("Ada"))
        );
        assert_eq!(c["items"][0]["name"], "Rain jacket");
        assert_eq!(
            (c["items"][0]["line_total"].as_i64(), c["total"].as_i64()),
            (Some(9998), Some(11248))
        );
        assert_eq!(
            (c["text"].as_str(), c["total_text"].as_str()),
            (Some("Before Friday"), Some("112.48 EUR"))
        );
        assert!(c["payment_status"].is_null(), "{c}");

        // Bad requests are refused with the reason, and record no order.
        let request = format!("{base}/payment-request");
        for (bad, why) in [
            (
                json!({"cart_message_id": cart_id, "expected_total": 11247}),
                "add up to 112.48 EUR",
            ),
            (
                json!({"items": [{"retailer_id": "umbrella", "quantity": 1}]}),
                "not in the catalog",
            ),
            (
                json!({"items": [{"retailer_id": "socks", "quantity": 0}]}),
                "quantity",
            ),
            (json!({"items": []}), "1 to 100 products"),
            (
                json!({"cart_message_id": cart_id, "provider": "acmepay"}),
                "not configured",
            ),
            (
                json!({"items": [{"retailer_id": "socks", "quantity": 1}], "shipping": -1}),
                "shipping",
            ),
        ] {
            let (status, v) = sam.call(Method::POST, &request, Some(bad.clone())).await;
            assert_eq!(status, 400, "{bad} → {v}");
            assert!(message(&v).contains(why), "{bad} → {v}");
        }
        let (status, v) = sam
            .call(
                Method::POST,
                &request,
                Some(json!({"cart_message_id": "wamid.nope"})),
            )
            .await;
        assert_eq!(status, 404, "{v}");
        assert_eq!(sam.get("/console/v1/orders").await["data"], json!([]));

        // From the cart: the order_details carries the catalog's prices and the checked total.
        let sent = sam
            .post(
                &request,
                json!({"cart_message_id": cart_id, "expected_total": 11248, "provider": "sandbox"}),
            )
            .await;
        let p = &sent["interactive"]["action"]["parameters"];
        assert_eq!(sent["interactive"]["type"], "order_details");
        assert_eq!(p["total_amount"], json!({"value": 11248, "offset": 100}));
        assert_eq!(p["order"]["items"][0]["name"], "Rain jacket");
        assert_eq!(
            p["payment_settings"][0]["payment_gateway"]["type"],
            "sandbox"
        );
        let reference = p["reference_id"].as_str().unwrap().to_string();
        assert_eq!(
            sam.get("/console/v1/carts").await["data"][0]["payment_status"],
            "unpaid"
        );

        // The customer pays; the cart and the customer panel show it paid.
        let wamid = sent["id"].as_str().unwrap();
        let paid = ada
            .post(
                &format!("{messages}/{wamid}/pay"),
                json!({"card_number": "4242424242424242"}),
            )
            .await
            .unwrap();
        assert_eq!(paid["status"], "success", "{paid}");
        assert_eq!(
            sam.get("/console/v1/carts").await["data"][0]["payment_status"],
            "paid"
        );
        let orders = sam.get("/console/v1/orders").await;
        assert_eq!(
            (
                orders["data"][0]["reference_id"].as_str(),
                orders["data"][0]["payment_status"].as_str()
            ),
            (Some(reference.as_str()), Some("paid"))
        );
        // A paid cart cannot be asked for again.
        let (status, v) = sam
            .call(
                Method::POST,
                &request,
                Some(json!({"cart_message_id": cart_id})),
            )
            .await;
        assert_eq!(status, 400, "{v}");

        // Picked products with shipping.
        let picked = sam
            .post(&request, json!({"items": [{"retailer_id": "socks", "quantity": 3}], "shipping": 500, "expected_total": 4250, "body": "Three pairs"}))
            .await;
        let p = &picked["interactive"]["action"]["parameters"];
        assert_eq!(
            (
                p["order"]["subtotal"]["value"].as_i64(),
                p["order"]["shipping"]["value"].as_i64(),
                p["total_amount"]["value"].as_i64()
            ),
            (Some(3750), Some(500), Some(4250))
        );
        assert_eq!(picked["interactive"]["body"]["text"], "Three pairs");

        // Another business's agent cannot compose here, nor see the carts.
        let other = s.business("Bravo", "+1 650 555 5302").await;
        let bea = s.agent(&other, "bea@bravo.example", "admin").await;
        for (m, path, body) in [
            (Method::GET, format!("{base}/compose"), None),
            (
                Method::POST,
                request.clone(),
                Some(json!({"cart_message_id": cart_id})),
            ),
            (
                Method::POST,
                format!("{base}/template"),
                Some(json!({"name": "x", "language": {"code": "en_US"}})),
            ),
        ] {
            let (status, v) = bea.call(m, &path, body).await;
            assert_eq!(
                (status, v["error"]["code"].as_str()),
                (404, Some("not_found")),
                "{path}: {v}"
            );
        }
        assert_eq!(bea.get("/console/v1/carts").await["data"], json!([]));
        assert_eq!(bea.get("/console/v1/orders").await["data"], json!([]));
    }
}

#[tokio::test]
async fn attachments_and_templates_follow_the_cloud_api_rules() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 5311").await;
        let sam = s.agent(&shop, "sam@acme.example", "agent").await;
        let ada = s.register("+44 7911 123511", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        ada.send_text(&chat, "Can you send a photo?").await;
        let console_chat = sam.get("/console/v1/inbox").await["data"][0]["chat_id"]
            .as_str()
            .unwrap()
            .to_string();
        let base = format!("/console/v1/chats/{console_chat}");

        // A photo with a caption.
        let (status, up) = attach(&s, &sam, &console_chat, "image/png", PNG.to_vec()).await;
        assert_eq!(status, 200, "{up}");
        let media = up["id"].as_str().unwrap().to_string();
        let sent = sam
            .post(
                &format!("{base}/messages"),
                json!({"type": "image", "image": {"id": media, "caption": "Here it is"}}),
            )
            .await;
        assert_eq!(sent["image"]["caption"], "Here it is");
        let history = ada
            .get(&format!("/client/v1/chats/{chat}/messages"))
            .await
            .unwrap();
        let got = history["data"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(
            (got["type"].as_str(), got["image"]["caption"].as_str()),
            (Some("image"), Some("Here it is"))
        );
        let (status, _, bytes) = ada.download(&media).await;
        assert_eq!((status, bytes.as_slice()), (200, PNG));

        // Too large for an image, or not a file at all: refused, nothing stored.
        let mut big = PNG.to_vec();
        big.resize(6 << 20, 0);
        let (status, v) = attach(&s, &sam, &console_chat, "image/png", big).await;
        assert_eq!(status, 400, "{v}");
        assert!(message(&v).contains("at most 5242880 bytes"), "{v}");
        let (status, v) = attach(&s, &sam, &console_chat, "image/png", vec![]).await;
        assert_eq!(status, 400, "{v}");
        let (status, v) = sam
            .call(
                Method::POST,
                &format!("{base}/media"),
                Some(json!({"file": "x"})),
            )
            .await;
        assert_eq!(status, 400, "{v}");

        // Another business's agent can neither upload into the chat nor read its media.
        let other = s.business("Bravo", "+1 650 555 5312").await;
        let bea = s.agent(&other, "bea@bravo.example", "admin").await;
        let (status, v) = attach(&s, &bea, &console_chat, "image/png", PNG.to_vec()).await;
        assert_eq!(
            (status, v["error"]["code"].as_str()),
            (404, Some("not_found")),
            "{v}"
        );
        let (status, _) = bea
            .call(Method::GET, &format!("/console/v1/media/{media}"), None)
            .await;
        assert_eq!(status, 404);

        // A day later the window is closed: free text is refused, the composer says so.
        s.clock.advance_ms(25 * 3600 * 1000);
        let info = sam.get(&format!("{base}/compose")).await;
        assert_eq!(info["window_open"], false, "{info}");
        assert_eq!(info["templates"], json!([]));
        let (status, v) = sam
            .call(
                Method::POST,
                &format!("{base}/messages"),
                Some(json!({"type": "text", "text": {"body": "Hello?"}})),
            )
            .await;
        assert_eq!(status, 400, "{v}");
        assert!(message(&v).contains("window is closed"), "{v}");

        // An approved template is offered, and sent with its parameters.
        let (status, t) = shop
            .api(Method::POST, &format!("/v23.0/{}/message_templates", shop.waba_id), Some(json!({
                "name": "order_ready", "language": "en_US", "category": "UTILITY", "components": [
                    {"type": "BODY", "text": "Hi {{1}}, your order {{2}} is ready.", "example": {"body_text": [["Ada", "42"]]}},
                    {"type": "FOOTER", "text": "Acme"}]})))
            .await;
        assert_eq!(status, 200, "{t}");
        let (status, v) = s
            .admin(
                Method::POST,
                &format!("/admin/v1/templates/{}/review", t["id"].as_str().unwrap()),
                Some(json!({"status": "APPROVED"})),
            )
            .await;
        assert_eq!(status, 200, "{v}");
        let info = sam.get(&format!("{base}/compose")).await;
        assert_eq!(info["templates"][0]["name"], "order_ready", "{info}");
        let template = format!("{base}/template");
        for (bad, status_code, why) in [
            (
                json!({"name": "order_ready", "language": {"code": "en_US"}, "components": [{"type": "body", "parameters": [{"type": "text", "text": "Ada"}]}]}),
                400,
                "expects 2 parameters, got 1",
            ),
            (
                json!({"name": "order_gone", "language": {"code": "en_US"}}),
                404,
                "does not exist",
            ),
            (
                json!({"name": "order_ready", "language": {"code": "fr_FR"}, "components": []}),
                404,
                "does not exist",
            ),
        ] {
            let (status, v) = sam.call(Method::POST, &template, Some(bad.clone())).await;
            assert_eq!(status, status_code, "{bad} → {v}");
            assert!(message(&v).contains(why), "{bad} → {v}");
        }
        let before = ada
            .get(&format!("/client/v1/chats/{chat}/messages"))
            .await
            .unwrap()["data"]
            .as_array()
            .unwrap()
            .len();
        let sent = sam
            .post(&template, json!({"name": "order_ready", "language": {"code": "en_US"}, "components": [
                {"type": "body", "parameters": [{"type": "text", "text": "Ada"}, {"type": "text", "text": "42"}]}]}))
            .await;
        assert_eq!(
            sent["template"]["rendered"]["body"], "Hi Ada, your order 42 is ready.",
            "{sent}"
        );
        let history = ada
            .get(&format!("/client/v1/chats/{chat}/messages"))
            .await
            .unwrap();
        let list = history["data"].as_array().unwrap();
        assert_eq!(list.len(), before + 1);
        assert_eq!(
            list.last().unwrap()["template"]["rendered"]["footer"],
            "Acme"
        );
    }
}
