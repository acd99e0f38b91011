//! Rate limits of the Cloud API: messages per second per number (130429) and the pair rate
//! limit between a number and one person (131056), both recovering as time passes.

use serde_json::json;
use wasla_testkit::TestServer;

#[tokio::test]
async fn throughput_and_pair_limits() {
    let s = TestServer::start_with(|c| {
        c.limits.messages_per_second = 3;
        c.limits.pair_burst = 2;
        c.limits.pair_interval_ms = 6000;
    })
    .await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let bob = s.register("+44 7911 123402", "Bob").await;
    for p in [&ada, &bob] {
        let chat = p.chat_with(&shop.wa_id).await;
        p.send_text(&chat, "hi").await;
    }
    let text = |to: &str| json!({"messaging_product": "whatsapp", "to": to, "type": "text", "text": {"body": "update"}});

    // Two to Ada pass; the third to her hits the pair limit.
    for _ in 0..2 {
        assert_eq!(shop.send(text(&ada.wa_id)).await.0, 200);
    }
    let (status, err) = shop.send(text(&ada.wa_id)).await;
    assert_eq!(
        (status, err["error"]["code"].as_i64()),
        (400, Some(131056)),
        "{err}"
    );
    // Bob is another pair, but the number's 3 per second are spent (the refused send counted).
    let (status, err) = shop.send(text(&bob.wa_id)).await;
    assert_eq!(
        (status, err["error"]["code"].as_i64()),
        (400, Some(130429)),
        "{err}"
    );

    // A second later the number may send again; six seconds later Ada may get one more.
    s.clock.advance_ms(1000);
    assert_eq!(shop.send(text(&bob.wa_id)).await.0, 200);
    assert_eq!(shop.send(text(&ada.wa_id)).await.0, 400);
    s.clock.advance_ms(6000);
    assert_eq!(shop.send(text(&ada.wa_id)).await.0, 200);
}
