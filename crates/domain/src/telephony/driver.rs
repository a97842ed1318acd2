//! What the control plane asks of a telephone network. So far: new numbers. Ringing, bridging,
//! hanging up and the rest of call control join this port as calls are built.
//!
//! The embedded default is the [`Simulator`], a network that exists only inside Switchboard.

use async_trait::async_trait;

use crate::Result;

/// A telephone network that Switchboard drives.
#[async_trait]
pub trait TelephonyDriver: Send + Sync {
    /// Numbers of `area_code` that the network could give the company, best first. The caller
    /// takes the first that no company holds yet; an empty list means the network has none.
    async fn offer_numbers(&self, area_code: &str) -> Result<Vec<String>>;
}

/// The simulated network. It hands out North American numbers of the area code from the
/// fictional range `555-0100`–`555-0199` (reserved for fiction, so no real telephone is ever
/// rung), a hundred per area code.
#[derive(Debug, Default, Clone, Copy)]
pub struct Simulator;

#[async_trait]
impl TelephonyDriver for Simulator {
    async fn offer_numbers(&self, area_code: &str) -> Result<Vec<String>> {
        Ok(fictional_numbers(area_code))
    }
}

/// `+1 AREA 555-0100` to `+1 AREA 555-0199` for a North American area code; none otherwise.
fn fictional_numbers(area_code: &str) -> Vec<String> {
    let nanp = area_code.len() == 3
        && area_code.bytes().all(|b| b.is_ascii_digit())
        && !area_code.starts_with(['0', '1']);
    if !nanp {
        return Vec::new();
    }
    (100..200)
        .map(|n| format!("+1{area_code}5550{n}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simulator_offers_fictional_numbers_of_the_area_code() {
        let offered = fictional_numbers("415");
        assert_eq!(offered.len(), 100);
        assert_eq!(offered[0], "+14155550100");
        assert_eq!(offered[99], "+14155550199");
        for n in &offered {
            crate::phone::E164::parse(n, None).unwrap();
        }
        assert!(fictional_numbers("12").is_empty());
        assert!(fictional_numbers("115").is_empty());
    }
}
