//! The frame format of folder sync logs: how opaque envelope bytes are laid
//! out, one after another, in a device's append-only log file.
//!
//! A synced folder is a hostile medium: a sync tool may hand us a file whose
//! tail is still arriving, a network share may show a torn write, and a
//! conflict resolution may leave garbage between records. Every frame
//! therefore carries a magic, a length and a checksum, so a reader can tell a
//! complete frame from a partial tail (wait for it) and from damage (skip it,
//! resynchronising on the next frame that checks out).
//!
//! # Layout
//!
//! Changing anything in this table is a storage format change: every device
//! on the folder must read what every other device writes, so a new layout
//! needs a new [`VERSION`] (which older readers skip as damage).
//!
//! | offset | size | field   | meaning                                         |
//! |-------:|-----:|---------|-------------------------------------------------|
//! | 0      | 4    | magic   | the bytes `TDNG` ([`MAGIC`])                    |
//! | 4      | 1    | version | [`VERSION`] (1)                                 |
//! | 5      | 4    | length  | payload length in bytes, u32 little-endian, at most [`MAX_PAYLOAD`] |
//! | 9      | 4    | crc     | CRC-32 (IEEE, as `crc32fast`) of the payload, u32 little-endian |
//! | 13     | n    | payload | the envelope bytes, opaque to this layer       |
//!
//! The checksum covers only the payload: the header's fields are checked by
//! their own constraints (magic, version, length limit), and a header damaged
//! into a different but plausible length makes the payload checksum fail.

use crate::error::{Error, ErrorCode, Result};

/// The first four bytes of every frame. A format constant.
pub const MAGIC: [u8; 4] = *b"TDNG";

/// The frame layout version written by this code. A format constant.
pub const VERSION: u8 = 1;

/// Bytes before the payload: magic, version, length, crc.
pub const HEADER_LEN: usize = 4 + 1 + 4 + 4;

/// Largest payload a frame may carry (1 MiB). Writers refuse larger
/// payloads; readers treat a larger length as damage. A format constant.
pub const MAX_PAYLOAD: usize = 1 << 20;

/// Largest possible frame, header included.
pub const MAX_FRAME_LEN: usize = HEADER_LEN + MAX_PAYLOAD;

/// The header bytes that are the same in every frame: a tail shorter than a
/// header that matches this prefix may be the start of a frame still arriving.
const FIXED_PREFIX: [u8; 5] = [MAGIC[0], MAGIC[1], MAGIC[2], MAGIC[3], VERSION];

/// Encodes one payload as a frame.
///
/// Fails with [`ErrorCode::TooLarge`] when the payload is over
/// [`MAX_PAYLOAD`].
pub fn encode(payload: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    encode_into(&mut out, payload)?;
    Ok(out)
}

/// Appends one payload, framed, to `out` (so a batch becomes one write).
///
/// Fails with [`ErrorCode::TooLarge`] when the payload is over
/// [`MAX_PAYLOAD`]; `out` is then left unchanged.
pub fn encode_into(out: &mut Vec<u8>, payload: &[u8]) -> Result<()> {
    let len = checked_len(payload.len())?;
    out.extend_from_slice(&MAGIC);
    out.push(VERSION);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(payload);
    Ok(())
}

fn checked_len(len: usize) -> Result<u32> {
    match u32::try_from(len) {
        Ok(l) if len <= MAX_PAYLOAD => Ok(l),
        _ => Err(Error::new(
            ErrorCode::TooLarge,
            format!(
                "A sync record of {len} bytes is over the {MAX_PAYLOAD}-byte limit of folder sync: \
                 make the message or attachment smaller"
            ),
        )),
    }
}

