import { useRef, useState } from "preact/hooks";
import { FLOOR_KINDS, FLOOR_POLICIES } from "../../generated/protocol";
import { t } from "../../i18n";
import { useApp } from "../../lib/app";
import { duration, groupName, personName, personWithGroup } from "../../lib/format";
import type { FloorKind, FloorPolicy, FloorView } from "../../lib/types";
import { excerpt } from "../../components/arguments";
import { Countdown } from "../../components/common";

function reasonText(reason: string): string {
  // Reason codes come from the server's policies (e.g. first_time, alternate_majority); unknown ones are shown as is.
  const known: Record<string, string> = {
    fifo: t("why.fifo"),
    first_time: t("why.first_time"),
    least_time: t("why.least_time"),
    point_of_order: t("why.point_of_order"),
    reply: t("why.reply"),
    named: t("why.named"),
    alternate_majority: t("why.alternate_majority"),
    alternate_opposition: t("why.alternate_opposition"),
  };
  return known[reason] ?? reason;
}

function QueueList(props: { floor: FloorView }) {
  const { s, conn } = useApp();
  const { floor } = props;
  const listRef = useRef<HTMLOListElement>(null);
  const [drag, setDrag] = useState<{ pid: string; from: number; over: number } | null>(null);
  const move = (pid: string, position: number) =>
    void conn.send({ type: "floor.move", participant_id: pid, position }, t("action.move"), { quiet: true });
  const overIndex = (y: number): number => {
    const rows = [...(listRef.current?.children ?? [])] as HTMLElement[];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i].getBoundingClientRect();
      if (y < r.top + r.height / 2) return i;
    }
    return rows.length - 1;
  };
  if (floor.queue.length === 0) return <p class="muted" data-testid="queue-empty">{t("floor.queue_empty")}</p>;
  return (
    <ol class="queue" ref={listRef} data-testid="queue">
      {floor.queue.map((q, i) => {
        const target = drag && drag.over === i && drag.from !== i ? (drag.from < i ? "drop-after" : "drop-before") : "";
        return (
          <li key={q.participant_id} class={`qrow ${drag?.pid === q.participant_id ? "dragging" : ""} ${target}`} data-testid="queue-row">
            <span
              class="handle"
              role="presentation"
              title={t("floor.drag")}
              onPointerDown={(e) => {
                (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
                setDrag({ pid: q.participant_id, from: i, over: i });
              }}
              onPointerMove={(e) => drag && setDrag({ ...drag, over: overIndex(e.clientY) })}
              onPointerUp={() => {
                if (drag && drag.over !== drag.from) move(drag.pid, drag.over);
                setDrag(null);
              }}
              onPointerCancel={() => setDrag(null)}
            >
              ⠿
            </span>
            <span class="qpos">{i + 1}</span>
            <span class="qwho">
              <span class="qname">{personWithGroup(s.snap, q.participant_id)}</span>
              <span class="qmeta">
                {q.kind !== "speak" && <span class="tag warn">{t(`floor.kind.${q.kind}`)}</span>}
                {q.about && (
                  <span class="qabout small" data-testid="queue-about">
                    {t("floor.about", { text: excerpt(s.snap?.arguments?.find((a) => a.id === q.about)?.text ?? null, 60) })}
                  </span>
                )}
                {q.added_by && <span class="tag">{t("floor.in_chamber")}</span>}
                {!q.connected && <span class="tag">{t("floor.disconnected")}</span>}
                {q.spoken_s > 0 && <span class="muted small">{t("floor.spoken", { time: duration(q.spoken_s) })}</span>}
              </span>
            </span>
            <span class="qbtns">
              <button
                type="button"
                onClick={() => void conn.send({ type: "floor.grant", participant_id: q.participant_id }, t("action.grant"))}
                aria-label={t("floor.grant_to", { name: personName(s.snap, q.participant_id) })}
              >
                {t("floor.grant")}
              </button>
              <button type="button" class="icon" disabled={i === 0} aria-label={t("floor.up", { name: personName(s.snap, q.participant_id) })} onClick={() => move(q.participant_id, i - 1)}>
                ↑
              </button>
              <button
                type="button"
                class="icon"
                disabled={i === floor.queue.length - 1}
                aria-label={t("floor.down", { name: personName(s.snap, q.participant_id) })}
                onClick={() => move(q.participant_id, i + 1)}
              >
                ↓
              </button>
              <button
                type="button"
                class="icon"
                aria-label={t("floor.remove", { name: personName(s.snap, q.participant_id) })}
                onClick={() => void conn.send({ type: "floor.remove", participant_id: q.participant_id }, t("action.remove"))}
              >
                ×
              </button>
            </span>
          </li>
        );
      })}
    </ol>
  );
}

