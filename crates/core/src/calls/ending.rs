//! The end of a call: both people's devices hear why, and the chat gets its note, "Missed
//! voice call", "Declined video call" or "Voice call, 2:13", the same for both people (the
//! structured side of the note says who called and how it went).

use super::rows::{wacid, CallRow, EndReason};
use super::Calls;
use crate::accounts::AccountRow;
use crate::bus::CallDevices;
use wasla_types::calls::{CallMedia, CallNote, CallNotice};
use wasla_types::content::SystemNote;

impl Calls {
    /// Tell both sides that the call ended and record it in the chat. Runs once per call:
    /// only the step that moved the stored row to ended calls it.
    pub(super) async fn ended(&self, row: &CallRow, caller: &AccountRow) {
        let reason = row.end_reason.unwrap_or(EndReason::Hangup);
        for account in [row.caller_id, row.callee_id] {
            let notice = CallNotice::Ended {
                call_id: wacid(row.id),
                reason: reason.as_str().into(),
                duration_secs: row.duration_secs(),
            };
            self.notify(account, CallDevices::All, notice);
        }
        let note = call_note(row, &caller.wa_id);
        if let Err(e) = self.chats.post_system_note(caller, row.chat_id, note).await {
            tracing::warn!(error = %e, call = row.id, "the call's note was not written");
        }
    }
}

/// The note a call leaves in its chat.
pub fn call_note(row: &CallRow, caller_wa_id: &str) -> SystemNote {
    let kind = match row.media {
        CallMedia::Voice => "voice",
        CallMedia::Video => "video",
    };
    let (outcome, body) = match (row.answered_at, row.end_reason) {
        (Some(_), _) => {
            let secs = row.duration_secs().unwrap_or(0);
            let title = match row.media {
                CallMedia::Voice => "Voice call",
                CallMedia::Video => "Video call",
            };
            ("answered", format!("{title}, {}", clock_text(secs)))
        }
        (None, Some(EndReason::Declined)) => ("declined", format!("Declined {kind} call")),
        (None, _) => ("missed", format!("Missed {kind} call")),
    };
    SystemNote {
        body,
        call: Some(CallNote {
            call_id: wacid(row.id),
            media: row.media,
            outcome: outcome.into(),
            from: caller_wa_id.into(),
            duration_secs: row.duration_secs().filter(|_| row.answered_at.is_some()),
        }),
    }
}

/// `m:ss`, or `h:mm:ss` from an hour.
pub fn clock_text(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::CallState;

    #[test]
    fn notes_read_as_people_expect() {
        let mut row = CallRow {
            id: 1,
            chat_id: 2,
            caller_id: 3,
            callee_id: 4,
            media: CallMedia::Voice,
            state: CallState::Ended,
            end_reason: Some(EndReason::NoAnswer),
            caller_device: 5,
            callee_device: None,
            created_at: 0,
            answered_at: None,
            ended_at: Some(45_000),
            caller_seen_at: 0,
            callee_seen_at: None,
        };
        assert_eq!(call_note(&row, "1").body, "Missed voice call");
        row.end_reason = Some(EndReason::Declined);
        row.media = CallMedia::Video;
        assert_eq!(call_note(&row, "1").body, "Declined video call");
        row.media = CallMedia::Voice;
        row.end_reason = Some(EndReason::Hangup);
        row.answered_at = Some(1_000);
        row.ended_at = Some(134_000);
        let note = call_note(&row, "1");
        assert_eq!(note.body, "Voice call, 2:13");
        assert_eq!(note.call.unwrap().duration_secs, Some(133));
        assert_eq!(clock_text(3_725), "1:02:05");
    }
}
