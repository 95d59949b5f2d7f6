// Sharing a board live: the share dialog (links, QR codes, address and
// port), joining by link, the status line with participants, and the
// cursors of others on the board.

import type { Backend, HostSettings, Participant, Qr, ShareInfo, SyncStatus } from "./backend";
import { clear, h, showError, toast } from "./dom";
import { t } from "./i18n";

/** Draws a QR code on a canvas (with the quiet zone the standard asks for). */
function qrCanvas(qr: Qr, label: string): HTMLCanvasElement {
  const quiet = 4;
  const scale = 4;
  const side = (qr.size + quiet * 2) * scale;
  const canvas = h("canvas", { class: "qr", width: side, height: side, role: "img", "aria-label": label });
  const ctx = canvas.getContext("2d");
  if (ctx !== null) {
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, side, side);
    ctx.fillStyle = "#000000";
    for (let row = 0; row < qr.size; row++) {
      for (let col = 0; col < qr.size; col++) {
        if (qr.modules[row * qr.size + col] === "1") {
          ctx.fillRect((col + quiet) * scale, (row + quiet) * scale, scale, scale);
        }
      }
    }
  }
  return canvas;
}

async function copy(text: string, field: HTMLInputElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    toast(t("shareCopied"));
  } catch {
    // Without clipboard access the link is selected for Ctrl+C.
    field.focus();
    field.select();
  }
}

/**
 * "Wand teilen": starts hosting and shows the links. The dialog stays
 * open until closed; hosting goes on after that.
 */
