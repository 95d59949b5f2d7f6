//! Markdown (CommonMark) export: the document structure as headings and lists.

use crate::document::{board_blocks, collection_blocks, Block, CONTENTS};
use crate::model::{Collection, DocumentOptions, ExportBoard};

/// One board as a Markdown document.
pub fn markdown(board: &ExportBoard, options: &DocumentOptions) -> String {
    let options = DocumentOptions {
        image: false,
        ..options.clone()
    };
    render(&board_blocks(board, &options), 0)
}

/// Several boards in one Markdown document with a table of contents; the
/// boards are level-2 headings below the document title.
pub fn markdown_collection(collection: &Collection, options: &DocumentOptions) -> String {
    let options = DocumentOptions {
        image: false,
        ..options.clone()
    };
    render(&collection_blocks(collection, &options), 1)
}

fn render(blocks: &[Block], shift: u8) -> String {
    let mut out = String::new();
    let mut in_list = false;
    for block in blocks {
        let is_item = matches!(block, Block::Item { .. });
        if in_list && !is_item {
            out.push('\n');
        }
        in_list = is_item;
        match block {
            Block::Title(text) => {
                out.push_str(&format!("# {}\n\n", escape_line(text)));
            }
            Block::Heading { level, text } => {
                let hashes = "#".repeat(usize::from(level + shift));
                out.push_str(&format!("{hashes} {}\n\n", escape_line(text)));
            }
            Block::Facts(facts) => {
                for (label, value) in facts {
                    out.push_str(&format!("**{label}:** {}  \n", escape_line(value)));
                }
                out.push('\n');
            }
            Block::Text { text, quiet } => {
                let text = escape_block(text, "");
                if *quiet {
                    out.push_str(&format!("_{text}_\n\n"));
                } else {
                    out.push_str(&format!("{text}\n\n"));
                }
            }
            Block::Item {
                text,
                detail,
                comments,
                ..
            } => {
                out.push_str("- ");
                out.push_str(&escape_block(text, "  "));
                if let Some(detail) = detail {
                    out.push_str(&format!("  \n  _{}_", escape_line(detail)));
                }
                for comment in comments {
                    out.push_str(&format!("  \n  {}", escape_block(comment, "  ")));
                }
                out.push('\n');
            }
            Block::Contents(entries) => {
                out.push_str(&format!(
                    "{} {CONTENTS}\n\n",
                    "#".repeat(usize::from(1 + shift))
                ));
                for (level, text) in entries {
                    let indent = "  ".repeat(usize::from(level.saturating_sub(1)));
                    out.push_str(&format!(
                        "{indent}- [{}](#{})\n",
                        escape_line(text),
                        anchor(text)
                    ));
                }
                out.push('\n');
            }
            Block::BoardImage { .. } | Block::PageBreak => {}
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Escapes one line so that it is shown as written: markup characters get a
/// backslash, list and heading markers at the line start are neutralised.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    // A line starting with "-", "+", "=" or "1." would become a list or an underline.
    let trimmed = out.trim_start();
    let lead = out.len() - trimmed.len();
    if trimmed.starts_with(['-', '+', '=']) {
        out.insert(lead, '\\');
    } else {
        let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && trimmed[digits..].starts_with(['.', ')']) {
            out.insert(lead + digits, '\\');
        }
    }
    out
}

/// Escapes text with line breaks; continuation lines get `indent` so they stay
/// inside a list item.
fn escape_block(text: &str, indent: &str) -> String {
    let lines: Vec<String> = text
        .trim()
        .lines()
        .map(|l| escape_line(l.trim_end()))
        .collect();
    lines.join(&format!("  \n{indent}"))
}

/// The anchor a heading gets on common Markdown hosts: lower case, spaces to
/// hyphens, punctuation dropped.
fn anchor(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_shown_as_written() {
        assert_eq!(
            escape_line("# a < b & c * d | e"),
            r"\# a \< b \& c \* d \| e"
        );
        assert_eq!(escape_line("- kein Punkt"), r"\- kein Punkt");
        assert_eq!(escape_line("1. kein Punkt"), r"1\. kein Punkt");
    }
}
