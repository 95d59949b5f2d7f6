// Note colours: the palette names stored on the board, their hex values,
// and which text colour stays readable on each.

export const PALETTE: Record<string, string> = {
  yellow: "#fff176",
  orange: "#ffb74d",
  red: "#ef9a9a",
  pink: "#f48fb1",
  purple: "#ce93d8",
  blue: "#90caf9",
  cyan: "#80deea",
  green: "#a5d6a7",
  grey: "#e0e0e0",
  white: "#ffffff",
  black: "#212121",
};

export const NOTE_COLORS = ["yellow", "orange", "red", "pink", "purple", "blue", "cyan", "green", "grey", "white"];

/** The hex value of a palette name; "#rrggbb" passes through, anything else is yellow. */
export function hex(color: string): string {
  if (/^#[0-9a-fA-F]{6}$/.test(color)) return color;
  return PALETTE[color] ?? PALETTE["yellow"] ?? "#fff176";
}

/** Whether the background is dark, so that white text is the readable one. */
export function isDark(color: string): boolean {
  const value = hex(color);
  const r = parseInt(value.slice(1, 3), 16);
  const g = parseInt(value.slice(3, 5), 16);
  const b = parseInt(value.slice(5, 7), 16);
  return 0.299 * r + 0.587 * g + 0.114 * b < 110;
}
