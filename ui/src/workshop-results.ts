// Results of voting rounds: the votes a note has (its own and those of the
// notes merged into it), the ranking of a closed round, and the list of
// results in the workshop panel, newest round first.

import type { Item, Round } from "./backend";
import { clear, h } from "./dom";
import { formatDate, t } from "./i18n";

export interface Ranked {
  id: string;
  total: number;
  text: string;
  names: string[];
}

/** Ids of notes merged into this one (their votes count for it). */
export function mergedIds(item: Item): string[] {
  const merged = (item as { merged?: unknown }).merged;
  return Array.isArray(merged) ? merged.filter((id): id is string => typeof id === "string") : [];
}

/** The votes for `item` in `results`, with those for the notes merged into it. */
export function votesFor(results: Readonly<Record<string, number>>, item: Item): number {
  return [item.id, ...mergedIds(item)].reduce((sum, id) => sum + (results[id] ?? 0), 0);
}

/** A note's text on one line, at most 80 characters. */
export function preview(text: string): string {
  const line = text.trim().replace(/\s+/g, " ");
  if (line === "") return t("emptyText");
  return line.length > 80 ? `${line.slice(0, 80)} …` : line;
}

/** The results of the newest round when it is closed (no round open); null otherwise. */
export function lastResults(rounds: readonly Round[]): Record<string, number> | null {
  const last = rounds[rounds.length - 1];
  if (last === undefined || last.state !== "closed") return null;
  return last.results ?? {};
}

/**
 * The notes of a round by votes, most first (ties by text); votes for
 * notes no longer on the board are listed as removed.
 */
export function ranking(round: Round, items: ReadonlyMap<string, Item>): Ranked[] {
  const results: Record<string, number> = round.state === "closed" ? round.results : {};
  const voters: Record<string, string[]> = (round.state === "closed" ? round.voters : undefined) ?? {};
  const counted = new Set<string>();
  const rows: Ranked[] = [];
  for (const item of items.values()) {
    if (item.kind !== "note") continue;
    const ids = [item.id, ...mergedIds(item)];
    const total = ids.reduce((sum, id) => sum + (results[id] ?? 0), 0);
    if (total <= 0) continue;
    for (const id of ids) counted.add(id);
    rows.push({ id: item.id, total, text: preview(item.text), names: ids.flatMap((id) => voters[id] ?? []) });
  }
  for (const [id, total] of Object.entries(results)) {
    if (counted.has(id) || total <= 0) continue;
    rows.push({ id, total, text: t("resultsRemoved"), names: voters[id] ?? [] });
  }
  return rows.sort((a, b) => b.total - a.total || a.text.localeCompare(b.text, "de"));
}

/** The results section of the workshop panel. */
export class ResultsList {
  readonly element: HTMLElement;
  private shown = "";

  constructor() {
    this.element = h("div", { class: "workshop-results", id: "workshop-results" });
  }

  /** Closed rounds, newest first, each ranked by votes; redrawn only when something changed. */
  show(rounds: readonly Round[], items: ReadonlyMap<string, Item>): void {
    const closed = rounds.filter((r) => r.state === "closed").reverse();
    const rows = closed.map((round) => ({ round, ranking: ranking(round, items) }));
    const key = JSON.stringify(rows.map((r) => [r.round.id, r.ranking.map((e) => [e.id, e.total, e.text, e.names])]));
    if (key === this.shown) return;
    this.shown = key;
    clear(this.element);
    if (closed.length === 0) {
      this.element.append(h("p", { class: "empty" }, t("resultsNone")));
      return;
    }
    for (const { round, ranking } of rows) {
      const list = h("ol", { class: "result-list" });
      for (const entry of ranking) {
        list.append(
          h(
            "li",
            { "data-item": entry.id },
            h("span", { class: "result-votes" }, entry.total === 1 ? t("voteTotalOne") : t("voteTotal", entry.total)),
            h("span", { class: "sr-only" }, ": "),
            h("span", { class: "result-text" }, entry.text),
            entry.names.length > 0 ? h("span", { class: "result-names" }, t("resultsBy", entry.names.join(", "))) : null,
          ),
        );
      }
      this.element.append(
        h(
          "section",
          { class: "result-round", "data-round": round.id },
          h("h5", {}, round.title),
          h(
            "p",
            { class: "card-meta" },
            round.people === 1 ? t("resultsMetaOne", formatDate(round.ended ?? round.started)) : t("resultsMeta", formatDate(round.ended ?? round.started), round.people ?? 0),
          ),
          ranking.length === 0 ? h("p", { class: "empty" }, t("resultsEmpty")) : list,
        ),
      );
    }
  }
}
