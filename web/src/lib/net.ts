// The connection layer: token handling, Socket.IO connection, join with `since`, strictly ordered events,
// views by name, and commands with acknowledgements (queued while offline, never silently lost).
import { io, type Socket } from "socket.io-client";
import type { CommandName } from "../generated/protocol";
import { t, errorText } from "../i18n";
import { applyEvent, Ledger } from "./reduce";
import type { Store } from "./store";
import type { Ack, Envelope, Snapshot, ViewMsg, WireError, You } from "./types";

export const ACK_TIMEOUT_MS = 8000;
/** A command queued offline for longer than this is dropped and reported as not sent. */
export const OUTBOX_MAX_AGE_MS = 10 * 60 * 1000;

export type Command = { type: CommandName } & Record<string, unknown>;

export interface Credentials {
  token: string;
  view: string | null;
}

/** Read `#token=...&view=...`, keep it for this tab (so a reload works), and take it out of the address bar. */
export function readCredentials(): Credentials | null {
  const key = `edlib:cred:${location.pathname}`;
  const hash = new URLSearchParams(location.hash.replace(/^#/, ""));
  const token = hash.get("token");
  if (token) {
    const cred = { token, view: hash.get("view") };
    try {
      sessionStorage.setItem(key, JSON.stringify(cred));
    } catch {
      /* private mode: the link works until reload */
    }
    history.replaceState(history.state, "", location.pathname + location.search);
    return cred;
  }
  try {
    const kept = sessionStorage.getItem(key);
    if (kept) return JSON.parse(kept) as Credentials;
  } catch {
    /* ignore */
  }
  return null;
}

interface Queued {
  id: number;
  cmd: Command;
  label: string;
  quiet: boolean;
  queuedAt: number;
  resolve: (ack: Ack) => void;
}

interface JoinAck {
  ok: boolean;
  seq: number;
  server_time?: string;
  you: You;
  snapshot?: Snapshot;
  events?: Envelope[];
  views?: Record<string, ViewMsg>;
  error?: WireError;
}

export class Connection {
  private socket!: Socket;
  private lastSeq = -1; // -1: no snapshot yet
  private buffer = new Map<number, Envelope>();
  private joining = false;
  private joined = false;
  private ledger = new Ledger();
  private resyncTimer: ReturnType<typeof setTimeout> | null = null;
  private gapTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private outbox: Queued[] = [];
  private ids = 0;

  constructor(
    private store: Store,
    private token: string,
  ) {}

  start(): void {
    this.socket = io({
      path: "/socket.io",
      auth: { token: this.token },
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelay: 300,
      reconnectionDelayMax: 2000,
      randomizationFactor: 0.3,
      timeout: 6000,
    });
    this.socket.on("connect", () => void this.join(false));
    this.socket.on("disconnect", (reason) => this.onDisconnect(String(reason)));
    this.socket.on("connect_error", (err: Error & { data?: WireError }) => this.onConnectError(err));
    this.socket.on("event", (ev: Envelope) => this.onEvent(ev));
    this.socket.on("view", (v: ViewMsg) => this.onView(v));
    window.addEventListener("online", () => {
      if (!this.socket.connected && !this.socket.active) this.socket.connect();
    });
  }

  /** Seq of the last event applied (for tests and diagnostics). */
  get seq(): number {
    return this.lastSeq;
  }

  // --- connection state ------------------------------------------------------------------------

  private onDisconnect(reason: string): void {
    this.joined = false;
    this.joining = false;
    // Anything Socket.IO buffered for the dead connection would reach the next one before `join`: drop it.
    (this.socket as unknown as { sendBuffer: unknown[] }).sendBuffer = [];
    this.store.update({ conn: this.store.state.conn === "refused" ? "refused" : "offline" });
    if (reason === "io server disconnect") this.retryLater(1000);
  }

  private onConnectError(err: Error & { data?: WireError }): void {
    const code = err.data?.code;
    if (code === "unauthorized") {
      this.store.update({ conn: "refused", refusal: err.data ?? null });
      this.socket.disconnect();
      return;
    }
    this.store.update({ conn: this.store.state.wasOnline ? "offline" : "connecting" });
    // A refusal by the server (e.g. storage unavailable) stops Socket.IO's own retries: retry ourselves.
    if (!this.socket.active) this.retryLater(2000);
  }

  private retryLater(ms: number): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.socket.connected) this.socket.connect();
    }, ms);
  }

  private async join(full: boolean): Promise<void> {
    if (this.joining) return;
    this.joining = true;
    const since = !full && this.lastSeq >= 0 ? this.lastSeq : undefined;
    const t0 = Date.now();
    let ack: JoinAck;
    try {
      ack = (await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("join", since === undefined ? {} : { since })) as JoinAck;
    } catch {
      this.joining = false;
      if (this.socket.connected) setTimeout(() => void this.join(full), 1000);
      return;
    }
    const t1 = Date.now();
    if (!ack.ok) {
      this.joining = false;
      if (ack.error?.code === "unauthorized") {
        this.store.update({ conn: "refused", refusal: ack.error });
        this.socket.disconnect();
      } else if (this.socket.connected) {
        setTimeout(() => void this.join(full), 1500);
      }
      return;
    }
    const skewMs = ack.server_time ? Date.parse(ack.server_time) - (t0 + t1) / 2 : 0;
    let resync = false;
    if (ack.snapshot) {
      this.lastSeq = ack.snapshot.seq;
      this.ledger = Ledger.from(ack.snapshot, ack.you);
      this.store.update({ snap: ack.snapshot });
    } else {
      for (const ev of ack.events ?? []) {
        if (ev.seq === this.lastSeq + 1) resync = this.applyOne(ev) || resync;
      }
    }
    for (const v of Object.values(ack.views ?? {})) this.onView(v);
    this.joining = false;
    this.joined = true;
    this.store.update({ conn: "online", wasOnline: true, refusal: null, you: ack.you, skewMs: Number.isFinite(skewMs) ? skewMs : 0 });
    this.drain();
    if (resync) this.scheduleResync();
    void this.flushOutbox();
  }

  // --- events and views ------------------------------------------------------------------------

  private onEvent(ev: Envelope): void {
    if (typeof ev?.seq !== "number") return;
    if (this.lastSeq >= 0 && ev.seq <= this.lastSeq) return;
    this.buffer.set(ev.seq, ev);
    if (this.lastSeq < 0 || this.joining) return;
    this.drain();
  }

  /** Apply buffered events in seq order; on a gap, wait briefly, then join again with `since`. */
  private drain(): void {
    let resync = false;
    for (const seq of [...this.buffer.keys()]) if (seq <= this.lastSeq) this.buffer.delete(seq);
    while (this.buffer.has(this.lastSeq + 1)) {
      const ev = this.buffer.get(this.lastSeq + 1)!;
      this.buffer.delete(ev.seq);
      resync = this.applyOne(ev) || resync;
    }
    if (resync) this.scheduleResync();
    if (this.buffer.size > 0 && !this.gapTimer) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = null;
        if (this.buffer.size > 0 && this.joined && !this.joining) void this.join(false);
      }, 400);
    }
  }

  /** Returns true when a fresh snapshot is needed. */
  private applyOne(ev: Envelope): boolean {
    const snap = this.store.state.snap;
    this.lastSeq = ev.seq;
    if (!snap) return true;
    const outcome = applyEvent(snap, this.ledger, ev, this.store.state.you ?? undefined);
    this.store.update({});
    return outcome === "resync";
  }

  private scheduleResync(): void {
    if (this.resyncTimer) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = null;
      if (this.joined) void this.join(true);
    }, 250);
  }

  private onView(v: ViewMsg): void {
    if (!v || typeof v.name !== "string") return;
    const cur = this.store.state.views[v.name];
    if (cur && cur.seq > v.seq) return; // equal seq: recomputed (e.g. who is connected), keep the newer
    this.store.update((s) => {
      s.views = { ...s.views, [v.name]: v };
    });
  }

  // --- commands --------------------------------------------------------------------------------

  /**
   * Send a command and report the outcome (a toast; the promise resolves with the ack). While offline the
   * command waits in the outbox and is sent after the next successful join.
   */
  send(cmd: Command, label: string, opts: { quiet?: boolean } = {}): Promise<Ack> {
    const quiet = Boolean(opts.quiet);
    if (this.joined && this.socket.connected) return this.emit(cmd, label, quiet);
    return new Promise<Ack>((resolve) => {
      const q: Queued = { id: ++this.ids, cmd, label, quiet, queuedAt: Date.now(), resolve };
      this.outbox.push(q);
      this.publishOutbox();
      this.store.toast("info", t("cmd.queued", { action: label }));
    });
  }

  /** Drop a queued command (the person changed their mind); it is reported as not sent. */
  cancel(id: number): void {
    const q = this.outbox.find((x) => x.id === id);
    if (!q) return;
    this.outbox = this.outbox.filter((x) => x.id !== id);
    this.publishOutbox();
    q.resolve({ ok: false, error: { code: "offline", message: "cancelled" } });
    this.store.toast("info", t("cmd.cancelled", { action: q.label }));
  }

  private publishOutbox(): void {
    this.store.update({
      outbox: this.outbox.map((q) => ({ id: q.id, type: q.cmd.type, label: q.label, queuedAt: q.queuedAt })),
    });
  }

  private async flushOutbox(): Promise<void> {
    while (this.outbox.length > 0 && this.joined && this.socket.connected) {
      const q = this.outbox.shift()!;
      this.publishOutbox();
      if (Date.now() - q.queuedAt > OUTBOX_MAX_AGE_MS) {
        this.store.toast("error", t("cmd.expired", { action: q.label }));
        q.resolve({ ok: false, error: { code: "offline", message: "not sent: queued too long" } });
        continue;
      }
      q.resolve(await this.emit(q.cmd, q.label, q.quiet, true));
    }
  }

  private async emit(cmd: Command, label: string, quiet: boolean, wasQueued = false): Promise<Ack> {
    let ack: Ack;
    try {
      ack = (await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("command", cmd)) as Ack;
    } catch {
      ack = this.socket.connected
        ? { ok: false, error: { code: "timeout", message: "no answer from the server" } }
        : { ok: false, error: { code: "lost", message: "the connection dropped before the server answered" } };
    }
    if (ack.ok) {
      if (!quiet || wasQueued) this.store.toast("ok", t(wasQueued ? "cmd.sent_after_reconnect" : "cmd.done", { action: label }));
    } else {
      this.store.toast("error", `${label}: ${errorText(ack.error)}`);
    }
    return ack;
  }
}
