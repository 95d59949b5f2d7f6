//! The document structure shared by DOCX, PDF and Markdown: a list of blocks
//! built from [`Report`]s, so that the three formats say the same things in
//! the same order.

use crate::model::{
    Collection, DocumentOptions, ExportBoard, Report, ReportNote, CONNECTIONS, ROUNDS,
};

/// Heading of the table of contents.
pub(crate) const CONTENTS: &str = "Inhaltsverzeichnis";

/// One block of a document.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Block {
    /// The title of a document with several boards.
    Title(String),
    /// Heading level 1 (a board) or 2 (a section).
    Heading { level: u8, text: String },
    /// The header block of a board: label and value pairs.
    Facts(Vec<(&'static str, String)>),
    /// The image of board number `board` (index into the document's boards).
    BoardImage { board: usize },
    /// Free text (a label on the board, or a remark such as "(keine Notizen)").
    Text { text: String, quiet: bool },
    /// A list item: a note (with its colour) or a connection.
    Item {
        text: String,
        color: Option<String>,
        detail: Option<String>,
        /// Comments under the note, one line each ("Kommentar von Anna: …").
        comments: Vec<String>,
    },
    /// The table of contents: the level-1 and level-2 headings that follow.
    Contents(Vec<(u8, String)>),
    /// Start the next block on a new page (paged formats only).
    PageBreak,
}

/// The blocks of one board's result document.
pub(crate) fn board_blocks(board: &ExportBoard, options: &DocumentOptions) -> Vec<Block> {
    let report = Report::of(board);
    let mut blocks = Vec::new();
    push_board(&mut blocks, &report, 0, options);
    blocks
}

/// The blocks of a document with several boards: title, contents, then each
/// board on its own pages.
pub(crate) fn collection_blocks(collection: &Collection, options: &DocumentOptions) -> Vec<Block> {
    let mut body = Vec::new();
    for (index, board) in collection.boards.iter().enumerate() {
        if index > 0 {
            body.push(Block::PageBreak);
        }
        push_board(&mut body, &Report::of(board), index, options);
    }
    let contents: Vec<(u8, String)> = body
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, text } => Some((*level, text.clone())),
            _ => None,
        })
        .collect();
    let mut blocks = vec![Block::Title(match collection.title.trim() {
        "" => "Ergebnisse".to_owned(),
        t => t.to_owned(),
    })];
    let mut facts = vec![("Tafeln", collection.boards.len().to_string())];
    if !collection.date.is_empty() {
        facts.insert(0, ("Datum", collection.date.clone()));
    }
    blocks.push(Block::Facts(facts));
    blocks.push(Block::Contents(contents));
    blocks.push(Block::PageBreak);
    blocks.extend(body);
    blocks
}

fn push_board(blocks: &mut Vec<Block>, report: &Report, index: usize, options: &DocumentOptions) {
    blocks.push(Block::Heading {
        level: 1,
        text: report.title.clone(),
    });
    let mut facts = Vec::new();
    if let Some(folder) = &report.folder {
        facts.push(("AG", folder.clone()));
    }
    if !report.date.is_empty() {
        facts.push(("Datum", report.date.clone()));
    }
    if !report.authors.is_empty() {
        facts.push(("Beteiligte", report.authors.join(", ")));
    }
    let notes: usize = report.sections.iter().map(|s| s.notes.len()).sum();
    facts.push(("Notizen", notes.to_string()));
    blocks.push(Block::Facts(facts));
    if report.is_empty() {
        blocks.push(Block::Text {
            text: "Diese Tafel ist leer.".to_owned(),
            quiet: true,
        });
        return;
    }
    if options.image {
        blocks.push(Block::BoardImage { board: index });
    }
    for section in &report.sections {
        blocks.push(Block::Heading {
            level: 2,
            text: section.title.clone(),
        });
        for label in &section.labels {
            blocks.push(Block::Text {
                text: label.clone(),
                quiet: false,
            });
        }
        if section.notes.is_empty() {
            blocks.push(Block::Text {
                text: "(keine Notizen)".to_owned(),
                quiet: true,
            });
        }
        for note in &section.notes {
            blocks.push(Block::Item {
                text: note.text.clone(),
                color: Some(note.color_hex.clone()),
                detail: detail(note, options),
                comments: comments(note, options),
            });
        }
    }
    if !report.connections.is_empty() {
        blocks.push(Block::Heading {
            level: 2,
            text: CONNECTIONS.to_owned(),
        });
        for connection in &report.connections {
            blocks.push(Block::Item {
                text: connection.sentence(),
                color: None,
                detail: None,
                comments: Vec::new(),
            });
        }
    }
    if !report.rounds.is_empty() {
        blocks.push(Block::Heading {
            level: 2,
            text: ROUNDS.to_owned(),
        });
        for round in &report.rounds {
            let people = match round.people {
                1 => "1 Person".to_owned(),
                n => format!("{n} Personen"),
            };
            let when = if round.date.is_empty() {
                String::new()
            } else {
                format!(", {}", round.date)
            };
            blocks.push(Block::Text {
                text: format!("{} ({people}{when})", round.title),
                quiet: false,
            });
            if round.ranking.is_empty() {
                blocks.push(Block::Text {
                    text: "(keine Stimmen)".to_owned(),
                    quiet: true,
                });
            }
            for (place, (text, votes)) in round.ranking.iter().enumerate() {
                blocks.push(Block::Item {
                    text: format!("{}. {text}", place + 1),
                    color: None,
                    detail: Some(match votes {
                        1 => "1 Stimme".to_owned(),
                        n => format!("{n} Stimmen"),
                    }),
                    comments: Vec::new(),
                });
            }
        }
    }
}

/// "3 Stimmen · Tags: a, b · Autorin/Autor: X", or nothing.
fn detail(note: &ReportNote, options: &DocumentOptions) -> Option<String> {
    let mut parts = Vec::new();
    match note.votes {
        0 => {}
        1 => parts.push("1 Stimme".to_owned()),
        n => parts.push(format!("{n} Stimmen")),
    }
    if options.tags && !note.tags.is_empty() {
        parts.push(format!("Tags: {}", note.tags.join(", ")));
    }
    if options.authors {
        let mut names: Vec<&str> = std::iter::once(note.author.trim())
            .chain(note.coauthors.iter().map(|c| c.trim()))
            .filter(|n| !n.is_empty())
            .collect();
        names.dedup();
        if !names.is_empty() {
            parts.push(format!("von {}", names.join(", ")));
        }
    }
    if !note.reactions.is_empty() {
        let counts: Vec<String> = note
            .reactions
            .iter()
            .map(|(name, count)| format!("{name} {count}"))
            .collect();
        parts.push(format!("Reaktionen: {}", counts.join(", ")));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

fn comments(note: &ReportNote, options: &DocumentOptions) -> Vec<String> {
    note.comments
        .iter()
        .map(|(author, text)| {
            if options.authors && !author.trim().is_empty() {
                format!("Kommentar von {}: {}", author.trim(), text.trim())
            } else {
                format!("Kommentar: {}", text.trim())
            }
        })
        .collect()
}
