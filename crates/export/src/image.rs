//! Images of a board: SVG built from the items, PNG rendered from that SVG
//! with resvg and the bundled fonts, so that both look the same.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};
use stellwand_board::{color_hex, Item, ItemId, ItemKind};

use crate::fonts::{self, Weight, EMOJI_FAMILY, TEXT_FAMILY};
use crate::model::ExportBoard;
use crate::{Error, Result};

/// Note text size in board units: at 100 % zoom one unit is one pixel, as on screen.
const NOTE_TEXT: f32 = 16.0;
const LINE: f32 = 1.3;
const PADDING: f64 = 12.0;
const FRAME_TITLE: f32 = 20.0;
const MARGIN: f64 = 40.0;
const BACKGROUND: &str = "#f7f7f5";

/// What to draw and how large.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageOptions {
    /// Only this frame and what it owns; the whole board when `None`.
    pub frame: Option<ItemId>,
    /// Pixels per board unit for PNG (1.0 = 100 % zoom).
    pub scale: f32,
    /// The PNG is scaled down below `scale` when it would have more pixels than
    /// this (a board of thousands of notes at 100 % would need gigabytes).
    pub max_pixels: u64,
}

impl Default for ImageOptions {
    fn default() -> Self {
        ImageOptions {
            frame: None,
            scale: 1.0,
            max_pixels: 40_000_000,
        }
    }
}

/// A rendered PNG and the size and scale it got.
#[derive(Clone, Debug, PartialEq)]
pub struct RenderedImage {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Pixels per board unit actually used (below the asked scale when capped).
    pub scale: f32,
}

/// The board (or one frame) as an SVG document in board units. Text uses
/// DejaVu Sans with Noto Color Emoji as fallback, the families bundled with
/// this crate; other viewers fall back to a sans-serif font.
///
/// # Errors
/// [`Error::FrameNotFound`] when `options.frame` is not a frame of the board.
pub fn svg(board: &ExportBoard, options: &ImageOptions) -> Result<String> {
    Ok(build_svg(board, options, true)?.0)
}

/// The board (or one frame) as a PNG, text readable at `options.scale` = 1.0.
///
/// # Errors
/// [`Error::FrameNotFound`] for an unknown frame, [`Error::Image`] when the
/// image cannot be rendered or encoded.
pub fn png(board: &ExportBoard, options: &ImageOptions) -> Result<RenderedImage> {
    let (svg, width, height) = build_svg(board, options, true)?;
    render(
        &svg,
        width,
        height,
        options.scale,
        options.max_pixels,
        Encoding::Png,
    )
}

/// Renders an SVG of `width` x `height` board units at `scale`, capped at `max_pixels`.
pub(crate) fn render(
    svg: &str,
    width: f64,
    height: f64,
    scale: f32,
    max_pixels: u64,
    encoding: Encoding,
) -> Result<RenderedImage> {
    let mut scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let area = width * height * f64::from(scale) * f64::from(scale);
    if area > max_pixels as f64 {
        scale = (f64::from(scale) * (max_pixels as f64 / area).sqrt()) as f32;
    }
    let px = |v: f64| ((v * f64::from(scale)).ceil() as u32).max(1);
    let (w, h) = (px(width), px(height));
    let options = usvg::Options {
        fontdb: font_database(),
        font_family: TEXT_FAMILY.to_owned(),
        ..usvg::Options::default()
    };
    let mut pixmap = tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| Error::Image(format!("an image of {w} x {h} pixels is not possible")))?;
    // The renderer has panicked on unusual text before; a board's text comes
    // from other people, so a failure here must be an error, not a crash.
    let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        usvg::Tree::from_str(svg, &options).map(|tree| {
            resvg::render(
                &tree,
                tiny_skia::Transform::from_scale(scale, scale),
                &mut pixmap.as_mut(),
            );
        })
    }));
    match drawn {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(Error::Image(e.to_string())),
        Err(_) => {
            return Err(Error::Image(
                "the renderer failed on the text of this board".to_owned(),
            ))
        }
    }
    let rgba = straight_rgba(&pixmap);
    let bytes = match encoding {
        Encoding::Png => encode_png(&rgba, w, h).map_err(|e| Error::Image(e.to_string()))?,
        Encoding::Rgba => rgba,
    };
    Ok(RenderedImage {
        bytes,
        width: w,
        height: h,
        scale,
    })
}

