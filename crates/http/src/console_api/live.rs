//! `GET /console/v1/stream`: the agent's live stream as Server-Sent Events, authenticated by
//! the agent session and scoped to the agent's WABA. Each event's data is one JSON object:
//! `{"type":"event","phone_number_id":…,"event":…}` (messages and statuses), `{"type":"chat",…}`
//! (state and assignee), `{"type":"agent_presence","agent_id":…,"online":…}` or
//! `{"type":"resync"}`.

use crate::error::ApiResult;
use crate::extract::AgentSession;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use wasla_core::Wasla;

/// The live stream; the agent is online while it is open.
pub async fn stream(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let live = app.tools.console_stream(&s.agent).await?;
    let items = futures::stream::unfold(live, |mut live| async move {
        let text = live.rx.recv().await?;
        Some((Ok(Event::default().data(text)), live))
    });
    Ok(Sse::new(items).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
