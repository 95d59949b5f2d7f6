//! PDF export with krilla: A4, PDF/A-2b, the bundled fonts embedded as
//! subsets (text stays selectable and searchable), an outline of the
//! headings, and "Seite N von M" on every page.
//!
//! The document is laid out first (lines, boxes and images with their page
//! and position), then drawn; so page numbers in the table of contents and
//! the page count in the footer are known when drawing.

use std::collections::HashMap;

use krilla::color::rgb;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Size};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};

use crate::document::{board_blocks, collection_blocks, Block, CONTENTS};
use crate::fonts::{self, FontId, Weight};
use crate::image::{overviews, Encoding, RenderedImage};
use crate::model::{Collection, DocumentOptions, ExportBoard};
use crate::{Error, Result};

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 56.69;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
/// Lowest baseline of body text; the footer sits below.
const BOTTOM: f32 = PAGE_H - MARGIN - 10.0;
const BODY: f32 = 11.0;
const SMALL: f32 = 9.0;
const INDENT: f32 = 16.0;

type Color = (u8, u8, u8);
const TEXT: Color = (33, 33, 33);
const QUIET: Color = (97, 97, 97);
const HEADING: Color = (31, 56, 100);

/// One board's result document as PDF/A-2b.
///
/// # Errors
/// [`Error::Image`] when the board image cannot be rendered, [`Error::Pdf`]
/// when the PDF cannot be written.
pub fn pdf(board: &ExportBoard, options: &DocumentOptions) -> Result<Vec<u8>> {
    let blocks = board_blocks(board, options);
    write(
        &blocks,
        std::slice::from_ref(board),
        &board.title,
        options.created_at,
    )
}

/// Several boards in one PDF with a table of contents (with page numbers);
/// each board starts on a new page.
///
/// # Errors
/// As [`pdf`].
pub fn pdf_collection(collection: &Collection, options: &DocumentOptions) -> Result<Vec<u8>> {
    let blocks = collection_blocks(collection, options);
    write(
        &blocks,
        &collection.boards,
        &collection.title,
        options.created_at,
    )
}

