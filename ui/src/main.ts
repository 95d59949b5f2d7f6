import "./style.css";
import { connectBackend, isBackendError } from "./backend";

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) {
    throw new Error(`Element #${id} fehlt in index.html`);
  }
  return found;
}

async function start(): Promise<void> {
  const status = element("status");
  const version = element("version");
  const backend = connectBackend();

  if (backend === null) {
    status.textContent =
      "Diese Seite braucht die Stellwand-Desktop-Anwendung. Bitte öffnen Sie Stellwand über das Programmsymbol.";
    status.classList.add("fehler");
    return;
  }

  try {
    const info = await backend.appInfo();
    version.textContent = `${info.name} ${info.version}`;
    status.textContent =
      info.dataDir === null
        ? "Bereit. Die Bibliothek liegt im Standardordner."
        : `Bereit. Bibliothek: ${info.dataDir}`;
  } catch (cause) {
    status.textContent = isBackendError(cause)
      ? cause.message
      : "Die Anwendung antwortet nicht. Bitte starten Sie Stellwand neu.";
    status.classList.add("fehler");
  }
}

void start();
