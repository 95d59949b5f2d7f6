// The change from one text to another as the smallest splice, so that an
// edit merges with what others type into the same note at the same time.

import type { Intent } from "./backend";

/**
 * The smallest splice from `before` to `after` in UTF-16 offsets, as an
 * editText intent, so concurrent edits by others merge; setText otherwise.
 */
export function textIntent(id: string, before: string, after: string): Intent {
  let start = 0;
  while (start < before.length && start < after.length && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  // Never split a surrogate pair.
  const isLow = (s: string, i: number): boolean => i > 0 && i < s.length && (s.charCodeAt(i) & 0xfc00) === 0xdc00;
  if (isLow(before, start) || isLow(after, start)) start--;
  if (isLow(before, endB) || isLow(after, endA)) {
    endB++;
    endA++;
  }
  if (start < 0 || endB > before.length || endA > after.length) return { op: "setText", id, text: after };
  return { op: "editText", id, index: start, delete: endB - start, insert: after.slice(start, endA) };
}

/** `text` with `remove` UTF-16 units at `index` replaced by `insert` (how the backend applies editText). */
export function spliceUtf16(text: string, index: number, remove: number, insert: string): string {
  return text.slice(0, index) + insert + text.slice(index + remove);
}
