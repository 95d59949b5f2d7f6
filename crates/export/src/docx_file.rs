//! Word (DOCX) export with docx-rs: real heading styles (so Word's and
//! LibreOffice's tables of contents and navigators work), bulleted lists, an
//! image of the board, A4 pages numbered "Seite N von M".

use std::io::Cursor;

use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, FieldCharType, Footer, IndentLevel,
    InstrPAGEREF, InstrText, Level, LevelJc, LevelText, LineSpacing, NumPages, NumberFormat,
    Numbering, NumberingId, PageMargin, PageNum, Paragraph, Pic, Run, RunFonts, SpecialIndentType,
    Start, StructuredDataTag, Style, StyleType, Tab, TabLeaderType, TabValueType,
};

use crate::document::{board_blocks, collection_blocks, Block, CONTENTS};
use crate::image::{overviews, Encoding, RenderedImage};
use crate::model::{Collection, DocumentOptions, ExportBoard};
use crate::{Error, Result};

/// Numbering id of the bullet list (docx-rs reserves 1 for a decimal list).
const BULLETS: usize = 2;
/// A4 in twentieths of a point, 2 cm margins.
const PAGE: (u32, u32) = (11_906, 16_838);
const MARGIN: i32 = 1_134;
/// Width of the text column in EMU (17 cm).
const TEXT_WIDTH_EMU: u32 = 6_120_000;
/// The same in twentieths of a point.
const TEXT_WIDTH_TWIPS: usize = 9_638;
const MAX_IMAGE_HEIGHT_EMU: u32 = 8_280_000;
const FONT: &str = "Arial";

/// One board's result document as DOCX.
///
/// # Errors
/// [`Error::Image`] when the board image cannot be rendered, [`Error::Docx`]
/// when the document cannot be packed.
pub fn docx(board: &ExportBoard, options: &DocumentOptions) -> Result<Vec<u8>> {
    let blocks = board_blocks(board, options);
    write(&blocks, std::slice::from_ref(board), &board.title)
}

/// Several boards in one DOCX with a table of contents; each board starts on a new page.
///
/// # Errors
/// As [`docx`].
pub fn docx_collection(collection: &Collection, options: &DocumentOptions) -> Result<Vec<u8>> {
    let blocks = collection_blocks(collection, options);
    write(&blocks, &collection.boards, &collection.title)
}

fn write(blocks: &[Block], boards: &[ExportBoard], _title: &str) -> Result<Vec<u8>> {
    let mut doc = base();
    let pictured: Vec<&ExportBoard> =
        if blocks.iter().any(|b| matches!(b, Block::BoardImage { .. })) {
            boards.iter().collect()
        } else {
            Vec::new()
        };
    // About 200 dpi across the 17 cm text column.
    let mut images = overviews(&pictured, 1400.0, Encoding::Png);
    let mut bookmark = 0usize;
    let mut page_break = false;
    // Headings get bookmarks `_Toc<n>` that the contents entries point at.
    let mut heading_index = 0usize;
    for block in blocks {
        let mut paragraphs: Vec<Paragraph> = Vec::new();
        match block {
            Block::Title(text) => {
                paragraphs.push(
                    Paragraph::new()
                        .style("Title")
                        .add_run(Run::new().add_text(text)),
                );
            }
            Block::Heading { level, text } => {
                heading_index += 1;
                bookmark += 1;
                let style = if *level <= 1 { "Heading1" } else { "Heading2" };
                paragraphs.push(
                    Paragraph::new()
                        .style(style)
                        .add_bookmark_start(bookmark, format!("_Toc{heading_index}"))
                        .add_run(Run::new().add_text(text))
                        .add_bookmark_end(bookmark),
                );
            }
            Block::Facts(facts) => {
                for (label, value) in facts {
                    paragraphs.push(
                        Paragraph::new()
                            .style("Facts")
                            .add_run(Run::new().add_text(format!("{label}: ")).bold())
                            .add_run(Run::new().add_text(value)),
                    );
                }
            }
            Block::BoardImage { board } => {
                if let Some(image) = images.get_mut(*board).and_then(Option::take) {
                    paragraphs.push(board_image(image));
                }
            }
            Block::Text { text, quiet } => {
                let mut run = text_run(text);
                if *quiet {
                    run = run.italic().color("616161");
                }
                paragraphs.push(Paragraph::new().add_run(run));
            }
            Block::Item {
                text,
                color,
                detail,
                comments,
            } => {
                let mut p = Paragraph::new()
                    .style("ListParagraph")
                    .numbering(NumberingId::new(BULLETS), IndentLevel::new(0));
                if let Some(color) = color {
                    p = p.add_run(
                        Run::new()
                            .add_text("■ ")
                            .color(color.trim_start_matches('#'))
                            .fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT)),
                    );
                }
                p = p.add_run(text_run(text));
                if let Some(detail) = detail {
                    p = p.add_run(
                        Run::new()
                            .add_break(BreakType::TextWrapping)
                            .add_text(detail)
                            .size(18)
                            .color("616161"),
                    );
                }
                for comment in comments {
                    p = p.add_run(
                        Run::new()
                            .add_break(BreakType::TextWrapping)
                            .add_text(comment)
                            .size(18)
                            .italic()
                            .color("616161"),
                    );
                }
                paragraphs.push(p);
            }
            Block::Contents(entries) => {
                // In a content control named like the heading.
                let mut sdt = StructuredDataTag::new().alias(CONTENTS).add_paragraph(
                    Paragraph::new()
                        .style("TOCHeading")
                        .add_run(Run::new().add_text(CONTENTS)),
                );
                for p in contents(entries) {
                    sdt = sdt.add_paragraph(p);
                }
                doc = doc.add_structured_data_tag(sdt);
            }
            Block::PageBreak => page_break = true,
        }
        for mut p in paragraphs {
            if page_break {
                p = p.page_break_before(true);
                page_break = false;
            }
            doc = doc.add_paragraph(p);
        }
    }
    let mut bytes = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut bytes)
        .map_err(|e| Error::Docx(e.to_string()))?;
    Ok(bytes.into_inner())
}