/// How [`render`] hands over the pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Png,
    /// Raw RGBA, 8 bits each, not premultiplied: for the PDF writer, which
    /// would otherwise decode the PNG again.
    Rgba,
}

fn straight_rgba(pixmap: &tiny_skia::Pixmap) -> Vec<u8> {
    let mut rgba = Vec::with_capacity(pixmap.data().len());
    for pixel in pixmap.pixels() {
        let c = pixel.demultiply();
        rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    rgba
}

/// PNG with fast compression: tiny-skia's own encoder compresses hard, which
/// takes seconds for a board-sized image.
fn encode_png(
    rgba: &[u8],
    width: u32,
    height: u32,
) -> std::result::Result<Vec<u8>, png::EncodingError> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(rgba)?;
        writer.finish()?;
    }
    Ok(bytes)
}

fn font_database() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(fonts::REGULAR)));
        db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(fonts::BOLD)));
        db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(fonts::EMOJI)));
        db.set_sans_serif_family(TEXT_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// The SVG text and its size in board units.
fn build_svg(
    board: &ExportBoard,
    options: &ImageOptions,
    note_text: bool,
) -> Result<(String, f64, f64)> {
    let board = match options.frame {
        Some(frame) => board.only_frame(frame)?,
        None => board.clone(),
    };
    let (left, top, right, bottom) = extent(&board);
    let (ox, oy) = (left - MARGIN, top - MARGIN);
    let width = right - left + 2.0 * MARGIN;
    let height = bottom - top + 2.0 * MARGIN;

    let mut out = String::with_capacity(256 + board.items.len() * 400);
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="{TEXT_FAMILY}, {EMOJI_FAMILY}, sans-serif">
<title>{}</title>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#424242"/></marker></defs>
<rect width="100%" height="100%" fill="{BACKGROUND}"/>
"##,
        xml(&board.title)
    );
    let mut ordered: Vec<&Item> = board.items.iter().collect();
    ordered.sort_by(|a, b| layer(a.kind).cmp(&layer(b.kind)).then(a.z.total_cmp(&b.z)));
    let by_id: HashMap<ItemId, &Item> = board.items.iter().map(|i| (i.id, i)).collect();
    for item in ordered {
        let (x, y) = (item.x - ox, item.y - oy);
        match item.kind {
            ItemKind::Frame => frame(&mut out, item, x, y),
            ItemKind::Note => note(&mut out, item, x, y, note_text),
            ItemKind::Label => label(&mut out, item, x, y),
            ItemKind::Connector => connector(&mut out, item, &by_id, (ox, oy), false),
        }
    }
    // Connector labels on top of everything, so that notes never hide them.
    for item in board.items.iter().filter(|i| i.kind == ItemKind::Connector) {
        connector(&mut out, item, &by_id, (ox, oy), true);
    }
    out.push_str("</svg>\n");
    Ok((out, width, height))
}

/// The rectangle all items (but connectors) cover; a fixed small one when
/// there are none.
fn extent(board: &ExportBoard) -> (f64, f64, f64, f64) {
    let shapes: Vec<&Item> = board
        .items
        .iter()
        .filter(|i| i.kind != ItemKind::Connector)
        .collect();
    if shapes.is_empty() {
        return (0.0, 0.0, 400.0, 240.0);
    }
    shapes.iter().fold(
        (
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ),
        |(l, t, r, b), i| (l.min(i.x), t.min(i.y), r.max(i.x + i.w), b.max(i.y + i.h)),
    )
}

/// Overview images of several boards for documents, `width_px` wide at most,
/// rendered on all cores. A board whose image cannot be drawn gets `None`:
/// the notes are the document, the picture is a bonus.
pub(crate) fn overviews(
    boards: &[&ExportBoard],
    width_px: f64,
    encoding: Encoding,
) -> Vec<Option<RenderedImage>> {
    let mut out: Vec<Option<RenderedImage>> = vec![None; boards.len()];
    if boards.is_empty() {
        return out;
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, boards.len());
    let per_thread = boards.len().div_ceil(threads);
    std::thread::scope(|scope| {
        for (slots, chunk) in out.chunks_mut(per_thread).zip(boards.chunks(per_thread)) {
            scope.spawn(move || {
                for (slot, board) in slots.iter_mut().zip(chunk) {
                    *slot = overview(board, width_px, encoding).ok();
                }
            });
        }
    });
    out
}

