//! The input of every export ([`ExportBoard`]) and the reading-order model the
//! document formats share ([`Report`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use stellwand_board::workshop::{Round, Workshop};
use stellwand_board::{color_hex, Board, BoardJson, Item, ItemId, ItemKind};

use crate::{Error, Result};

/// Heading of the section with the notes that belong to no frame.
pub const FURTHER_NOTES: &str = "Weitere Notizen";
/// Heading of the list of connectors.
pub const CONNECTIONS: &str = "Verbindungen";
/// Heading of the voting rounds.
pub const ROUNDS: &str = "Abstimmungen";

/// A board as the exports see it: its items plus what the library knows about it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExportBoard {
    pub title: String,
    /// The AG folder the board is filed in.
    pub folder: Option<String>,
    /// The date shown in the header block, already formatted (see [`german_date`]).
    pub date: String,
    pub items: Vec<Item>,
    /// Votes per note (all closed rounds; a note counts the votes of the
    /// notes merged into it); with votes, the notes of a section are ordered
    /// by votes, otherwise by position.
    pub votes: BTreeMap<ItemId, u32>,
    /// The board's voting rounds, oldest first.
    pub rounds: Vec<Round>,
}

impl ExportBoard {
    /// The board's items and title; folder and date are the caller's to add.
    pub fn from_board(board: &Board) -> Self {
        let items = board.items();
        let rounds = Workshop::of(board.doc()).rounds;
        let mut votes = BTreeMap::new();
        for round in rounds.iter().filter(|r| !r.is_open()) {
            for item in items.iter().filter(|i| i.kind == ItemKind::Note) {
                let n = round.votes_of(item);
                if n > 0 {
                    *votes.entry(item.id).or_insert(0u32) += n;
                }
            }
        }
        ExportBoard {
            title: board.title(),
            items,
            votes,
            rounds,
            ..ExportBoard::default()
        }
    }

    /// Sets the AG folder shown in the header block.
    pub fn with_folder(mut self, folder: impl Into<String>) -> Self {
        self.folder = Some(folder.into());
        self
    }

    /// Sets the date shown in the header block.
    pub fn with_date(mut self, date: impl Into<String>) -> Self {
        self.date = date.into();
        self
    }

    /// Finds a frame by id, unique id prefix (4+ characters) or exact title.
    ///
    /// # Errors
    /// [`Error::FrameNotFound`] when nothing or several frames match.
    pub fn find_frame(&self, query: &str) -> Result<ItemId> {
        let frames: Vec<&Item> = self
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Frame)
            .collect();
        let lower = query.to_lowercase();
        if let Some(f) = frames.iter().find(|f| f.id.to_string() == lower) {
            return Ok(f.id);
        }
        let by_title: Vec<&&Item> = frames
            .iter()
            .filter(|f| f.text.trim() == query.trim())
            .collect();
        if let [only] = by_title.as_slice() {
            return Ok(only.id);
        }
        let by_prefix: Vec<&&Item> = frames
            .iter()
            .filter(|f| lower.len() >= 4 && f.id.to_string().starts_with(&lower))
            .collect();
        match (by_title.len(), by_prefix.as_slice()) {
            (0, [only]) => Ok(only.id),
            _ => Err(Error::FrameNotFound(query.to_owned())),
        }
    }

    /// Only one frame: the frame, the items it owns, and the connectors between them.
    ///
    /// # Errors
    /// [`Error::FrameNotFound`] when `frame` is not a frame of this board.
    pub fn only_frame(&self, frame: ItemId) -> Result<ExportBoard> {
        let is_frame = self
            .items
            .iter()
            .any(|i| i.id == frame && i.kind == ItemKind::Frame);
        if !is_frame {
            return Err(Error::FrameNotFound(frame.to_string()));
        }
        let kept: HashSet<ItemId> = self
            .items
            .iter()
            .filter(|i| i.id == frame || i.parent == Some(frame))
            .map(|i| i.id)
            .collect();
        let items = self
            .items
            .iter()
            .filter(|i| {
                kept.contains(&i.id)
                    || (i.kind == ItemKind::Connector
                        && i.from.is_some_and(|f| kept.contains(&f))
                        && i.to.is_some_and(|t| kept.contains(&t)))
            })
            .cloned()
            .collect();
        Ok(ExportBoard {
            items,
            votes: self
                .votes
                .iter()
                .filter(|(id, _)| kept.contains(id))
                .map(|(id, v)| (*id, *v))
                .collect(),
            ..self.clone()
        })
    }

    /// The full-fidelity JSON form of the items.
    pub fn to_json(&self) -> BoardJson {
        let mut items = self.items.clone();
        items.sort_by(|a, b| a.z.total_cmp(&b.z));
        BoardJson {
            format: stellwand_board::JSON_FORMAT.to_owned(),
            version: stellwand_board::JSON_VERSION,
            title: self.title.clone(),
            items,
        }
    }
}

