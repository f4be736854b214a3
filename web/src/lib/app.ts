import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { COMMANDS, type CommandName } from "../generated/protocol";
import type { Connection } from "./net";
import type { AppState, Store } from "./store";
import type { Item } from "./types";

export interface AppContext {
  s: AppState;
  store: Store;
  conn: Connection;
}

export const Ctx = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error("useApp outside the app");
  return ctx;
}

/** May the viewer send this command? Straight from the generated registry (roles per command). */
export function can(s: AppState, name: CommandName): boolean {
  const role = s.you?.role;
  return role !== undefined && (COMMANDS[name].roles as readonly string[]).includes(role);
}

export function currentItem(s: AppState): Item | null {
  const snap = s.snap;
  if (!snap) return null;
  return snap.items.find((i) => i.id === snap.meeting.current_item) ?? null;
}
