//! The little of SDP (RFC 4566) a signalling-only back-to-back agent reads: the media
//! direction a re-INVITE asks for (hold is `sendonly` or `inactive`, RFC 3264 §8.4), and the
//! direction an answer gives back. Bodies are otherwise passed through untouched.

/// A stream's direction attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}

impl Direction {
    /// Whether an offer with this direction puts the other party on hold.
    pub(crate) fn is_hold(self) -> bool {
        matches!(self, Self::SendOnly | Self::Inactive)
    }

    /// The direction that answers it.
    fn answer(self) -> Self {
        match self {
            Self::SendOnly => Self::RecvOnly,
            Self::RecvOnly => Self::SendOnly,
            other => other,
        }
    }

    fn attribute(self) -> &'static str {
        match self {
            Self::SendRecv => "a=sendrecv",
            Self::SendOnly => "a=sendonly",
            Self::RecvOnly => "a=recvonly",
            Self::Inactive => "a=inactive",
        }
    }
}

fn direction_of(line: &str) -> Option<Direction> {
    match line.trim() {
        "a=sendrecv" => Some(Direction::SendRecv),
        "a=sendonly" => Some(Direction::SendOnly),
        "a=recvonly" => Some(Direction::RecvOnly),
        "a=inactive" => Some(Direction::Inactive),
        _ => None,
    }
}

/// The direction an SDP body asks for (the last one given; `sendrecv` when none is).
pub(crate) fn direction(body: &[u8]) -> Direction {
    String::from_utf8_lossy(body)
        .lines()
        .filter_map(direction_of)
        .next_back()
        .unwrap_or(Direction::SendRecv)
}

/// `sdp` (the answering party's last description) with the direction that answers `offered`.
pub(crate) fn answering(sdp: &[u8], offered: Direction) -> Vec<u8> {
    let text = String::from_utf8_lossy(sdp);
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.lines().filter(|l| direction_of(l).is_none()) {
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str(offered.answer().attribute());
    out.push_str("\r\n");
    out.into_bytes()
}

/// The offer a phone is rung with for its user's outbound call, before the outside party's
/// media is known: audio with no address and no direction (RFC 3725's holding offer), from
/// origin `session`. The phone answers with its own address, which the outside party is then
/// offered.
pub(crate) fn holding_offer(session: u64) -> Vec<u8> {
    format!(
        "v=0\r\no=switchboard {session} 1 IN IP4 0.0.0.0\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n\
         m=audio 9 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n\
         a=rtpmap:101 telephone-event/8000\r\na=inactive\r\n"
    )
    .into_bytes()
}

/// `sdp` offered again from origin `session` at `version` (an offer in a dialog must keep its
/// origin and raise its version, RFC 3264 §8), both ways (`sendrecv`).
pub(crate) fn reoffer(sdp: &[u8], session: u64, version: u64) -> Vec<u8> {
    let both = answering(sdp, Direction::SendRecv);
    let text = String::from_utf8_lossy(&both);
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.lines() {
        if line.starts_with("o=") {
            out.push_str(&format!("o=switchboard {session} {version} IN IP4 0.0.0.0"));
        } else {
            out.push_str(line);
        }
        out.push_str("\r\n");
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDP: &str = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=sendrecv\r\n";

    #[test]
    fn hold_offers_are_told_from_resumes() {
        assert_eq!(direction(SDP.as_bytes()), Direction::SendRecv);
        let hold = SDP.replace("a=sendrecv", "a=sendonly");
        assert!(direction(hold.as_bytes()).is_hold());
        let inactive = SDP.replace("a=sendrecv", "a=inactive");
        assert!(direction(inactive.as_bytes()).is_hold());
        let none = SDP.replace("a=sendrecv\r\n", "");
        assert!(!direction(none.as_bytes()).is_hold());
    }

    #[test]
    fn an_answer_mirrors_the_offered_direction_once() {
        let answer = String::from_utf8(answering(SDP.as_bytes(), Direction::SendOnly)).unwrap();
        assert!(answer.contains("a=recvonly"), "{answer}");
        assert!(!answer.contains("a=sendrecv"), "{answer}");
        assert!(answer.contains("m=audio 6000"), "{answer}");
        let answer = String::from_utf8(answering(SDP.as_bytes(), Direction::Inactive)).unwrap();
        assert_eq!(answer.matches("a=inactive").count(), 1, "{answer}");
    }

    #[test]
    fn a_holding_offer_is_answered_then_offered_again_both_ways() {
        let holding = String::from_utf8(holding_offer(7)).unwrap();
        assert!(holding.contains("o=switchboard 7 1 IN IP4"));
        assert_eq!(direction(holding.as_bytes()), Direction::Inactive);
        let far = SDP.replace("a=sendrecv", "a=recvonly");
        let again = String::from_utf8(reoffer(far.as_bytes(), 7, 2)).unwrap();
        assert!(again.contains("o=switchboard 7 2 IN IP4 0.0.0.0\r\n"));
        assert!(again.contains("m=audio 6000 RTP/AVP 0\r\n"));
        assert!(!again.contains("o=- 1 1"));
        assert_eq!(direction(again.as_bytes()), Direction::SendRecv);
    }
}
