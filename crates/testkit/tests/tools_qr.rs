//! QR codes and short links end to end: `message_qrdls` create / update / list / get / delete
//! with PNG and SVG images made on the server, the `/message/{code}` landing page and its
//! scan and open counters, click-to-chat `/{digits}?text=…` for business numbers only, and
//! tenancy: another WABA's token sees none of it.

use reqwest::Method;
use serde_json::json;
use wasla_testkit::{Db, TestServer};

#[tokio::test]
async fn qr_codes_short_links_and_click_to_chat() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 4001").await;
        let other = s.business("Other", "+1 650 555 4002").await;
        let path = format!("/v23.0/{}/message_qrdls", shop.phone_number_id);
        let (status, qr) = shop
            .api(Method::POST, &path, Some(json!({"prefilled_message": "I'd like a quote <please>", "generate_qr_image": "PNG"})))
            .await;
        assert_eq!(status, 200, "{qr}");
        let code = qr["code"].as_str().unwrap().to_string();
        assert_eq!(code.len(), 14);
        assert!(code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
        assert_eq!(qr["deep_link_url"], format!("{}/message/{code}", s.url));
        let png_url = qr["qr_image_url"].as_str().unwrap().to_string();
        assert!(png_url.ends_with(".png"));

        let http = reqwest::Client::new();
        let png = http.get(&png_url).send().await.unwrap();
        assert_eq!(png.headers()["content-type"], "image/png");
        let bytes = png.bytes().await.unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let svg = http
            .get(format!("{}/qr/{code}.svg", s.url))
            .send()
            .await
            .unwrap();
        assert_eq!(svg.headers()["content-type"], "image/svg+xml");
        assert!(svg.text().await.unwrap().starts_with("<svg"));

        // Update, get, list.
        let (status, up) = shop
            .api(
                Method::POST,
                &path,
                Some(json!({"code": code, "prefilled_message": "Hello <Acme> & co"})),
            )
            .await;
        assert_eq!(status, 200, "{up}");
        assert_eq!(up["prefilled_message"], "Hello <Acme> & co");
        assert!(up.get("qr_image_url").is_none());
        let (_, one) = shop.api(Method::GET, &format!("{path}/{code}"), None).await;
        assert_eq!(one["data"][0]["code"], code.as_str());
        let (_, second) = shop
            .api(
                Method::POST,
                &path,
                Some(json!({"prefilled_message": "Second"})),
            )
            .await;
        let (_, list) = shop
            .api(
                Method::GET,
                &format!("{path}?limit=1&fields=code,prefilled_message,qr_image_url.format(SVG)"),
                None,
            )
            .await;
        assert_eq!(list["data"].as_array().unwrap().len(), 1);
        assert_eq!(list["data"][0]["code"], second["code"]);
        assert!(list["data"][0]["qr_image_url"]
            .as_str()
            .unwrap()
            .ends_with(".svg"));
        assert!(list["paging"]["next"].is_string(), "{list}");

        // Bad input: a clear Graph error, nothing changes.
        for bad in [
            json!({}),
            json!({"prefilled_message": "x".repeat(141)}),
            json!({"prefilled_message": "ok", "generate_qr_image": "GIF"}),
        ] {
            let (status, v) = shop.api(Method::POST, &path, Some(bad)).await;
            assert_eq!(status, 400, "{v}");
            assert_eq!(v["error"]["code"], 100);
        }

        // The landing page counts a scan; continuing counts an open and leads into the web
        // client with the prefilled text.
        let page = http
            .get(format!("{}/message/{code}", s.url))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("Acme"));
        assert!(
            html.contains("Hello &lt;Acme&gt; &amp; co"),
            "escaped: {html}"
        );
        let no_redirect = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let open = no_redirect
            .get(format!("{}/message/{code}/open", s.url))
            .send()
            .await
            .unwrap();
        assert_eq!(open.status(), 303);
        assert_eq!(
            open.headers()["location"],
            format!("/#/send/{}?text=Hello%20%3CAcme%3E%20%26%20co", shop.wa_id)
        );
        let (_, stats) = s
            .admin(
                Method::GET,
                &format!("/admin/v1/phone-numbers/{}/qr-codes", shop.phone_number_id),
                None,
            )
            .await;
        let row = stats["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code.as_str())
            .unwrap()
            .clone();
        assert_eq!(
            (row["scans"].as_i64(), row["opens"].as_i64()),
            (Some(1), Some(1))
        );
        let missing = http
            .get(format!("{}/message/NOSUCHCODE2345", s.url))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);

        // Click-to-chat for a business number's digits; a person's digits and unknown digits
        // are the web client as before.
        let page = http
            .get(format!("{}/{}?text=Order%20%23123", s.url, shop.wa_id))
            .send()
            .await
            .unwrap();
        let html = page.text().await.unwrap();
        assert!(html.contains("data-testid=\"landing\""));
        assert!(html.contains("Order #123"));
        let ada = s.register("+44 7911 123404", "Ada").await;
        for digits in [ada.wa_id.as_str(), "99999999999"] {
            let html = http
                .get(format!("{}/{digits}", s.url))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(!html.contains("data-testid=\"landing\""));
        }

        // Tenancy: the other WABA's token sees no code of this number.
        let (status, v) = other.api(Method::GET, &path, None).await;
        assert_eq!((status, v["error"]["code"].as_i64()), (400, Some(100)));
        let own = format!("/v23.0/{}/message_qrdls", other.phone_number_id);
        for (method, p) in [
            (Method::GET, format!("{own}/{code}")),
            (Method::DELETE, format!("{own}/{code}")),
            (Method::GET, format!("{path}/{code}")),
            (Method::DELETE, format!("{path}/{code}")),
        ] {
            let (status, v) = other.api(method, &p, None).await;
            assert_eq!(status, 400, "{p}: {v}");
        }
        let (status, v) = other
            .api(
                Method::POST,
                &own,
                Some(json!({"code": code, "prefilled_message": "hijack"})),
            )
            .await;
        assert_eq!(status, 400, "{v}");
        let (_, still) = shop.api(Method::GET, &format!("{path}/{code}"), None).await;
        assert_eq!(still["data"][0]["prefilled_message"], "Hello <Acme> & co");

        // Delete.
        let (status, v) = shop
            .api(Method::DELETE, &format!("{path}/{code}"), None)
            .await;
        assert_eq!((status, v), (200, json!({"success": true})));
        let (status, _) = shop.api(Method::GET, &format!("{path}/{code}"), None).await;
        assert_eq!(status, 400);
    }
}