/// Several boards for one document (an AG folder, or a selection).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Collection {
    /// The document title, e.g. the AG's name.
    pub title: String,
    pub date: String,
    pub boards: Vec<ExportBoard>,
}

/// What the documents (DOCX, PDF, Markdown) include besides the notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentOptions {
    /// An image of the whole board after the header block (DOCX and PDF).
    pub image: bool,
    /// The tags of each note.
    pub tags: bool,
    /// The author of each note.
    pub authors: bool,
    /// When the document is made (ms since the epoch), for the PDF's metadata
    /// (PDF/A requires a date). A parameter so that output is reproducible.
    pub created_at: i64,
}

impl Default for DocumentOptions {
    fn default() -> Self {
        DocumentOptions {
            image: true,
            tags: true,
            authors: true,
            created_at: 0,
        }
    }
}

/// A board in reading order: what the document formats write.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub title: String,
    pub folder: Option<String>,
    pub date: String,
    /// Everyone who wrote something on the board, alphabetically.
    pub authors: Vec<String>,
    /// Frames top-to-bottom, left-to-right, then [`FURTHER_NOTES`] if any.
    pub sections: Vec<Section>,
    pub connections: Vec<Connection>,
    /// Closed voting rounds, oldest first.
    pub rounds: Vec<RoundReport>,
}

/// A closed voting round: who many took part and the notes by votes.
#[derive(Clone, Debug, PartialEq)]
pub struct RoundReport {
    pub title: String,
    /// The day it ended (see [`german_date`]).
    pub date: String,
    pub people: u32,
    /// Note text (first line, shortened) and votes, most votes first.
    pub ranking: Vec<(String, u32)>,
}

/// One frame (or the notes outside frames).
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub title: String,
    /// `None` for [`FURTHER_NOTES`].
    pub frame: Option<ItemId>,
    /// Free text placed in the section.
    pub labels: Vec<String>,
    /// By votes when there are votes, otherwise by position.
    pub notes: Vec<ReportNote>,
}

/// One note as documents show it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportNote {
    pub id: ItemId,
    pub text: String,
    /// The colour as stored (palette name or `#rrggbb`).
    pub color: String,
    /// The colour as `#rrggbb`.
    pub color_hex: String,
    pub tags: Vec<String>,
    pub author: String,
    /// Authors of notes merged into this one.
    pub coauthors: Vec<String>,
    /// (reaction name, count) for each emoji someone reacted with.
    pub reactions: Vec<(String, u32)>,
    /// (author, text) of each comment, oldest first.
    pub comments: Vec<(String, String)>,
    pub votes: u32,
    pub created: i64,
    pub updated: i64,
}

/// German names of the reactions, for documents whose fonts have no emoji.
fn reaction_name(emoji: &str) -> &str {
    match emoji {
        "👍" => "Daumen hoch",
        "❤️" => "Herz",
        "💡" => "Idee",
        "❓" => "Frage",
        "🎉" => "Feier",
        other => other,
    }
}

/// How many people reacted with each emoji, in the order the emoji are offered.
fn reaction_counts(item: &Item) -> Vec<(String, u32)> {
    stellwand_board::REACTIONS
        .iter()
        .filter_map(|emoji| {
            let count = item.reactions.iter().filter(|r| r.emoji == *emoji).count() as u32;
            (count > 0).then(|| (reaction_name(emoji).to_owned(), count))
        })
        .collect()
}

