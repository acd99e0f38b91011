//! The person's side of a shop, end to end on both databases: products that cannot be ordered
//! (out of stock, no units left, discontinued) are marked on the public catalog pages, their
//! pages offer to ask in the chat instead of ordering, and an order for them is refused and
//! stores nothing; "ask about this product" reaches the business's webhook with
//! `context.referred_product`; and a business's hours tell the person's client, by the test
//! clock, until when it is open (or when it opens) and in which time zone.

use reqwest::Method;
use serde_json::json;
use wasla_testkit::{Business, Db, TestServer};

/// Move the test clock so that now is `ms` (Unix ms).
fn set_time(s: &TestServer, ms: i64) {
    let now = s.app.now();
    s.clock.advance_ms(ms - now);
}

/// Unix ms of a UTC civil time (Howard Hinnant's days-from-civil).
fn utc_ms(y: i64, m: i64, d: i64, hh: i64, mm: i64) -> i64 {
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146097 + doe - 719468;
    ((days * 24 + hh) * 60 + mm) * 60_000
}

async fn shop_with_stock(s: &TestServer) -> (Business, String) {
    let shop = s.business("Acme", "+1 650 555 1277").await;
    let (_, v) = shop
        .api(
            Method::POST,
            &format!("/v23.0/{}/product_catalogs", shop.waba_id),
            Some(json!({"name": "Acme"})),
        )
        .await;
    let catalog = v["id"].as_str().unwrap().to_string();
    for p in [
        json!({"retailer_id": "jacket", "name": "Rain jacket", "price": 4999, "currency": "EUR"}),
        json!({"retailer_id": "boots", "name": "Boots", "price": 8900, "currency": "EUR", "inventory": 0}),
        json!({"retailer_id": "hat", "name": "Old hat", "price": 500, "currency": "EUR", "availability": "out of stock"}),
        json!({"retailer_id": "cape", "name": "Cape", "price": 700, "currency": "EUR", "availability": "discontinued"}),
    ] {
        let (status, v) = shop
            .api(Method::POST, &format!("/v23.0/{catalog}/products"), Some(p))
            .await;
        assert_eq!(status, 200, "{v}");
    }
    (shop, catalog)
}

async fn page(s: &TestServer, path: &str) -> (u16, String) {
    let r = reqwest::get(format!("{}{path}", s.url)).await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The public catalog's card of one product.
fn card<'a>(html: &'a str, retailer_id: &str) -> &'a str {
    let at = html
        .find(&format!("/p/{retailer_id}\""))
        .unwrap_or_else(|| panic!("no card for {retailer_id}: {html}"));
    let start = html[..at].rfind("<a ").unwrap();
    let end = at + html[at..].find("</a>").unwrap();
    &html[start..end]
}

