// Applies the event deltas that matter for display to the last snapshot. Anything this reducer cannot apply
// exactly (a changed rating or vote whose earlier value it never saw, concept merges, role changes, events it
// does not know) returns "resync": the connection then fetches a fresh snapshot. Derived views (map, floor,
// participation, delphi) are never computed here; they arrive from the server as `view` messages.
import type { Envelope, Snapshot, Tally, You } from "./types";

export type Outcome = "applied" | "ignored" | "resync";

/** What the reducer has seen since the snapshot: every rater / voter value it can vouch for. */
export class Ledger {
  /** argument id -> rater -> value, for arguments whose every rating since they had none is known */
  raters = new Map<string, Map<string, number>>();
  /** "item|kind" -> voter -> choice, likewise */
  voters = new Map<string, Map<string, string>>();

  static from(snap: Snapshot, you: You | undefined): Ledger {
    const l = new Ledger();
    for (const a of snap.arguments ?? []) {
      const r = a.ratings;
      const known = new Map<string, number>();
      if (r.agree + r.pass + r.disagree === 0) l.raters.set(a.id, known);
      if (you && a.my_rating !== null && a.my_rating !== undefined) {
        known.set(you.participant_id, a.my_rating);
        if (r.agree + r.pass + r.disagree === 1) l.raters.set(a.id, known);
      }
    }
    for (const item of snap.items) {
      for (const kind of ["indicative", "final"] as const) {
        const tally = snap.votes?.[item.id]?.[kind];
        const total = tally ? tally.yes + tally.no + tally.abstain : 0;
        const known = new Map<string, string>();
        const mine = snap.votes?.[item.id]?.mine?.[kind];
        if (you && mine) known.set(you.participant_id, mine);
        if (total === 0 || (total === 1 && mine)) l.voters.set(`${item.id}|${kind}`, known);
      }
    }
    return l;
  }
}

const RATING_KEY = { 1: "agree", 0: "pass", [-1]: "disagree" } as const;

function isStaff(you: You | undefined): boolean {
  return you?.role === "facilitator" || you?.role === "secretary";
}

