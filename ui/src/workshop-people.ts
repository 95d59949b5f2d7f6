// Who is on a shared board, in the facilitator's panel, each with a button
// to hand the facilitator's role to them.

import type { WorkshopState } from "./backend";
import { clear, h } from "./dom";
import { t } from "./i18n";

export class PeopleList {
  readonly element: HTMLElement;
  private shown = "";

  /** `handOver` is called with the client and name of the chosen person. */
  constructor(private readonly handOver: (client: number, name: string) => void) {
    this.element = h("ul", { class: "workshop-people", id: "workshop-people", "aria-labelledby": "workshop-people-title" });
  }

  /** Shows the participants; rebuilt only when they changed. */
  show(participants: WorkshopState["participants"]): void {
    const key = participants.map((p) => `${p.client}\u0000${p.name}`).join("\u0001");
    if (key === this.shown) return;
    this.shown = key;
    clear(this.element);
    if (participants.length === 0) {
      this.element.append(h("li", { class: "empty" }, t("peopleNone")));
      return;
    }
    for (const person of participants) {
      const dot = h("span", { class: "participant-dot", "aria-hidden": "true" });
      dot.style.background = person.color;
      this.element.append(
        h(
          "li",
          { "data-client": person.client },
          dot,
          h("span", { class: "person-name" }, person.name),
          h(
            "button",
            { type: "button", class: "small", "aria-label": t("handOverTo", person.name), onclick: () => this.handOver(person.client, person.name) },
            t("handOver"),
          ),
        ),
      );
    }
  }
}
