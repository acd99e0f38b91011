//! The integration domain, what the Cloud API side keeps: the webhook outbox and its attempt
//! log (`outbox`, `webhook_attempts`), message templates (`templates`), sends that failed
//! after acceptance (`failed_sends`) and the rate-limit buckets the nodes share
//! (`rate_limits`). Implements `wasla_core::integration`'
//! [`WebhookStore`](wasla_core::integration::WebhookStore),
//! [`TemplateStore`](wasla_core::integration::TemplateStore),
//! [`FailedSendStore`](wasla_core::integration::FailedSendStore) and
//! [`RateLimitStore`](wasla_core::integration::RateLimitStore). Above business (delivery
//! reads an app's callback with the business row decoder); the chats and commerce domains
//! queue webhooks and run the outbox's bookkeeping through [`outbox`]'s helpers.

mod failed_sends;
mod outbox;
mod rate_limits;
mod templates;
mod webhooks;

pub(crate) use outbox::{claim_due, enqueue_webhook, enqueue_webhooks, store_attempts, QueuedHook};
