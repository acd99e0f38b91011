//! What the SFU accepts as a session description before parsing it: a size limit that grows
//! with the room (each participant adds an audio and a video section), text of `x=value`
//! lines only (a lowercase letter, `=`, printable characters) and a `v=0` line first. The
//! description is then parsed strictly by the WebRTC stack, which refuses anything it cannot
//! use.

use crate::calls::sdp::checked_lines;
use crate::error::Result;

/// Bytes a session description may take per participant of a full room.
const BYTES_PER_PARTICIPANT: usize = 3 << 10;
/// Lines a session description may take per participant of a full room.
const LINES_PER_PARTICIPANT: usize = 80;
/// The least limit, for small rooms (a browser's first offer lists every codec it has).
const MIN_BYTES: usize = 16 << 10;

/// Check a session description for a room of at most `max` participants.
pub fn check_group_sdp(sdp: &str, max: u32) -> Result<()> {
    let max = max as usize;
    let max_bytes = (BYTES_PER_PARTICIPANT * max).max(MIN_BYTES);
    let max_lines = (LINES_PER_PARTICIPANT * max).max(400);
    checked_lines(sdp, max_bytes, max_lines).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_descriptions_within_the_limit_pass() {
        assert!(check_group_sdp("v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\n", 64).is_ok());
        assert!(check_group_sdp("", 64).is_err());
        assert!(check_group_sdp("hello", 64).is_err());
        assert!(check_group_sdp("o=- 1\r\nv=0\r\n", 64).is_err());
        assert!(check_group_sdp("v=0\r\na=x\u{7}\r\n", 64).is_err());
        let big = format!("v=0\r\n{}", "a=x\r\n".repeat(5000));
        assert!(check_group_sdp(&big, 4).is_err());
        assert!(check_group_sdp(&big, 64).is_ok());
    }
}
