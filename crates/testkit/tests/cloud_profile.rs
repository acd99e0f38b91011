//! The business profile, phone-number and WABA nodes through the Cloud API, with the shapes
//! SDKs read (`data` list, `vertical` always present), limits, and tenancy; and the profile as
//! a person sees it.

use reqwest::Method;
use serde_json::json;
use wasla_testkit::TestServer;

#[tokio::test]
async fn profile_numbers_and_waba() {
    let s = TestServer::start().await;
    let shop = s.business("Acme Repairs", "+1 650 555 1234").await;
    let other = s.business("Other", "+1 650 555 9876").await;
    let profile = format!("/v23.0/{}/whatsapp_business_profile", shop.phone_number_id);

    let (status, p) = shop.api(Method::GET, &format!("{profile}?fields=about,address,description,email,profile_picture_url,websites,vertical"), None).await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["data"][0]["vertical"], "OTHER");
    assert_eq!(p["data"][0]["messaging_product"], "whatsapp");

    let update = json!({"messaging_product": "whatsapp", "about": "Laptop and phone repairs", "address": "1 Main St", "description": "Same-day repairs.",
        "email": "help@acme.example", "websites": ["https://acme.example"], "vertical": "PROF_SERVICES"});
    let (status, r) = shop.api(Method::POST, &profile, Some(update)).await;
    assert_eq!((status, r["success"].as_bool()), (200, Some(true)), "{r}");
    let (_, p) = shop.api(Method::GET, &profile, None).await;
    assert_eq!(p["data"][0]["about"], "Laptop and phone repairs");
    assert_eq!(p["data"][0]["websites"][0], "https://acme.example");
    assert_eq!(p["data"][0]["vertical"], "PROF_SERVICES");

    for bad in [
        json!({"about": "x".repeat(140)}),
        json!({"websites": ["https://a.example", "https://b.example", "https://c.example"]}),
        json!({"websites": ["ftp://a.example"]}),
        json!({"vertical": "SPACESHIPS"}),
        json!({"email": "not-an-email"}),
        json!({"profile_picture_handle": "123"}),
    ] {
        let (status, err) = shop.api(Method::POST, &profile, Some(bad.clone())).await;
        assert_eq!(
            (status, err["error"]["code"].as_i64()),
            (400, Some(100)),
            "{bad}: {err}"
        );
    }

    // People see the about line of the business.
    let ada = s.register("+44 7911 123401", "Ada").await;
    let acc = ada.get("/client/v1/accounts/16505551234").await.unwrap();
    assert_eq!(
        (acc["about"].as_str(), acc["verified_name"].as_str()),
        (Some("Laptop and phone repairs"), Some("Acme Repairs"))
    );

    let (_, numbers) = shop
        .api(
            Method::GET,
            &format!("/v23.0/{}/phone_numbers", shop.waba_id),
            None,
        )
        .await;
    assert_eq!(numbers["data"][0]["id"], shop.phone_number_id.as_str());
    assert_eq!(numbers["data"][0]["verified_name"], "Acme Repairs");
    let (_, number) = shop
        .api(
            Method::GET,
            &format!("/v23.0/{}", shop.phone_number_id),
            None,
        )
        .await;
    assert_eq!(number["display_phone_number"], "+16505551234");
    let (_, waba) = shop
        .api(Method::GET, &format!("/v23.0/{}", shop.waba_id), None)
        .await;
    assert_eq!(waba["name"], "Acme Repairs");

    // Another business's token learns nothing and changes nothing.
    for (method, path) in [
        (Method::GET, profile.clone()),
        (Method::POST, profile.clone()),
        (
            Method::GET,
            format!("/v23.0/{}/phone_numbers", shop.waba_id),
        ),
        (Method::GET, format!("/v23.0/{}", shop.phone_number_id)),
        (Method::GET, format!("/v23.0/{}", shop.waba_id)),
    ] {
        let body = (method == Method::POST).then(|| json!({"about": "hacked"}));
        let (status, err) = other.api(method.clone(), &path, body).await;
        assert_eq!(
            (status, err["error"]["code"].as_i64()),
            (400, Some(100)),
            "{method} {path}: {err}"
        );
    }
    let (_, p) = shop.api(Method::GET, &profile, None).await;
    assert_eq!(p["data"][0]["about"], "Laptop and phone repairs");
}
