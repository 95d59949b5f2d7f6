//! The bundled fonts, text measurement, line breaking, and splitting a line
//! into runs of one font and one direction.
//!
//! Measurement sums glyph advances without shaping; that is exact for Latin
//! text and close enough for breaking lines in other scripts.

use std::sync::OnceLock;

use ttf_parser::Face;
use unicode_bidi::BidiInfo;

pub(crate) static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
pub(crate) static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");
pub(crate) static EMOJI: &[u8] = include_bytes!("../../../assets/fonts/NotoColorEmoji.ttf");

/// Family names as the fonts declare them (used in SVG).
pub(crate) const TEXT_FAMILY: &str = "DejaVu Sans";
pub(crate) const EMOJI_FAMILY: &str = "Noto Color Emoji";

/// Which bundled font a run is drawn with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum FontId {
    Regular,
    Bold,
    Emoji,
}

/// Regular or bold text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

struct Faces {
    regular: Face<'static>,
    bold: Face<'static>,
    emoji: Face<'static>,
}

fn faces() -> Option<&'static Faces> {
    static FACES: OnceLock<Option<Faces>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            Some(Faces {
                regular: Face::parse(REGULAR, 0).ok()?,
                bold: Face::parse(BOLD, 0).ok()?,
                emoji: Face::parse(EMOJI, 0).ok()?,
            })
        })
        .as_ref()
}

/// Characters that belong to the emoji before them whatever font has them:
/// zero-width joiner, variation selectors, skin-tone modifiers, tag characters.
fn joins_previous(c: char) -> bool {
    matches!(c, '\u{200D}' | '\u{FE0E}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}')
}

/// The font that draws `c`: the text font when it has the glyph, else the emoji font.
fn font_for(c: char, weight: Weight) -> FontId {
    let text = match weight {
        Weight::Regular => FontId::Regular,
        Weight::Bold => FontId::Bold,
    };
    let Some(faces) = faces() else {
        return text;
    };
    let face = match weight {
        Weight::Regular => &faces.regular,
        Weight::Bold => &faces.bold,
    };
    let emoji_presentation =
        matches!(c, '\u{1F000}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}' | '\u{2B50}' | '\u{2B55}');
    let in_emoji = faces.emoji.glyph_index(c).is_some();
    if emoji_presentation && in_emoji {
        return FontId::Emoji;
    }
    if face.glyph_index(c).is_some() || c.is_whitespace() || !in_emoji {
        text
    } else {
        FontId::Emoji
    }
}

/// Advance of `c` in em units of the font that draws it (0..).
fn advance_em(c: char, font: FontId) -> f32 {
    let Some(faces) = faces() else {
        return 0.55;
    };
    let face = match font {
        FontId::Regular => &faces.regular,
        FontId::Bold => &faces.bold,
        FontId::Emoji => &faces.emoji,
    };
    if c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{FE00}'..='\u{FE0F}') {
        return 0.0;
    }
    let units = f32::from(face.units_per_em().max(1));
    match face.glyph_index(c) {
        Some(g) => f32::from(face.glyph_hor_advance(g).unwrap_or(0)) / units,
        None if joins_previous(c) => 0.0,
        None => 0.6,
    }
}

/// Width of `text` at `size` (points or pixels, as `size`).
pub(crate) fn measure(text: &str, weight: Weight, size: f32) -> f32 {
    font_runs(text, weight)
        .iter()
        .map(|(_, _, width)| width * size)
        .sum()
}

/// `text` split where the font changes, in logical order, with widths in em.
/// An emoji sequence (skin tone, zero-width joiner, variation selector) is one
/// glyph: the characters joined to it add no width.
pub(crate) fn font_runs(text: &str, weight: Weight) -> Vec<(String, FontId, f32)> {
    let text_font = font_for(' ', weight);
    let mut out: Vec<(String, FontId, f32)> = Vec::new();
    let mut previous = text_font;
    let mut after_joiner = false;
    for c in text.chars() {
        let joined = joins_previous(c) || after_joiner;
        let font = if joined {
            previous
        } else if c == ' ' {
            text_font
        } else {
            font_for(c, weight)
        };
        let width = if joined { 0.0 } else { advance_em(c, font) };
        after_joiner = c == '\u{200D}';
        previous = font;
        match out.last_mut() {
            Some(run) if run.1 == font => {
                run.0.push(c);
                run.2 += width;
            }
            _ => out.push((c.to_string(), font, width)),
        }
    }
    out
}

