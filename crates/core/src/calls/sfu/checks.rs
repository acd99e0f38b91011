//! What the SFU accepts as a session description before parsing it: a size limit that grows
//! with the room (each participant adds an audio and a video section), text of `x=value`
//! lines only (a lowercase letter, `=`, printable characters) and a `v=0` line first. The
//! description is then parsed strictly by the WebRTC stack, which refuses anything it cannot
//! use.

use crate::error::{Error, Result};

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
    if sdp.len() > max_bytes {
        return Err(Error::bad(format!("sdp is larger than {max_bytes} bytes")));
    }
    let body = sdp.trim_end_matches(['\r', '\n']);
    if body.is_empty() {
        return Err(Error::bad("sdp is empty"));
    }
    for (i, raw) in body.split('\n').enumerate() {
        if i >= max_lines {
            return Err(Error::bad(format!("sdp has more than {max_lines} lines")));
        }
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let bytes = line.as_bytes();
        if bytes.len() < 2 || !bytes[0].is_ascii_lowercase() || bytes[1] != b'=' {
            return Err(Error::bad(format!(
                "sdp line {} is not of the form x=value",
                i + 1
            )));
        }
        if line.chars().any(char::is_control) {
            return Err(Error::bad(format!(
                "sdp line {} has a control character",
                i + 1
            )));
        }
        if i == 0 && line != "v=0" {
            return Err(Error::bad("sdp must start with v=0"));
        }
    }
    Ok(())
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
