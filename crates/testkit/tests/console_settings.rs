//! Settings an owner changes in the business console, end to end: the business profile (with
//! a photo upload), commerce settings, hours, holidays, the time zone and the away message,
//! and catalog images uploaded instead of linked. Each endpoint refuses what the Cloud API
//! refuses, with the field named, and a refused change changes nothing; agents read but
//! cannot change; another business's agents can neither read nor change any of it.

use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::Agent;
use wasla_testkit::{Db, TestServer};

/// A 2×2 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a,
    0x73, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x38, 0x11, 0xa0, 0x01,
    0x44, 0x30, 0x04, 0x0a, 0x00, 0x25, 0x8e, 0x05, 0x01, 0xa9, 0x33, 0x71, 0xc8, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// POST raw bytes as an agent; status and JSON body.
async fn upload(s: &TestServer, who: &Agent, path: &str, mime: &str, bytes: &[u8]) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(format!("{}{path}", s.url))
        .bearer_auth(&who.token)
        .header("content-type", mime)
        .body(bytes.to_vec())
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
async fn the_business_profile_is_edited_in_the_console_as_the_api_allows() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 6101").await;
        let other = s.business("Bravo", "+1 650 555 6102").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        let sam = s.agent(&shop, "sam@acme.example", "agent").await;
        let rival = s.agent(&other, "boss@bravo.example", "admin").await;
        let path = format!("/console/v1/numbers/{}/profile", shop.phone_number_id);

        let good = json!({"about": "Fresh bread daily", "description": "A bakery",
            "address": "1 Main St", "email": "hi@acme.example",
            "websites": ["https://acme.example"], "vertical": "RESTAURANT"});
        let saved = boss.call(Method::PUT, &path, Some(good)).await;
        assert_eq!(saved.0, 200, "{}", saved.1);
        assert_eq!(saved.1["about"], "Fresh bread daily");
        // The Cloud API reads what the console wrote.
        let (_, api) = shop
            .api(
                Method::GET,
                &format!("/v23.0/{}/whatsapp_business_profile", shop.phone_number_id),
                None,
            )
            .await;
        assert_eq!(api["data"][0]["vertical"], "RESTAURANT");
        assert_eq!(api["data"][0]["websites"], json!(["https://acme.example"]));

        // Bad input: the field is named, and nothing changes.
        for (bad, field) in [
            (json!({"email": "not an email"}), "email"),
            (
                json!({"websites": ["https://a.example", "https://b.example", "https://c.example"]}),
                "websites",
            ),
            (json!({"websites": ["ftp://a.example"]}), "websites"),
            (json!({"vertical": "SPACESHIPS"}), "vertical"),
            (json!({"about": "x".repeat(140)}), "about"),
            (json!({"description": "x".repeat(513)}), "description"),
            (json!({"about": "ok", "colour": "red"}), "colour"),
        ] {
            let (status, v) = boss.call(Method::PUT, &path, Some(bad.clone())).await;
            assert_eq!(status, 400, "{bad} → {v}");
            assert!(message(&v).contains(field), "{bad} → {v}");
        }
        let now = sam.get(&path).await;
        assert_eq!(now["about"], "Fresh bread daily");
        assert_eq!(now["email"], "hi@acme.example");

        // Photo upload: an image becomes the photo; anything else is refused.
        let photo = format!("/console/v1/numbers/{}/photo", shop.phone_number_id);
        let (status, v) = upload(&s, &boss, &photo, "image/png", b"%PDF-1.4 not a picture").await;
        assert_eq!(status / 100, 4, "{v}");
        assert!(sam.get(&path).await["photo_url"].is_null());
        let (status, v) = upload(&s, &boss, &photo, "image/png", PNG).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["photo_url"], photo.as_str());
        let bytes = reqwest::Client::new()
            .get(format!("{}{photo}", s.url))
            .bearer_auth(&sam.token)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(&bytes[..], PNG);

        // Agents read but cannot change; another business sees nothing.
        let (status, _) = sam
            .call(Method::PUT, &path, Some(json!({"about": "mine"})))
            .await;
        assert_eq!(status, 403);
        let (status, _) = upload(&s, &sam, &photo, "image/png", PNG).await;
        assert_eq!(status, 403);
        for (m, body) in [
            (Method::GET, None),
            (Method::PUT, Some(json!({"about": "Bravo was here"}))),
        ] {
            let (status, v) = rival.call(m, &path, body).await;
            assert_eq!(status, 404, "{v}");
            assert!(!v.to_string().contains("Fresh bread"), "{v}");
        }
        let (status, _) = rival.call(Method::GET, &photo, None).await;
        assert_eq!(status, 404);
        let (status, _) = upload(&s, &rival, &photo, "image/png", PNG).await;
        assert_eq!(status, 404);
        assert_eq!(sam.get(&path).await["about"], "Fresh bread daily");
    }
}