#[derive(Debug)]
enum Mark {
    Text {
        x: f32,
        baseline: f32,
        text: String,
        weight: Weight,
        size: f32,
        color: Color,
    },
    /// The page number of heading `heading`, right-aligned at `right`.
    PageRef {
        right: f32,
        baseline: f32,
        heading: usize,
    },
    Swatch {
        x: f32,
        y: f32,
        color: Color,
    },
    Image {
        index: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

struct Heading {
    level: u8,
    text: String,
    page: usize,
    y: f32,
}

#[derive(Default)]
struct Layout {
    pages: Vec<Vec<Mark>>,
    /// Top of the free space on the current page.
    y: f32,
    headings: Vec<Heading>,
    /// Board images as raw RGBA.
    images: Vec<RenderedImage>,
}

impl Layout {
    fn new() -> Self {
        Layout {
            pages: vec![Vec::new()],
            y: MARGIN,
            ..Layout::default()
        }
    }

    fn page(&self) -> usize {
        self.pages.len() - 1
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Starts a new page unless `height` still fits on this one.
    fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > MARGIN {
            self.new_page();
        }
    }

    fn push(&mut self, mark: Mark) {
        if let Some(page) = self.pages.last_mut() {
            page.push(mark);
        }
    }

    /// Wrapped text at `x`, `width` wide; returns nothing, moves `y` down.
    fn text(&mut self, text: &str, x: f32, width: f32, weight: Weight, size: f32, color: Color) {
        let line_height = size * 1.35;
        for line in fonts::wrap(text.trim(), weight, size, width) {
            self.ensure(line_height);
            self.y += line_height;
            let baseline = self.y - size * 0.3;
            let x = if fonts::is_rtl(&line) {
                x + width - fonts::measure(&line, weight, size)
            } else {
                x
            };
            self.push(Mark::Text {
                x,
                baseline,
                text: line,
                weight,
                size,
                color,
            });
        }
    }
}

fn hex_color(hex: &str) -> Color {
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(200)
    };
    (channel(1), channel(3), channel(5))
}

fn lay_out(blocks: &[Block], boards: &[ExportBoard]) -> Result<Layout> {
    let mut layout = Layout::new();
    let pictured: Vec<&ExportBoard> =
        if blocks.iter().any(|b| matches!(b, Block::BoardImage { .. })) {
            boards.iter().collect()
        } else {
            Vec::new()
        };
    // About 150 dpi across the text column.
    let mut images = overviews(&pictured, f64::from(CONTENT_W) * 2.1, Encoding::Rgba);
    let mut heading_count = 0usize;
    for block in blocks {
        match block {
            Block::Title(text) => {
                layout.y += 40.0;
                layout.text(text, MARGIN, CONTENT_W, Weight::Bold, 24.0, TEXT);
                layout.y += 12.0;
            }
            Block::Heading { level, text } => {
                let size = if *level <= 1 { 18.0 } else { 14.0 };
                // Keep the heading with the first lines after it.
                layout.ensure(size * 1.35 + 14.0 + BODY * 3.0);
                layout.y += if *level <= 1 { 10.0 } else { 8.0 };
                let page = layout.page();
                let y = layout.y;
                layout.text(text, MARGIN, CONTENT_W, Weight::Bold, size, HEADING);
                layout.y += 4.0;
                layout.headings.push(Heading {
                    level: *level,
                    text: text.clone(),
                    page,
                    y,
                });
                heading_count += 1;
            }
            Block::Facts(facts) => {
                for (label, value) in facts {
                    let label = format!("{label}: ");
                    let label_w = fonts::measure(&label, Weight::Bold, BODY);
                    layout.ensure(BODY * 1.35);
                    let baseline = layout.y + BODY * 1.35 - BODY * 0.3;
                    let page = layout.page();
                    layout.text(
                        value,
                        MARGIN + label_w,
                        CONTENT_W - label_w,
                        Weight::Regular,
                        BODY,
                        TEXT,
                    );
                    if let Some(marks) = layout.pages.get_mut(page) {
                        marks.push(Mark::Text {
                            x: MARGIN,
                            baseline,
                            text: label,
                            weight: Weight::Bold,
                            size: BODY,
                            color: TEXT,
                        });
                    }
                }
                layout.y += 8.0;
            }
            Block::BoardImage { board } => {
                let Some(image) = images.get_mut(*board).and_then(Option::take) else {
                    continue;
                };
                let mut w = CONTENT_W;
                let mut h = w * image.height as f32 / image.width.max(1) as f32;
                let max_h = (BOTTOM - MARGIN) * 0.6;
                if h > max_h {
                    w *= max_h / h;
                    h = max_h;
                }
                layout.ensure(h + 8.0);
                let index = layout.images.len();
                layout.images.push(image);
                let x = MARGIN + (CONTENT_W - w) / 2.0;
                let y = layout.y + 4.0;
                layout.push(Mark::Image { index, x, y, w, h });
                layout.y = y + h + 10.0;
            }
            Block::Text { text, quiet } => {
                let color = if *quiet { QUIET } else { TEXT };
                layout.text(text, MARGIN, CONTENT_W, Weight::Regular, BODY, color);
                layout.y += 4.0;
            }
            Block::Item {
                text,
                color,
                detail,
                comments,
            } => {
                // The first line fits here, so the marker goes on this page.
                layout.ensure(BODY * 1.35);
                let top = layout.y;
                let page = layout.page();
                let baseline = top + BODY * 1.35 - BODY * 0.3;
                layout.text(
                    text,
                    MARGIN + INDENT,
                    CONTENT_W - INDENT,
                    Weight::Regular,
                    BODY,
                    TEXT,
                );
                let mark = match color {
                    Some(hex) => Mark::Swatch {
                        x: MARGIN + 2.0,
                        y: baseline - 7.5,
                        color: hex_color(hex),
                    },
                    None => Mark::Text {
                        x: MARGIN + 3.0,
                        baseline,
                        text: "•".into(),
                        weight: Weight::Regular,
                        size: BODY,
                        color: TEXT,
                    },
                };
                if let Some(marks) = layout.pages.get_mut(page) {
                    marks.push(mark);
                }
                if let Some(detail) = detail {
                    layout.text(
                        detail,
                        MARGIN + INDENT,
                        CONTENT_W - INDENT,
                        Weight::Regular,
                        SMALL,
                        QUIET,
                    );
                }
                for comment in comments {
                    layout.text(
                        comment,
                        MARGIN + INDENT,
                        CONTENT_W - INDENT,
                        Weight::Regular,
                        SMALL,
                        QUIET,
                    );
                }
                layout.y += 5.0;
            }
            Block::Contents(entries) => {
                layout.y += 6.0;
                layout.text(CONTENTS, MARGIN, CONTENT_W, Weight::Bold, 18.0, HEADING);
                layout.y += 6.0;
                for (index, (level, text)) in entries.iter().enumerate() {
                    let x = if *level <= 1 { MARGIN } else { MARGIN + INDENT };
                    let weight = if *level <= 1 {
                        Weight::Bold
                    } else {
                        Weight::Regular
                    };
                    layout.text(text, x, CONTENT_W - (x - MARGIN) - 36.0, weight, BODY, TEXT);
                    let baseline = layout.y - BODY * 0.3;
                    layout.push(Mark::PageRef {
                        right: MARGIN + CONTENT_W,
                        baseline,
                        heading: heading_count + index,
                    });
                    layout.y += 2.0;
                }
            }
            Block::PageBreak => layout.new_page(),
        }
    }
    Ok(layout)
}

struct Fonts {
    regular: Font,
    bold: Font,
    emoji: Font,
}

impl Fonts {
    fn load() -> Result<Self> {
        let font = |data: &'static [u8], name: &str| {
            Font::new(data.into(), 0)
                .ok_or_else(|| Error::Pdf(format!("the bundled font {name} cannot be read")))
        };
        Ok(Fonts {
            regular: font(fonts::REGULAR, "DejaVu Sans")?,
            bold: font(fonts::BOLD, "DejaVu Sans Bold")?,
            emoji: font(fonts::EMOJI, "Noto Color Emoji")?,
        })
    }

