//! The calls domain's tables: `calls` (one row per call between two people) and
//! `call_parties` (the live call each person is in). Implements `wasla_core::calls`'
//! [`CallStore`].

mod rows;

use crate::SqlStore;
use async_trait::async_trait;
use wasla_core::calls::{CallRow, CallState, CallStore, Placed};
use wasla_core::Result;

#[async_trait]
impl CallStore for SqlStore {
    async fn place_call(&self, call: &CallRow) -> Result<Placed> {
        rows::place(self, call).await
    }

    async fn call(&self, id: i64) -> Result<Option<CallRow>> {
        rows::call(self, id).await
    }

    async fn update_call(&self, from: CallState, row: &CallRow) -> Result<bool> {
        rows::update(self, from, row).await
    }

    async fn touch_call(&self, id: i64, caller: bool, at: i64) -> Result<()> {
        rows::touch(self, id, caller, at).await
    }

    async fn live_call_of(&self, account_id: i64) -> Result<Option<CallRow>> {
        rows::live_of(self, account_id).await
    }

    async fn due_calls(
        &self,
        ringing_before: i64,
        silent_before: i64,
        limit: i64,
    ) -> Result<Vec<CallRow>> {
        rows::due(self, ringing_before, silent_before, limit).await
    }

    async fn calls_of(
        &self,
        account_id: i64,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<CallRow>> {
        rows::of(self, account_id, before, limit).await
    }
}
