//! Commerce store scenarios on SQLite always, and on PostgreSQL when
//! `WASLA_TEST_DATABASE_URL` is set: one catalog per WABA and unique retailer ids, an order is
//! paid at most once however many payments start at the same time, a settlement applies once
//! however many callbacks race, and a paid order cannot be replaced.

#[path = "common/chats.rs"]
mod chats;
mod common;

use chats::{account, id};
use wasla_core::accounts::AccountKind;
use wasla_core::accounts::AccountStore;
use wasla_core::business::BusinessStore;
use wasla_core::business::WabaRow;
use wasla_core::chats::{WebhookEvent, WebhookWork};
use wasla_core::commerce::{CatalogRow, LedgerRow, OrderRow, PaymentRow, ProductRow, Settlement};
use wasla_core::commerce::{CatalogStore, OrderStore};
use wasla_core::Error;

fn product(catalog_id: i64, retailer_id: &str) -> ProductRow {
    ProductRow {
        id: id(),
        catalog_id,
        retailer_id: retailer_id.into(),
        name: "Thing".into(),
        price: 100,
        currency: "EUR".into(),
        availability: "in stock".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn payments_settle_once() {
    for (name, store, _dir) in common::stores("commerce").await {
        let waba = WabaRow {
            id: id(),
            name: "Acme".into(),
            auto_approve_templates: false,
            created_at: 1,
        };
        store.create_waba(&waba).await.unwrap();
        let biz = account(AccountKind::Business, "16505550001", Some(waba.id));
        let person = account(AccountKind::Person, "447911000001", None);
        store.create_account(&biz).await.unwrap();
        store.create_account(&person).await.unwrap();

        let catalog = CatalogRow {
            id: id(),
            waba_id: waba.id,
            name: "Main".into(),
            created_at: 1,
        };
        store.create_catalog(&catalog).await.unwrap();
        let second = CatalogRow {
            id: id(),
            ..catalog.clone()
        };
        assert!(
            matches!(store.create_catalog(&second).await, Err(Error::Conflict(_))),
            "{name}: one catalog per WABA"
        );
        store
            .insert_product(&product(catalog.id, "a"))
            .await
            .unwrap();
        assert!(
            matches!(
                store.insert_product(&product(catalog.id, "a")).await,
                Err(Error::Conflict(_))
            ),
            "{name}"
        );

        let order = OrderRow {
            id: id(),
            business_id: biz.id,
            person_id: person.id,
            reference_id: "r1".into(),
            currency: "EUR".into(),
            total: 1000,
            details: "{}".into(),
            status: "pending".into(),
            payment_status: "unpaid".into(),
            created_at: 1,
            updated_at: 1,
        };
        let order = store.put_order(&order).await.unwrap();
        // Many payments start at once: one wins.
        let mut tasks = vec![];
        for n in 0..8 {
            let store = store.clone();
            let p = PaymentRow {
                id: id(),
                order_id: order.id,
                provider: "sandbox".into(),
                transaction_id: format!("t{name}{n}"),
                status: "pending".into(),
                amount: 1000,
                currency: "EUR".into(),
                settle_at: None,
                error: None,
                message_id: 1,
                created_at: 2,
                updated_at: 2,
            };
            tasks.push(tokio::spawn(async move {
                store.start_payment(&p).await.unwrap().then_some(p)
            }));
        }
        let mut started = vec![];
        for t in tasks {
            started.extend(t.await.unwrap());
        }
        assert_eq!(started.len(), 1, "{name}: one payment starts");
        let payment = started.remove(0);

        // Many callbacks settle at once: one applies, with one ledger line.
        let mut tasks = vec![];
        for _ in 0..8 {
            let store = store.clone();
            let s = Settlement {
                payment_id: payment.id,
                order_id: order.id,
                status: "success".into(),
                order_payment_status: "paid".into(),
                error: None,
                ledger: Some(LedgerRow {
                    id: id(),
                    payment_id: payment.id,
                    kind: "payment".into(),
                    business_id: biz.id,
                    currency: "EUR".into(),
                    gross: 1000,
                    fee: 30,
                    net: 970,
                    created_at: 3,
                }),
                webhook: WebhookWork {
                    business_id: biz.id,
                    waba_id: None,
                    event: WebhookEvent::Payment {
                        payment_id: payment.id,
                        status: "captured".into(),
                        timestamp: 3,
                    },
                },
                now: 3,
            };
            tasks.push(tokio::spawn(async move {
                store.settle_payment(&s).await.unwrap()
            }));
        }
        let mut applied = 0;
        for t in tasks {
            applied += t.await.unwrap() as usize;
        }
        assert_eq!(applied, 1, "{name}: one settlement applies");
        assert_eq!(store.ledger(biz.id).await.unwrap().len(), 1, "{name}");
        assert_eq!(
            store.payment(payment.id).await.unwrap().unwrap().status,
            "success"
        );
        let paid = store.order(order.id).await.unwrap().unwrap();
        assert_eq!(paid.payment_status, "paid");
        // A paid order cannot be replaced or paid again.
        assert!(
            matches!(
                store
                    .put_order(&OrderRow {
                        id: id(),
                        total: 1,
                        ..paid.clone()
                    })
                    .await,
                Err(Error::Conflict(_))
            ),
            "{name}"
        );
        let again = PaymentRow {
            id: id(),
            transaction_id: format!("t{name}x"),
            ..payment.clone()
        };
        assert!(!store.start_payment(&again).await.unwrap(), "{name}");
    }
}
