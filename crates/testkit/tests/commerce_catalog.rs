//! The catalog API: one catalog per WABA, products created, listed with paging, read, updated
//! and deleted, batch upserts by retailer id with per-request errors, CSV import with a per-row
//! report, commerce settings per number, and tenancy: another business's token learns nothing
//! and changes nothing.

use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Business, Db, TestServer};

async fn new_catalog(b: &Business) -> String {
    let (status, v) = b
        .api(
            Method::POST,
            &format!("/v23.0/{}/product_catalogs", b.waba_id),
            Some(json!({"name": "Main"})),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    v["id"].as_str().unwrap().to_string()
}

fn jacket() -> Value {
    json!({"retailer_id": "jacket", "name": "Rain jacket", "description": "Keeps you dry", "price": 4999,
        "currency": "EUR", "image_url": "https://img.example/jacket.png", "availability": "in stock",
        "inventory": 10, "item_group_id": "jackets", "color": "blue", "size": "M", "collections": ["Outerwear"]})
}

async fn csv(s: &TestServer, b: &Business, catalog: &str, body: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/v23.0/{catalog}/products_csv", s.url))
        .bearer_auth(&b.token)
        .header("content-type", "text/csv")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn products_are_managed_through_the_catalog_api() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 1234").await;
        let catalog = new_catalog(&shop).await;
        let (status, v) = shop
            .api(
                Method::POST,
                &format!("/v23.0/{}/product_catalogs", shop.waba_id),
                Some(json!({"name": "Second"})),
            )
            .await;
        assert_eq!(status, 400, "one catalog per WABA: {v}");
        let (_, list) = shop
            .api(
                Method::GET,
                &format!("/v23.0/{}/product_catalogs", shop.waba_id),
                None,
            )
            .await;
        assert_eq!(list["data"][0]["id"], catalog.as_str());

        let products = format!("/v23.0/{catalog}/products");
        let (status, v) = shop.api(Method::POST, &products, Some(jacket())).await;
        assert_eq!(status, 200, "{v}");
        let jacket_id = v["id"].as_str().unwrap().to_string();
        // Bad input is a Graph error and changes nothing.
        for (bad, why) in [
            (jacket(), "retailer id taken"),
            (
                json!({"retailer_id": "x", "name": "X", "price": 100, "currency": "EURO"}),
                "currency",
            ),
            (
                json!({"retailer_id": "x", "name": "X", "price": 100, "currency": "EUR", "sale_price": 200}),
                "sale above price",
            ),
            (
                json!({"retailer_id": "x", "name": "X", "price": -1, "currency": "EUR"}),
                "negative price",
            ),
            (
                json!({"retailer_id": "x", "price": 100, "currency": "EUR"}),
                "no name",
            ),
            (
                json!({"retailer_id": "x", "name": "X", "price": 100, "currency": "EUR", "availability": "maybe"}),
                "availability",
            ),
            (
                json!({"retailer_id": "x", "name": "X", "price": 100, "currency": "EUR", "price_text": "1"}),
                "unknown field",
            ),
        ] {
            let (status, v) = shop.api(Method::POST, &products, Some(bad)).await;
            assert_eq!(status, 400, "{why}: {v}");
            assert_eq!(v["error"]["code"], 100, "{why}: {v}");
        }
        let (status, v) = shop
            .api(Method::POST, &products, Some(json!({"retailer_id": "socks", "name": "Wool socks", "price": 1250, "sale_price": 999, "currency": "EUR"})))
            .await;
        assert_eq!(status, 200, "{v}");
        let (_, page) = shop
            .api(Method::GET, &format!("{products}?limit=1"), None)
            .await;
        assert_eq!(page["data"].as_array().unwrap().len(), 1);
        assert_eq!(page["data"][0]["retailer_id"], "jacket");
        assert_eq!(page["data"][0]["price_text"], "49.99 EUR");
        assert_eq!(page["data"][0]["variant"]["color"], "blue");
        let next = page["paging"]["next"].as_str().unwrap();
        let next = &next[next.find("/v23.0").unwrap()..];
        let (_, page2) = shop.api(Method::GET, next, None).await;
        assert_eq!(page2["data"][0]["retailer_id"], "socks");
        assert_eq!(page2["data"][0]["price_text"], "9.99 EUR");
        assert!(page2["paging"]["next"].is_null());

        // The product node: read, update, delete.
        let node = format!("/v23.0/{jacket_id}");
        let (_, p) = shop.api(Method::GET, &node, None).await;
        assert_eq!(p["name"], "Rain jacket");
        let (status, v) = shop
            .api(
                Method::POST,
                &node,
                Some(json!({"price": 3999, "inventory": 0})),
            )
            .await;
        assert_eq!(status, 200, "{v}");
        let (_, p) = shop.api(Method::GET, &node, None).await;
        assert_eq!(
            (p["price"].as_i64(), p["inventory"].as_i64()),
            (Some(3999), Some(0))
        );
        let (status, _) = shop
            .api(Method::POST, &node, Some(json!({"sale_price": 5000})))
            .await;
        assert_eq!(status, 400);

        // Batch: upsert by retailer id, delete, and a per-request error report.
        let (status, v) = shop
            .api(Method::POST, &format!("/v23.0/{catalog}/batch"), Some(json!({"requests": [
                {"method": "UPDATE", "retailer_id": "jacket", "data": {"name": "Storm jacket"}},
                {"method": "UPDATE", "retailer_id": "hat", "data": {"name": "Sun hat", "price": 1500, "currency": "EUR", "collections": ["Accessories"]}},
                {"method": "DELETE", "retailer_id": "socks"},
                {"method": "CREATE", "retailer_id": "bad", "data": {"name": "No price", "currency": "EUR"}},
            ]})))
            .await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["applied"], 3);
        assert_eq!(v["validation_status"][0]["retailer_id"], "bad");
        assert!(v["validation_status"][0]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("price"));
        let (_, all) = shop.api(Method::GET, &products, None).await;
        let names: Vec<&str> = all["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Storm jacket", "Sun hat"]);

        // CSV import: created and updated rows, and the rows that failed with why.
        let (status, report) = csv(&s, &shop, &catalog, "id,title,description,price,availability,image_link,collections\n\
            scarf,Silk scarf,\"Soft, light\",19.90 EUR,in stock,https://img.example/scarf.png,Accessories|Gifts\n\
            hat,Straw hat,,17.5 EUR,in stock,,\n\
            broken,Broken row,,12.345 EUR,in stock,,\n\
            nocur,No currency,,5,in stock,,\n").await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(
            (
                report["created"].as_i64(),
                report["updated"].as_i64(),
                report["failed"].as_i64()
            ),
            (Some(1), Some(1), Some(2))
        );
        assert_eq!(report["errors"][0]["row"], 4);
        assert_eq!(report["errors"][0]["retailer_id"], "broken");
        assert_eq!(report["errors"][1]["row"], 5);
        let (_, all) = shop.api(Method::GET, &products, None).await;
        let scarf = all["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["retailer_id"] == "scarf")
            .unwrap()
            .clone();
        assert_eq!(
            (scarf["price"].as_i64(), scarf["description"].as_str()),
            (Some(1990), Some("Soft, light"))
        );
        assert_eq!(scarf["collections"], json!(["Accessories", "Gifts"]));
        let hat = all["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["retailer_id"] == "hat")
            .unwrap()
            .clone();
        assert_eq!(
            (hat["name"].as_str(), hat["price"].as_i64()),
            (Some("Straw hat"), Some(1750))
        );
        let (status, _) = csv(&s, &shop, &catalog, "title\nNo id column\n").await;
        assert_eq!(status, 400);

        let (status, v) = shop.api(Method::DELETE, &node, None).await;
        assert_eq!(status, 200, "{v}");
        let (status, _) = shop.api(Method::GET, &node, None).await;
        assert_eq!(status, 400);
    }
}