    fn get(&self, id: FontId) -> Font {
        match id {
            FontId::Regular => self.regular.clone(),
            FontId::Bold => self.bold.clone(),
            FontId::Emoji => self.emoji.clone(),
        }
    }
}

fn fill(color: Color) -> Fill {
    Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        ..Fill::default()
    }
}

fn draw_line(
    surface: &mut Surface<'_>,
    fonts: &Fonts,
    (x, baseline): (f32, f32),
    text: &str,
    weight: Weight,
    size: f32,
    color: Color,
) {
    surface.set_fill(Some(fill(color)));
    let mut x = x;
    for run in fonts::runs(text, weight, size) {
        let direction = if run.rtl {
            TextDirection::RightToLeft
        } else {
            TextDirection::LeftToRight
        };
        surface.draw_text(
            Point::from_xy(x, baseline),
            fonts.get(run.font),
            size,
            &run.text,
            false,
            direction,
        );
        x += run.width;
    }
}

fn write(
    blocks: &[Block],
    boards: &[ExportBoard],
    title: &str,
    created_at: i64,
) -> Result<Vec<u8>> {
    let mut layout = lay_out(blocks, boards)?;
    let fonts = Fonts::load()?;
    let page_of: HashMap<usize, usize> = layout
        .headings
        .iter()
        .enumerate()
        .map(|(i, h)| (i, h.page + 1))
        .collect();
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_B)
        .finish()
        .map_err(|e| Error::Pdf(format!("PDF/A-2b configuration: {e:?}")))?;
    let mut document = Document::new_with(SerializeSettings {
        configuration,
        ..SerializeSettings::default()
    });
    document.set_metadata(
        Metadata::new()
            .title(title.trim().to_owned())
            .language("de-DE".to_owned())
            .creator("Stellwand".to_owned())
            .creation_date(date_time(created_at)),
    );
    let images: Vec<Image> = std::mem::take(&mut layout.images)
        .into_iter()
        .map(|image| Image::from_rgba8(image.bytes, image.width, image.height))
        .collect();
    let total = layout.pages.len();
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| Error::Pdf("invalid page size".into()))?;
    for (number, marks) in layout.pages.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for mark in marks {
            match mark {
                Mark::Text {
                    x,
                    baseline,
                    text,
                    weight,
                    size,
                    color,
                } => draw_line(
                    &mut surface,
                    &fonts,
                    (*x, *baseline),
                    text,
                    *weight,
                    *size,
                    *color,
                ),
                Mark::PageRef {
                    right,
                    baseline,
                    heading,
                } => {
                    let text = page_of
                        .get(heading)
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    let w = fonts::measure(&text, Weight::Regular, BODY);
                    draw_line(
                        &mut surface,
                        &fonts,
                        (right - w, *baseline),
                        &text,
                        Weight::Regular,
                        BODY,
                        TEXT,
                    );
                }
                Mark::Swatch { x, y, color } => {
                    let mut path = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(*x, *y, 8.0, 8.0) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_fill(Some(fill(*color)));
                        surface.set_stroke(Some(Stroke {
                            paint: rgb::Color::new(117, 117, 117).into(),
                            width: 0.5,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Mark::Image { index, x, y, w, h } => {
                    if let (Some(image), Some(size)) = (images.get(*index), Size::from_wh(*w, *h)) {
                        surface.push_transform(&krilla::geom::Transform::from_translate(*x, *y));
                        surface.draw_image(image.clone(), size);
                        surface.pop();
                    }
                }
            }
        }
        let footer = format!("Seite {} von {total}", number + 1);
        let w = fonts::measure(&footer, Weight::Regular, SMALL);
        draw_line(
            &mut surface,
            &fonts,
            ((PAGE_W - w) / 2.0, PAGE_H - MARGIN / 2.0),
            &footer,
            Weight::Regular,
            SMALL,
            QUIET,
        );
        surface.finish();
        page.finish();
    }
    document.set_outline(outline(&layout.headings));
    document.finish().map_err(|e| Error::Pdf(format!("{e:?}")))
}

fn date_time(ms: i64) -> DateTime {
    let (y, m, d, h, min, s) = crate::model::utc_parts(ms);
    DateTime::new(u16::try_from(y.clamp(0, 9999)).unwrap_or(1970))
        .month(m as u8)
        .day(d as u8)
        .hour(h as u8)
        .minute(min as u8)
        .second(s as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// Bookmarks: boards (level 1) with their sections (level 2) below.
fn outline(headings: &[Heading]) -> Outline {
    let mut outline = Outline::new();
    let mut current: Option<OutlineNode> = None;
    for heading in headings {
        let node = OutlineNode::new(
            heading.text.clone(),
            XyzDestination::new(heading.page, Point::from_xy(0.0, heading.y)),
        );
        if heading.level <= 1 {
            if let Some(done) = current.take() {
                outline.push_child(done);
            }
            current = Some(node);
        } else {
            match current.as_mut() {
                Some(parent) => parent.push_child(node),
                None => outline.push_child(node),
            }
        }
    }
    if let Some(done) = current {
        outline.push_child(done);
    }
    outline
}
