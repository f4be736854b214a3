// The server clock is authoritative: countdowns are computed locally from the floor view's turn and the
// clock skew measured at join (server_time in the join acknowledgement). Nothing is broadcast per second.
import { useEffect, useState } from "preact/hooks";
import type { Turn } from "./types";

export function serverNow(skewMs: number): number {
  return Date.now() + skewMs;
}

/** Seconds spoken so far in a turn, pauses excluded; frozen while paused. */
export function elapsed(turn: Turn, skewMs: number): number {
  const started = Date.parse(turn.started_at);
  const end = turn.paused_at ? Date.parse(turn.paused_at) : serverNow(skewMs);
  return Math.max(0, (end - started) / 1000 - (turn.paused_total_s || 0));
}

/** Seconds left (negative: overrun), or null when the turn has no limit. */
export function remaining(turn: Turn, skewMs: number): number | null {
  if (turn.limit_s === null || turn.limit_s === undefined) return null;
  return turn.limit_s - elapsed(turn, skewMs);
}

/** Re-render every `ms` while `active`. */
export function useTick(active: boolean, ms = 250): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setTick((x) => x + 1), ms);
    return () => clearInterval(id);
  }, [active, ms]);
  return tick;
}
