//! Sanity checks for untrusted update and state-vector bytes, run before
//! anything reaches yrs.
//!
//! yrs pre-allocates from counts in the update header: a 4-byte update that
//! claims 2^32 struct blocks makes it reserve hundreds of MiB before it
//! notices the bytes are missing; nested `Any` values recurse without a depth
//! limit; clock arithmetic on hostile values overflows. The walker here
//! follows yrs' own v1 decoder (`Update::decode`, `ItemContent::decode`,
//! `Any::decode`, `IdSet::decode`) step by step and refuses:
//!
//! * every count that claims more elements than the remaining bytes could
//!   encode at the smallest possible element size,
//! * `Any` values nested deeper than [`MAX_ANY_DEPTH`],
//! * clock ranges that overflow 32 bits, client ids above 2^53 (yrs
//!   asserts on them),
//! * content and type tags yrs does not know, trailing bytes.
//!
//! What passes is a subset of what yrs accepts, read the same way, so every
//! allocation yrs makes for it is bounded by a small multiple of its length.

use crate::wire::{Reader, WireError};

/// The deepest nesting of `Any` arrays and maps accepted. Board content
/// nests two or three levels; yrs recurses once per level.
pub const MAX_ANY_DEPTH: usize = 64;

/// yrs client ids are JavaScript-safe integers; larger ones make it panic.
const MAX_CLIENT_ID: u64 = (1 << 53) - 1;

const BLOCK_GC: u8 = 0;
const BLOCK_SKIP: u8 = 10;
const HAS_ORIGIN: u8 = 0b1000_0000;
const HAS_RIGHT_ORIGIN: u8 = 0b0100_0000;
const HAS_PARENT_SUB: u8 = 0b0010_0000;

/// What a valid update contains, for counters and logs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpdateSummary {
    /// Struct blocks (items, GC and skip blocks) over all clients.
    pub structs: u64,
    /// Delete ranges over all clients.
    pub delete_ranges: u64,
}

impl UpdateSummary {
    /// Whether the update changes nothing (as `[0, 0]`, the empty update).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.structs == 0 && self.delete_ranges == 0
    }
}

/// Checks that `bytes` is a plausible update v1 that yrs can decode without
/// outsized allocation, unbounded recursion or arithmetic overflow.
///
/// # Errors
/// A [`WireError`] naming the first implausible claim.
pub fn validate_update_v1(bytes: &[u8]) -> Result<UpdateSummary, WireError> {
    let mut r = Reader::new(bytes);
    let mut summary = UpdateSummary::default();
    // Each client section is at least struct count + client + clock.
    let clients = r.count("update client sections", 3)?;
    for _ in 0..clients {
        // Each struct takes at least an info byte and one more byte.
        let structs = r.count("struct blocks", 2)?;
        client_id(&mut r)?;
        let mut clock = r.var_u32()?;
        for _ in 0..structs {
            let len = walk_struct(&mut r)?;
            clock = clock
                .checked_add(len)
                .ok_or(WireError::InvalidUpdate("struct clock overflows 32 bits"))?;
            summary.structs += 1;
        }
    }
    let ds_clients = r.count("delete set clients", 2)?;
    for _ in 0..ds_clients {
        client_id(&mut r)?;
        let ranges = r.count("delete ranges", 2)?;
        for _ in 0..ranges {
            let clock = r.var_u32()?;
            let len = r.var_u32()?;
            clock
                .checked_add(len)
                .ok_or(WireError::InvalidUpdate("delete range overflows 32 bits"))?;
            summary.delete_ranges += 1;
        }
    }
    r.finish()?;
    Ok(summary)
}

/// Checks an encoded state vector (the payload of SyncStep1).
///
/// # Errors
/// A [`WireError`] if a count is implausible or bytes are left over.
pub fn validate_state_vector_v1(bytes: &[u8]) -> Result<(), WireError> {
    let mut r = Reader::new(bytes);
    let n = r.count("state vector entries", 2)?;
    for _ in 0..n {
        client_id(&mut r)?;
        let _clock = r.var_u32()?;
    }
    r.finish()
}

/// Walks one struct block and returns an upper bound of its clock length.
fn walk_struct(r: &mut Reader<'_>) -> Result<u32, WireError> {
    let info = r.u8()?;
    match info {
        BLOCK_SKIP | BLOCK_GC => {
            let len = r.var_u32()?;
            if len == 0 {
                return Err(WireError::InvalidUpdate("empty GC or skip block"));
            }
            Ok(len)
        }
        _ => {
            let cant_copy_parent_info = info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN) == 0;
            if info & HAS_ORIGIN != 0 {
                walk_id(r)?;
            }
            if info & HAS_RIGHT_ORIGIN != 0 {
                walk_id(r)?;
            }
            if cant_copy_parent_info {
                if r.var_u32()? == 1 {
                    r.var_str()?;
                } else {
                    walk_id(r)?;
                }
                if info & HAS_PARENT_SUB != 0 {
                    r.var_str()?;
                }
            }
            walk_content(r, info & 0b1111)
        }
    }
}