/// Breaks `text` into lines no wider than `width`: at spaces where possible,
/// else after a hyphen or slash inside a word, else between characters when
/// a word alone is too wide. Line breaks in the text are kept.
pub(crate) fn wrap(text: &str, weight: Weight, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let space = measure(" ", weight, size);
    for paragraph in text.split('\n') {
        let paragraph = paragraph.trim_end_matches('\r');
        let mut line = String::new();
        let mut line_width = 0.0;
        for word in paragraph.split(' ') {
            for (index, piece) in word.split_inclusive(['-', '/', '–']).enumerate() {
                // Pieces of one word join without a space.
                let gap = if index == 0 && !line.is_empty() {
                    space
                } else {
                    0.0
                };
                let piece_width = measure(piece, weight, size);
                if line_width + gap + piece_width <= width {
                    if gap > 0.0 {
                        line.push(' ');
                    }
                    line.push_str(piece);
                    line_width += gap + piece_width;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                }
                if piece_width <= width {
                    line.push_str(piece);
                    line_width = piece_width;
                    continue;
                }
                // A piece wider than the line: break it between characters.
                for c in piece.chars() {
                    let w = measure(c.encode_utf8(&mut [0; 4]), weight, size);
                    if line_width + w > width && !line.is_empty() && !joins_previous(c) {
                        lines.push(std::mem::take(&mut line));
                        line_width = 0.0;
                    }
                    line.push(c);
                    line_width += w;
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// Whether a line reads right to left (its first strong character is
/// Hebrew, Arabic, ...), so that it is set flush right.
pub(crate) fn is_rtl(line: &str) -> bool {
    BidiInfo::new(line, None)
        .paragraphs
        .first()
        .is_some_and(|p| p.level.is_rtl())
}

/// A piece of one line drawn with one font in one direction, in visual order.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Run {
    pub text: String,
    pub font: FontId,
    pub rtl: bool,
    pub width: f32,
}

/// Splits one line (no line breaks) into runs in visual order: the Unicode
/// bidirectional algorithm orders right-to-left pieces, then each piece is
/// split where the font changes.
pub(crate) fn runs(line: &str, weight: Weight, size: f32) -> Vec<Run> {
    let mut out = Vec::new();
    if line.is_empty() {
        return out;
    }
    let bidi = BidiInfo::new(line, None);
    let pieces: Vec<(String, bool)> = match bidi.paragraphs.first() {
        Some(para) if bidi.has_rtl() => {
            let (levels, ranges) = bidi.visual_runs(para, para.range.clone());
            ranges
                .into_iter()
                .map(|r| {
                    let rtl = levels.get(r.start).is_some_and(|l| l.is_rtl());
                    (line[r].to_owned(), rtl)
                })
                .collect()
        }
        _ => vec![(line.to_owned(), false)],
    };
    for (piece, rtl) in pieces {
        let mut split: Vec<Run> = font_runs(&piece, weight)
            .into_iter()
            .map(|(text, font, width)| Run {
                text,
                font,
                rtl,
                width: width * size,
            })
            .collect();
        if rtl {
            // Font runs of a right-to-left piece are laid out right to left too.
            split.reverse();
        }
        out.extend(split);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_words_are_broken_and_short_ones_kept_whole() {
        let lines = wrap(
            "kurz Donaudampfschifffahrtsgesellschaftskapitän",
            Weight::Regular,
            10.0,
            80.0,
        );
        assert_eq!(lines[0], "kurz");
        assert!(lines.len() > 2);
        assert!(lines
            .iter()
            .all(|l| measure(l, Weight::Regular, 10.0) <= 80.5));
    }

    #[test]
    fn compound_words_break_after_their_hyphen() {
        let lines = wrap(
            "Landesweiter Schnittstellen-Katalog",
            Weight::Regular,
            16.0,
            176.0,
        );
        assert_eq!(lines, ["Landesweiter", "Schnittstellen-", "Katalog"]);
    }

    #[test]
    fn emoji_get_their_own_font_run() {
        let runs = runs("Gut 👍🏽 gemacht", Weight::Regular, 10.0);
        let fonts: Vec<FontId> = runs.iter().map(|r| r.font).collect();
        assert_eq!(fonts, [FontId::Regular, FontId::Emoji, FontId::Regular]);
        // Thumb and skin tone are one glyph; a family of three joined is one too.
        let one = measure("👍", Weight::Regular, 10.0);
        assert_eq!(measure("👍🏽", Weight::Regular, 10.0), one);
        assert_eq!(
            measure("👨\u{200D}👩\u{200D}👧", Weight::Regular, 10.0),
            one
        );
    }

    #[test]
    fn lines_starting_in_hebrew_read_right_to_left() {
        assert!(is_rtl("שלום עולם – mit Deutsch"));
        assert!(!is_rtl("Deutsch mit שלום"));
    }

    #[test]
    fn hebrew_is_a_right_to_left_run() {
        let runs = runs("Ergebnis: שלום עולם", Weight::Regular, 10.0);
        assert!(runs.iter().any(|r| r.rtl));
    }
}