/// A connector as "from → to (label)".
#[derive(Clone, Debug, PartialEq)]
pub struct Connection {
    pub from: String,
    pub to: String,
    pub label: String,
}

impl Connection {
    /// "A → B (label)".
    pub fn sentence(&self) -> String {
        if self.label.trim().is_empty() {
            format!("{} → {}", self.from, self.to)
        } else {
            format!("{} → {} ({})", self.from, self.to, self.label.trim())
        }
    }
}

impl Report {
    /// Puts the board into reading order.
    pub fn of(board: &ExportBoard) -> Report {
        let by_id: HashMap<ItemId, &Item> = board.items.iter().map(|i| (i.id, i)).collect();
        let mut frames: Vec<&Item> = board
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Frame)
            .collect();
        reading_order(&mut frames);
        let frame_ids: HashSet<ItemId> = frames.iter().map(|f| f.id).collect();
        let owner = |item: &Item| item.parent.filter(|p| frame_ids.contains(p));

        let mut contents: HashMap<Option<ItemId>, (Vec<&Item>, Vec<&Item>)> = HashMap::new();
        for item in &board.items {
            match item.kind {
                ItemKind::Note => contents.entry(owner(item)).or_default().0.push(item),
                ItemKind::Label => contents.entry(owner(item)).or_default().1.push(item),
                ItemKind::Frame | ItemKind::Connector => {}
            }
        }
        let section = |title: String, frame: Option<ItemId>, contents: &mut HashMap<_, _>| {
            let (mut notes, mut labels): (Vec<&Item>, Vec<&Item>) =
                contents.remove(&frame).unwrap_or_default();
            reading_order(&mut notes);
            reading_order(&mut labels);
            let mut notes: Vec<ReportNote> = notes
                .into_iter()
                .map(|n| ReportNote {
                    id: n.id,
                    text: n.text.clone(),
                    color: n.color.clone(),
                    color_hex: color_hex(&n.color).unwrap_or("#fff176").to_owned(),
                    tags: n.tags.clone(),
                    author: n.author.clone(),
                    coauthors: n.coauthors.iter().map(|c| c.name.clone()).collect(),
                    reactions: reaction_counts(n),
                    comments: n
                        .comments
                        .iter()
                        .map(|c| (c.author.clone(), c.text.clone()))
                        .collect(),
                    votes: board.votes.get(&n.id).copied().unwrap_or(0),
                    created: n.created,
                    updated: n.updated,
                })
                .collect();
            // Stable: equal votes keep their reading order.
            notes.sort_by_key(|n| std::cmp::Reverse(n.votes));
            Section {
                title,
                frame,
                labels: labels
                    .into_iter()
                    .map(|l| l.text.trim().to_owned())
                    .filter(|t| !t.is_empty())
                    .collect(),
                notes,
            }
        };
        let mut sections: Vec<Section> = frames
            .iter()
            .map(|f| {
                let title = match f.text.trim() {
                    "" => "Ohne Titel".to_owned(),
                    t => t.to_owned(),
                };
                section(title, Some(f.id), &mut contents)
            })
            .collect();
        let rest = section(FURTHER_NOTES.to_owned(), None, &mut contents);
        if !rest.notes.is_empty() || !rest.labels.is_empty() {
            sections.push(rest);
        }

