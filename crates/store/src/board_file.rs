//! `.stellwand` board files: one board in one portable file.
//!
//! Layout (all integers little-endian):
//!
//! | bytes         | content                                            |
//! |---------------|----------------------------------------------------|
//! | 10            | magic `STELLWAND\n`                                |
//! | 2             | format version, `u16` (currently 1)                |
//! | 4             | header length `h`, `u32`                           |
//! | h             | header, UTF-8 JSON ([`BoardFileHeader`])           |
//! | 8             | state length `s`, `u64`                            |
//! | s             | the board's yrs state, v1 update encoding          |
//! | 4             | CRC-32 (IEEE) of every byte before it              |
//!
//! Nothing may follow the checksum. Readers ignore JSON fields they do not
//! know, so fields can be added without a new format version; a change that
//! old readers would misread needs a new version, which they refuse with a
//! clear reason.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use yrs::updates::decoder::Decode;

use crate::error::{Error, Result, SqlContext};
use crate::ids::BoardId;
use crate::{boards, compaction, snapshots, update_log, BoardMeta, Library, SkippedUpdate};

/// The first bytes of every board file.
pub const MAGIC: &[u8; 10] = b"STELLWAND\n";
/// The format version this build writes and the newest it reads.
pub const FORMAT_VERSION: u16 = 1;
/// The usual file name extension, without the dot.
pub const EXTENSION: &str = "stellwand";

/// Refuse headers and files beyond these sizes before allocating for them.
const MAX_HEADER_LEN: u32 = 1 << 20;
const MAX_FILE_LEN: u64 = 1 << 30;
const FIXED_LEN: usize = MAGIC.len() + 2 + 4 + 8 + 4;

/// Describes the board in a board file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardFileHeader {
    /// The board's id in the library it came from.
    pub id: BoardId,
    /// The board's title.
    pub title: String,
    /// The name of the folder it was in, if any.
    #[serde(default)]
    pub folder: Option<String>,
    /// When the board was created, milliseconds since the Unix epoch.
    pub created_at: i64,
    /// When it was last changed.
    pub updated_at: i64,
    /// When this file was written.
    pub exported_at: i64,
    /// How `state` is encoded; always `"yrs-update-v1"` in format 1.
    pub state_encoding: String,
}

/// The state encoding of format version 1.
pub const STATE_ENCODING_V1: &str = "yrs-update-v1";

/// A board file in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardFile {
    /// What the board is.
    pub header: BoardFileHeader,
    /// The board's whole yrs state (v1 update encoding).
    pub state: Vec<u8>,
}

/// The result of [`Library::export_board_file`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedBoard {
    /// Size of the written file in bytes.
    pub bytes: u64,
    /// Log entries that could not be decoded and are therefore missing
    /// from the file (see [`Library::compact`]).
    pub skipped: Vec<SkippedUpdate>,
}

/// The result of [`Library::import_board_file`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedBoard {
    /// The new board.
    pub board: BoardMeta,
    /// False if the file's board id was already in the library, so the
    /// board got a new id.
    pub kept_id: bool,
}

impl BoardFile {
    /// Encodes the file's bytes.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidData`] if the header is larger than the format
    /// allows.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let header = serde_json::to_vec(&self.header)
            .map_err(|e| Error::InvalidData(format!("board file header: {e}")))?;
        let header_len = u32::try_from(header.len())
            .ok()
            .filter(|len| *len <= MAX_HEADER_LEN)
            .ok_or_else(|| Error::InvalidData("board file header is too large".into()))?;
        let state_len = u64::try_from(self.state.len())
            .map_err(|_| Error::InvalidData("board state is too large".into()))?;

        let mut out = Vec::with_capacity(FIXED_LEN + header.len() + self.state.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&header_len.to_le_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(&state_len.to_le_bytes());
        out.extend_from_slice(&self.state);
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        Ok(out)
    }