fn client_id(r: &mut Reader<'_>) -> Result<u64, WireError> {
    let at = r.position();
    let id = r.var_u64()?;
    if id > MAX_CLIENT_ID {
        return Err(WireError::IntegerOutOfRange { at });
    }
    Ok(id)
}

fn walk_id(r: &mut Reader<'_>) -> Result<(), WireError> {
    client_id(r)?;
    r.var_u32()?;
    Ok(())
}

/// Walks item content; returns an upper bound of its length in clock units.
fn walk_content(r: &mut Reader<'_>, content_ref: u8) -> Result<u32, WireError> {
    match content_ref {
        // Deleted: just a length.
        1 => r.var_u32(),
        // JSON (legacy): yrs reads `len + 1` strings for a count of `len`,
        // so the walk does the same to stay aligned with it.
        2 => {
            let len = r.count("JSON content strings", 1)?;
            let n = len
                .checked_add(1)
                .ok_or(WireError::InvalidUpdate("JSON content count overflows"))?;
            if n as usize > r.remaining() {
                return Err(WireError::ImplausibleCount {
                    what: "JSON content strings",
                    claimed: u64::from(n),
                    remaining: r.remaining(),
                });
            }
            for _ in 0..n {
                r.var_str()?;
            }
            Ok(n)
        }
        // Binary.
        3 => r.var_buf().map(|_| 1),
        // String: its clock length is in UTF-16 units, at most its bytes.
        4 => {
            let s = r.var_str()?;
            u32::try_from(s.len()).map_err(|_| WireError::InvalidUpdate("string too long"))
        }
        // Embed (JSON text).
        5 => r.var_str().map(|_| 1),
        // Format: key and JSON value.
        6 => {
            r.var_str()?;
            r.var_str()?;
            Ok(1)
        }
        // Type: a type ref; XML elements carry a name. Weak links are a
        // yrs feature Stellwand does not enable and are refused.
        7 => {
            match r.u8()? {
                0 | 1 | 2 | 4 | 5 | 6 | 9 | 15 => {}
                3 => {
                    r.var_str()?;
                }
                _ => return Err(WireError::InvalidUpdate("unknown type ref")),
            }
            Ok(1)
        }
        // Any: a counted list of lib0 `Any` values.
        8 => {
            let n = r.count("Any content values", 1)?;
            for _ in 0..n {
                walk_any(r, 0)?;
            }
            Ok(n)
        }
        // Sub-document: guid and an options `Any`.
        9 => {
            r.var_str()?;
            walk_any(r, 0)?;
            Ok(1)
        }
        _ => Err(WireError::InvalidUpdate("unknown content type")),
    }
}