#[tokio::test]
async fn commerce_settings_and_hours_are_set_in_the_console() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 6201").await;
        let other = s.business("Bravo", "+1 650 555 6202").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        let sam = s.agent(&shop, "sam@acme.example", "agent").await;
        let rival = s.agent(&other, "boss@bravo.example", "admin").await;
        let path = format!("/console/v1/numbers/{}/commerce", shop.phone_number_id);

        let v = boss
            .call(Method::PUT, &path, Some(json!({"is_cart_enabled": false})))
            .await;
        assert_eq!(v.0, 200, "{}", v.1);
        assert_eq!(v.1["is_cart_enabled"], false);
        let (_, api) = shop
            .api(
                Method::GET,
                &format!("/v23.0/{}/whatsapp_commerce_settings", shop.phone_number_id),
                None,
            )
            .await;
        assert_eq!(api["data"][0]["is_cart_enabled"], false);
        for bad in [
            json!({}),
            json!({"is_cart_enabled": "yes"}),
            json!({"cart": true}),
        ] {
            let (status, v) = boss.call(Method::PUT, &path, Some(bad.clone())).await;
            assert_eq!(status, 400, "{bad} → {v}");
        }
        let (status, _) = sam
            .call(Method::PUT, &path, Some(json!({"is_cart_enabled": true})))
            .await;
        assert_eq!(status, 403);
        for (m, body) in [
            (Method::GET, None),
            (Method::PUT, Some(json!({"is_catalog_visible": false}))),
        ] {
            let (status, _) = rival.call(m, &path, body).await;
            assert_eq!(status, 404);
        }
        let now = sam.get(&path).await;
        assert_eq!(
            (
                now["is_cart_enabled"].clone(),
                now["is_catalog_visible"].clone()
            ),
            (json!(false), json!(true))
        );

        // Hours with a holiday, the time zone and an away message: the automations endpoint.
        let auto = format!("/console/v1/numbers/{}/automations", shop.phone_number_id);
        let settings = json!({"time_zone": "Asia/Riyadh",
            "hours": [{"day": "mon", "open": "09:00", "close": "17:00"}],
            "holidays": ["2026-12-25"],
            "away": {"enabled": true, "text": "We are closed", "mode": "outside_hours"}});
        boss.call(Method::PUT, &auto, Some(settings)).await;
        for (bad, field) in [
            (json!({"time_zone": "Mars/Olympus"}), "time zone"),
            (
                json!({"hours": [{"day": "mon", "open": "18:00", "close": "09:00"}]}),
                "mon",
            ),
            (json!({"holidays": ["25/12/2026"]}), "holiday"),
            (
                json!({"away": {"enabled": true, "text": "x", "mode": "sometimes"}}),
                "away.mode",
            ),
        ] {
            let (status, v) = boss.call(Method::PUT, &auto, Some(bad.clone())).await;
            assert_eq!(status, 400, "{bad} → {v}");
            assert!(message(&v).contains(field), "{bad} → {v}");
        }
        let now = sam.get(&auto).await;
        assert_eq!(now["time_zone"], "Asia/Riyadh");
        assert_eq!(now["holidays"], json!(["2026-12-25"]));
        assert_eq!(now["away"]["text"], "We are closed");
    }
}

#[tokio::test]
async fn catalog_images_are_uploaded_and_public() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 6301").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        let sam = s.agent(&shop, "sam@acme.example", "agent").await;
        let (status, img) = upload(&s, &boss, "/console/v1/catalog/images", "image/png", PNG).await;
        assert_eq!(status, 200, "{img}");
        let url = img["url"].as_str().unwrap().to_string();
        assert!(url.ends_with(&format!("/catalog/images/{}", img["id"].as_str().unwrap())));
        // Anyone can read it, as every product image.
        let resp = reqwest::get(&url).await.unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["content-type"], "image/png");
        assert_eq!(&resp.bytes().await.unwrap()[..], PNG);
        // It is used as a product's image.
        let p = boss
            .post(
                "/console/v1/catalog/products",
                json!({"retailer_id": "bread", "name": "Bread", "price_text": "3.50",
                       "currency": "SAR", "image_url": url}),
            )
            .await;
        assert_eq!(p["image_url"], url.as_str());

        // Not an image, or not an admin: refused, nothing stored.
        let (status, v) = upload(
            &s,
            &boss,
            "/console/v1/catalog/images",
            "text/plain",
            b"hello",
        )
        .await;
        assert_eq!(status, 400, "{v}");
        assert!(message(&v).contains("image"), "{v}");
        let (status, _) = upload(&s, &sam, "/console/v1/catalog/images", "image/png", PNG).await;
        assert_eq!(status, 403);

        // Other media (a profile photo) is never readable there.
        let photo = format!("/console/v1/numbers/{}/photo", shop.phone_number_id);
        let (status, _) = upload(&s, &boss, &photo, "image/png", PNG).await;
        assert_eq!(status, 200);
        let (_, prof) = shop
            .api(
                Method::GET,
                &format!("/v23.0/{}/whatsapp_business_profile", shop.phone_number_id),
                None,
            )
            .await;
        let media_id = prof["data"][0]["profile_picture_url"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        let resp = reqwest::get(format!("{}/catalog/images/{media_id}", s.url))
            .await
            .unwrap();
        assert_eq!(resp.status(), 404);
        let resp = reqwest::get(format!("{}/catalog/images/nope", s.url))
            .await
            .unwrap();
        assert_eq!(resp.status(), 404);
    }
}