#[tokio::test]
async fn commerce_settings_control_the_shop() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let settings = format!("/v23.0/{}/whatsapp_commerce_settings", shop.phone_number_id);
    let (_, v) = shop.api(Method::GET, &settings, None).await;
    assert_eq!(
        v["data"][0],
        json!({"id": shop.phone_number_id, "is_cart_enabled": true, "is_catalog_visible": true})
    );
    // No catalog yet: no shop.
    assert_eq!(
        ada.get(&format!("/client/v1/shops/{}", shop.wa_id))
            .await
            .unwrap_err()
            .0,
        404
    );
    let catalog = new_catalog(&shop).await;
    shop.api(
        Method::POST,
        &format!("/v23.0/{catalog}/products"),
        Some(jacket()),
    )
    .await;
    let seen = ada
        .get(&format!("/client/v1/shops/{}", shop.wa_id))
        .await
        .unwrap();
    assert_eq!(seen["catalog_id"], catalog.as_str());
    assert_eq!(seen["collections"], json!(["Outerwear"]));
    assert_eq!(seen["products"][0]["price_text"], "49.99 EUR");

    let (status, v) = shop
        .api(
            Method::POST,
            &format!("{settings}?is_cart_enabled=false&is_catalog_visible=false"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{v}");
    let (_, v) = shop.api(Method::GET, &settings, None).await;
    assert_eq!(v["data"][0]["is_cart_enabled"], false);
    assert_eq!(v["data"][0]["is_catalog_visible"], false);
    assert_eq!(
        ada.get(&format!("/client/v1/shops/{}", shop.wa_id))
            .await
            .unwrap_err()
            .0,
        404
    );
    let (status, v) = shop
        .api(
            Method::POST,
            &format!("{settings}?is_cart_enabled=maybe"),
            None,
        )
        .await;
    assert_eq!((status, v["error"]["code"].as_i64()), (400, Some(100)));
    let (status, _) = shop.api(Method::POST, &settings, None).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn another_business_cannot_see_or_touch_a_catalog() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let rival = s.business("Rival", "+1 650 555 9999").await;
    let catalog = new_catalog(&shop).await;
    let (_, v) = shop
        .api(
            Method::POST,
            &format!("/v23.0/{catalog}/products"),
            Some(jacket()),
        )
        .await;
    let product = v["id"].as_str().unwrap().to_string();
    // Graph's own "does not exist" error (subcode 33) names the id in its message.
    let unknown = |v: &Value, id: &str| {
        assert_eq!(v["error"]["code"], 100, "{v}");
        assert_eq!(v["error"]["error_subcode"], 33, "{v}");
        assert!(v["error"]["message"].as_str().unwrap().contains(id), "{v}");
    };
    for (method, path, body) in [
        (Method::GET, format!("/v23.0/{catalog}/products"), None),
        (
            Method::POST,
            format!("/v23.0/{catalog}/products"),
            Some(json!({"retailer_id": "x", "name": "X", "price": 1, "currency": "EUR"})),
        ),
        (
            Method::POST,
            format!("/v23.0/{catalog}/batch"),
            Some(json!({"requests": [{"method": "DELETE", "retailer_id": "jacket"}]})),
        ),
        (Method::POST, format!("/v23.0/{catalog}/products_csv"), None),
    ] {
        let (status, v) = rival.api(method, &path, body).await;
        assert_eq!(status, 400, "{path}: {v}");
        unknown(&v, &catalog);
    }
    let (status, v) = rival
        .api(
            Method::GET,
            &format!("/v23.0/{}/product_catalogs", shop.waba_id),
            None,
        )
        .await;
    assert_eq!(status, 400);
    unknown(&v, &shop.waba_id);
    for method in [Method::GET, Method::POST, Method::DELETE] {
        let body = (method == Method::POST).then(|| json!({"price": 1}));
        let (status, v) = rival
            .api(method.clone(), &format!("/v23.0/{product}"), body)
            .await;
        assert_eq!(status, 400, "{method} product: {v}");
    }
    let (status, v) = rival
        .api(
            Method::POST,
            &format!(
                "/v23.0/{}/whatsapp_commerce_settings?is_cart_enabled=false",
                shop.phone_number_id
            ),
            None,
        )
        .await;
    assert_eq!(status, 400);
    unknown(&v, &shop.phone_number_id);
    // Nothing changed.
    let (_, p) = shop
        .api(Method::GET, &format!("/v23.0/{product}"), None)
        .await;
    assert_eq!(p["price"], 4999);
    let (_, v) = shop
        .api(
            Method::GET,
            &format!("/v23.0/{}/whatsapp_commerce_settings", shop.phone_number_id),
            None,
        )
        .await;
    assert_eq!(v["data"][0]["is_cart_enabled"], true);
    // The rival's own catalog is separate.
    let theirs = new_catalog(&rival).await;
    assert_ne!(theirs, catalog);
    let (_, v) = rival
        .api(Method::GET, &format!("/v23.0/{theirs}/products"), None)
        .await;
    assert_eq!(v["data"], json!([]));
}

#[tokio::test]
async fn catalog_pages_are_public_with_previews_and_qr_codes() {
    let s = TestServer::start().await;
    let shop = s.business("Acme <Outdoor>", "+1 650 555 1234").await;
    let catalog = new_catalog(&shop).await;
    shop.api(
        Method::POST,
        &format!("/v23.0/{catalog}/products"),
        Some(jacket()),
    )
    .await;
    shop.api(Method::POST, &format!("/v23.0/{catalog}/products"),
        Some(json!({"retailer_id": "socks", "name": "Socks <b>", "price": 1250, "sale_price": 999, "currency": "EUR"}))).await;
    let http = reqwest::Client::new();
    let get = |path: String| {
        let http = http.clone();
        let url = format!("{}{path}", s.url);
        async move {
            let r = http.get(url).send().await.unwrap();
            let ct = r
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            (r.status().as_u16(), ct, r.text().await.unwrap())
        }
    };
    let (status, ct, html) = get(format!("/c/{}", shop.wa_id)).await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("text/html"));
    assert!(
        html.contains("<meta property=\"og:title\" content=\"Acme &lt;Outdoor&gt; catalog\">"),
        "{html}"
    );
    assert!(html.contains("og:image\" content=\"https://img.example/jacket.png\""));
    assert!(html.contains("Socks &lt;b&gt;") && !html.contains("Socks <b>"));
    assert!(html.contains("9.99 EUR") && html.contains("12.50 EUR"));
    assert!(html.contains(&format!("/#/shop/{}", shop.wa_id)));
    let (status, _, html) = get(format!("/c/{}/p/jacket", shop.wa_id)).await;
    assert_eq!(status, 200);
    assert!(html.contains("<meta property=\"og:type\" content=\"product\">"));
    assert!(html.contains("og:description\" content=\"49.99 EUR"));
    assert!(html.contains(&format!("/#/shop/{}/jacket", shop.wa_id)));
    for path in [
        format!("/c/{}/qr.svg", shop.wa_id),
        format!("/c/{}/p/jacket/qr.svg", shop.wa_id),
    ] {
        let (status, ct, svg) = get(path).await;
        assert_eq!((status, ct.as_str()), (200, "image/svg+xml"));
        assert!(svg.contains("<svg"));
    }
    assert_eq!(get(format!("/c/{}/p/nope", shop.wa_id)).await.0, 404);
    assert_eq!(get("/c/15550000000".into()).await.0, 404);
    assert_eq!(get("/c/not-digits".into()).await.0, 404);
    // A hidden catalog has no public page.
    shop.api(
        Method::POST,
        &format!(
            "/v23.0/{}/whatsapp_commerce_settings?is_catalog_visible=false",
            shop.phone_number_id
        ),
        None,
    )
    .await;
    assert_eq!(get(format!("/c/{}", shop.wa_id)).await.0, 404);
    assert_eq!(get(format!("/c/{}/qr.svg", shop.wa_id)).await.0, 404);
}

