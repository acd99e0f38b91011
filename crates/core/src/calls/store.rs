//! The calls domain's storage: call rows and the one live call each person may be in.

use super::rows::{CallRow, CallState, Placed};
use crate::error::Result;
use async_trait::async_trait;

/// Calls and who is in a live call.
#[async_trait]
pub trait CallStore: Send + Sync {
    /// Place a call: in one transaction claim the caller and the callee (each person is in at
    /// most one ringing or active call) and insert the row as ringing. When the callee is
    /// taken, the row is stored as ended (busy) instead; when the caller is, nothing is.
    async fn place_call(&self, call: &CallRow) -> Result<Placed>;
    /// By id.
    async fn call(&self, id: i64) -> Result<Option<CallRow>>;
    /// Write `row` over the stored call if it is still in state `from` (compare and set);
    /// an ended row frees both people. False when the state had moved on.
    async fn update_call(&self, from: CallState, row: &CallRow) -> Result<bool>;
    /// Note that a side of a live call was heard from at `at`.
    async fn touch_call(&self, id: i64, caller: bool, at: i64) -> Result<()>;
    /// The live call an account is in.
    async fn live_call_of(&self, account_id: i64) -> Result<Option<CallRow>>;
    /// Calls ringing since `ringing_before` or earlier, and active calls with a side not heard
    /// from since `silent_before`; at most `limit`.
    async fn due_calls(
        &self,
        ringing_before: i64,
        silent_before: i64,
        limit: i64,
    ) -> Result<Vec<CallRow>>;
    /// An account's calls (placed or received) with id below `before`, newest first.
    async fn calls_of(
        &self,
        account_id: i64,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<CallRow>>;
}
