import { useEffect, useRef, useState } from "preact/hooks";
import { ITEM_PHASES, ITEM_TRANSITIONS } from "../../generated/protocol";
import { t } from "../../i18n";
import { useApp } from "../../lib/app";
import { personWithGroup } from "../../lib/format";
import type { Item, ItemPhase } from "../../lib/types";

function ItemRow(props: { item: Item; current: boolean }) {
  const { conn } = useApp();
  const { item } = props;
  // Allowed moves from the generated transition table, in the phases' own order.
  const allowed = ITEM_TRANSITIONS[item.phase] as readonly ItemPhase[];
  const next = ITEM_PHASES.filter((p) => allowed.includes(p));
  return (
    <li class={`item-row ${props.current ? "current" : ""}`} data-testid="item-row">
      <div class="item-row-head">
        <span class="item-row-title">{item.title}</span>
        <span class={`phase phase-${item.phase}`}>{t(`item.phase.${item.phase}`)}</span>
        {props.current && <span class="tag ok">{t("item.current")}</span>}
        {item.locked && <span class="tag warn">{t("item.locked")}</span>}
      </div>
      <div class="actions wrap">
        {next.map((phase) => (
          <button
            type="button"
            key={phase}
            class={phase === "closed" ? "danger" : ""}
            onClick={() => void conn.send({ type: "item.set_phase", item_id: item.id, phase }, t("action.phase", { phase: t(`item.phase.${phase}`) }))}
          >
            {t("item.to_phase", { phase: t(`item.phase.${phase}`) })}
          </button>
        ))}
        <button
          type="button"
          aria-pressed={item.locked}
          onClick={() => void conn.send({ type: item.locked ? "item.unlock" : "item.lock", item_id: item.id }, t(item.locked ? "action.unlock" : "action.lock"))}
        >
          {item.locked ? t("item.unlock") : t("item.lock")}
        </button>
      </div>
    </li>
  );
}

/** Hand the facilitator role to another participant: choose, confirm, send. */
function HandOver() {
  const { s, conn } = useApp();
  const [to, setTo] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) yes.current?.focus();
  }, [confirming]);
  const me = s.you?.participant_id;
  const people = (s.snap?.participants ?? []).filter((p) => p.id !== me && p.role !== "observer");
  if (people.length === 0) return null;
  const name = people.find((p) => p.id === to)?.name ?? "";
  return (
    <section class="card" aria-labelledby="handover-h" data-testid="handover">
      <h3 id="handover-h">{t("transfer.title")}</h3>
      <p class="hint" id="handover-hint">
        {t("transfer.hint")}
      </p>
      {!confirming ? (
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (to) setConfirming(true);
          }}
        >
          <label for="handover-to">{t("transfer.to")}</label>
          <select id="handover-to" value={to} aria-describedby="handover-hint" onChange={(e) => setTo(e.currentTarget.value)}>
            <option value="">{t("transfer.choose")}</option>
            {people.map((p) => (
              <option value={p.id} key={p.id}>
                {personWithGroup(s.snap, p.id)}
              </option>
            ))}
          </select>
          <button type="submit" disabled={!to}>
            {t("transfer.start")}
          </button>
        </form>
      ) : (
        <div class="confirm" role="group" aria-labelledby="handover-q">
          <p id="handover-q">
            <strong>{t("transfer.confirm", { name })}</strong>
          </p>
          <div class="actions wrap">
            <button
              type="button"
              class="primary"
              disabled={busy}
              ref={yes}
              onClick={async () => {
                setBusy(true);
                const ack = await conn.send({ type: "facilitator.transfer", participant_id: to }, t("action.transfer"));
                setBusy(false);
                if (!ack.ok) setConfirming(false);
              }}
            >
              {t("transfer.yes")}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t("common.cancel")}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

export function MeetingControl() {
  const { s, conn } = useApp();
  const snap = s.snap;
  if (!snap) return null;
  const m = snap.meeting;
  return (
    <div class="meeting-control">
      <section class="card" aria-labelledby="mc-h">
        <h3 id="mc-h">{t("meeting.title")}</h3>
        <p>
          {t("meeting.phase_is")} <strong data-testid="meeting-phase-f">{t(`meeting.phase.${m.phase}`)}</strong>
        </p>
        <div class="actions wrap">
          {m.phase !== "in_session" ? (
            <button type="button" class="primary" onClick={() => void conn.send({ type: "meeting.start" }, t("action.meeting_start"))}>
              {t("meeting.start")}
            </button>
          ) : (
            <button type="button" onClick={() => void conn.send({ type: "meeting.end" }, t("action.meeting_end"))}>
              {t("meeting.end")}
            </button>
          )}
          {m.visibility !== "public" && !m.results_published && (
            <button type="button" onClick={() => void conn.send({ type: "meeting.publish_results" }, t("action.publish_results"))}>
              {t("meeting.publish_results")}
            </button>
          )}
          {m.results_published && <span class="tag ok">{t("meeting.results_published")}</span>}
        </div>
      </section>
      <section class="card" aria-labelledby="items-h">
        <h3 id="items-h">{t("item.agenda")}</h3>
        <ul class="plain items">
          {snap.items.map((i) => (
            <ItemRow key={i.id} item={i} current={i.id === m.current_item} />
          ))}
        </ul>
      </section>
      <HandOver />
    </div>
  );
}