export function applyEvent(snap: Snapshot, ledger: Ledger, ev: Envelope, you: You | undefined): Outcome {
  if (ev.seq > snap.seq) snap.seq = ev.seq;
  const d = ev.data;
  if (ev.withheld || d === null) {
    // Content we may not see. Meeting-level changes still matter (a closed meeting's results get published).
    return ev.type.startsWith("meeting.") || ev.type === "facilitator.transferred" ? "resync" : "ignored";
  }
  switch (ev.type) {
    case "meeting.created":
      return "ignored";
    case "meeting.phase_changed":
      snap.meeting.phase = d.phase;
      return "applied";
    case "facilitator.transferred": {
      // Both people's views switch at once; the fresh snapshot (role-filtered) follows.
      for (const p of snap.participants) {
        if (p.id === d.from) p.role = d.from_role;
        else if (p.id === d.to) p.role = "facilitator";
      }
      if (you && you.participant_id === d.to) you.role = "facilitator";
      else if (you && you.participant_id === d.from) you.role = d.from_role;
      return "resync";
    }
    case "meeting.results_published":
    case "concept.merged":
    case "concept.renamed":
      return "resync";
    case "item.phase_changed": {
      const item = snap.items.find((i) => i.id === d.item_id);
      if (!item) return "resync";
      item.phase = d.phase;
      if (d.current) snap.meeting.current_item = d.item_id;
      else if (snap.meeting.current_item === d.item_id) snap.meeting.current_item = null;
      return "applied";
    }
    case "item.lock_changed": {
      const item = snap.items.find((i) => i.id === d.item_id);
      if (!item) return "resync";
      item.locked = Boolean(d.locked);
      return "applied";
    }
    case "presence.changed": {
      const p = snap.participants.find((x) => x.id === d.participant_id);
      if (!p) return "resync";
      p.presence = d.where;
      return "applied";
    }
    case "argument.added": {
      if (!snap.arguments) return "ignored";
      if (snap.arguments.some((a) => a.id === d.argument_id)) return "ignored";
      snap.arguments.push({
        id: d.argument_id, item_id: d.item_id, author: ev.actor ?? "", text: d.text, stance: d.stance,
        category: d.category, reply_to: d.reply_to ?? null, relation: d.relation ?? null, status: "active",
        hidden_reason: null, created_at: ev.at, seq: ev.seq, edited: false,
        ratings: { agree: 0, pass: 0, disagree: 0 }, my_rating: null,
      });
      ledger.raters.set(d.argument_id, new Map());
      return "applied";
    }
    case "argument.edited": {
      const a = snap.arguments?.find((x) => x.id === d.argument_id);
      if (!a) return "resync";
      if (a.text !== null) a.text = d.text;
      a.edited = true;
      return "applied";
    }
    case "argument.withdrawn": {
      const a = snap.arguments?.find((x) => x.id === d.argument_id);
      if (!a) return "resync";
      a.status = "withdrawn";
      return "applied";
    }
    case "argument.hidden": {
      const a = snap.arguments?.find((x) => x.id === d.argument_id);
      if (!a) return "resync";
      a.status = "hidden";
      a.hidden_reason = d.reason ?? null;
      if (!isStaff(you)) a.text = null;
      return "applied";
    }
    case "argument.rated": {
      const a = snap.arguments?.find((x) => x.id === d.argument_id);
      const known = ledger.raters.get(d.argument_id);
      const actor = ev.actor ?? "";
      if (!a || !known) return "resync";
      const before = known.get(actor);
      if (before !== undefined) a.ratings[RATING_KEY[before as 1 | 0 | -1]] -= 1;
      a.ratings[RATING_KEY[d.value as 1 | 0 | -1]] += 1;
      known.set(actor, d.value);
      if (you && actor === you.participant_id) a.my_rating = d.value;
      return "applied";
    }
    case "link.asserted": {
      if (!snap.links) return "ignored";
      if (snap.links.some((l) => l.id === d.link_id)) return "ignored";
      snap.links.push({
        id: d.link_id, item_id: d.item_id, author: ev.actor ?? "", cause: d.cause, effect: d.effect,
        cause_label: d.cause_label, effect_label: d.effect_label, sign: d.sign, strength: d.strength,
        argument_id: d.argument_id ?? null, active: true,
      });
      const concepts = (snap.concepts ??= {});
      const c = (concepts[d.item_id] ??= { labels: {}, merged: {} });
      c.labels[d.cause] ??= d.cause_label;
      c.labels[d.effect] ??= d.effect_label;
      return "applied";
    }
    case "link.retracted": {
      const l = snap.links?.find((x) => x.id === d.link_id);
      if (!l) return "resync";
      l.active = false;
      return "applied";
    }
    case "decision.voted": {
      if (!snap.votes) return "ignored";
      const key = `${d.item_id}|${d.kind}`;
      const known = ledger.voters.get(key);
      if (!known) return "resync";
      const entry = (snap.votes[d.item_id] ??= {});
      const kind = d.kind as "indicative" | "final";
      const tally: Tally = (entry[kind] ??= { yes: 0, no: 0, abstain: 0 });
      const actor = ev.actor ?? "";
      const before = known.get(actor) as keyof Tally | undefined;
      if (before) tally[before] -= 1;
      tally[d.choice as keyof Tally] += 1;
      known.set(actor, d.choice);
      if (you && actor === you.participant_id) (entry.mine ??= {})[kind] = d.choice;
      return "applied";
    }
    default:
      // floor.* and delphi.* are rendered from their views; anything unknown: fetch a fresh snapshot.
      if (ev.type.startsWith("floor.") || ev.type.startsWith("delphi.")) return "ignored";
      return "resync";
  }
}
