// The connection layer: token handling, Socket.IO connection, join with `since`, strictly ordered events,
// views by name, and commands with acknowledgements (queued while offline, never silently lost).
import { io, type Socket } from "socket.io-client";
import type { CommandName } from "../generated/protocol";
import { t, errorText } from "../i18n";
import { applyMapPatch } from "./mappatch";
import { applyEvent, Ledger } from "./reduce";
import type { Store } from "./store";
import type { Ack, Envelope, Snapshot, ViewMsg, WireError, You } from "./types";

export const ACK_TIMEOUT_MS = 8000;
/** A command queued offline for longer than this is dropped and reported as not sent. */
export const OUTBOX_MAX_AGE_MS = 10 * 60 * 1000;
/** Sends of one command (same cid) before its failure is reported. */
const MAX_ATTEMPTS = 3;

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
  cid: string;
  cmd: Command;
  label: string;
  quiet: boolean;
  queuedAt: number;
  attempts: number;
  /** shown in the offline banner (queued while offline, or caught by a disconnect) */
  shown: boolean;
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
  private again: "full" | "since" | null = null;
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
    this.restoreOutbox();
    this.socket = io({
      path: "/socket.io",
      auth: { token: this.token },
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelay: 300,
      reconnectionDelayMax: 2000,
      randomizationFactor: 0.3,
      timeout: 6000,
      autoConnect: false,
    });
    // The server refuses a connection with data {code, message} (protocol.md); the JavaScript client only
    // passes on `data.data`, so read the code from the raw CONNECT_ERROR packet (type 4). Registered before
    // connecting, this listener runs before the socket's own, i.e. before `connect_error`.
    this.socket.io.on("packet", (packet: { type: number; nsp?: string; data?: unknown }) => {
      const data = packet.data as Partial<WireError> | undefined;
      if (packet.type === 4 && data && typeof data.code === "string") {
        this.refusal = { code: data.code, message: String(data.message ?? "") };
      }
    });
    this.socket.on("connect", () => void this.join(false));
    this.socket.on("disconnect", (reason) => this.onDisconnect(String(reason)));
    this.socket.on("connect_error", (err: Error & { data?: WireError }) => this.onConnectError(err));
    this.socket.on("event", (ev: Envelope) => this.onEvent(ev));
    this.socket.on("view", (v: ViewMsg) => this.onView(v));
    window.addEventListener("online", () => {
      if (!this.socket.connected && !this.socket.active && this.store.state.conn !== "refused") this.socket.connect();
    });
    this.socket.connect();
  }

  /** The last connection refusal's {code, message}, read from the raw packet. */
  private refusal: WireError | null = null;

  // --- connection state ------------------------------------------------------------------------

  private onDisconnect(reason: string): void {
    this.joined = false;
    this.joining = false;
    this.again = null; // the next connection joins anyway
    this.buffer.clear(); // whatever was missed comes again with the next join (since = last applied)
    // Anything Socket.IO buffered for the dead connection would reach the next one before `join`: drop it.
    (this.socket as unknown as { sendBuffer: unknown[] }).sendBuffer = [];
    this.store.update({ conn: this.store.state.conn === "refused" ? "refused" : "offline" });
    if (reason === "io server disconnect") this.retryLater(1000);
  }

  private onConnectError(err: Error & { data?: WireError }): void {
    const refusal = err.data?.code ? err.data : this.refusal;
    this.refusal = null;
    if (refusal?.code === "unauthorized") {
      this.store.update({ conn: "refused", refusal });
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
    if (this.joining) {
      // Asked again while a join is under way (a gap, a resync): run once more when it completes.
      this.again = this.again === "full" || full ? "full" : "since";
      return;
    }
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
    for (const v of Object.values(ack.views ?? {})) this.onView(v, true);
    this.joining = false;
    this.joined = true;
    this.store.update({ conn: "online", wasOnline: true, refusal: null, you: ack.you, skewMs: Number.isFinite(skewMs) ? skewMs : 0 });
    this.drain();
    if (resync) this.scheduleResync();
    void this.pump();
    const again = this.again;
    this.again = null;
    if (again) void this.join(again === "full");
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
    const you = this.store.state.you ?? undefined;
    const roleBefore = you?.role;
    const outcome = applyEvent(snap, this.ledger, ev, you);
    this.store.update({});
    if (you && roleBefore !== you.role && ev.type === "facilitator.transferred") {
      this.store.toast("info", t(you.role === "facilitator" ? "transfer.now_facilitator" : "transfer.no_longer"));
    }
    return outcome === "resync";
  }

  private scheduleResync(): void {
    if (this.resyncTimer) return;
    // A public gallery may hold hundreds of observers: spread their fresh snapshots over a few seconds.
    const delay = this.store.state.you?.role === "observer" ? 1000 + Math.random() * 3000 : 250;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = null;
      if (this.joined) void this.join(true);
    }, delay);
  }

  private onView(v: ViewMsg, fromJoin = false): void {
    if (!v || typeof v.name !== "string") return;
    if (v.name === "map_patch") {
      this.onMapPatch(v);
      return;
    }
    const cur = this.store.state.views[v.name];
    // Equal seq: recomputed (e.g. who is connected); keep the newer. The join acknowledgement is authoritative.
    if (cur && cur.seq > v.seq && !fromJoin) return;
    this.store.update((s) => {
      s.views = { ...s.views, [v.name]: v };
    });
  }

  private onMapPatch(v: ViewMsg): void {
    const cur = this.store.state.views.map;
    if (!cur) return; // the next join brings the full map
    const { maps, stale } = applyMapPatch(cur.data, v.data);
    this.store.update((s) => {
      s.views = { ...s.views, map: { name: "map", seq: Math.max(cur.seq, v.seq), data: maps } };
    });
    if (stale && this.joined && !this.joining) void this.join(false); // its acknowledgement carries full maps
  }

  // --- commands --------------------------------------------------------------------------------
  //
  // Every command carries a client command id (`cid`). Commands go out one at a time, in order. A command
  // whose acknowledgement never came (timeout, connection lost) or that the server could not record
  // (`unavailable`) is sent again with the same cid, which the server records at most once. While offline,
  // commands wait in the outbox (kept in session storage, so a reload does not lose them) and are sent after
  // the next successful join; the person sees them in the offline banner and may cancel them.

  /** GET a JSON endpoint of the HTTP API with this client's token; rejects with the server's {code, message}. */
  async getJson<T>(path: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(path, { headers: { Authorization: `Bearer ${this.token}` } });
    } catch {
      throw { code: "offline", message: "" } as WireError;
    }
    const body = (await res.json().catch(() => null)) as (T & { error?: WireError }) | null;
    if (!res.ok || !body) throw (body?.error ?? { code: "internal", message: String(res.status) }) as WireError;
    return body;
  }

  /** Send a command; the promise resolves with the final acknowledgement (a toast reports it too). */
  send(cmd: Command, label: string, opts: { quiet?: boolean } = {}): Promise<Ack> {
    return new Promise<Ack>((resolve) => {
      const offline = !(this.joined && this.socket.connected);
      const q: Queued = { id: ++this.ids, cid: newCid(), cmd, label, quiet: Boolean(opts.quiet), queuedAt: Date.now(), attempts: 0, shown: offline, resolve };
      this.outbox.push(q);
      if (offline) this.store.toast("info", t("cmd.queued", { action: label }));
      this.publishOutbox();
      void this.pump();
    });
  }

  /** Drop a queued command (the person changed their mind); it is reported as not sent. */
  cancel(id: number): void {
    const q = this.outbox.find((x) => x.id === id);
    if (!q || q === this.inFlight) return;
    this.outbox = this.outbox.filter((x) => x.id !== id);
    this.publishOutbox();
    q.resolve({ ok: false, error: { code: "offline", message: "cancelled" } });
    this.store.toast("info", t("cmd.cancelled", { action: q.label }));
  }

  private inFlight: Queued | null = null;
  private pumping = false;

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.outbox.length > 0 && this.joined && this.socket.connected) {
        const q = this.outbox[0];
        if (Date.now() - q.queuedAt > OUTBOX_MAX_AGE_MS) {
          // Too old to act on now. Never sent: say so; sent once without an answer: it may have been recorded.
          const code = q.attempts === 0 ? "offline" : "lost";
          this.finish(q, { ok: false, error: { code, message: "" } }, q.attempts === 0 ? "expired" : null);
          continue;
        }
        this.inFlight = q;
        const outcome = await this.attempt(q);
        this.inFlight = null;
        if (outcome === "wait") {
          q.shown = true;
          this.publishOutbox();
          break; // sent again after the next join
        }
        if (outcome === "again") continue;
        this.finish(q, outcome, null);
      }
    } finally {
      this.pumping = false;
      this.inFlight = null;
    }
  }

  private async attempt(q: Queued): Promise<Ack | "again" | "wait"> {
    q.attempts += 1;
    let ack: Ack;
    try {
      ack = (await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("command", { ...q.cmd, cid: q.cid })) as Ack;
    } catch {
      if (!this.socket.connected || !this.joined) return "wait";
      if (q.attempts < MAX_ATTEMPTS) return "again";
      return { ok: false, error: { code: "timeout", message: "no answer from the server" } };
    }
    if (!ack.ok && ack.error?.code === "unavailable" && q.attempts < MAX_ATTEMPTS) {
      await new Promise((r) => setTimeout(r, 1500 * q.attempts));
      return this.socket.connected && this.joined ? "again" : "wait";
    }
    return ack;
  }

  private finish(q: Queued, ack: Ack, why: "expired" | null): void {
    this.outbox = this.outbox.filter((x) => x !== q);
    this.publishOutbox();
    if (why === "expired") this.store.toast("error", t("cmd.expired", { action: q.label }));
    else if (ack.ok) {
      if (q.shown) this.store.toast("ok", t("cmd.sent_after_reconnect", { action: q.label }));
      else if (!q.quiet) this.store.toast("ok", t("cmd.done", { action: q.label }));
    } else {
      this.store.toast("error", `${q.label}: ${errorText(ack.error)}`);
    }
    q.resolve(ack);
  }

  private publishOutbox(): void {
    const waiting = this.outbox.filter((q) => q.shown);
    this.store.update({ outbox: waiting.map((q) => ({ id: q.id, type: q.cmd.type, label: q.label, queuedAt: q.queuedAt })) });
    try {
      const kept = this.outbox.map((q) => ({ cid: q.cid, cmd: q.cmd, label: q.label, queuedAt: q.queuedAt }));
      if (kept.length) sessionStorage.setItem(this.outboxKey, JSON.stringify(kept));
      else sessionStorage.removeItem(this.outboxKey);
    } catch {
      /* storage full or unavailable: the outbox still lives in memory */
    }
  }

  private get outboxKey(): string {
    return `edlib:outbox:${location.pathname}`;
  }

  /** Commands left in the outbox by an earlier page load (e.g. a reload while offline): send them too. */
  private restoreOutbox(): void {
    try {
      const kept = JSON.parse(sessionStorage.getItem(this.outboxKey) ?? "[]") as { cid: string; cmd: Command; label: string; queuedAt: number }[];
      for (const k of kept) {
        this.outbox.push({ id: ++this.ids, cid: k.cid, cmd: k.cmd, label: k.label, quiet: false, queuedAt: k.queuedAt, attempts: 0, shown: true, resolve: () => {} });
      }
    } catch {
      /* ignore */
    }
    this.publishOutbox();
  }
}

/** A client command id: unique per participant (the server keeps it with the events). */
function newCid(): string {
  const c: Crypto = crypto;
  if (typeof c.randomUUID === "function") return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes); // randomUUID needs a secure context (https or localhost)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