fn walk_any(r: &mut Reader<'_>, depth: usize) -> Result<(), WireError> {
    if depth >= MAX_ANY_DEPTH {
        return Err(WireError::InvalidUpdate("Any value nested too deeply"));
    }
    match r.u8()? {
        // undefined, null, false, true
        127 | 126 | 121 | 120 => Ok(()),
        // integer
        125 => r.skip_var_i64(),
        // float32
        124 => r.bytes(4).map(|_| ()),
        // float64, bigint
        123 | 122 => r.bytes(8).map(|_| ()),
        // string
        119 => r.var_str().map(|_| ()),
        // map: key string and value, at least two bytes per entry
        118 => {
            let n = r.count("Any map entries", 2)?;
            for _ in 0..n {
                r.var_str()?;
                walk_any(r, depth + 1)?;
            }
            Ok(())
        }
        // array
        117 => {
            let n = r.count("Any array values", 1)?;
            for _ in 0..n {
                walk_any(r, depth + 1)?;
            }
            Ok(())
        }
        // buffer
        116 => r.var_buf().map(|_| ()),
        _ => Err(WireError::InvalidUpdate("unknown Any tag")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::updates::decoder::Decode;
    use yrs::{Any, Array, Doc, GetString, Map, ReadTxn, StateVector, Text, Transact, Update};

    fn sample_update() -> Vec<u8> {
        let doc = Doc::new();
        let items = doc.get_or_insert_map("items");
        let list = doc.get_or_insert_array("list");
        let mut txn = doc.transact_mut();
        let note = items.insert(&mut txn, "n1", yrs::MapPrelim::default());
        note.insert(&mut txn, "type", "note");
        note.insert(&mut txn, "x", 10.5);
        note.insert(
            &mut txn,
            "tags",
            Any::from(vec![Any::from("a"), Any::from(2.0)]),
        );
        let text = note.insert(&mut txn, "text", yrs::TextPrelim::new("Grüße 👋"));
        text.insert(&mut txn, 0, ">");
        list.push_back(&mut txn, Any::Null);
        list.push_back(&mut txn, vec![1u8, 2, 3]);
        list.remove(&mut txn, 0);
        drop(txn);
        let update = doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        update
    }

    #[test]
    fn real_updates_pass_and_decode() {
        let bytes = sample_update();
        let summary = validate_update_v1(&bytes).unwrap();
        assert!(!summary.is_empty());
        let doc = Doc::new();
        doc.transact_mut()
            .apply_update(Update::decode_v1(&bytes).unwrap())
            .unwrap();
        let items = doc.get_or_insert_map("items");
        let txn = doc.transact();
        let note = items
            .get(&txn, "n1")
            .unwrap()
            .cast::<yrs::MapRef>()
            .unwrap();
        let text = note
            .get(&txn, "text")
            .unwrap()
            .cast::<yrs::TextRef>()
            .unwrap();
        assert_eq!(text.get_string(&txn), ">Grüße 👋");
    }

    #[test]
    fn the_empty_update_is_valid_and_empty() {
        assert!(validate_update_v1(&[0, 0]).unwrap().is_empty());
    }

    #[test]
    fn a_four_byte_update_claiming_billions_of_structs_is_refused() {
        // 1 client section, 2^28 structs, then nothing.
        let attack = [0x01, 0x80, 0x80, 0x80, 0x01];
        assert!(matches!(
            validate_update_v1(&attack),
            Err(WireError::ImplausibleCount { .. })
        ));
        let attack = [0xff, 0xff, 0xff, 0xff, 0x0f];
        assert!(validate_update_v1(&attack).is_err());
    }

    #[test]
    fn huge_delete_set_and_any_counts_are_refused() {
        assert!(validate_update_v1(&[0, 0xff, 0xff, 0xff, 0x0f]).is_err());
        assert!(validate_update_v1(&[0, 1, 5, 0xff, 0xff, 0xff, 0x0f]).is_err());
    }

    #[test]
    fn deeply_nested_any_is_refused() {
        // 1 client, 1 struct, client 1, clock 0, info 8 (Any, no origins),
        // parent named "a", 1 value: 100 nested one-element arrays.
        let mut bytes = vec![1, 1, 1, 0, 8, 1, 1, b'a', 1];
        for _ in 0..100 {
            bytes.extend_from_slice(&[117, 1]);
        }
        bytes.push(126);
        bytes.extend_from_slice(&[0]);
        assert_eq!(
            validate_update_v1(&bytes),
            Err(WireError::InvalidUpdate("Any value nested too deeply"))
        );
    }

    #[test]
    fn overflowing_delete_ranges_are_refused() {
        let bytes = [0, 1, 1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f, 2];
        assert!(validate_update_v1(&bytes).is_err());
    }

    #[test]
    fn every_truncation_of_a_real_update_is_refused_without_panic() {
        let bytes = sample_update();
        for n in 0..bytes.len() {
            assert!(validate_update_v1(&bytes[..n]).is_err(), "prefix {n}");
        }
    }

    #[test]
    fn random_bytes_never_panic_and_what_passes_decodes_cheaply() {
        use rand::{Rng, SeedableRng};
        let seed = 7;
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let base = sample_update();
        for _ in 0..20_000 {
            let mut bytes = base.clone();
            for _ in 0..rng.random_range(1..4) {
                let i = rng.random_range(0..bytes.len());
                bytes[i] = rng.random();
            }
            if validate_update_v1(&bytes).is_ok() {
                // Must not blow up; errors are fine.
                let _ = Update::decode_v1(&bytes);
            }
        }
    }

    #[test]
    fn state_vectors_are_checked() {
        let doc = Doc::new();
        doc.get_or_insert_text("t")
            .insert(&mut doc.transact_mut(), 0, "x");
        let sv = yrs::updates::encoder::Encode::encode_v1(&doc.transact().state_vector());
        validate_state_vector_v1(&sv).unwrap();
        assert!(validate_state_vector_v1(&[0xff, 0xff, 0xff, 0xff, 0x0f]).is_err());
        assert!(validate_state_vector_v1(&[1, 1]).is_err());
    }
}
