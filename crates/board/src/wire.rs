//! The lib0 encoding that Yjs and yrs use on the wire: a bounds-checked
//! reader for untrusted bytes, and the errors it reports. Used to check
//! updates before yrs decodes them ([`crate::validate`]) and by the sync
//! protocol codec.

use std::fmt;

/// Why bytes could not be decoded. Every variant is an expected condition on
/// untrusted input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The input ended in the middle of a value.
    #[error("message truncated at byte {at}")]
    Truncated {
        /// Offset at which more bytes were needed.
        at: usize,
    },
    /// A var-uint was longer than 64 bits can hold, or a value did not fit
    /// the width the format allows at that position.
    #[error("integer out of range at byte {at}")]
    IntegerOutOfRange {
        /// Offset of the integer.
        at: usize,
    },
    /// The message type is not one of the four y-protocols types.
    #[error("unknown message type {0}")]
    UnknownMessageType(u64),
    /// The sync subtype is not SyncStep1, SyncStep2 or Update.
    #[error("unknown sync message type {0}")]
    UnknownSyncType(u64),
    /// Bytes were left over after a complete message.
    #[error("{extra} trailing bytes after the message")]
    TrailingBytes {
        /// How many bytes were left.
        extra: usize,
    },
    /// A string was not valid UTF-8.
    #[error("invalid UTF-8 in a string at byte {at}")]
    InvalidUtf8 {
        /// Offset of the string.
        at: usize,
    },
    /// A count claims more elements than the remaining bytes could encode.
    #[error("{what} claims {claimed} entries but only {remaining} bytes remain")]
    ImplausibleCount {
        /// Which count.
        what: &'static str,
        /// The claimed count.
        claimed: u64,
        /// Bytes remaining after the count.
        remaining: usize,
    },
    /// The frame is larger than the configured cap.
    #[error("frame of {size} bytes exceeds the limit of {limit} bytes")]
    FrameTooLarge {
        /// Frame size.
        size: usize,
        /// Configured limit.
        limit: usize,
    },
    /// A structural rule of the update format was violated.
    #[error("invalid update: {0}")]
    InvalidUpdate(&'static str),
    /// The message is empty.
    #[error("empty message")]
    Empty,
}

/// A cursor over untrusted lib0-encoded bytes. Every read is bounds-checked.
#[derive(Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl fmt::Debug for Reader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reader")
            .field("len", &self.buf.len())
            .field("pos", &self.pos)
            .finish()
    }
}

impl<'a> Reader<'a> {
    /// Starts reading at the beginning of `buf`.
    #[must_use]
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    /// Bytes not yet consumed.
    #[must_use]
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Current offset.
    #[must_use]
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Reads one byte.
    ///
    /// # Errors
    /// [`WireError::Truncated`] at the end of input.
    pub fn u8(&mut self) -> Result<u8, WireError> {
        let b = *self
            .buf
            .get(self.pos)
            .ok_or(WireError::Truncated { at: self.pos })?;
        self.pos += 1;
        Ok(b)
    }

    /// Reads `n` raw bytes.
    ///
    /// # Errors
    /// [`WireError::Truncated`] if fewer than `n` bytes remain.
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        if n > self.remaining() {
            return Err(WireError::Truncated { at: self.pos });
        }
        let out = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// Reads a lib0 var-uint of at most 64 bits.
    ///
    /// # Errors
    /// [`WireError::Truncated`] or [`WireError::IntegerOutOfRange`].
    pub fn var_u64(&mut self) -> Result<u64, WireError> {
        let start = self.pos;
        let mut value: u64 = 0;
        let mut shift = 0u32;
        loop {
            let b = self.u8()?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(WireError::IntegerOutOfRange { at: start });
            }
            value |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
            if shift > 63 {
                return Err(WireError::IntegerOutOfRange { at: start });
            }
        }
    }

    /// Reads a lib0 var-uint that must fit in 32 bits.
    ///
    /// # Errors
    /// [`WireError::Truncated`] or [`WireError::IntegerOutOfRange`].
    pub fn var_u32(&mut self) -> Result<u32, WireError> {
        let at = self.pos;
        let v = self.var_u64()?;
        u32::try_from(v).map_err(|_| WireError::IntegerOutOfRange { at })
    }

    /// Skips a lib0 signed var-int (sign in bit 6 of the first byte). Only
    /// its length matters to validation; at most ten bytes are accepted, the
    /// most a 64-bit value needs.
    ///
    /// # Errors
    /// [`WireError::Truncated`] or [`WireError::IntegerOutOfRange`].
    pub fn skip_var_i64(&mut self) -> Result<(), WireError> {
        let start = self.pos;
        for _ in 0..10 {
            if self.u8()? & 0x80 == 0 {
                return Ok(());
            }
        }
        Err(WireError::IntegerOutOfRange { at: start })
    }

    /// Reads a var-uint length followed by that many bytes.
    ///
    /// # Errors
    /// [`WireError::Truncated`] if the length exceeds what is left.
    pub fn var_buf(&mut self) -> Result<&'a [u8], WireError> {
        let len = self.var_u64()?;
        let len = usize::try_from(len).map_err(|_| WireError::Truncated { at: self.pos })?;
        self.bytes(len)
    }

    /// Reads a var-uint length followed by that many bytes of UTF-8.
    ///
    /// # Errors
    /// [`WireError::Truncated`] or [`WireError::InvalidUtf8`].
    pub fn var_str(&mut self) -> Result<&'a str, WireError> {
        let at = self.pos;
        let bytes = self.var_buf()?;
        std::str::from_utf8(bytes).map_err(|_| WireError::InvalidUtf8 { at })
    }

    /// Reads a count and checks that at least `min_bytes_each` bytes per
    /// element remain, so a caller may iterate `count` times without risk.
    ///
    /// # Errors
    /// [`WireError::ImplausibleCount`] if the claim cannot be true.
    pub fn count(&mut self, what: &'static str, min_bytes_each: usize) -> Result<u32, WireError> {
        let claimed = self.var_u32()?;
        let remaining = self.remaining();
        let needed = u64::from(claimed).saturating_mul(min_bytes_each as u64);
        if needed > remaining as u64 {
            return Err(WireError::ImplausibleCount {
                what,
                claimed: u64::from(claimed),
                remaining,
            });
        }
        Ok(claimed)
    }

    /// Fails unless every byte was consumed.
    ///
    /// # Errors
    /// [`WireError::TrailingBytes`].
    pub fn finish(&self) -> Result<(), WireError> {
        match self.remaining() {
            0 => Ok(()),
            extra => Err(WireError::TrailingBytes { extra }),
        }
    }
}

/// Appends lib0 var-uint encoding of `value` to `out`.
pub fn write_var_u64(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Appends a var-uint length and the bytes.
pub fn write_var_buf(out: &mut Vec<u8>, bytes: &[u8]) {
    write_var_u64(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}
