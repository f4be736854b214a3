// The map arrives whole in the join acknowledgement (`views.map`) and as patches afterwards (`map_patch`):
// {item_id: {full: map} | {patch: {version, base, nodes: {upsert, remove}, edges: {upsert, remove}, indices,
// central, analysis}}}. A patch applies only onto the map whose `version` equals its `base`.
import type { ItemMap, MapView } from "./types";

interface Part {
  upsert?: { id: string }[];
  remove?: string[];
}

export interface MapPatch {
  version: number;
  base: number;
  nodes?: Part;
  edges?: Part;
  indices?: unknown;
  central?: unknown;
  analysis?: { version: number } | null;
}

function merge<T extends { id?: unknown }>(items: T[], part: Part | undefined): T[] {
  if (!part) return items;
  const removed = new Set(part.remove ?? []);
  const upserts = new Map((part.upsert ?? []).map((x) => [x.id, x as unknown as T]));
  const out: T[] = [];
  for (const item of items) {
    const id = item.id as string;
    if (removed.has(id)) continue;
    if (upserts.has(id)) {
      out.push(upserts.get(id)!);
      upserts.delete(id);
    } else out.push(item);
  }
  return [...out, ...upserts.values()];
}

function withIds(m: ItemMap): ItemMap {
  // Edges carry an `id` ("cause→effect"); older servers did not send one.
  return { ...m, edges: (m.edges ?? []).map((e) => ("id" in e ? e : { ...e, id: `${e.source}→${e.target}` })) };
}

export function applyPatch(map: ItemMap, patch: MapPatch): ItemMap {
  const base = withIds(map);
  const next: ItemMap = {
    ...base,
    version: patch.version,
    nodes: merge(base.nodes ?? [], patch.nodes),
    edges: merge(base.edges as (typeof base.edges[number] & { id: string })[], patch.edges),
  };
  if (patch.indices !== undefined) next.indices = patch.indices;
  if (patch.central !== undefined) next.central = patch.central;
  if (patch.analysis !== undefined) next.analysis = patch.analysis;
  return next;
}

/** Apply one `map_patch` message. Returns the new maps and whether a full map must be fetched again. */
export function applyMapPatch(maps: MapView, data: Record<string, { full?: ItemMap; patch?: MapPatch }>): { maps: MapView; stale: boolean } {
  const out: MapView = { ...maps };
  let stale = false;
  for (const [item, change] of Object.entries(data ?? {})) {
    if (change.full) {
      out[item] = change.full;
      continue;
    }
    const patch = change.patch;
    if (!patch) continue;
    const cur = out[item];
    const version = typeof cur?.version === "number" ? cur.version : null;
    if (cur && version === patch.base) {
      out[item] = applyPatch(cur, patch);
    } else if (cur && version !== null && patch.version <= version) {
      // Already as new (the join acknowledgement overtook this patch); keep a newer analysis if it brings one.
      const a = patch.analysis;
      const had = cur.analysis as { version?: number } | null | undefined;
      if (a && a.version <= version && (!had || (had.version ?? -1) < a.version)) out[item] = { ...cur, analysis: a };
    } else {
      stale = true;
    }
  }
  return { maps: out, stale };
}
