// Wire shapes (protocol.md and edlib/views.py). Names and enums come from generated/protocol.ts.
import type {
  CATEGORIES, FLOOR_KINDS, FLOOR_POLICIES, ITEM_PHASES, MEETING_PHASES, PRESENCE, RELATIONS, STANCES,
  VOTE_CHOICES, VOTE_KINDS, ErrorCode, Role,
} from "../generated/protocol";

export type Category = (typeof CATEGORIES)[number];
export type Stance = (typeof STANCES)[number];
export type Relation = (typeof RELATIONS)[number];
export type Presence = (typeof PRESENCE)[number];
export type FloorKind = (typeof FLOOR_KINDS)[number];
export type FloorPolicy = (typeof FLOOR_POLICIES)[number];
export type ItemPhase = (typeof ITEM_PHASES)[number];
export type MeetingPhase = (typeof MEETING_PHASES)[number];
export type VoteChoice = (typeof VOTE_CHOICES)[number];
export type VoteKind = (typeof VOTE_KINDS)[number];

export interface Envelope {
  seq: number;
  type: string;
  at: string;
  actor: string | null;
  data: Record<string, any> | null;
  withheld?: boolean;
}

export interface ViewMsg<T = any> {
  name: string;
  seq: number;
  data: T;
}

export interface You {
  participant_id: string;
  role: Role;
  name?: string;
}

export interface MeetingInfo {
  id: string;
  title: string;
  council: string;
  kind: string;
  visibility: "public" | "closed" | string;
  phase: MeetingPhase;
  created_at: string;
  results_published: boolean;
  current_item: string | null;
}

export interface Group {
  id: string;
  name: string;
  side: "majority" | "opposition" | string;
  seats: number;
}

export interface Person {
  id: string;
  name: string;
  role: Role;
  group: string | null;
  side: string;
  presence: Presence | null;
}

export interface Item {
  id: string;
  title: string;
  draft_decision: string;
  documents: string[];
  phase: ItemPhase;
  locked: boolean;
  time_limit_s: number | null;
}

export interface Ratings {
  agree: number;
  pass: number;
  disagree: number;
}

export interface Argument {
  id: string;
  item_id: string;
  author: string;
  text: string | null;
  stance: Stance;
  category: Category;
  reply_to: string | null;
  relation: Relation | null;
  status: "active" | "withdrawn" | "hidden" | string;
  hidden_reason: string | null;
  created_at: string;
  seq: number;
  edited: boolean;
  ratings: Ratings;
  my_rating: number | null;
}

export interface Link {
  id: string;
  item_id: string;
  author: string;
  cause: string;
  effect: string;
  cause_label: string;
  effect_label: string;
  sign: number;
  strength: number;
  argument_id: string | null;
  active: boolean;
}

export type Tally = Record<VoteChoice, number>;
export interface ItemVotes {
  indicative?: Tally;
  final?: Tally;
  mine?: Partial<Record<VoteKind, VoteChoice>>;
}

export interface Snapshot {
  seq: number;
  meeting: MeetingInfo;
  groups: Group[];
  participants: Person[];
  items: Item[];
  restricted?: boolean;
  arguments?: Argument[];
  links?: Link[];
  votes?: Record<string, ItemVotes>;
  delphi?: DelphiView;
  concepts?: Record<string, { labels: Record<string, string>; merged: Record<string, string> }>;
}

export interface Turn {
  participant_id: string;
  kind: FloorKind;
  item_id: string | null;
  started_at: string;
  limit_s: number | null;
  paused_at: string | null;
  paused_total_s: number;
}

export interface QueueEntry {
  participant_id: string;
  kind: FloorKind;
  about: string | null;
  requested_at: string;
  added_by: string | null;
  spoken_s: number;
  connected: boolean;
}

export interface FloorView {
  policy: FloorPolicy;
  time_limit_s: number | null;
  closed: boolean;
  current: Turn | null;
  queue: QueueEntry[];
  next: { participant_id: string; reason: string } | null;
  /** per party group with a speaking-time budget on the current item */
  budgets?: Record<string, { budget_s: number; used_s: number; over: boolean }>;
}

export interface ParticipationRow {
  participant_id: string;
  group: string | null;
  side: string;
  presence: Presence | null;
  speaking_s: number;
  speaking_item_s: number;
  turns: number;
  arguments: number;
  ratings: number;
  links: number;
}

export interface Share {
  seconds?: number;
  speaking_s?: number;
  speaking_share: number | null;
  seat_share: number | null;
  seats?: number;
  side?: string | null;
}

export interface ParticipationView {
  item_id: string | null;
  members: ParticipationRow[];
  groups: Record<string, Share>;
  sides: Record<string, Share>;
  presence: Record<string, { seconds?: number; speaking_s?: number; share?: number | null; members: number }>;
  gini: { gini: number | null; corrected: number | null };
  gini_item: { gini: number | null; corrected: number | null } | null;
  not_heard: string[];
}

export interface StatementSummary {
  n: number;
  histogram: number[];
  median: number | null;
  q1: number | null;
  q3: number | null;
  iqr: number | null;
  mean: number | null;
  sd: number | null;
  agree_pct: number | null;
  disagree_pct: number | null;
  consensus: boolean | null;
  rationales?: string[];
  answered?: number;
}

export interface Survey {
  id: string;
  item_id: string;
  dimension: string;
  realtime: boolean;
  scale: { min: number; max: number };
  statements: { id: string; text: string; argument_id: string | null; link_id: string | null }[];
  round: number;
  open: boolean;
  closed_rounds: number[];
  answered: number;
  published: boolean;
  feedback: Record<string, Record<string, StatementSummary>>;
  results: {
    statements: Record<string, { round1: StatementSummary; round2: StatementSummary; consensus: boolean | null }>;
    kendall_w?: Record<string, { w: number | null }>;
    members?: Record<string, number>;
  } | null;
  live?: Record<string, StatementSummary>;
  not_answered?: string[];
  mine?: Record<string, Record<string, number>>;
  /** statement id -> the member's own round-1 answer lies outside the round-1 IQR */
  mine_outside_iqr?: Record<string, boolean>;
  my_comments?: Record<string, Record<string, string>>;
}

export interface DelphiView {
  surveys: Survey[];
}

export interface MapNode {
  id: string;
  label: string;
  [field: string]: unknown;
}

export interface MapEdge {
  source: string;
  target: string;
  weight: number;
  [field: string]: unknown;
}

export interface ItemMap {
  item_id?: string;
  nodes: MapNode[];
  edges: MapEdge[];
  [field: string]: unknown;
}

export type MapView = Record<string, ItemMap>;

export interface WireError {
  code: ErrorCode | "timeout" | "offline" | "lost" | string;
  message: string;
}

export type Ack = { ok: true; seq: number } | { ok: false; error: WireError };
