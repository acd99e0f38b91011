//! Parse as Meta's Graph API does. Parameters come as a JSON body, a form, a multipart form or
//! the query string, objects and arrays possibly JSON-encoded (as the whatsapp-api-js SDK sends
//! `contacts` and its QR codes); a send without `type` is a text; catalog feed fields are kept;
//! unknown and other tenants' ids get Graph's own subcode-33 error.

mod graph;

use graph::*;
use reqwest::multipart::Form;
use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Db, TestServer, PNG};

#[tokio::test]
async fn sends_take_every_graph_parameter_shape() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 4001").await;
        let ada = s.register("+44 7911 124001", "Ada").await;
        let mut ws = ada.ws(0).await;
        let chat = ada.chat_with(&shop.wa_id).await;
        ada.send_text(&chat, "hello").await;
        let messages = format!("/v24.0/{}/messages", shop.phone_number_id);

        // whatsapp-api-js: `contacts` is a JSON-encoded string inside the JSON body.
        let cards = json!([{"name": {"formatted_name": "Grace Hopper", "first_name": "Grace"},
            "phones": [{"phone": "+1 555 0100", "type": "WORK"}]}]);
        let body = json!({"messaging_product": "whatsapp", "recipient_type": "individual",
            "to": ada.wa_id, "type": "contacts", "contacts": cards.to_string()});
        let (status, v) = raw(&s, &shop, Method::POST, &messages, JSON, &body.to_string()).await;
        assert_eq!(status, 200, "{v}");
        let m = arrives(&mut ws, &v).await;
        assert_eq!(m["contacts"][0]["name"]["formatted_name"], "Grace Hopper");

        // A form, with the object parameter JSON-encoded.
        let form = format!(
            "messaging_product=whatsapp&to={}&type=text&text=%7B%22body%22%3A%22from+a+form%22%7D",
            ada.wa_id
        );
        let (status, v) = raw(&s, &shop, Method::POST, &messages, FORM, &form).await;
        assert_eq!(status, 200, "{v}");
        let m = arrives(&mut ws, &v).await;
        assert_eq!(m["text"]["body"], "from a form");

        // The query string, no body.
        let path = format!(
            "{messages}?messaging_product=whatsapp&to={}&type=text&text=%7B%22body%22%3A%22from+the+query%22%7D",
            ada.wa_id
        );
        let (status, v) = raw(&s, &shop, Method::POST, &path, None, "").await;
        assert_eq!(status, 200, "{v}");
        let m = arrives(&mut ws, &v).await;
        assert_eq!(m["text"]["body"], "from the query");

        // A multipart form.
        let form = Form::new()
            .text("messaging_product", "whatsapp")
            .text("to", ada.wa_id.clone())
            .text("text", r#"{"body":"from multipart"}"#);
        let v: Value = reqwest::Client::new()
            .post(format!("{}{messages}", s.url))
            .bearer_auth(&shop.token)
            .multipart(form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let m = arrives(&mut ws, &v).await;
        assert_eq!(m["text"]["body"], "from multipart", "no type: a text");

        // Meta's own example has no `type`: it is a text.
        let (status, v) = shop
            .send(json!({"messaging_product": "whatsapp", "to": ada.wa_id, "text": {"body": "untyped"}}))
            .await;
        assert_eq!(status, 200, "{v}");
        let m = arrives(&mut ws, &v).await;
        assert_eq!(
            (m["type"].as_str(), m["text"]["body"].as_str()),
            (Some("text"), Some("untyped"))
        );

        // Still refused: text that is not the JSON of an object, and a body that is no object.
        let bad = json!({"messaging_product": "whatsapp", "to": ada.wa_id, "type": "contacts", "contacts": "Grace"});
        let (status, v) = shop.send(bad).await;
        assert_eq!(
            (status, v["error"]["code"].as_i64()),
            (400, Some(100)),
            "{v}"
        );
        let (status, v) = raw(&s, &shop, Method::POST, &messages, JSON, "[1, 2]").await;
        invalid_param(status, &v, "JSON object");
        assert!(ws.drain(300).await.iter().all(|f| f["type"] != "event"));
    }
}

