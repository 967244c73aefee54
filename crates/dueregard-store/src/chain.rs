//! The hash chain and the canonical payload encoding.
//!
//! Each stored event carries `hash = SHA-256(EVENT_TAG ‖ seq (8 bytes,
//! big-endian) ‖ prev_hash ‖ payload)`, where `payload` is the event encoded
//! as MessagePack with named fields (the canonical encoding: decoding and
//! re-encoding gives the same bytes) and `prev_hash` is the previous event's
//! hash. The first event links to the *genesis* hash, which covers the store's
//! policy, so a changed policy breaks the chain too.

use dueregard::{Event, Policy};
use sha2::{Digest, Sha256};

use crate::error::{Result, StoreError};

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// Identifies the payload encoding of a stored row (MessagePack, named fields).
pub(crate) const FORMAT_MSGPACK: i64 = 1;

const EVENT_TAG: &[u8] = b"dueregard/event/v1\0";
const GENESIS_TAG: &[u8] = b"dueregard/genesis/v1\0";

/// The policy's canonical bytes (compact JSON, field order as declared).
pub(crate) fn policy_bytes(policy: &Policy) -> Result<Vec<u8>> {
    serde_json::to_vec(policy).map_err(|e| StoreError::Encode {
        seq: 0,
        reason: e.to_string(),
    })
}

/// The hash the first event links to.
pub(crate) fn genesis(policy_bytes: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update(GENESIS_TAG);
    h.update(policy_bytes);
    h.finalize().into()
}

/// The hash of one stored event.
pub(crate) fn link(prev: &[u8], seq: i64, payload: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update(EVENT_TAG);
    h.update(seq.to_be_bytes());
    h.update(prev);
    h.update(payload);
    h.finalize().into()
}

/// Appends an event's canonical encoding (MessagePack, named fields) to
/// `out`.
pub(crate) fn encode_into(out: &mut Vec<u8>, event: &Event) -> Result<()> {
    rmp_serde::encode::write_named(out, event).map_err(|e| StoreError::Encode {
        seq: event.seq,
        reason: e.to_string(),
    })
}

/// Decodes a stored payload.
pub(crate) fn decode(bytes: &[u8]) -> std::result::Result<Event, String> {
    rmp_serde::from_slice(bytes).map_err(|e| e.to_string())
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The time column's text: RFC 3339 in UTC, as precise as the event.
pub(crate) fn time_text(event: &Event) -> String {
    event
        .at
        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_depends_on_every_input() {
        let base = link(&[0; 32], 1, b"abc");
        assert_ne!(base, link(&[1; 32], 1, b"abc"));
        assert_ne!(base, link(&[0; 32], 2, b"abc"));
        assert_ne!(base, link(&[0; 32], 1, b"abd"));
        assert_eq!(base, link(&[0; 32], 1, b"abc"));
    }

    #[test]
    fn genesis_depends_on_policy() {
        let a = policy_bytes(&Policy::default()).unwrap();
        let b = policy_bytes(&Policy {
            verifier_from_other_body: true,
            ..Policy::default()
        })
        .unwrap();
        assert_ne!(genesis(&a), genesis(&b));
    }

    #[test]
    fn encoding_into_a_buffer_appends_the_canonical_bytes() {
        let events = dueregard::example::tracker().events().to_vec();
        let mut out = b"prefix".to_vec();
        encode_into(&mut out, &events[0]).unwrap();
        assert_eq!(&out[..6], b"prefix");
        assert_eq!(out[6..], rmp_serde::to_vec_named(&events[0]).unwrap());
        assert_eq!(decode(&out[6..]).unwrap(), events[0]);
    }

    #[test]
    fn hex_is_lower_case_pairs() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
    }
}
