//! A small picture of a board for the start screen: the items' shapes and
//! colours, no text, as SVG.

use std::fmt::Write;

use crate::{color_hex, Item, ItemKind};

/// An SVG of `width` × `height` pixels showing every item scaled to fit.
/// Only geometry and palette colours go in: nothing a peer wrote as text can
/// reach the markup.
pub fn preview_svg(items: &[Item], width: u32, height: u32) -> String {
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\"><rect width=\"100%\" height=\"100%\" fill=\"#f5f3ee\"/>"
    );
    let shapes: Vec<&Item> = items
        .iter()
        .filter(|i| i.kind != ItemKind::Connector)
        .collect();
    if shapes.is_empty() {
        svg.push_str("</svg>");
        return svg;
    }
    let left = shapes.iter().map(|i| i.x).fold(f64::INFINITY, f64::min);
    let top = shapes.iter().map(|i| i.y).fold(f64::INFINITY, f64::min);
    let right = shapes
        .iter()
        .map(|i| i.x + i.w)
        .fold(f64::NEG_INFINITY, f64::max);
    let bottom = shapes
        .iter()
        .map(|i| i.y + i.h)
        .fold(f64::NEG_INFINITY, f64::max);
    let margin = 4.0;
    let scale = ((f64::from(width) - 2.0 * margin) / (right - left).max(1.0))
        .min((f64::from(height) - 2.0 * margin) / (bottom - top).max(1.0));
    let place = |x: f64, y: f64| (margin + (x - left) * scale, margin + (y - top) * scale);
    let mut ordered = shapes.clone();
    // Frames below everything else, as on the board.
    ordered.sort_by(|a, b| {
        (a.kind != ItemKind::Frame)
            .cmp(&(b.kind != ItemKind::Frame))
            .then(a.z.total_cmp(&b.z))
    });
    for item in ordered {
        let (x, y) = place(item.x, item.y);
        let (w, h) = ((item.w * scale).max(1.0), (item.h * scale).max(1.0));
        let fill = color_hex(&item.color).unwrap_or("#fff176");
        let _ = match item.kind {
            ItemKind::Frame => write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"#ffffff\" stroke=\"#9e9e9e\" stroke-width=\"1\"/>"
            ),
            ItemKind::Label => write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"#616161\"/>",
                (h / 3.0).max(1.0)
            ),
            _ => write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{fill}\"/>"
            ),
        };
    }
    for connector in items.iter().filter(|i| i.kind == ItemKind::Connector) {
        let ends = [connector.from, connector.to]
            .map(|end| end.and_then(|id| shapes.iter().find(|i| i.id == id)));
        if let [Some(a), Some(b)] = ends {
            let (ax, ay) = a.center();
            let (bx, by) = b.center();
            let (x1, y1) = place(ax, ay);
            let (x2, y2) = place(bx, by);
            let _ = write!(
                svg,
                "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"#424242\" stroke-width=\"1\"/>"
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Author, Board, NewItem};

    #[test]
    fn a_preview_shows_shapes_and_never_text() {
        let mut board = Board::new(Author::default());
        board
            .edit(0, |e| {
                let f = e.create(NewItem::frame(0.0, 0.0, 800.0, 600.0, "<script>"))?;
                let a = e.create(
                    NewItem::note(10.0, 10.0, "<img src=x onerror=alert(1)>").in_frame(f),
                )?;
                let b = e.create(NewItem::note(1000.0, 900.0, "b").with_color("#123456"))?;
                e.create(NewItem::connector(a, b, "&"))?;
                Ok(())
            })
            .unwrap();
        let svg = preview_svg(&board.items(), 160, 100);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(
            svg.matches("<rect").count(),
            4,
            "background, frame, two notes"
        );
        assert_eq!(svg.matches("<line").count(), 1);
        assert!(svg.contains("#123456") && svg.contains("#fff176"));
        assert!(!svg.contains("script") && !svg.contains("onerror") && !svg.contains('&'));
        let empty = preview_svg(&[], 160, 100);
        assert_eq!(empty.matches("<rect").count(), 1);
    }
}
