import { render } from "preact";
import { App } from "./App";
import { detectLang, setLang } from "./i18n";
import { Connection, readCredentials } from "./lib/net";
import { Store } from "./lib/store";
import "./styles.css";

const cred = readCredentials();
const lang = detectLang();
setLang(lang);

const store = new Store({
  conn: cred ? "connecting" : "no_token",
  wasOnline: false,
  refusal: null,
  you: null,
  snap: null,
  views: {},
  skewMs: 0,
  outbox: [],
  toasts: [],
  lang,
  version: 0,
});

const conn = new Connection(store, cred?.token ?? "");
if (cred) conn.start();
if (cred?.view === "projector") document.documentElement.classList.add("projector");

// A handle for debugging in the browser console (read-only use).
(window as unknown as { edlib: unknown }).edlib = { store, conn };

render(<App ctx={{ store, conn }} view={cred?.view ?? null} />, document.getElementById("app")!);
