// Locale-aware formatting (Intl) for the current language.
import { lang } from "../i18n";
import type { Snapshot } from "./types";

const locales = { nl: "nl-BE", fr: "fr-BE", en: "en-GB" } as const;

export function locale(): string {
  return locales[lang()];
}

/** 65 -> "1:05"; negative values are an overrun, shown as "+0:15". */
export function clock(seconds: number): string {
  const over = seconds < 0;
  const s = Math.floor(Math.abs(seconds));
  const m = Math.floor(s / 60);
  const body = `${m}:${String(s % 60).padStart(2, "0")}`;
  return over ? `+${body}` : body;
}

/** A duration in words for screen readers and summaries: "2 min 5 s" in the locale. */
export function duration(seconds: number): string {
  const s = Math.round(Math.max(0, seconds));
  const m = Math.floor(s / 60);
  const rest = s % 60;
  const unit = (value: number, u: "minute" | "second") =>
    new Intl.NumberFormat(locale(), { style: "unit", unit: u, unitDisplay: "short" }).format(value);
  if (m === 0) return unit(rest, "second");
  return rest === 0 ? unit(m, "minute") : `${unit(m, "minute")} ${unit(rest, "second")}`;
}

export function num(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(x);
}

export function pct(share: number | null | undefined, digits = 0): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return "–";
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: digits }).format(share);
}

export function timeOfDay(iso: string | null | undefined): string {
  if (!iso) return "";
  return new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

export function list(items: string[]): string {
  return new Intl.ListFormat(locale(), { style: "long", type: "conjunction" }).format(items);
}

export function personName(snap: Snapshot | null, id: string | null | undefined): string {
  if (!id) return "";
  return snap?.participants.find((p) => p.id === id)?.name ?? id;
}

export function groupName(snap: Snapshot | null, id: string | null | undefined): string {
  if (!id) return "";
  return snap?.groups.find((g) => g.id === id)?.name ?? id;
}

/** "Sofie Janssens (Écologie & Ville)" */
export function personWithGroup(snap: Snapshot | null, id: string | null | undefined): string {
  const p = snap?.participants.find((x) => x.id === id);
  if (!p) return id ?? "";
  return p.group ? `${p.name} (${groupName(snap, p.group)})` : p.name;
}

export function compare(a: string, b: string): number {
  return a.localeCompare(b, locale(), { sensitivity: "base" });
}