function AddHand(props: { floor: FloorView }) {
  const { s, conn } = useApp();
  const [pid, setPid] = useState("");
  const [kind, setKind] = useState<FloorKind>("speak");
  const queued = new Set(props.floor.queue.map((q) => q.participant_id));
  const members = (s.snap?.participants ?? []).filter((p) => p.role !== "observer" && p.group && !queued.has(p.id));
  return (
    <form
      class="inline-form add-hand"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!pid) return;
        const ack = await conn.send({ type: "floor.add", participant_id: pid, kind }, t("action.add_hand"));
        if (ack.ok) setPid("");
      }}
    >
      <label for="hand-who">{t("floor.add_hand")}</label>
      <select id="hand-who" value={pid} onChange={(e) => setPid(e.currentTarget.value)}>
        <option value="">{t("floor.choose_member")}</option>
        {members.map((p) => (
          <option value={p.id} key={p.id}>
            {personWithGroup(s.snap, p.id)}
          </option>
        ))}
      </select>
      <label for="hand-kind" class="sr-only">
        {t("floor.kind")}
      </label>
      <select id="hand-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as FloorKind)}>
        {FLOOR_KINDS.map((k) => (
          <option value={k} key={k}>
            {t(`floor.kind.${k}`)}
          </option>
        ))}
      </select>
      <button type="submit" disabled={!pid}>
        {t("floor.add")}
      </button>
    </form>
  );
}

function PolicyForm(props: { floor: FloorView }) {
  const { conn } = useApp();
  const { floor } = props;
  const [limit, setLimit] = useState<string>(floor.time_limit_s ? String(floor.time_limit_s) : "");
  const setPolicy = (policy: FloorPolicy, lim: string) => {
    const n = parseInt(lim, 10);
    void conn.send({ type: "floor.set_policy", policy, ...(Number.isFinite(n) ? { time_limit_s: n } : {}) }, t("action.policy"));
  };
  return (
    <div class="policy">
      <div class="field">
        <label for="policy">{t("floor.policy")}</label>
        <select id="policy" value={floor.policy} onChange={(e) => setPolicy(e.currentTarget.value as FloorPolicy, limit)}>
          {FLOOR_POLICIES.map((p) => (
            <option value={p} key={p}>
              {t(`policy.${p}`)}
            </option>
          ))}
        </select>
      </div>
      <form
        class="field"
        onSubmit={(e) => {
          e.preventDefault();
          setPolicy(floor.policy, limit);
        }}
      >
        <label for="limit">{t("floor.time_limit")}</label>
        <span class="row">
          <input id="limit" type="number" min={10} max={3600} step={10} inputMode="numeric" value={limit} onInput={(e) => setLimit(e.currentTarget.value)} />
          <button type="submit">{t("common.apply")}</button>
        </span>
      </form>
      <button
        type="button"
        onClick={() => void conn.send({ type: floor.closed ? "floor.open_list" : "floor.close_list" }, t(floor.closed ? "action.open_list" : "action.close_list"))}
      >
        {floor.closed ? t("floor.open_list") : t("floor.close_list")}
      </button>
    </div>
  );
}