/// One thing a [`Reader`] found. Offsets are absolute: the reader's base
/// offset plus the position in its slice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Chunk<'a> {
    /// A complete frame whose checksum verifies.
    Frame {
        /// Where the frame starts.
        offset: u64,
        /// Where the next frame starts (persist this as the read position).
        next_offset: u64,
        /// The payload (envelope bytes).
        payload: &'a [u8],
    },
    /// Bytes at `offset` are not a valid frame (bad magic, unknown version,
    /// length over the limit, checksum mismatch, or a frame cut short by the
    /// next one); the reader skipped them and resumes at `resume_at`, where a
    /// frame that checks out starts.
    ///
    /// Only reported once a valid frame after the damage proves the skipped
    /// bytes are not a write still arriving: see [`Chunk::Partial`].
    Corrupt {
        /// Where the damage starts.
        offset: u64,
        /// Where the next valid frame starts.
        resume_at: u64,
        /// What was wrong, for a person.
        reason: String,
    },
    /// The reader stopped at `offset` and cannot go further yet. Always the
    /// last item. Persist `offset` and try again when the file grows.
    ///
    /// Either the tail is a frame still being written or synced (`damaged`
    /// is `None`), or the bytes at `offset` are not a frame but no valid
    /// frame follows them in the slice (`damaged` says what is wrong). The
    /// second case is not skipped because on a synced folder a region that
    /// looks damaged may still be arriving (a network share can show a file's
    /// new length before its bytes); once a valid frame is appended after it,
    /// the reader reports [`Chunk::Corrupt`] and moves on.
    Partial {
        /// Where the unreadable tail starts.
        offset: u64,
        /// Why the tail is not a frame in progress, when it looks damaged.
        damaged: Option<String>,
    },
}

/// Walks the frames in a byte slice, recovering from damage.
///
/// Never panics, whatever the bytes. Iteration ends at the exact end of the
/// slice or after a [`Chunk::Partial`].
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
    base: u64,
    pos: usize,
    done: bool,
}

/// What the bytes at one position are.
enum Parse<'a> {
    /// A frame that checks out, and its total length.
    Valid(&'a [u8], usize),
    /// A plausible start of a frame that runs past the end of the slice.
    Incomplete,
    /// Not a frame, and why.
    Invalid(String),
}

impl<'a> Reader<'a> {
    /// A reader over `buf`, whose first byte is at offset `base` of the file
    /// (so reported offsets are file offsets).
    pub fn new(buf: &'a [u8], base: u64) -> Self {
        Reader {
            buf,
            base,
            pos: 0,
            done: false,
        }
    }

    /// The absolute offset up to which the reader has consumed bytes.
    pub fn position(&self) -> u64 {
        self.abs(self.pos)
    }

    fn abs(&self, pos: usize) -> u64 {
        self.base.saturating_add(pos as u64)
    }

    fn parse(&self, pos: usize) -> Parse<'a> {
        let rest = self.buf.get(pos..).unwrap_or_default();
        if rest.len() < HEADER_LEN {
            let n = rest.len().min(FIXED_PREFIX.len());
            return if rest[..n] == FIXED_PREFIX[..n] {
                Parse::Incomplete
            } else if rest.len() >= 5 && rest[..4] == MAGIC {
                Parse::Invalid(format!("unknown frame version {}", rest[4]))
            } else {
                Parse::Invalid("no frame starts here (bad magic)".into())
            };
        }
        if rest[..4] != MAGIC {
            return Parse::Invalid("no frame starts here (bad magic)".into());
        }
        if rest[4] != VERSION {
            return Parse::Invalid(format!(
                "unknown frame version {} (written by a newer Tidings?)",
                rest[4]
            ));
        }
        let len = u32::from_le_bytes([rest[5], rest[6], rest[7], rest[8]]) as usize;
        if len > MAX_PAYLOAD {
            return Parse::Invalid(format!(
                "frame length {len} is over the {MAX_PAYLOAD}-byte limit"
            ));
        }
        let crc = u32::from_le_bytes([rest[9], rest[10], rest[11], rest[12]]);
        let Some(payload) = rest.get(HEADER_LEN..HEADER_LEN + len) else {
            return Parse::Incomplete;
        };
        if crc32fast::hash(payload) != crc {
            return Parse::Invalid("checksum mismatch".into());
        }
        Parse::Valid(payload, HEADER_LEN + len)
    }

    /// The first position after `from` where a valid frame starts.
    fn resync(&self, from: usize) -> Option<usize> {
        let mut at = from + 1;
        while let Some(rel) = self
            .buf
            .get(at..)
            .and_then(|rest| rest.windows(MAGIC.len()).position(|w| w == MAGIC))
        {
            let cand = at + rel;
            if let Parse::Valid(..) = self.parse(cand) {
                return Some(cand);
            }
            at = cand + 1;
        }
        None
    }
}