export async function showShareDialog(
  backend: Backend,
  board: string,
  onStatus: (status: SyncStatus | null) => void,
): Promise<void> {
  let info: ShareInfo;
  try {
    info = await backend.shareBoard(board, null);
  } catch (cause) {
    showError(cause);
    return;
  }
  onStatus(info.status);
  const previous = document.activeElement as HTMLElement | null;
  const dialog = h("dialog", { class: "modal share-dialog", id: "share-dialog", "aria-labelledby": "share-title" });
  const body = h("div", { class: "share-body" });

  const render = (): void => {
    clear(body);
    const linkBlock = (role: "editor" | "viewer", link: string, qr: Qr, label: string): HTMLElement => {
      const id = `share-link-${role}`;
      const field = h("input", { id, type: "text", readonly: true, class: "share-link", value: link });
      field.value = link;
      return h(
        "section",
        { class: "share-role" },
        h("label", { for: id }, label),
        h(
          "div",
          { class: "share-link-row" },
          field,
          h("button", { type: "button", id: `share-copy-${role}`, onclick: () => void copy(link, field) }, t("shareCopy")),
        ),
        qrCanvas(qr, `${t("shareQr")}: ${label}`),
        h(
          "button",
          {
            type: "button",
            class: "ghost",
            id: `share-renew-${role}`,
            onclick: async (event: Event) => {
              // One renewal at a time: a second click would revoke the link just made.
              const button = event.currentTarget as HTMLButtonElement;
              if (button.disabled) return;
              button.disabled = true;
              try {
                info = await backend.renewShareLinks(board, role);
                onStatus(info.status);
                render();
                toast(t("shareRenewed"));
              } catch (cause) {
                button.disabled = false;
                showError(cause);
              }
            },
          },
          t("shareRenew"),
        ),
      );
    };
    const address = h("input", { id: "share-address", type: "text", autocomplete: "off", value: info.settings.address });
    address.value = info.settings.address;
    const port = h("input", { id: "share-port", type: "number", min: "1", max: "65535", value: String(info.settings.port) });
    port.value = String(info.settings.port);
    const bind = h("select", { id: "share-bind" });
    for (const [value, label] of [
      ["0.0.0.0", t("shareBindAll")],
      ["127.0.0.1", t("shareBindLocal")],
    ] as const) {
      const option = h("option", { value }, label);
      if (value === info.settings.bind) option.selected = true;
      bind.append(option);
    }
    const apply = async (): Promise<void> => {
      const settings: HostSettings = { address: address.value.trim(), port: Number(port.value), bind: bind.value };
      try {
        info = await backend.shareBoard(board, settings);
        onStatus(info.status);
        render();
      } catch (cause) {
        showError(cause);
      }
    };
    const offer = h("input", { id: "share-offer", type: "checkbox" });
    offer.checked = info.offered;
    offer.addEventListener("change", async () => {
      offer.disabled = true;
      try {
        info = await backend.offerOnNetwork(board, offer.checked);
        onStatus(info.status);
        render();
        if (info.offered) toast(t("shareOffered"));
      } catch (cause) {
        offer.checked = !offer.checked;
        offer.disabled = false;
        showError(cause);
      }
    });
    body.append(
      h("p", { class: "modal-message" }, t("shareIntro")),
      ...(info.portMovedFrom === null
        ? []
        : [h("p", { class: "share-note", id: "share-port-moved", role: "status" }, t("sharePortMoved", info.portMovedFrom, info.settings.port))]),
      h(
        "div",
        { class: "share-links" },
        linkBlock("editor", info.editorLink, info.editorQr, t("shareEditor")),
        linkBlock("viewer", info.viewerLink, info.viewerQr, t("shareViewer")),
      ),
      h(
        "fieldset",
        { class: "share-settings" },
        h("legend", {}, t("shareConnection")),
        h("label", { for: "share-address" }, t("shareAddress")),
        address,
        h("label", { for: "share-port" }, t("sharePort")),
        port,
        h("label", { for: "share-bind" }, t("shareBind")),
        bind,
        h("button", { type: "button", id: "share-apply", onclick: () => void apply() }, t("shareApply")),
      ),
      h("label", { class: "check share-offer", for: "share-offer" }, offer, t("shareOffer")),
    );
  };
  render();
  const buttons = h(
    "div",
    { class: "modal-buttons" },
    h(
      "button",
      {
        type: "button",
        class: "danger",
        id: "share-stop",
        onclick: async () => {
          try {
            await backend.stopSharing(board);
            onStatus(null);
            toast(t("shareStopped"));
            dialog.close();
          } catch (cause) {
            showError(cause);
          }
        },
      },
      t("shareStop"),
    ),
    h("button", { type: "button", class: "primary", id: "share-close", onclick: () => dialog.close() }, t("close")),
  );
  dialog.append(h("h2", { id: "share-title" }, t("shareTitle")), body, buttons);
  dialog.addEventListener("close", () => {
    dialog.remove();
    previous?.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
}

/** "Wand beitreten": asks for a link, joins; returns the board id to open. */
export async function showJoinDialog(backend: Backend): Promise<string | null> {
  return new Promise((resolve) => {
    const previous = document.activeElement as HTMLElement | null;
    const dialog = h("dialog", { class: "modal", id: "join-dialog", "aria-labelledby": "join-title" });
    const field = h("input", { id: "join-link", type: "text", autocomplete: "off", placeholder: t("joinPlaceholder") });
    const found = h("ul", { class: "join-found", id: "join-found", "aria-live": "polite" });
    const search = h("button", { type: "button", id: "join-search", class: "secondary" }, t("joinSearch"));
    search.addEventListener("click", async () => {
      search.disabled = true;
      clear(found);
      found.append(h("li", {}, t("joinSearching")));
      try {
        const boards = await backend.discoverBoards();
        clear(found);
        if (boards.length === 0) found.append(h("li", {}, t("joinNoneFound")));
        for (const b of boards) {
          found.append(
            h(
              "li",
              {},
              h(
                "button",
                {
                  type: "button",
                  class: "ghost",
                  onclick: () => {
                    field.value = b.link;
                    form.requestSubmit();
                  },
                },
                t("joinFound", b.title, b.host),
              ),
            ),
          );
        }
      } catch (cause) {
        clear(found);
        showError(cause);
      } finally {
        search.disabled = false;
      }
    });
    const form = h(
      "form",
      { method: "dialog" },
      h("h2", { id: "join-title" }, t("joinTitle")),
      h("label", { for: "join-link" }, t("joinLabel")),
      field,
      search,
      found,
      h(
        "div",
        { class: "modal-buttons" },
        h("button", { type: "button", class: "secondary", onclick: () => dialog.close() }, t("cancel")),
        h("button", { type: "submit", class: "primary", id: "join-confirm" }, t("joinConfirm")),
      ),
    );
    let joined: string | null = null;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void (async () => {
        try {
          const meta = await backend.joinBoard(field.value);
          toast(t("joined", meta.title));
          joined = meta.id;
          dialog.close();
        } catch (cause) {
          // The dialog stays open so the link can be corrected.
          showError(cause);
          field.focus();
        }
      })();
    });
    dialog.append(form);
    dialog.addEventListener("close", () => {
      dialog.remove();
      previous?.focus();
      resolve(joined);
    });
    document.body.append(dialog);
    dialog.showModal();
    field.focus();
  });
}