#[tokio::test]
async fn qr_codes_take_query_parameters_like_whatsapp_api_js() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 4002").await;
        let qrdls = format!("/v24.0/{}/message_qrdls", shop.phone_number_id);

        // createQR: query parameters and no body.
        let (status, v) = raw(
            &s,
            &shop,
            Method::POST,
            &format!("{qrdls}?generate_qr_image=png&prefilled_message=Hi%20there"),
            None,
            "",
        )
        .await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["prefilled_message"], "Hi there");
        assert!(v["qr_image_url"].as_str().unwrap().ends_with(".png"), "{v}");
        let code = v["code"].as_str().unwrap().to_string();

        // updateQR: the code in the path, the message in the query.
        let (status, v) = raw(
            &s,
            &shop,
            Method::POST,
            &format!("{qrdls}/{code}?prefilled_message=Changed"),
            None,
            "",
        )
        .await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(
            (v["code"].as_str(), v["prefilled_message"].as_str()),
            (Some(code.as_str()), Some("Changed"))
        );
        // retrieveQR asks with a trailing slash.
        let (status, v) = shop.api(Method::GET, &format!("{qrdls}/"), None).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["data"][0]["prefilled_message"], "Changed");

        // A form works the same; an unknown parameter is refused and creates nothing.
        let (status, v) = raw(
            &s,
            &shop,
            Method::POST,
            &qrdls,
            FORM,
            "prefilled_message=From+a+form",
        )
        .await;
        assert_eq!(
            (status, v["prefilled_message"].as_str()),
            (200, Some("From a form")),
            "{v}"
        );
        let (status, v) = raw(
            &s,
            &shop,
            Method::POST,
            &format!("{qrdls}?prefilled_message=x&colour=red"),
            None,
            "",
        )
        .await;
        invalid_param(status, &v, "colour");
        let (_, list) = shop.api(Method::GET, &qrdls, None).await;
        assert_eq!(list["data"].as_array().unwrap().len(), 2, "{list}");
        // Another code in the body than in the path is refused.
        let (status, v) = shop
            .api(
                Method::POST,
                &format!("{qrdls}/{code}"),
                Some(json!({"code": "OTHERCODE12345", "prefilled_message": "y"})),
            )
            .await;
        invalid_param(status, &v, "code");
    }
}

#[tokio::test]
async fn catalog_feed_fields_round_trip() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 4003").await;
        let (_, c) = shop
            .api(
                Method::POST,
                &format!("/v23.0/{}/product_catalogs", shop.waba_id),
                Some(json!({"name": "Shop"})),
            )
            .await;
        let products = format!("/v23.0/{}/products", c["id"].as_str().unwrap());
        let (status, p) = shop
            .api(
                Method::POST,
                &products,
                Some(json!({
                "retailer_id": "mug-1", "name": "Mug", "price": 1250, "currency": "EUR",
                "brand": "Acme", "condition": "refurbished", "gtin": "4006381333931",
                "google_product_category": "Home & Garden > Kitchen", "gender": "unisex",
                "age_group": "adult", "material": "porcelain", "custom_label_0": "summer",
                "custom_number_0": 3, "visibility": "published", "origin_country": "de",
                "additional_variant_attributes": {"Scent": "none"}, "color": "blue"})),
            )
            .await;
        assert_eq!(status, 200, "{p}");
        let node = format!("/v23.0/{}", p["id"].as_str().unwrap());
        let (status, got) = shop.api(Method::GET, &node, None).await;
        assert_eq!(status, 200, "{got}");
        for (k, want) in [
            ("brand", json!("Acme")),
            ("condition", json!("refurbished")),
            ("gtin", json!("4006381333931")),
            ("google_product_category", json!("Home & Garden > Kitchen")),
            ("gender", json!("unisex")),
            ("age_group", json!("adult")),
            ("material", json!("porcelain")),
            ("custom_label_0", json!("summer")),
            ("custom_number_0", json!(3)),
            ("visibility", json!("published")),
            ("origin_country", json!("DE")),
            ("additional_variant_attributes", json!({"Scent": "none"})),
        ] {
            assert_eq!(got[k], want, "{k} in {got}");
        }
        assert_eq!(got["variant"], json!({"color": "blue"}));
        let (_, list) = shop.api(Method::GET, &products, None).await;
        assert_eq!(list["data"][0]["brand"], "Acme");

        // An update as a form: text coerced to the field's type, an empty text clears.
        let (status, v) = raw(
            &s,
            &shop,
            Method::POST,
            &node,
            FORM,
            "condition=used&brand=&custom_number_0=9&price=1500",
        )
        .await;
        assert_eq!(status, 200, "{v}");
        let (_, got) = shop.api(Method::GET, &node, None).await;
        assert_eq!(
            (
                got["condition"].clone(),
                got["custom_number_0"].clone(),
                got["price"].clone()
            ),
            (json!("used"), json!(9), json!(1500))
        );
        assert!(got.get("brand").is_none(), "{got}");

        // A bad value or an unknown field is refused and changes nothing.
        for (bad, names) in [
            (
                json!({"condition": "broken", "brand": "Other"}),
                "condition",
            ),
            (json!({"gender": "robot"}), "gender"),
            (json!({"custom_number_1": "many"}), "custom_number_1"),
            (json!({"brandd": "x"}), "brandd"),
        ] {
            let (status, v) = shop.api(Method::POST, &node, Some(bad)).await;
            invalid_param(status, &v, names);
        }
        let (_, after) = shop.api(Method::GET, &node, None).await;
        assert_eq!(after, got);
    }
}

