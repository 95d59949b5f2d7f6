// Building elements without markup strings: user text only ever goes into
// `textContent` or attributes, never into innerHTML.

import { errorText, t } from "./i18n";

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") {
      el.addEventListener(key.replace(/^on/, ""), value);
    } else if (key === "class") {
      el.className = String(value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

export function clear(el: Element): void {
  el.replaceChildren();
}

let toastTimer = 0;

/** A short message at the bottom, read out by screen readers. */
export function toast(message: string, action?: { label: string; run: () => void }, error = false): void {
  const region = document.getElementById("toast");
  if (region === null) return;
  const children: Node[] = [h("span", {}, message)];
  if (action !== undefined) {
    children.push(
      h("button", { class: "link", type: "button", onclick: () => { hideToast(); action.run(); } }, action.label),
    );
  }
  region.replaceChildren(...children);
  region.classList.toggle("error", error);
  region.hidden = false;
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(hideToast, action === undefined ? 4000 : 8000);
}

function hideToast(): void {
  const region = document.getElementById("toast");
  if (region !== null) region.hidden = true;
}

/**
 * Shows a backend error (or anything thrown) as a sentence the user can act
 * on, after `context` (what failed) when given.
 */
export function showError(cause: unknown, context?: string): void {
  const code =
    typeof cause === "object" && cause !== null && typeof (cause as { code?: unknown }).code === "string"
      ? (cause as { code: string }).code
      : "internal";
  console.error(cause);
  toast(context === undefined ? errorText(code) : `${context} ${errorText(code)}`, undefined, true);
}

/** A title as a file name: characters that file systems refuse become "-". */
export function fileName(title: string, fallback: string): string {
  const name = title.replace(/[\\/:*?"<>|\u0000-\u001f]/g, "-").replace(/[. ]+$/, "").trim();
  return name === "" ? fallback : name;
}

export interface MenuItem {
  /** `data-action` of the entry, for tests and styles. */
  action: string;
  label: string;
  run: () => void;
  danger?: boolean;
}

/**
 * A popup menu under `anchor` (a button with `aria-haspopup="menu"`): arrow
 * keys move between the entries, Escape closes it and returns focus to the
 * button, a click outside or Tab closes it.
 */
export function popupMenu(anchor: HTMLElement, label: string, items: MenuItem[]): void {
  document.querySelector(".menu")?.remove();
  const menu = h("div", { class: "menu", role: "menu", "aria-label": label });
  const buttons = items.map((item) =>
    h(
      "button",
      {
        type: "button",
        role: "menuitem",
        tabindex: "-1",
        "data-action": item.action,
        class: item.danger === true ? "danger-text" : "",
        onclick: () => {
          close(false);
          item.run();
        },
      },
      item.label,
    ),
  );
  menu.append(...buttons);
  const close = (refocus: boolean): void => {
    menu.remove();
    anchor.setAttribute("aria-expanded", "false");
    document.removeEventListener("pointerdown", outside, true);
    if (refocus) anchor.focus();
  };
  const outside = (event: Event): void => {
    if (!menu.contains(event.target as Node) && event.target !== anchor) close(false);
  };
  menu.addEventListener("keydown", (event) => {
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close(true);
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      buttons[(index + 1) % buttons.length]?.focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      buttons[(index - 1 + buttons.length) % buttons.length]?.focus();
    } else if (event.key === "Home") {
      event.preventDefault();
      buttons[0]?.focus();
    } else if (event.key === "End") {
      event.preventDefault();
      buttons[buttons.length - 1]?.focus();
    } else if (event.key === "Tab") {
      close(false);
    }
  });
  document.addEventListener("pointerdown", outside, true);
  const rect = anchor.getBoundingClientRect();
  menu.style.top = `${rect.bottom + window.scrollY + 4}px`;
  menu.style.left = `${Math.max(8, Math.min(rect.right - 240, window.innerWidth - 256))}px`;
  document.body.append(menu);
  anchor.setAttribute("aria-expanded", "true");
  buttons[0]?.focus();
}

interface ModalOptions {
  title: string;
  message?: string;
  input?: { label: string; value: string; placeholder?: string; select?: { value: string; label: string }[] };
  confirm: string;
  danger?: boolean;
  cancel?: string | null;
}

/**
 * A modal dialog. Resolves to the entered value (or "" without input) on
 * confirm, null on cancel. Focus is trapped and returns where it was.
 */
export function modal(options: ModalOptions): Promise<string | null> {
  return new Promise((resolve) => {
    const previous = document.activeElement as HTMLElement | null;
    const dialog = h("dialog", { class: "modal", "aria-labelledby": "modal-title" });
    const form = h("form", { method: "dialog" });
    form.append(h("h2", { id: "modal-title" }, options.title));
    if (options.message !== undefined) form.append(h("p", { class: "modal-message" }, options.message));
    let field: HTMLInputElement | HTMLSelectElement | null = null;
    if (options.input !== undefined) {
      const id = "modal-input";
      form.append(h("label", { for: id }, options.input.label));
      if (options.input.select !== undefined) {
        const select = h("select", { id });
        for (const o of options.input.select) {
          const opt = h("option", { value: o.value }, o.label);
          if (o.value === options.input.value) opt.selected = true;
          select.append(opt);
        }
        field = select;
      } else {
        field = h("input", { id, type: "text", autocomplete: "off", placeholder: options.input.placeholder });
        field.value = options.input.value;
      }
      form.append(field);
    }
    const buttons = h("div", { class: "modal-buttons" });
    let result: string | null = null;
    if (options.cancel !== null) {
      buttons.append(
        h("button", { type: "button", class: "secondary", onclick: () => dialog.close() }, options.cancel ?? t("cancel")),
      );
    }
    const ok = h("button", { type: "submit", class: options.danger === true ? "danger" : "primary" }, options.confirm);
    buttons.append(ok);
    form.append(buttons);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      result = field === null ? "" : field.value;
      dialog.close();
    });
    dialog.append(form);
    dialog.addEventListener("cancel", (event) => {
      if (options.cancel === null) event.preventDefault();
    });
    dialog.addEventListener("close", () => {
      dialog.remove();
      previous?.focus();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    if (field !== null) {
      field.focus();
      if (field instanceof HTMLInputElement) field.select();
    } else {
      ok.focus();
    }
  });
}
