//! What the server accepts as a session description and an ICE candidate before it relays
//! them: a size limit, text of `x=value` lines only (a lowercase letter, `=`, printable
//! characters), a `v=0` line first, and at least one media section, each of them `audio` or
//! `video`. The server never interprets the rest; the browsers negotiate it.

use crate::error::{Error, Result};
use wasla_types::calls::IceCandidate;

/// Largest session description, in bytes.
pub const MAX_SDP_BYTES: usize = 16 << 10;
/// Most lines in a session description.
const MAX_SDP_LINES: usize = 400;
/// Largest ICE candidate line, in bytes.
pub const MAX_CANDIDATE_BYTES: usize = 1024;

/// What a checked session description carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SdpFacts {
    /// It has an audio section.
    pub audio: bool,
    /// It has a video section that is not disabled (port 0).
    pub video: bool,
}

/// Check a session description; refuses anything not of the expected form.
pub fn check_sdp(sdp: &str) -> Result<SdpFacts> {
    let mut facts = SdpFacts {
        audio: false,
        video: false,
    };
    let mut sections = 0;
    for (i, line) in checked_lines(sdp, MAX_SDP_BYTES, MAX_SDP_LINES)?
        .into_iter()
        .enumerate()
    {
        if line.starts_with('v') && i != 0 {
            return Err(Error::bad("sdp has a second v= line"));
        }
        if let Some(value) = line.strip_prefix("m=") {
            sections += 1;
            let mut parts = value.split(' ');
            let kind = parts.next().unwrap_or("");
            let port = parts.next().unwrap_or("");
            match kind {
                "audio" => facts.audio = true,
                "video" => facts.video |= port != "0",
                _ => {
                    return Err(Error::bad(format!(
                        "sdp media {kind:?} is not allowed: audio and video only"
                    )))
                }
            }
        }
    }
    if sections == 0 {
        return Err(Error::bad("sdp has no audio or video section"));
    }
    Ok(facts)
}

/// The lines of a session description of at most `max_bytes` and `max_lines`, each of the
/// form `x=value` (a lowercase letter, `=`, no control characters), the first `v=0`; else a
/// bad request naming the first problem. 1:1 calls and the SFU check their own rules on top.
pub(crate) fn checked_lines(sdp: &str, max_bytes: usize, max_lines: usize) -> Result<Vec<&str>> {
    if sdp.len() > max_bytes {
        return Err(Error::bad(format!("sdp is larger than {max_bytes} bytes")));
    }
    let body = sdp.strip_suffix('\n').unwrap_or(sdp);
    let body = body.strip_suffix('\r').unwrap_or(body);
    if body.is_empty() {
        return Err(Error::bad("sdp is empty"));
    }
    let mut lines = Vec::new();
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
        lines.push(line);
    }
    Ok(lines)
}

/// Check an ICE candidate: a size limit and a `candidate:` line (or the empty end marker).
pub fn check_candidate(c: &IceCandidate) -> Result<()> {
    let too_long = |s: &Option<String>| s.as_ref().is_some_and(|s| s.len() > 64);
    if c.candidate.len() > MAX_CANDIDATE_BYTES || too_long(&c.sdp_mid) {
        return Err(Error::bad("ice candidate is too large"));
    }
    if too_long(&c.username_fragment) {
        return Err(Error::bad("ice candidate is too large"));
    }
    if !c.candidate.is_empty()
        && (!c.candidate.starts_with("candidate:") || c.candidate.chars().any(|c| c.is_control()))
    {
        return Err(Error::bad("ice candidate must be a candidate: line"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFER: &str = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n\
        m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\n\
        m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n";

    #[test]
    fn a_browser_offer_passes() {
        let f = check_sdp(OFFER).unwrap();
        assert!(f.audio && f.video);
        let voice = OFFER.replace("m=video 9", "m=video 0");
        assert!(!check_sdp(&voice).unwrap().video);
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            "hello",
            "o=- 1 2 IN IP4 127.0.0.1\r\nv=0\r\nm=audio 9 RTP 0\r\n",
            "v=0\r\ns=-\r\n",
            "v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n",
            "v=0\r\nm=audio 9 RTP 0\r\nX=upper\r\n",
            "v=0\r\nm=audio 9 RTP 0\r\n\r\na=x\r\n",
            "v=0\r\nm=audio 9 RTP 0\r\na=x\u{7}y\r\n",
            "v=0\r\nv=0\r\nm=audio 9 RTP 0\r\n",
        ] {
            assert!(check_sdp(bad).is_err(), "{bad:?} passed");
        }
        let huge = format!("{OFFER}{}", "a=x\r\n".repeat(4000));
        assert!(check_sdp(&huge).is_err());
    }

    #[test]
    fn candidates_are_checked() {
        let ok = IceCandidate {
            candidate: "candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host".into(),
            sdp_mid: Some("0".into()),
            sdp_m_line_index: Some(0),
            username_fragment: None,
        };
        assert!(check_candidate(&ok).is_ok());
        let bad = IceCandidate {
            candidate: "a=evil".into(),
            ..ok.clone()
        };
        assert!(check_candidate(&bad).is_err());
        let big = IceCandidate {
            candidate: format!("candidate:{}", "1".repeat(2000)),
            ..ok
        };
        assert!(check_candidate(&big).is_err());
    }
}
