// Catalogs and the translation function. Keys are typed: a key missing from nl or fr fails `tsc`.
import { ERROR_CODES } from "../generated/protocol";
import { en, type Catalog, type Key } from "./en";
import { fr } from "./fr";
import { nl } from "./nl";

export type { Key };
export const LANGS = ["nl", "fr", "en"] as const;
export type Lang = (typeof LANGS)[number];
export const LANG_NAMES: Record<Lang, string> = { nl: "Nederlands", fr: "Français", en: "English" };

const catalogs: Record<Lang, Catalog> = { nl, fr, en };
const STORAGE_KEY = "edlib:lang";
let current: Lang = "en";

export function lang(): Lang {
  return current;
}

export function setLang(l: Lang): void {
  current = l;
  document.documentElement.lang = l;
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    /* ignore */
  }
}

/** A language chosen earlier on this device, else the browser's first supported preference, else English. */
export function detectLang(): Lang {
  try {
    const kept = localStorage.getItem(STORAGE_KEY);
    if (kept && (LANGS as readonly string[]).includes(kept)) return kept as Lang;
  } catch {
    /* ignore */
  }
  for (const pref of navigator.languages ?? [navigator.language]) {
    const base = pref.toLowerCase().split("-")[0];
    if ((LANGS as readonly string[]).includes(base)) return base as Lang;
  }
  return "en";
}

export function t(key: Key, vars?: Record<string, string | number>): string {
  const text = catalogs[current][key] ?? en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

type ErrorKey = `error.${(typeof ERROR_CODES)[number] | "timeout" | "lost" | "offline"}`;

/** The localised meaning of an error code, followed by the server's own explanation. */
export function errorText(err: { code: string; message: string } | undefined): string {
  if (!err) return t("error.internal");
  const key = `error.${err.code}` as ErrorKey;
  const known = key in en ? t(key) : err.code;
  return err.message && err.code !== "offline" ? `${known} — ${err.message}` : known;
}