    /// Decodes a board file, checking its structure, checksum and that the
    /// state is a decodable yrs update. Returns the reason it is not a
    /// board file otherwise.
    ///
    /// # Errors
    ///
    /// A human-readable reason (see [`read`] for the error with the path).
    pub fn from_bytes(bytes: &[u8]) -> Result<BoardFile, String> {
        let mut reader = Reader { bytes, pos: 0 };
        if reader.take(MAGIC.len()).ok() != Some(&MAGIC[..]) {
            return Err("it does not start with the Stellwand signature".into());
        }
        let version = u16::from_le_bytes(reader.array()?);
        if version == 0 || version > FORMAT_VERSION {
            return Err(format!(
                "it has format version {version}, this version of Stellwand reads up to {FORMAT_VERSION}"
            ));
        }
        let header_len = u32::from_le_bytes(reader.array()?);
        if header_len > MAX_HEADER_LEN {
            return Err(format!("its header claims {header_len} bytes"));
        }
        let header = reader.take(usize::try_from(header_len).map_err(|e| e.to_string())?)?;
        let state_len = u64::from_le_bytes(reader.array()?);
        let state_len = usize::try_from(state_len)
            .ok()
            .filter(|len| reader.remaining() >= len.saturating_add(4))
            .ok_or("it is truncated")?;
        let state = reader.take(state_len)?;
        let body_len = reader.pos;
        let crc = u32::from_le_bytes(reader.array()?);
        if reader.remaining() != 0 {
            return Err("it has extra bytes after the end".into());
        }
        if crc32fast::hash(&bytes[..body_len]) != crc {
            return Err("its checksum does not match (the file is damaged)".into());
        }

        let header: BoardFileHeader =
            serde_json::from_slice(header).map_err(|e| format!("its header is invalid: {e}"))?;
        if header.state_encoding != STATE_ENCODING_V1 {
            return Err(format!(
                "its board state uses the unknown encoding {:?}",
                header.state_encoding
            ));
        }
        stellwand_board::validate::validate_update_v1(state)
            .map_err(|e| format!("its board state is not a valid update: {e}"))?;
        std::panic::catch_unwind(|| yrs::Update::decode_v1(state))
            .map_err(|_| "its board state cannot be decoded".to_owned())?
            .map_err(|e| format!("its board state cannot be decoded: {e}"))?;
        Ok(BoardFile {
            header,
            state: state.to_vec(),
        })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.remaining() < n {
            return Err("it is truncated".into());
        }
        let slice = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }
}

/// Reads and checks the board file at `path`.
///
/// # Errors
///
/// [`Error::Io`] if the file cannot be read, [`Error::NotABoardFile`] if it
/// is not an intact board file this version can read.
pub fn read(path: &Path) -> Result<BoardFile> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let len = fs::metadata(path).map_err(io)?.len();
    let not_a_board_file = |reason: String| Error::NotABoardFile {
        path: path.to_path_buf(),
        reason,
    };
    if len > MAX_FILE_LEN {
        return Err(not_a_board_file(format!("it is too large ({len} bytes)")));
    }
    let bytes = fs::read(path).map_err(io)?;
    BoardFile::from_bytes(&bytes).map_err(not_a_board_file)
}