/// The entries of the table of contents: each its text, a dotted tab and a
/// PAGEREF field to the heading's bookmark. LibreOffice computes these page
/// numbers when it lays the document out, Word when it updates the (dirty)
/// fields on opening. They are not wrapped in a TOC field because LibreOffice
/// would then take them as a finished index and show no page numbers; a user
/// who wants Word's own index inserts one over the real heading styles.
fn contents(entries: &[(u8, String)]) -> Vec<Paragraph> {
    let right_tab = Tab::new()
        .val(TabValueType::Right)
        .leader(TabLeaderType::Dot)
        .pos(TEXT_WIDTH_TWIPS);
    let mut paragraphs = Vec::with_capacity(entries.len() + 1);
    for (index, (level, text)) in entries.iter().enumerate() {
        let key = format!("_Toc{}", index + 1);
        let mut p = Paragraph::new()
            .style(if *level <= 1 { "ToC1" } else { "ToC2" })
            .add_tab(right_tab.clone());
        p = p
            .add_run(Run::new().add_text(text))
            .add_run(Run::new().add_tab())
            .add_run(
                Run::new()
                    .add_field_char(FieldCharType::Begin, true)
                    .add_instr_text(InstrText::PAGEREF(InstrPAGEREF::new(&key)))
                    .add_field_char(FieldCharType::Separate, false)
                    .add_text("")
                    .add_field_char(FieldCharType::End, false),
            );
        paragraphs.push(p);
    }
    paragraphs
}

/// Text with its line breaks as Word line breaks.
fn text_run(text: &str) -> Run {
    let mut run = Run::new();
    for (index, line) in text.trim().split('\n').enumerate() {
        if index > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line.trim_end_matches('\r'));
    }
    run
}

/// A board image as wide as the text column (lower when it would be too high).
fn board_image(image: RenderedImage) -> Paragraph {
    let mut w = TEXT_WIDTH_EMU;
    let mut h = (u64::from(w) * u64::from(image.height) / u64::from(image.width.max(1))) as u32;
    if h > MAX_IMAGE_HEIGHT_EMU {
        w = (u64::from(w) * u64::from(MAX_IMAGE_HEIGHT_EMU) / u64::from(h.max(1))) as u32;
        h = MAX_IMAGE_HEIGHT_EMU;
    }
    let pic = Pic::new_with_dimensions(image.bytes, image.width, image.height).size(w, h);
    Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(Run::new().add_image(pic))
}

fn base() -> Docx {
    let heading = |id: &str, name: &str, size: usize, level: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .size(size)
            .bold()
            .color("1F3864")
            .line_spacing(
                LineSpacing::new()
                    .before(if level == 0 { 360 } else { 240 })
                    .after(120),
            )
            .outline_lvl(level)
    };
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .size(18)
            .add_run(Run::new().add_text("Seite "))
            .add_page_num(PageNum::new())
            .add_run(Run::new().add_text(" von "))
            .add_num_pages(NumPages::new()),
    );
    Docx::new()
        .page_size(PAGE.0, PAGE.1)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN)
                .header(567)
                .footer(567),
        )
        .default_fonts(
            RunFonts::new()
                .ascii(FONT)
                .hi_ansi(FONT)
                .cs(FONT)
                .east_asia(FONT),
        )
        .default_size(22)
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .next("Normal")
                .size(44)
                .bold(),
        )
        .add_style(heading("Heading1", "heading 1", 32, 0))
        .add_style(heading("Heading2", "heading 2", 26, 1))
        .add_style(
            Style::new("TOCHeading", StyleType::Paragraph)
                .name("TOC Heading")
                .based_on("Heading1")
                .next("Normal"),
        )
        .add_style(
            Style::new("ToC1", StyleType::Paragraph)
                .name("toc 1")
                .based_on("Normal"),
        )
        .add_style(
            Style::new("ToC2", StyleType::Paragraph)
                .name("toc 2")
                .based_on("Normal")
                .indent(Some(220), None, None, None),
        )
        .add_style(
            Style::new("ListParagraph", StyleType::Paragraph)
                .name("List Paragraph")
                .based_on("Normal")
                .line_spacing(LineSpacing::new().after(80)),
        )
        .add_style(
            Style::new("Facts", StyleType::Paragraph)
                .name("Facts")
                .based_on("Normal"),
        )
        .add_abstract_numbering(
            AbstractNumbering::new(BULLETS).add_level(
                Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("bullet"),
                    LevelText::new("•"),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(720),
                    Some(SpecialIndentType::Hanging(360)),
                    None,
                    None,
                ),
            ),
        )
        .add_numbering(Numbering::new(BULLETS, BULLETS))
        .footer(footer)
}
