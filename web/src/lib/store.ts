// One small observable store for the whole client. The connection writes it; the views read it and re-render.
import type { DelphiView, FloorView, MapView, ParticipationView, Snapshot, ViewMsg, WireError, You } from "./types";
import type { Lang } from "../i18n";

export type ConnState = "connecting" | "online" | "offline" | "refused" | "no_token";

export interface Toast {
  id: number;
  kind: "ok" | "error" | "info";
  text: string;
}

export interface Views {
  map?: ViewMsg<MapView>;
  floor?: ViewMsg<FloorView>;
  participation?: ViewMsg<ParticipationView>;
  delphi?: ViewMsg<DelphiView>;
  [name: string]: ViewMsg | undefined;
}

export interface PendingCommand {
  id: number;
  type: string;
  label: string;
  queuedAt: number;
}

export interface AppState {
  conn: ConnState;
  /** The connection was up at least once (to tell "connecting" from "reconnecting"). */
  wasOnline: boolean;
  refusal: WireError | null;
  you: You | null;
  snap: Snapshot | null;
  views: Views;
  /** server clock minus local clock, in ms (from the join acknowledgement's server_time) */
  skewMs: number;
  outbox: PendingCommand[];
  toasts: Toast[];
  lang: Lang;
  /** bumped on every change; components never need to compare deep state */
  version: number;
}

type Listener = () => void;

export class Store {
  state: AppState;
  private listeners = new Set<Listener>();
  private scheduled = false;

  constructor(initial: AppState) {
    this.state = initial;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Apply a change (mutating or patching) and notify once per animation frame at most. */
  update(patch: Partial<AppState> | ((s: AppState) => void)): void {
    if (typeof patch === "function") patch(this.state);
    else Object.assign(this.state, patch);
    this.state.version += 1;
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      for (const fn of this.listeners) fn();
    });
  }

  private toastSeq = 0;

  toast(kind: Toast["kind"], text: string, ms = kind === "error" ? 9000 : 3500): void {
    const id = ++this.toastSeq;
    this.update((s) => {
      s.toasts = [...s.toasts.slice(-3), { id, kind, text }];
    });
    setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: number): void {
    this.update((s) => {
      s.toasts = s.toasts.filter((t) => t.id !== id);
    });
  }
}