/// Writes `file` to `path` atomically: the bytes go to a temporary file in
/// the same directory, which is synced and then renamed over `path`. A crash
/// leaves either the old file or the new one, never a mix.
///
/// # Errors
///
/// [`Error::Io`] with the path that failed.
pub fn write(path: &Path, file: &BoardFile) -> Result<u64> {
    let bytes = file.to_bytes()?;
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "board".into());
    let temp = parent.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let result = (|| {
        let mut out = File::create_new(&temp).map_err(io(&temp))?;
        out.write_all(&bytes).map_err(io(&temp))?;
        out.sync_all().map_err(io(&temp))?;
        drop(out);
        fs::rename(&temp, path).map_err(io(path))?;
        // Make the rename itself durable. Not every platform can open a
        // directory; there the rename is as durable as the OS makes it.
        if let Ok(dir) = File::open(&parent) {
            dir.sync_all().map_err(io(&parent))?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.map(|()| u64::try_from(bytes.len()).unwrap_or(u64::MAX))
}

impl Library {
    /// Saves the board as a board file at `path` (atomically, replacing any
    /// file there). The file holds the board's whole current state, built
    /// from its snapshot and log.
    ///
    /// # Errors
    ///
    /// [`Error::BoardNotFound`], [`Error::UndecodableSnapshot`],
    /// [`Error::Io`], [`Error::Sqlite`].
    pub fn export_board_file(
        &self,
        board: BoardId,
        path: &Path,
        now: i64,
    ) -> Result<ExportedBoard> {
        let what = || format!("exporting board {board}");
        let tx = self.read_tx(what)?;
        let meta = boards::get(&tx, board)?.ok_or(Error::BoardNotFound { board })?;
        let folder = match meta.folder {
            Some(folder) => crate::folders::get(&tx, folder)?.map(|f| f.name),
            None => None,
        };
        let snapshot = snapshots::get(&tx, board)?;
        let entries = update_log::entries(&tx, board, None)?;
        tx.commit().context(what)?;

        let rebuilt = compaction::rebuild(
            board,
            snapshot.as_ref().map(|s| s.state.as_slice()),
            &entries,
        )?;
        let file = BoardFile {
            header: BoardFileHeader {
                id: meta.id,
                title: meta.title,
                folder,
                created_at: meta.created_at,
                updated_at: meta.updated_at,
                exported_at: now,
                state_encoding: STATE_ENCODING_V1.into(),
            },
            state: rebuilt.state,
        };
        let bytes = write(path, &file)?;
        Ok(ExportedBoard {
            bytes,
            skipped: rebuilt.skipped,
        })
    }

    /// Adds the board in the board file at `path` to the library as a new
    /// board. It keeps the file's board id unless a board with that id is
    /// already here (then it gets a new one: an import never overwrites
    /// work). It goes into the folder of the same name if there is one,
    /// otherwise into no folder.
    ///
    /// # Errors
    ///
    /// [`Error::NotABoardFile`], [`Error::Io`], [`Error::Sqlite`].
    pub fn import_board_file(&self, path: &Path, now: i64) -> Result<ImportedBoard> {
        let file = read(path)?;
        let what = || format!("importing {}", path.display());
        let tx = self.write_tx(what)?;
        let kept_id = !boards::exists(&tx, file.header.id)?;
        let folder = match &file.header.folder {
            Some(name) => self.folder_by_name(name)?.map(|f| f.id),
            None => None,
        };
        let title = if file.header.title.trim().is_empty() {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Board".into())
        } else {
            file.header.title.trim().to_owned()
        };
        let meta = BoardMeta {
            id: if kept_id {
                file.header.id
            } else {
                BoardId::new()
            },
            title,
            folder,
            created_at: file.header.created_at,
            updated_at: now,
            archived: false,
            deleted_at: None,
            opened_at: None,
        };
        boards::insert(&tx, &meta)?;
        snapshots::put(&tx, meta.id, 0, &file.state, now)?;
        tx.commit().context(what)?;
        Ok(ImportedBoard {
            board: meta,
            kept_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> BoardFile {
        use yrs::{ReadTxn, Text, Transact};
        let doc = yrs::Doc::new();
        let text = doc.get_or_insert_text("t");
        text.insert(&mut doc.transact_mut(), 0, "Hallo");
        let state = doc
            .transact()
            .encode_state_as_update_v1(&yrs::StateVector::default());
        BoardFile {
            header: BoardFileHeader {
                id: BoardId::new(),
                title: "Sitzung 3".into(),
                folder: Some("AG Technik".into()),
                created_at: 1,
                updated_at: 2,
                exported_at: 3,
                state_encoding: STATE_ENCODING_V1.into(),
            },
            state,
        }
    }

    #[test]
    fn board_files_round_trip_through_bytes() {
        let file = sample();
        let bytes = file.to_bytes().unwrap();
        assert!(bytes.starts_with(MAGIC));
        assert_eq!(BoardFile::from_bytes(&bytes).unwrap(), file);
    }

    #[test]
    fn every_truncation_and_every_flipped_byte_is_rejected() {
        let bytes = sample().to_bytes().unwrap();
        for len in 0..bytes.len() {
            assert!(
                BoardFile::from_bytes(&bytes[..len]).is_err(),
                "length {len}"
            );
        }
        for i in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[i] ^= 0x20;
            assert!(BoardFile::from_bytes(&damaged).is_err(), "byte {i}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(BoardFile::from_bytes(&longer).is_err());
    }

    #[test]
    fn a_newer_format_version_is_refused_with_a_clear_reason() {
        let mut bytes = sample().to_bytes().unwrap();
        bytes[MAGIC.len()..MAGIC.len() + 2].copy_from_slice(&2u16.to_le_bytes());
        let body = bytes.len() - 4;
        let crc = crc32fast::hash(&bytes[..body]);
        bytes[body..].copy_from_slice(&crc.to_le_bytes());
        let reason = BoardFile::from_bytes(&bytes).unwrap_err();
        assert!(reason.contains("format version 2"), "{reason}");
    }
}
