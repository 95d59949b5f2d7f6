// The facilitator's form for a voting round in the workshop panel: title,
// votes per person, several votes per note, anonymous, the frame it is
// limited to; starting and ending the round, and what the round is doing.

import type { Item, WorkshopCommand, WorkshopState } from "./backend";
import { clear, h, toast } from "./dom";
import { t } from "./i18n";
import { preview } from "./workshop-results";
import { setText } from "./workshop-timer";

export interface RoundFormHost {
  state(): WorkshopState | null;
  command(cmd: WorkshopCommand): Promise<boolean>;
  /** Frames a round can be limited to, in reading order. */
  frames(): Item[];
  /** The selected frame, if one is selected. */
  selectedFrame(): string | null;
  /** A round was started here. */
  started(): void;
}

/** "Voting ended: n people voted." */
export function endedText(people: number): string {
  return people === 1 ? t("voteEndedOne") : t("voteEnded", people);
}

export class RoundForm {
  /** The inputs. */
  readonly form: HTMLElement;
  /** Start and end. */
  readonly buttons: HTMLElement;
  /** What the round is doing. */
  readonly status: HTMLElement;
  private readonly title: HTMLInputElement;
  private readonly perPerson: HTMLInputElement;
  private readonly multiple: HTMLInputElement;
  private readonly anonymous: HTMLInputElement;
  private readonly scope: HTMLSelectElement;
  private readonly start: HTMLButtonElement;
  private readonly end: HTMLButtonElement;
  private shownScope = "";

  constructor(private readonly host: RoundFormHost) {
    this.title = h("input", { type: "text", id: "vote-title", autocomplete: "off" });
    this.perPerson = h("input", { type: "number", id: "vote-per-person", min: 1, max: 99, step: 1, value: 3, class: "narrow" });
    this.multiple = h("input", { type: "checkbox", id: "vote-multiple" });
    this.anonymous = h("input", { type: "checkbox", id: "vote-anonymous" });
    this.scope = h("select", { id: "vote-scope" });
    this.start = h("button", { type: "button", class: "primary small", id: "vote-start", onclick: () => void this.startRound() }, t("voteStart"));
    this.end = h("button", { type: "button", class: "small", id: "vote-end", onclick: () => void this.endRound() }, t("voteEnd"));
    this.form = h(
      "div",
      { class: "workshop-form" },
      h("label", { for: "vote-title" }, t("voteTitle")),
      this.title,
      h("label", { for: "vote-per-person" }, t("votePerPerson")),
      this.perPerson,
      h("label", { class: "check" }, this.multiple, t("voteMultiple")),
      h("label", { class: "check" }, this.anonymous, t("voteAnonymous")),
      h("label", { for: "vote-scope" }, t("voteScope")),
      this.scope,
    );
    this.buttons = h("div", { class: "workshop-controls" }, this.start, this.end);
    this.status = h("p", { class: "workshop-status", id: "vote-status" });
  }

  /** While a round is open the form is locked and `status` says what is going on. */
  show(open: boolean, status: string): void {
    this.start.disabled = open;
    this.end.disabled = !open;
    for (const input of [this.title, this.perPerson, this.multiple, this.anonymous, this.scope]) input.disabled = open;
    setText(this.status, status);
  }

  /** The frames a round can be limited to; the selected frame first chosen. `again` rebuilds the list. */
  updateScopes(again = false): void {
    if (again) this.shownScope = "";
    if (document.activeElement === this.scope) return;
    const frames = this.host.frames();
    const key = frames.map((f) => `${f.id}\u0000${f.text}`).join("\u0001");
    const selected = this.host.selectedFrame();
    if (key === this.shownScope && (selected === null || this.scope.value === selected)) return;
    this.shownScope = key;
    const value = selected ?? this.scope.value;
    clear(this.scope);
    this.scope.append(h("option", { value: "" }, t("voteScopeBoard")));
    for (const frame of frames) this.scope.append(h("option", { value: frame.id }, t("voteScopeFrame", preview(frame.text))));
    this.scope.value = frames.some((f) => f.id === value) ? value : "";
  }

  private async startRound(): Promise<void> {
    const perPerson = Number(this.perPerson.value);
    if (!Number.isInteger(perPerson) || perPerson < 1 || perPerson > 99) {
      toast(t("votePerPersonInvalid"), undefined, true);
      this.perPerson.focus();
      return;
    }
    const count = (this.host.state()?.rounds.length ?? 0) + 1;
    const title = this.title.value.trim() === "" ? t("voteTitleDefault", count) : this.title.value.trim();
    const scope = this.scope.value === "" ? null : this.scope.value;
    const ok = await this.host.command({ op: "startRound", title, scope, perPerson, multiple: this.multiple.checked, anonymous: this.anonymous.checked });
    if (ok) {
      this.title.value = "";
      this.host.started();
      toast(t("voteStarted", title, perPerson));
    }
  }

  private async endRound(): Promise<void> {
    const ok = await this.host.command({ op: "endRound" });
    if (ok) {
      const round = this.host.state()?.rounds.filter((r) => r.state === "closed").pop();
      if (round !== undefined) toast(endedText(round.people ?? 0));
    }
  }
}
