//! People, direct chats and text messages for the store scenarios that need a conversation.

#![allow(dead_code)] // each test binary uses some of these

use wasla_core::accounts::AccountStore;
use wasla_core::accounts::{AccountKind, AccountRow};
use wasla_core::chats::ChatStore;
use wasla_core::chats::{ChatKind, ChatRow, MemberRow, MessageRow, NewMessage, Role};
use wasla_store::SqlStore;
use wasla_types::content::{Content, Text};

static NEXT: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(1_000);

/// A fresh row id.
pub fn id() -> i64 {
    NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
}

/// An account row, not yet stored.
pub fn account(kind: AccountKind, wa_id: &str, waba_id: Option<i64>) -> AccountRow {
    AccountRow {
        id: id(),
        kind,
        wa_id: wa_id.into(),
        phone: format!("+{wa_id}"),
        display_name: wa_id.into(),
        about: String::new(),
        photo: None,
        verified_name: None,
        waba_id,
        last_seen: None,
        created_at: 1,
    }
}

/// Register person `n`.
pub async fn person(store: &SqlStore, n: i64) -> AccountRow {
    let row = AccountRow {
        display_name: format!("P{n}"),
        ..account(AccountKind::Person, &format!("4479111{n:05}"), None)
    };
    store.create_account(&row).await.unwrap();
    row
}

/// People 1 and 2 and their direct chat: the setup of most tests here.
pub async fn two_people_in_a_chat(store: &SqlStore) -> (AccountRow, AccountRow, ChatRow) {
    let a = person(store, 1).await;
    let b = person(store, 2).await;
    let chat = direct(store, &a, &b).await;
    (a, b, chat)
}

/// The direct chat of `a` and `b`.
pub async fn direct(store: &SqlStore, a: &AccountRow, b: &AccountRow) -> ChatRow {
    let chat = ChatRow {
        id: id(),
        kind: ChatKind::Direct,
        subject: None,
        photo: None,
        last_seq: 0,
        created_at: 1,
        updated_at: 1,
    };
    let members: Vec<MemberRow> = [a.id, b.id]
        .iter()
        .map(|&acc| MemberRow {
            chat_id: chat.id,
            account_id: acc,
            role: Role::Member,
            joined_at: 1,
            left_at: None,
            left_seq: None,
            last_read_seq: 0,
            account_kind: AccountKind::Person,
        })
        .collect();
    let key = format!("{}:{}", a.id.min(b.id), a.id.max(b.id));
    store
        .insert_chat(&chat, Some(&key), &members, &[])
        .await
        .unwrap();
    store.direct_chat(&key).await.unwrap().unwrap()
}

/// A text message from `from` to `to`, not yet committed.
pub fn text(
    chat: &ChatRow,
    from: &AccountRow,
    to: &AccountRow,
    body: &str,
    client_id: Option<&str>,
) -> NewMessage {
    NewMessage {
        message: MessageRow {
            id: id(),
            chat_id: chat.id,
            seq: 0,
            sender_id: from.id,
            sender_wa_id: from.wa_id.clone(),
            content: Content::Text {
                text: Text {
                    body: body.into(),
                    preview_url: None,
                },
            },
            context: None,
            forwarded: false,
            client_id: client_id.map(str::to_string),
            callback_data: None,
            category: None,
            created_at: 2,
        },
        media_id: None,
        recipients: vec![to.id],
        audience: vec![from.id, to.id],
        webhooks: vec![],
        opens_window: None,
        charges: vec![],
    }
}