const STATE_TEXT = {
  connecting: "syncConnecting",
  syncing: "syncSyncing",
  connected: "syncConnected",
  offline: "syncOffline",
  refused: "syncRefused",
  closed: "syncClosed",
} as const;

/** The status line of a shared board: connection, participants. */
export class SyncIndicator {
  readonly element: HTMLElement;
  private readonly label: HTMLElement;
  private readonly people: HTMLElement;
  status: SyncStatus | null = null;
  private shownPeople = "";

  constructor() {
    this.label = h("span", { class: "sync-label" });
    this.people = h("ul", { class: "participants", "aria-label": t("participants") });
    this.element = h("div", { class: "sync-state", id: "sync-state", role: "status", hidden: true }, this.label, this.people);
  }

  update(status: SyncStatus | null): void {
    this.status = status;
    this.element.hidden = status === null;
    if (status === null) return;
    this.element.dataset.state = status.state;
    const parts = [t(STATE_TEXT[status.state])];
    if (status.hosting) parts.unshift(t(status.localOnly ? "syncHostingLocal" : "syncHosting"));
    if (status.readOnly) parts.push(t("readOnlyBoard"));
    if (status.participants.length > 0) parts.push(t("participantsCount", status.participants.length));
    const label = parts.join(" · ");
    if (this.label.textContent !== label) this.label.textContent = label;
    // The bar may cut the line short: the whole of it on hover.
    this.label.title = status.reason === null ? label : `${label} – ${status.reason}`;
    // Pointers move many times a second; the list (a live region for screen
    // readers) changes only when people come, go or rename.
    const people = status.participants.map((p) => `${p.id}\u0000${p.name}\u0000${p.color}`).join("\u0001");
    if (people === this.shownPeople) return;
    this.shownPeople = people;
    clear(this.people);
    const shown = status.participants.slice(0, 4);
    for (const person of shown) {
      const dot = h("span", { class: "participant-dot", "aria-hidden": "true" });
      dot.style.background = person.color;
      // A coloured dot each (names on hover, for screen readers, and next
      // to the pointers on the board): the bar has little room.
      this.people.append(h("li", { class: "participant", title: person.name }, dot, h("span", { class: "sr-only" }, person.name)));
    }
    const more = status.participants.length - shown.length;
    if (more > 0) {
      const names = status.participants.slice(shown.length).map((p) => p.name).join(", ");
      this.people.append(h("li", { class: "participant more", title: names }, `+${more}`));
    }
  }
}

/** Draws the pointers and selections of others over the board. */
export function drawParticipants(
  ctx: CanvasRenderingContext2D,
  participants: Participant[],
  toScreen: (x: number, y: number) => { x: number; y: number },
  boundsOf: (id: string) => { x: number; y: number; w: number; h: number } | null,
): void {
  ctx.save();
  ctx.font = "600 12px system-ui, sans-serif";
  ctx.textBaseline = "top";
  for (const person of participants) {
    ctx.strokeStyle = person.color;
    ctx.lineWidth = 2;
    for (const id of person.selection) {
      const b = boundsOf(id);
      if (b === null) continue;
      const a = toScreen(b.x, b.y);
      const z = toScreen(b.x + b.w, b.y + b.h);
      ctx.strokeRect(a.x - 3, a.y - 3, z.x - a.x + 6, z.y - a.y + 6);
    }
    if (person.cursor === null) continue;
    const p = toScreen(person.cursor.x, person.cursor.y);
    ctx.fillStyle = person.color;
    ctx.beginPath();
    ctx.moveTo(p.x, p.y);
    ctx.lineTo(p.x + 4, p.y + 15);
    ctx.lineTo(p.x + 8, p.y + 10);
    ctx.lineTo(p.x + 15, p.y + 9);
    ctx.closePath();
    ctx.fill();
    const width = ctx.measureText(person.name).width + 10;
    ctx.fillRect(p.x + 12, p.y + 16, width, 18);
    ctx.fillStyle = "#ffffff";
    ctx.fillText(person.name, p.x + 17, p.y + 19);
  }
  ctx.restore();
}