#[tokio::test]
async fn unknown_and_foreign_ids_get_graphs_subcode_33() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let a = s.business("A", "+1 650 555 4004").await;
        let b = s.business("B", "+1 650 555 4005").await;
        // A's template, catalog, product and media.
        let (status, t) = a
            .api(
                Method::POST,
                &format!("/v23.0/{}/message_templates", a.waba_id),
                Some(json!({
                "name": "hello_t", "language": "en_US", "category": "UTILITY",
                "components": [{"type": "BODY", "text": "Hello"}]})),
            )
            .await;
        assert_eq!(status, 200, "{t}");
        let template = t["id"].as_str().unwrap().to_string();
        let (_, c) = a
            .api(
                Method::POST,
                &format!("/v23.0/{}/product_catalogs", a.waba_id),
                Some(json!({"name": "Shop"})),
            )
            .await;
        let catalog = c["id"].as_str().unwrap().to_string();
        let (_, p) = a
            .api(
                Method::POST,
                &format!("/v23.0/{catalog}/products"),
                Some(json!({
                "retailer_id": "sku", "name": "Thing", "price": 100, "currency": "USD"})),
            )
            .await;
        let product = p["id"].as_str().unwrap().to_string();
        let part = reqwest::multipart::Part::bytes(PNG.to_vec())
            .file_name("a.png")
            .mime_str("image/png")
            .unwrap();
        let m: Value = reqwest::Client::new()
            .post(format!("{}/v23.0/{}/media", s.url, a.phone_number_id))
            .bearer_auth(&a.token)
            .multipart(
                Form::new()
                    .text("messaging_product", "whatsapp")
                    .part("file", part),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let media = m["id"].as_str().expect("media id").to_string();
        let pn = a.phone_number_id.clone();
        let waba = a.waba_id.clone();

        let cases: Vec<(Method, String, Option<Value>, String)> = vec![
            (Method::GET, format!("/v23.0/{pn}"), None, pn.clone()),
            (
                Method::GET,
                format!("/v23.0/{pn}/whatsapp_business_profile"),
                None,
                pn.clone(),
            ),
            (
                Method::POST,
                format!("/v23.0/{pn}/messages"),
                Some(json!({"messaging_product": "whatsapp", "to": "1", "text": {"body": "x"}})),
                pn.clone(),
            ),
            (
                Method::POST,
                format!("/v23.0/{pn}/message_qrdls"),
                Some(json!({"prefilled_message": "x"})),
                pn.clone(),
            ),
            (
                Method::GET,
                format!("/v23.0/{pn}/conversational_automation"),
                None,
                pn.clone(),
            ),
            (
                Method::GET,
                format!("/v23.0/{waba}/message_templates"),
                None,
                waba.clone(),
            ),
            (
                Method::GET,
                format!("/v23.0/{waba}/phone_numbers"),
                None,
                waba.clone(),
            ),
            (
                Method::GET,
                format!("/v23.0/{template}"),
                None,
                template.clone(),
            ),
            (
                Method::POST,
                format!("/v23.0/{template}"),
                Some(json!({"components": [{"type": "BODY", "text": "Hi"}]})),
                template.clone(),
            ),
            (
                Method::GET,
                format!("/v23.0/{catalog}/products"),
                None,
                catalog.clone(),
            ),
            (
                Method::GET,
                format!("/v23.0/{product}"),
                None,
                product.clone(),
            ),
            (
                Method::POST,
                format!("/v23.0/{product}"),
                Some(json!({"name": "Mine"})),
                product.clone(),
            ),
            (
                Method::DELETE,
                format!("/v23.0/{product}"),
                None,
                product.clone(),
            ),
            (Method::GET, format!("/v23.0/{media}"), None, media.clone()),
            (
                Method::DELETE,
                format!("/v23.0/{media}"),
                None,
                media.clone(),
            ),
            (
                Method::GET,
                "/v23.0/123456789".into(),
                None,
                "123456789".into(),
            ),
            (
                Method::POST,
                "/v23.0/123456789".into(),
                Some(json!({"name": "x"})),
                "123456789".into(),
            ),
        ];
        for (method, path, body, id) in cases {
            let verb = method.as_str().to_ascii_lowercase();
            let (status, v) = b.api(method, &path, body).await;
            unknown_object(status, &v, &verb, &id);
        }
        // Nothing of A's changed.
        let (status, got) = a.api(Method::GET, &format!("/v23.0/{product}"), None).await;
        assert_eq!((status, got["name"].as_str()), (200, Some("Thing")));
        let (status, _) = a.api(Method::GET, &format!("/v23.0/{media}"), None).await;
        assert_eq!(status, 200);
    }
}
