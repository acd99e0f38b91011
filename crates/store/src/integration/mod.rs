//! The integration domain, what the Cloud API side keeps: the webhook outbox and its attempt
//! log (`outbox`, `webhook_attempts`), message templates (`templates`) and sends that failed
//! after acceptance (`failed_sends`). Implements `wasla_core::integration`'
//! [`WebhookStore`](wasla_core::integration::WebhookStore),
//! [`TemplateStore`](wasla_core::integration::TemplateStore) and
//! [`FailedSendStore`](wasla_core::integration::FailedSendStore). Above business (delivery
//! reads an app's callback with the business row decoder); the chats and commerce domains
//! queue webhooks and run the outbox's bookkeeping through [`outbox`]'s helpers.

mod failed_sends;
mod outbox;
mod templates;
mod webhooks;

pub(crate) use outbox::{claim_due, enqueue_webhook, enqueue_webhooks, store_attempts, QueuedHook};