#[tokio::test]
async fn csv_import_reports_progress_as_it_goes() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let catalog = new_catalog(&shop).await;
    let mut body = String::from("id,title,price\n");
    for n in 0..60 {
        body.push_str(&format!("item-{n},Item {n},{n}.50 EUR\n"));
    }
    body.push_str("bad,Bad,abc EUR\n");
    let r = reqwest::Client::new()
        .post(format!(
            "{}/v23.0/{catalog}/products_csv?progress=true",
            s.url
        ))
        .bearer_auth(&shop.token)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/x-ndjson");
    let text = r.text().await.unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let progress: Vec<(i64, i64)> = lines
        .iter()
        .filter(|l| l["processed"].is_number())
        .map(|l| {
            (
                l["processed"].as_i64().unwrap(),
                l["total"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(progress, [(25, 61), (50, 61), (61, 61)]);
    let last = lines.last().unwrap();
    assert_eq!(last["done"], true);
    assert_eq!(
        (
            last["report"]["created"].as_i64(),
            last["report"]["failed"].as_i64()
        ),
        (Some(60), Some(1))
    );
    assert_eq!(last["report"]["errors"][0]["row"], 62);
    let (_, page) = shop
        .api(
            Method::GET,
            &format!("/v23.0/{catalog}/products?limit=100"),
            None,
        )
        .await;
    assert_eq!(page["data"].as_array().unwrap().len(), 60);
    assert_eq!(page["data"][1]["price"], 150);
}