/// One overview image. Note text is left out when it would be drawn smaller
/// than 6 pixels: unreadable anyway, and most of the rendering time.
fn overview(board: &ExportBoard, width_px: f64, encoding: Encoding) -> Result<RenderedImage> {
    let (left, _, right, _) = extent(board);
    let width = right - left + 2.0 * MARGIN;
    let scale = (width_px / width).min(1.6);
    let note_text = f64::from(NOTE_TEXT) * scale >= 6.0;
    let (svg, width, height) = build_svg(board, &ImageOptions::default(), note_text)?;
    render(&svg, width, height, scale as f32, 4_000_000, encoding)
}

/// Frames at the bottom, then connectors, notes and labels on top: a line
/// that crosses a note must not cross out its text.
fn layer(kind: ItemKind) -> u8 {
    match kind {
        ItemKind::Frame => 0,
        ItemKind::Connector => 1,
        ItemKind::Note | ItemKind::Label => 2,
    }
}

fn hex(item: &Item) -> &str {
    color_hex(&item.color).unwrap_or_else(|| item.kind.default_color_hex())
}

trait DefaultHex {
    fn default_color_hex(self) -> &'static str;
}

impl DefaultHex for ItemKind {
    fn default_color_hex(self) -> &'static str {
        color_hex(self.default_color()).unwrap_or("#fff176")
    }
}

/// Black or white, whichever reads better on `background`.
fn text_color(background: &str) -> &'static str {
    let channel = |i: usize| {
        background
            .get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(255.0, f64::from)
    };
    let luma = 0.299 * channel(1) + 0.587 * channel(3) + 0.114 * channel(5);
    if luma < 110.0 {
        "#ffffff"
    } else {
        "#212121"
    }
}

fn frame(out: &mut String, item: &Item, x: f64, y: f64) {
    let fill = hex(item);
    let _ = writeln!(
        out,
        r##"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" rx="8" fill="{fill}" fill-opacity="0.35" stroke="#9e9e9e" stroke-width="1.5"/>"##,
        item.w, item.h
    );
    let width = (item.w - 2.0 * PADDING) as f32;
    if let Some(title) = fonts::wrap(item.text.trim(), Weight::Bold, FRAME_TITLE, width).first() {
        let _ = writeln!(
            out,
            r##"<text x="{:.1}" y="{:.1}" font-size="{FRAME_TITLE}" font-weight="bold" fill="#212121">{}</text>"##,
            x + PADDING,
            y + PADDING + f64::from(FRAME_TITLE),
            xml(title)
        );
    }
}

fn note(out: &mut String, item: &Item, x: f64, y: f64, with_text: bool) {
    let fill = hex(item);
    let _ = writeln!(
        out,
        r##"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" rx="4" fill="{fill}" stroke="#000000" stroke-opacity="0.18"/>"##,
        item.w, item.h
    );
    if !with_text {
        return;
    }
    text_block(
        out,
        &item.text,
        x + PADDING,
        y + PADDING,
        item.w - 2.0 * PADDING,
        item.h - 2.0 * PADDING,
        NOTE_TEXT,
        text_color(fill),
    );
}

fn label(out: &mut String, item: &Item, x: f64, y: f64) {
    let size = (item.h * 0.45).clamp(12.0, 40.0) as f32;
    let color = match hex(item) {
        "#ffffff" => "#212121",
        other => other,
    };
    text_block(
        out,
        &item.text,
        x,
        y,
        item.w,
        item.h.max(f64::from(size) * 1.4),
        size,
        color,
    );
}