impl<'a> Iterator for Reader<'a> {
    type Item = Chunk<'a>;

    fn next(&mut self) -> Option<Chunk<'a>> {
        if self.done || self.pos >= self.buf.len() {
            self.done = true;
            return None;
        }
        let pos = self.pos;
        let problem = match self.parse(pos) {
            Parse::Valid(payload, len) => {
                self.pos = pos + len;
                return Some(Chunk::Frame {
                    offset: self.abs(pos),
                    next_offset: self.abs(self.pos),
                    payload,
                });
            }
            Parse::Incomplete => None,
            Parse::Invalid(reason) => Some(reason),
        };
        match self.resync(pos) {
            Some(next) => {
                self.pos = next;
                let reason = problem.unwrap_or_else(|| {
                    "an incomplete frame is followed by another frame (a torn write)".into()
                });
                Some(Chunk::Corrupt {
                    offset: self.abs(pos),
                    resume_at: self.abs(next),
                    reason: format!("{reason}; skipped {} bytes", next - pos),
                })
            }
            None => {
                self.done = true;
                Some(Chunk::Partial {
                    offset: self.abs(pos),
                    damaged: problem,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn frames_of(items: &[Chunk<'_>]) -> Vec<Vec<u8>> {
        items
            .iter()
            .filter_map(|c| match c {
                Chunk::Frame { payload, .. } => Some(payload.to_vec()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn an_encoded_frame_has_the_documented_layout() {
        let f = encode(b"hello").unwrap();
        assert_eq!(&f[..4], b"TDNG");
        assert_eq!(f[4], 1);
        assert_eq!(&f[5..9], &5u32.to_le_bytes());
        assert_eq!(&f[9..13], &crc32fast::hash(b"hello").to_le_bytes());
        assert_eq!(&f[13..], b"hello");
    }

    #[test]
    fn frames_read_back_in_order_with_absolute_offsets() {
        let mut buf = Vec::new();
        encode_into(&mut buf, b"one").unwrap();
        encode_into(&mut buf, b"").unwrap();
        encode_into(&mut buf, b"three").unwrap();
        let items: Vec<_> = Reader::new(&buf, 100).collect();
        assert_eq!(
            items,
            vec![
                Chunk::Frame {
                    offset: 100,
                    next_offset: 116,
                    payload: b"one"
                },
                Chunk::Frame {
                    offset: 116,
                    next_offset: 129,
                    payload: b""
                },
                Chunk::Frame {
                    offset: 129,
                    next_offset: 147,
                    payload: b"three"
                },
            ]
        );
    }

    #[test]
    fn a_payload_over_the_limit_is_refused_when_writing() {
        let err = encode(&vec![0; MAX_PAYLOAD + 1]).unwrap_err();
        assert_eq!(err.code, ErrorCode::TooLarge);
        assert!(encode(&vec![0; MAX_PAYLOAD]).is_ok());
    }

    #[test]
    fn a_length_over_the_limit_is_damage_when_reading() {
        let mut buf = encode(b"x").unwrap();
        buf[5..9].copy_from_slice(&((MAX_PAYLOAD as u32) + 1).to_le_bytes());
        let next = encode(b"after").unwrap();
        buf.extend_from_slice(&next);
        let items: Vec<_> = Reader::new(&buf, 0).collect();
        assert!(
            matches!(&items[0], Chunk::Corrupt { offset: 0, reason, .. } if reason.contains("limit"))
        );
        assert_eq!(frames_of(&items), vec![b"after".to_vec()]);
    }

    #[test]
    fn a_short_tail_is_partial_and_does_not_advance() {
        let mut buf = encode(b"done").unwrap();
        let whole = buf.len() as u64;
        let torn = encode(b"still arriving").unwrap();
        for cut in 1..torn.len() {
            let mut b = buf.clone();
            b.extend_from_slice(&torn[..cut]);
            let mut r = Reader::new(&b, 0);
            assert!(matches!(r.next(), Some(Chunk::Frame { .. })));
            assert_eq!(
                r.next(),
                Some(Chunk::Partial {
                    offset: whole,
                    damaged: None
                }),
                "cut at {cut}"
            );
            assert_eq!(r.next(), None);
        }
        buf.extend_from_slice(&torn);
        assert_eq!(Reader::new(&buf, 0).count(), 2);
    }

    #[test]
    fn a_flipped_payload_byte_is_skipped_to_the_next_frame() {
        let a = encode(b"first").unwrap();
        let mut b = encode(b"second").unwrap();
        let c = encode(b"third").unwrap();
        b[HEADER_LEN + 2] ^= 0x40;
        let buf = [a.clone(), b.clone(), c].concat();
        let items: Vec<_> = Reader::new(&buf, 0).collect();
        assert_eq!(
            frames_of(&items),
            vec![b"first".to_vec(), b"third".to_vec()]
        );
        assert!(matches!(
            &items[1],
            Chunk::Corrupt { offset, resume_at, reason }
                if *offset == a.len() as u64
                    && *resume_at == (a.len() + b.len()) as u64
                    && reason.contains("checksum")
        ));
    }

    #[test]
    fn garbage_at_the_end_waits_for_a_frame_after_it() {
        let mut buf = encode(b"ok").unwrap();
        let end = buf.len() as u64;
        buf.extend_from_slice(b"\0\0\0garbage");
        let items: Vec<_> = Reader::new(&buf, 0).collect();
        assert!(matches!(
            &items[1],
            Chunk::Partial { offset, damaged: Some(_) } if *offset == end
        ));
        buf.extend_from_slice(&encode(b"later").unwrap());
        let items: Vec<_> = Reader::new(&buf, 0).collect();
        assert!(matches!(&items[1], Chunk::Corrupt { offset, .. } if *offset == end));
        assert_eq!(frames_of(&items), vec![b"ok".to_vec(), b"later".to_vec()]);
    }

    #[test]
    fn a_torn_frame_followed_by_new_frames_is_skipped() {
        // The torn frame claims more bytes than the rest of the file holds.
        let torn = encode(&[5; 300]).unwrap();
        let mut buf = torn[..30].to_vec();
        buf.extend_from_slice(&encode(b"after restart").unwrap());
        let items: Vec<_> = Reader::new(&buf, 0).collect();
        assert!(matches!(&items[0], Chunk::Corrupt { reason, .. } if reason.contains("torn")));
        assert_eq!(frames_of(&items), vec![b"after restart".to_vec()]);
    }

    #[test]
    fn an_unknown_version_is_skipped_as_damage() {
        let mut a = encode(b"future").unwrap();
        a[4] = 2;
        let buf = [a, encode(b"now").unwrap()].concat();
        let items: Vec<_> = Reader::new(&buf, 0).collect();
        assert!(matches!(&items[0], Chunk::Corrupt { reason, .. } if reason.contains("version 2")));
        assert_eq!(frames_of(&items), vec![b"now".to_vec()]);
    }

    #[test]
    fn an_empty_slice_yields_nothing() {
        assert_eq!(Reader::new(&[], 7).next(), None);
    }

    proptest! {
        #[test]
        fn any_bytes_never_panic_and_offsets_stay_in_bounds(
            bytes in proptest::collection::vec(any::<u8>(), 0..600),
            base in 0u64..1_000_000,
        ) {
            let mut last = base;
            for item in Reader::new(&bytes, base) {
                let (start, end) = match item {
                    Chunk::Frame { offset, next_offset, .. } => (offset, next_offset),
                    Chunk::Corrupt { offset, resume_at, .. } => (offset, resume_at),
                    Chunk::Partial { offset, .. } => (offset, offset),
                };
                prop_assert_eq!(start, last);
                prop_assert!(end >= start && end <= base + bytes.len() as u64);
                last = end;
            }
        }

        #[test]
        fn intact_frames_around_random_corruption_are_recovered(
            payloads in proptest::collection::vec(
                proptest::collection::vec(any::<u8>(), 0..200), 1..12),
            flips in proptest::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 0..4),
            inserts in proptest::collection::vec(
                (any::<prop::sample::Index>(), proptest::collection::vec(any::<u8>(), 1..30)), 0..3),
        ) {
            // Frame i occupies spans[i]; track which frames corruption touches.
            let mut buf = Vec::new();
            let mut spans = Vec::new();
            for p in &payloads {
                let start = buf.len();
                encode_into(&mut buf, p).unwrap();
                spans.push((start, buf.len()));
            }
            let mut damaged = vec![false; payloads.len()];
            for (idx, mask) in &flips {
                let at = idx.index(buf.len());
                buf[at] ^= mask;
                for (i, (s, e)) in spans.iter().enumerate() {
                    if (*s..*e).contains(&at) {
                        damaged[i] = true;
                    }
                }
            }
            // Insert garbage at frame boundaries, last first so spans stay valid.
            let mut cuts: Vec<(usize, Vec<u8>)> = inserts
                .iter()
                .map(|(idx, junk)| (idx.index(payloads.len() + 1), junk.clone()))
                .collect();
            cuts.sort_by_key(|c| std::cmp::Reverse(c.0));
            for (boundary, junk) in cuts {
                let at = if boundary == payloads.len() { buf.len() } else { spans[boundary].0 };
                buf.splice(at..at, junk);
            }
            let got = frames_of(&Reader::new(&buf, 0).collect::<Vec<_>>());
            let intact: Vec<Vec<u8>> = payloads
                .iter()
                .zip(&damaged)
                .filter(|(_, d)| !**d)
                .map(|(p, _)| p.clone())
                .collect();
            // Every recovered payload is one that was written, in order, and
            // every intact frame is recovered.
            prop_assert_eq!(&got, &intact);
        }

        #[test]
        fn every_prefix_of_a_log_yields_exactly_its_complete_frames(
            payloads in proptest::collection::vec(
                proptest::collection::vec(any::<u8>(), 0..40), 1..6),
            cut in any::<prop::sample::Index>(),
        ) {
            let mut buf = Vec::new();
            let mut ends = Vec::new();
            for p in &payloads {
                encode_into(&mut buf, p).unwrap();
                ends.push(buf.len());
            }
            let cut = cut.index(buf.len() + 1);
            let complete = ends.iter().filter(|e| **e <= cut).count();
            let items: Vec<_> = Reader::new(&buf[..cut], 0).collect();
            prop_assert_eq!(frames_of(&items), payloads[..complete].to_vec());
            let stop = if complete == 0 { 0 } else { ends[complete - 1] };
            if stop < cut {
                prop_assert_eq!(
                    items.last(),
                    Some(&Chunk::Partial { offset: stop as u64, damaged: None })
                );
            } else {
                let all_frames = items.iter().all(|c| matches!(c, Chunk::Frame { .. }));
                prop_assert!(all_frames);
            }
        }
    }
}