#[tokio::test]
async fn what_cannot_be_ordered_is_marked_and_refused() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let (shop, catalog) = shop_with_stock(&s).await;

        let (status, html) = page(&s, &format!("/c/{}", shop.wa_id)).await;
        assert_eq!(status, 200);
        let jacket = card(&html, "jacket");
        assert!(jacket.contains("data-orderable=\"true\""), "{jacket}");
        assert!(!jacket.contains("out-of-stock"), "{jacket}");
        for id in ["boots", "hat"] {
            let c = card(&html, id);
            assert!(c.contains("data-orderable=\"false\""), "{c}");
            assert!(
                c.contains("data-testid=\"out-of-stock\">Out of stock<"),
                "{c}"
            );
        }
        assert!(card(&html, "cape").contains(">Discontinued<"));
        assert!(html.contains("data-testid=\"sign-in-note\""));

        // An orderable product's page orders in the chat; the others only ask there.
        let (_, html) = page(&s, &format!("/c/{}/p/jacket", shop.wa_id)).await;
        assert!(html.contains("data-testid=\"order-in-chat\""));
        assert!(!html.contains("out-of-stock"));
        let (status, html) = page(&s, &format!("/c/{}/p/boots", shop.wa_id)).await;
        assert_eq!(status, 200);
        assert!(!html.contains("order-in-chat"), "{html}");
        assert!(html.contains("Out of stock"));
        let ask = &html[html
            .find("data-testid=\"ask-in-chat\"")
            .expect("ask in chat")..];
        let href = &ask[..ask.find('>').unwrap()];
        assert!(
            href.ends_with(&format!("/#/shop/{}/boots\"", shop.wa_id)),
            "{href}"
        );

        // The client's shop carries what it needs to mark them, and orders are refused.
        let ada = s.register("+44 7911 127701", "Ada").await;
        let seen = ada
            .get(&format!("/client/v1/shops/{}", shop.wa_id))
            .await
            .unwrap();
        let boots = seen["products"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["retailer_id"] == "boots")
            .unwrap();
        assert_eq!(boots["inventory"], 0);
        let chat = ada.chat_with(&shop.wa_id).await;
        let messages = format!("/client/v1/chats/{chat}/messages");
        for id in ["boots", "hat", "cape"] {
            let (status, v) = ada
                .post(&messages, json!({"type": "order", "order": {"product_items": [
                    {"product_retailer_id": "jacket", "quantity": 1}, {"product_retailer_id": id, "quantity": 1}]}}))
                .await
                .unwrap_err();
            assert_eq!(status, 400, "{id}: {v}");
            assert!(v.to_string().contains("is not available"), "{id}: {v}");
        }
        let history = ada.get(&format!("{messages}?limit=50")).await.unwrap();
        assert!(
            history["data"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["type"] != "order"),
            "{history}"
        );

        // Asking about a product (even one out of stock) carries the product to the webhook.
        ada.post(&messages, json!({"type": "text", "text": {"body": "When are boots back?"},
            "context": {"referred_product": {"catalog_id": catalog, "product_retailer_id": "boots"}}}))
            .await
            .unwrap();
        let v = shop
            .hooks
            .wait_for("the question", 10, |v| {
                v["messages"][0]["text"]["body"] == "When are boots back?"
            })
            .await;
        assert_eq!(
            v["messages"][0]["context"]["referred_product"],
            json!({"catalog_id": catalog, "product_retailer_id": "boots"})
        );
    }
}

#[tokio::test]
async fn hours_say_until_when_open_in_the_business_time_zone() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Riyadh Dates", "+966 11 555 0123").await;
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let mut hours: Vec<_> = days
            .iter()
            .map(|d| json!({"day": d, "open": "09:00", "close": "13:00"}))
            .collect();
        // Afternoons join the mornings on Tuesdays only.
        hours.push(json!({"day": "tue", "open": "13:00", "close": "18:00"}));
        let (status, v) = s
            .admin(
                Method::PUT,
                &format!(
                    "/admin/v1/phone-numbers/{}/automations",
                    shop.phone_number_id
                ),
                Some(json!({"time_zone": "Asia/Riyadh", "hours": hours})),
            )
            .await;
        assert_eq!(status, 200, "{v}");
        let ada = s.register("+44 7911 127702", "Ada").await;
        let tools = format!("/client/v1/businesses/{}/tools", shop.wa_id);

        // Tuesday 2027-03-02, 10:00 in Riyadh (UTC+3) = 07:00 UTC: open until 18:00 there.
        set_time(&s, utc_ms(2027, 3, 2, 7, 0));
        let t = ada.get(&tools).await.unwrap();
        assert_eq!(t["time_zone"], "Asia/Riyadh");
        assert_eq!(t["open"]["open_now"], true);
        assert_eq!(t["open"]["time_zone"], "Asia/Riyadh");
        assert_eq!(t["open"]["closes_at"], utc_ms(2027, 3, 2, 15, 0));
        assert!(t["open"].get("opens_at").is_none(), "{t}");

        // Wednesday at 10:00 there: only the morning.
        set_time(&s, utc_ms(2027, 3, 3, 7, 0));
        let t = ada.get(&tools).await.unwrap();
        assert_eq!(t["open"]["closes_at"], utc_ms(2027, 3, 3, 10, 0));

        // Wednesday 14:00 there: closed, opens Thursday 09:00 (06:00 UTC), no closing time.
        set_time(&s, utc_ms(2027, 3, 3, 11, 0));
        let t = ada.get(&tools).await.unwrap();
        assert_eq!(t["open"]["open_now"], false);
        assert!(t["open"].get("closes_at").is_none(), "{t}");
        assert_eq!(t["open"]["opens_at"], utc_ms(2027, 3, 4, 6, 0));
    }
}