/// Wrapped text in a box; lines that do not fit are cut, the last shown line
/// ends with "…".
#[allow(clippy::too_many_arguments)]
fn text_block(out: &mut String, text: &str, x: f64, y: f64, w: f64, h: f64, size: f32, fill: &str) {
    let line_height = f64::from(size * LINE);
    let max_lines = ((h / line_height).floor() as usize).max(1);
    let mut lines = fonts::wrap(text.trim(), Weight::Regular, size, w.max(8.0) as f32);
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty()
                && fonts::measure(&format!("{last}…"), Weight::Regular, size) > w as f32
            {
                last.pop();
            }
            last.push('…');
        }
    }
    if lines.iter().all(|l| l.trim().is_empty()) {
        return;
    }
    for (index, line) in lines.iter().enumerate() {
        let baseline = y + f64::from(size) + index as f64 * line_height;
        let x = if fonts::is_rtl(line) {
            x + w - f64::from(fonts::measure(line, Weight::Regular, size))
        } else {
            x
        };
        let runs = fonts::runs(line, Weight::Regular, size);
        if runs.iter().all(|r| r.font != fonts::FontId::Emoji) {
            let _ = writeln!(
                out,
                r#"<text x="{x:.1}" y="{baseline:.1}" font-size="{size}" fill="{fill}">{}</text>"#,
                xml(line)
            );
            continue;
        }
        // Emoji go into text elements of their own with the emoji font, placed
        // by our own measurement: renderers then never mix fonts inside one
        // emoji sequence (usvg 0.49 panics on that).
        let mut run_x = x;
        for run in runs {
            let family = match run.font {
                fonts::FontId::Emoji => EMOJI_FAMILY,
                _ => TEXT_FAMILY,
            };
            let _ = writeln!(
                out,
                r#"<text x="{run_x:.1}" y="{baseline:.1}" font-size="{size}" font-family="{family}" fill="{fill}">{}</text>"#,
                xml(&run.text)
            );
            run_x += f64::from(run.width);
        }
    }
}

/// The line of a connector, or (with `label`) its label.
fn connector(
    out: &mut String,
    item: &Item,
    by_id: &HashMap<ItemId, &Item>,
    (ox, oy): (f64, f64),
    label: bool,
) {
    let (Some(from), Some(to)) = (
        item.from.and_then(|id| by_id.get(&id)),
        item.to.and_then(|id| by_id.get(&id)),
    ) else {
        return;
    };
    let (a, b) = (from.center(), to.center());
    let start = border_point(from, b);
    let end = border_point(to, a);
    let stroke = match hex(item) {
        "#ffffff" => "#424242",
        other => other,
    };
    if !label {
        let _ = writeln!(
            out,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{stroke}" stroke-width="2" marker-end="url(#arrow)"/>"#,
            start.0 - ox,
            start.1 - oy,
            end.0 - ox,
            end.1 - oy
        );
        return;
    }
    let label = item.text.trim();
    if !label.is_empty() {
        let (mx, my) = ((start.0 + end.0) / 2.0 - ox, (start.1 + end.1) / 2.0 - oy);
        let size = 14.0_f32;
        let first = fonts::wrap(label, Weight::Regular, size, 240.0)
            .into_iter()
            .next()
            .unwrap_or_default();
        let w = f64::from(fonts::measure(&first, Weight::Regular, size)) + 12.0;
        let _ = writeln!(
            out,
            r##"<rect x="{:.1}" y="{:.1}" width="{w:.1}" height="22" rx="4" fill="#ffffff" stroke="#bdbdbd"/><text x="{:.1}" y="{:.1}" font-size="{size}" fill="#212121">{}</text>"##,
            mx - w / 2.0,
            my - 11.0,
            mx - w / 2.0 + 6.0,
            my + 5.0,
            xml(&first)
        );
    }
}

/// Where the line from the centre of `item` towards `target` leaves its rectangle.
fn border_point(item: &Item, target: (f64, f64)) -> (f64, f64) {
    let (cx, cy) = item.center();
    let (dx, dy) = (target.0 - cx, target.1 - cy);
    if dx.abs() < f64::EPSILON && dy.abs() < f64::EPSILON {
        return (cx, cy);
    }
    let sx = if dx.abs() > f64::EPSILON {
        (item.w / 2.0) / dx.abs()
    } else {
        f64::INFINITY
    };
    let sy = if dy.abs() > f64::EPSILON {
        (item.h / 2.0) / dy.abs()
    } else {
        f64::INFINITY
    };
    let s = sx.min(sy).min(1.0);
    (cx + dx * s, cy + dy * s)
}

/// Text for XML content and attributes; characters XML cannot hold are dropped.
pub(crate) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}
