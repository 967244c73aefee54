//! Properties of the chain on SQLite: any batching of the example log stores
//! the same chain, and any single flipped byte in any stored event is named
//! by `verify`.

mod common;

use dueregard::fixture::Given;
use dueregard_store::EventStore;
use proptest::prelude::*;

fn example_events() -> &'static [dueregard::Event] {
    use std::sync::OnceLock;
    static EVENTS: OnceLock<Vec<dueregard::Event>> = OnceLock::new();
    EVENTS.get_or_init(|| Given::example().into_tracker().events().to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn batching_does_not_change_the_chain(cuts in proptest::collection::vec(0.0f64..1.0, 0..6)) {
        let events = example_events();
        let mut points: Vec<usize> = cuts.iter().map(|c| (c * events.len() as f64) as usize).collect();
        points.push(0);
        points.push(events.len());
        points.sort_unstable();
        points.dedup();

        let one = common::SqliteDb::create();
        let mut whole = EventStore::open(&one.location()).unwrap();
        whole.append(0, events).unwrap();

        let many = common::SqliteDb::create();
        let mut parts = EventStore::open(&many.location()).unwrap();
        for w in points.windows(2) {
            parts.append(w[0] as i64, &events[w[0]..w[1]]).unwrap();
        }
        let a = whole.verify().unwrap();
        let b = parts.verify().unwrap();
        prop_assert!(a.is_intact() && b.is_intact());
        prop_assert_eq!(a.head, b.head);
        prop_assert_eq!(parts.events().unwrap(), events.to_vec());
    }

    #[test]
    fn a_flipped_payload_byte_is_named(pick in 0.0f64..1.0, byte in 0.0f64..1.0, bit in 0u8..8) {
        let events = example_events();
        let db = common::SqliteDb::create();
        EventStore::open(&db.location()).unwrap().append(0, events).unwrap();
        let seq = 1 + (pick * (events.len() - 1) as f64) as i64;
        let mut raw = common::Raw::open(&db.location());
        raw.unlock();
        let mut payload = raw.blob("payload", seq);
        let i = (byte * (payload.len() - 1) as f64) as usize;
        payload[i] ^= 1 << bit;
        raw.set_blob("payload", seq, &payload);
        let report = EventStore::open(&db.location()).unwrap().verify().unwrap();
        let b = report.first_break.expect("a flipped bit must be caught");
        prop_assert_eq!(b.seq, seq, "{}", b);
    }
}
