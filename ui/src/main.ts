import "./style.css";
import { connectBackend, type Backend, type User } from "./backend";
import { BoardScreen } from "./board";
import { h, modal, showError } from "./dom";
import { errorText, parseLanguage, setLanguage, t } from "./i18n";
import { LibraryScreen } from "./library";

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`#${id} missing in index.html`);
  return found;
}

class App {
  private user: User = { id: "", name: "" };
  private board: BoardScreen | null = null;

  constructor(
    private readonly backend: Backend,
    private readonly root: HTMLElement,
  ) {}

  async start(): Promise<void> {
    try {
      setLanguage(parseLanguage(await this.backend.language()));
      this.user = await this.backend.user();
    } catch (cause) {
      this.showFatal(cause);
      return;
    }
    // The library remembers a language once the name was asked (or a language chosen).
    this.needsName = (await this.backend.language()) === null;
    await this.showLibrary();
  }

  private needsName = false;

  /** First start: the name for the author of notes, asked once on the start screen. */
  private async saveName(name: string): Promise<void> {
    try {
      if (name.trim() !== "") this.user = await this.backend.setUserName(name.trim());
      // The library remembers that the question was asked.
      await this.backend.setLanguage(document.documentElement.lang);
      this.needsName = false;
    } catch (cause) {
      showError(cause);
    }
    await this.showLibrary();
  }

  private async askName(): Promise<void> {
    const name = await modal({
      title: t("changeName"),
      message: t("askName"),
      input: { label: t("yourName"), value: this.user.name },
      confirm: t("save"),
    });
    if (name === null) return;
    await this.saveName(name);
  }

  private showFatal(cause: unknown): void {
    const code = typeof cause === "object" && cause !== null && "code" in cause ? String((cause as { code: unknown }).code) : "internal";
    this.root.replaceChildren(
      h(
        "main",
        { class: "fatal", id: "fatal" },
        h("h1", {}, t("appName")),
        h("h2", {}, t("libraryError")),
        h("p", { class: "error-text", id: "fatal-message" }, errorText(code)),
        h("p", {}, t("libraryErrorHint")),
      ),
    );
  }

  async showLibrary(): Promise<void> {
    this.board = null;
    document.title = t("appName");
    const screen = new LibraryScreen(this.root, {
      backend: this.backend,
      openBoard: (id) => void this.openBoard(id),
      changeLanguage: (language) => void this.changeLanguage(language),
      changeName: () => void this.askName(),
      userName: () => this.user.name,
      needsName: () => this.needsName,
      saveName: (name) => void this.saveName(name),
    });
    await screen.show();
    (document.getElementById("search") as HTMLElement | null)?.focus();
  }

  async openBoard(id: string): Promise<void> {
    try {
      const view = await this.backend.openBoard(id);
      document.title = `${view.meta.title} – ${t("appName")}`;
      this.board = new BoardScreen(this.root, { backend: this.backend, leave: () => void this.showLibrary() }, id, view);
      this.board.focusStart();
    } catch (cause) {
      showError(cause);
    }
  }

  private async changeLanguage(language: "de" | "en"): Promise<void> {
    try {
      await this.backend.setLanguage(language);
    } catch (cause) {
      showError(cause);
    }
    setLanguage(language);
    await this.showLibrary();
  }
}

const root = element("app");
const backend = connectBackend();
if (backend === null) {
  root.replaceChildren(h("main", { class: "fatal" }, h("h1", {}, t("appName")), h("p", {}, t("noBackend"))));
} else {
  void new App(backend, root).start();
}
