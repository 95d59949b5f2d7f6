// Line breaking and font sizing of note text, apart from the canvas that
// measures it: a width function is passed in, so the rules can be tested
// with made-up widths and the renderer can cache its measurements.

/** The size at which `widthOf` measures; widths at other sizes are scaled from it. */
export const REF_SIZE = 100;
export const MAX_FONT = 22;
export const MIN_FONT = 9;

/** The width of `text` at REF_SIZE px. */
export type WidthOf = (text: string) => number;

/** Lines of wrapped text; `broken` when a word had to be split between characters. */
export interface Wrapped {
  lines: string[];
  broken: boolean;
}

/**
 * Wraps `text` into lines no wider than `width` at `size` px: between words,
 * after a hyphen ("Datenschutz-" / "Folgenabschätzung"), and only if a part
 * is still wider than the line, between characters.
 */
export function wrapText(text: string, width: number, size: number, widthOf: WidthOf): Wrapped {
  // Widths scale with the font size; 2 % are left for hinting at small sizes.
  const limit = (width * 0.98 * REF_SIZE) / size;
  const lines: string[] = [];
  let broken = false;
  for (const paragraph of text.split("\n")) {
    let line = "";
    let used = 0;
    // Words and the spaces between them; a word is split after each inner
    // hyphen (the hyphen stays on the line).
    for (const word of paragraph.replace(/([^\s-]-)(?=[^\s-])/g, "$1\u0001").split(/(\s+)|\u0001/)) {
      if (word === undefined || word === "") continue;
      const w = widthOf(word);
      if (used + w <= limit) {
        line += word;
        used += w;
        continue;
      }
      if (line.trim() !== "") lines.push(line.trimEnd());
      const rest = word.trimStart();
      line = "";
      used = 0;
      // A word wider than the note is broken between characters.
      for (const ch of rest) {
        const c = widthOf(ch);
        if (used + c > limit && line !== "") {
          lines.push(line);
          line = ch;
          used = c;
          broken = true;
        } else {
          line += ch;
          used += c;
        }
      }
    }
    lines.push(line.trimEnd());
  }
  return { lines, broken };
}

/**
 * The largest font size (`max` down to MIN_FONT) at which the text fits
 * the box without splitting a word; if no size manages that, the largest at
 * which it fits at all.
 */
export function fitTextWith(text: string, width: number, height: number, max: number, widthOf: WidthOf): { size: number; lines: string[] } {
  const fits = (wrapped: Wrapped, size: number): boolean => wrapped.lines.length * size * 1.25 <= height;
  let fallback: { size: number; lines: string[] } | null = null;
  for (let size = max; ; size -= size > 14 ? 2 : 1) {
    const wrapped = wrapText(text, width, size, widthOf);
    const last = size <= MIN_FONT;
    if (fits(wrapped, size) || last) {
      const lines = wrapped.lines.slice(0, Math.max(1, Math.floor(height / (size * 1.25))));
      if (!wrapped.broken) return { size, lines };
      fallback ??= { size, lines };
      if (last) return fallback;
    }
  }
}