        let mut connectors: Vec<&Item> = board
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Connector)
            .collect();
        connectors.sort_by(|a, b| {
            let key = |c: &Item| c.from.and_then(|f| by_id.get(&f)).map(|i| (i.y, i.x));
            match (key(a), key(b)) {
                (Some(x), Some(y)) => x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)),
                _ => a.z.total_cmp(&b.z),
            }
        });
        let name = |end: Option<ItemId>| {
            end.and_then(|id| by_id.get(&id))
                .map(|i| short_name(&i.text))
                .unwrap_or_else(|| "(gelöscht)".to_owned())
        };
        let connections = connectors
            .into_iter()
            .map(|c| Connection {
                from: name(c.from),
                to: name(c.to),
                label: c.text.trim().to_owned(),
            })
            .collect();

        let mut authors: Vec<String> = board
            .items
            .iter()
            .map(|i| i.author.trim())
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        authors.sort_by_key(|a| a.to_lowercase());

        let rounds = board
            .rounds
            .iter()
            .filter_map(|round| {
                // Open rounds have no results yet: nothing to report.
                let outcome = round.outcome()?;
                let mut ranking: Vec<(String, u32)> = board
                    .items
                    .iter()
                    .filter(|i| i.kind == ItemKind::Note)
                    .map(|i| (short_name(&i.text), round.votes_of(i)))
                    .filter(|(_, n)| *n > 0)
                    .collect();
                ranking.sort_by_key(|r| std::cmp::Reverse(r.1));
                Some(RoundReport {
                    title: match round.title.trim() {
                        "" => "Abstimmung".to_owned(),
                        t => t.to_owned(),
                    },
                    date: outcome.ended.map(german_date).unwrap_or_default(),
                    people: outcome.people,
                    ranking,
                })
            })
            .collect();

        Report {
            title: match board.title.trim() {
                "" => "Ohne Titel".to_owned(),
                t => t.to_owned(),
            },
            folder: board.folder.clone().filter(|f| !f.trim().is_empty()),
            date: board.date.clone(),
            authors,
            sections,
            connections,
            rounds,
        }
    }

    /// Whether the board has nothing to report.
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty() && self.connections.is_empty()
    }
}

/// Rows top to bottom, each row left to right. An item joins the current row
/// when its top is above the middle of the row's first item, so that notes
/// placed by hand (never exactly aligned) still read as rows.
fn reading_order(items: &mut Vec<&Item>) {
    items.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut ordered = Vec::with_capacity(items.len());
    let mut row: Vec<&Item> = Vec::new();
    let mut row_limit = f64::NEG_INFINITY;
    for item in items.drain(..) {
        if !row.is_empty() && item.y >= row_limit {
            row.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
            ordered.append(&mut row);
        }
        if row.is_empty() {
            row_limit = item.y + (item.h / 2.0).max(1.0);
        }
        row.push(item);
    }
    row.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    ordered.append(&mut row);
    *items = ordered;
}

/// The first line of a text, at most 60 characters, for "A → B".
fn short_name(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if line.is_empty() {
        return "(ohne Text)".to_owned();
    }
    let mut chars = line.chars();
    let short: String = chars.by_ref().take(60).collect();
    if chars.next().is_some() {
        format!("{short}…")
    } else {
        short
    }
}

/// A date as Germans write it ("27.11.2026"), from milliseconds since the epoch (UTC).
pub fn german_date(ms: i64) -> String {
    let (y, m, d) = civil_date(ms.div_euclid(86_400_000));
    format!("{d:02}.{m:02}.{y}")
}

/// ISO date and time ("2026-11-27 16:35"), UTC, for tables.
pub(crate) fn iso_time(ms: i64) -> String {
    if ms <= 0 {
        return String::new();
    }
    let (y, m, d) = civil_date(ms.div_euclid(86_400_000));
    let minutes = ms.rem_euclid(86_400_000) / 60_000;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        minutes / 60,
        minutes % 60
    )
}

/// (year, month, day, hour, minute, second) in UTC.
pub(crate) fn utc_parts(ms: i64) -> (i64, u32, u32, u32, u32, u32) {
    let (y, m, d) = civil_date(ms.div_euclid(86_400_000));
    let seconds = (ms.rem_euclid(86_400_000) / 1000) as u32;
    (y, m, d, seconds / 3600, seconds / 60 % 60, seconds % 60)
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_the_german_way() {
        assert_eq!(german_date(0), "01.01.1970");
        assert_eq!(german_date(1_795_795_200_000), "27.11.2026");
        assert_eq!(iso_time(1_795_737_600_000 + 61_000), "2026-11-27 00:01");
    }
}