function Budgets(props: { floor: FloorView }) {
  const { s, conn } = useApp();
  const budgets = props.floor.budgets ?? {};
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const groups = s.snap?.groups ?? [];
  return (
    <fieldset class="budgets">
      <legend>{t("floor.budgets")}</legend>
      <p class="hint">{t("floor.budgets_hint")}</p>
      {groups.map((g) => {
        const b = budgets[g.id];
        const id = `budget-${g.id}`;
        const value = drafts[g.id] ?? (b ? String(Math.round(b.budget_s / 60)) : "");
        return (
          <form
            key={g.id}
            class="budget-row"
            onSubmit={(e) => {
              e.preventDefault();
              const minutes = parseFloat(value);
              const seconds = Number.isFinite(minutes) && value.trim() !== "" ? Math.round(minutes * 60) : null;
              void conn.send({ type: "floor.set_budget", group_id: g.id, seconds }, t("action.budget"));
            }}
          >
            <label for={id}>{g.name}</label>
            <input id={id} type="number" min={0} step={1} inputMode="numeric" value={value} onInput={(e) => setDrafts({ ...drafts, [g.id]: e.currentTarget.value })} />
            <button type="submit">{t("common.apply")}</button>
            {b && (
              <span class={`small ${b.over ? "over" : "muted"}`} data-testid="budget-used">
                {t("floor.budget_used", { used: duration(b.used_s), budget: duration(b.budget_s) })}
              </span>
            )}
          </form>
        );
      })}
    </fieldset>
  );
}

export function FloorControl() {
  const { s, conn } = useApp();
  const floor = s.views.floor?.data;
  if (!floor) return <p class="muted">{t("conn.connecting")}</p>;
  const cur = floor.current;
  return (
    <section class="card floor-control" aria-labelledby="fc-h" data-testid="floor-control">
      <h2 id="fc-h">{t("floor.title")}</h2>
      <div class="speaker">
        <p class="label">{t("floor.current")}</p>
        {cur ? (
          <>
            <p class="speaker-name" data-testid="speaker-name">
              {personWithGroup(s.snap, cur.participant_id)}
              {cur.kind !== "speak" && <span class="tag warn">{t(`floor.kind.${cur.kind}`)}</span>}
            </p>
            <Countdown turn={cur} big />
          </>
        ) : (
          <p class="muted">{t("floor.nobody")}</p>
        )}
      </div>
      <div class="actions big-actions">
        <button type="button" class="primary" disabled={floor.queue.length === 0} onClick={() => void conn.send({ type: "floor.grant" }, t("action.next"))}>
          {t("floor.next")}
        </button>
        <button type="button" disabled={!cur} onClick={() => void conn.send({ type: "floor.end" }, t("action.end_turn"))}>
          {t("floor.end")}
        </button>
        {cur?.paused_at ? (
          <button type="button" onClick={() => void conn.send({ type: "floor.resume" }, t("action.resume"))}>
            {t("floor.resume")}
          </button>
        ) : (
          <button type="button" disabled={!cur} onClick={() => void conn.send({ type: "floor.pause" }, t("action.pause"))}>
            {t("floor.pause")}
          </button>
        )}
      </div>
      {floor.next && (
        <p class="why" data-testid="why-next">
          <strong>{t("floor.next_is", { name: personName(s.snap, floor.next.participant_id) })}</strong> — {reasonText(floor.next.reason)}
        </p>
      )}
      {Object.entries(floor.budgets ?? {})
        .filter(([, b]) => b.over)
        .map(([gid]) => (
          <p class="notice" key={gid}>
            {t("floor.budget_over", { group: groupName(s.snap, gid) })}
          </p>
        ))}
      <h3>
        {t("floor.queue")} {floor.closed && <span class="tag warn">{t("floor.list_closed_short")}</span>}
      </h3>
      <QueueList floor={floor} />
      <AddHand floor={floor} />
      <details class="policy-box">
        <summary>{t("floor.settings", { policy: t(`policy.${floor.policy}`) })}</summary>
        <PolicyForm floor={floor} />
        <Budgets floor={floor} />
      </details>
    </section>
  );
}
