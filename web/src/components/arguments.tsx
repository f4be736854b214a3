import { useEffect, useState } from "preact/hooks";
import { CATEGORIES, LIMITS, RELATIONS, STANCES } from "../generated/protocol";
import { t } from "../i18n";
import { can, useApp } from "../lib/app";
import { serverNow } from "../lib/clock";
import { personWithGroup, timeOfDay } from "../lib/format";
import type { Argument, Category, Item, Relation, Stance } from "../lib/types";

export function excerpt(text: string | null, n = 70): string {
  if (!text) return t("args.hidden_text");
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

function RateButtons(props: { a: Argument; enabled: boolean }) {
  const { conn } = useApp();
  const { a } = props;
  const opts: { value: 1 | 0 | -1; key: "agree" | "pass" | "disagree" }[] = [
    { value: 1, key: "agree" },
    { value: 0, key: "pass" },
    { value: -1, key: "disagree" },
  ];
  return (
    <div class="rate" role="group" aria-label={t("args.rate_label")}>
      {opts.map((o) => (
        <button
          type="button"
          class={`rate-${o.key}`}
          aria-pressed={a.my_rating === o.value}
          disabled={!props.enabled}
          onClick={() =>
            void conn.send({ type: "argument.rate", argument_id: a.id, value: o.value }, t("action.rate"), { quiet: true })
          }
        >
          {t(`args.${o.key}`)} <span class="count" data-testid={`count-${o.key}`}>{a.ratings[o.key]}</span>
        </button>
      ))}
    </div>
  );
}

/** The author may correct an argument this long after adding it (the server's `argument.edit` rule). */
export const EDIT_GRACE_S = 120;

/** Milliseconds left to edit, re-rendering once when the grace period ends. */
function useEditWindow(createdAt: string, skewMs: number, active: boolean): number {
  const left = Date.parse(createdAt) + EDIT_GRACE_S * 1000 - serverNow(skewMs);
  const [, setExpired] = useState(false);
  useEffect(() => {
    if (!active || left <= 0) return;
    const timer = setTimeout(() => setExpired(true), left + 50);
    return () => clearTimeout(timer);
  }, [createdAt, active, left > 0]);
  return active ? Math.max(0, left) : 0;
}

function EditForm(props: { a: Argument; onDone: () => void }) {
  const { conn } = useApp();
  const [text, setText] = useState(props.a.text ?? "");
  const [busy, setBusy] = useState(false);
  const id = `edit-${props.a.id}`;
  return (
    <form
      class="inline-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!text.trim()) return;
        setBusy(true);
        const ack = await conn.send({ type: "argument.edit", argument_id: props.a.id, text: text.trim() }, t("action.edit_argument"));
        setBusy(false);
        if (ack.ok) props.onDone();
      }}
    >
      <label for={id}>{t("args.edit_label")}</label>
      <textarea id={id} rows={3} required maxLength={LIMITS.text} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <button type="submit" class="primary" disabled={busy || !text.trim()}>
        {t("args.edit_save")}
      </button>
      <button type="button" onClick={props.onDone}>
        {t("common.cancel")}
      </button>
    </form>
  );
}

function HideForm(props: { a: Argument; onDone: () => void }) {
  const { conn } = useApp();
  const [reason, setReason] = useState("");
  const id = `hide-${props.a.id}`;
  return (
    <form
      class="inline-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const ack = await conn.send({ type: "argument.hide", argument_id: props.a.id, reason: reason.trim() }, t("action.hide"));
        if (ack.ok) props.onDone();
      }}
    >
      <label for={id}>{t("mod.hide_reason")}</label>
      <input id={id} value={reason} required maxLength={LIMITS.label} onInput={(e) => setReason(e.currentTarget.value)} />
      <button type="submit" class="danger">
        {t("mod.hide")}
      </button>
      <button type="button" onClick={props.onDone}>
        {t("common.cancel")}
      </button>
    </form>
  );
}

function ArgumentCard(props: { a: Argument; all: Argument[]; moderate: boolean; readOnly: boolean; onReply?: (a: Argument) => void }) {
  const { s, conn } = useApp();
  const { a } = props;
  const [hiding, setHiding] = useState(false);
  const [editing, setEditing] = useState(false);
  const me = s.you?.participant_id;
  const own = a.author === me;
  const parent = a.reply_to ? props.all.find((x) => x.id === a.reply_to) : undefined;
  const active = a.status === "active";
  const mayEdit = useEditWindow(a.created_at, s.skewMs, !props.readOnly && own && active && can(s, "argument.edit")) > 0;
  const floor = s.views.floor?.data;
  const onFloor = Boolean(floor && (floor.current?.participant_id === me || floor.queue.some((q) => q.participant_id === me)));
  const maySpeak = !props.readOnly && !props.moderate && can(s, "floor.request") && Boolean(floor) && !floor?.closed && !onFloor;
  return (
    <li class={`arg stance-${a.stance} status-${a.status}`} id={`arg-${a.id}`} data-testid="argument">
      <div class="arg-meta">
        <span class={`stance stance-${a.stance}`}>{t(`stance.${a.stance}`)}</span>
        <span class="author">{personWithGroup(s.snap, a.author)}</span>
        <time class="muted small" dateTime={a.created_at}>
          {timeOfDay(a.created_at)}
        </time>
        {a.edited && (
          <span class="muted small" data-testid="edited">
            {t("args.edited")}
          </span>
        )}
      </div>
      {parent && a.relation && (
        <p class={`reply-to rel-${a.relation}`}>
          <span aria-hidden="true">↳ </span>
          {t(`relation.${a.relation}`)}: <a href={`#arg-${parent.id}`}>“{excerpt(parent.text, 60)}”</a>
        </p>
      )}
      {a.status === "hidden" ? (
        <p class="arg-text hidden-arg">
          {a.text && <span class="struck">{a.text}</span>}
          <span class="muted">
            {t("args.hidden_by_facilitator")}
            {a.hidden_reason ? ` — ${a.hidden_reason}` : ""}
          </span>
        </p>
      ) : (
        <p class="arg-text">{a.text}</p>
      )}
      {a.status === "withdrawn" && <p class="muted small">{t("args.withdrawn")}</p>}
      {active && (
        <div class="arg-actions">
          {!props.readOnly && !props.moderate && can(s, "argument.rate") && !own ? (
            <RateButtons a={a} enabled={true} />
          ) : (
            <p class="counts muted small">
              {t("args.counts", { agree: a.ratings.agree, pass: a.ratings.pass, disagree: a.ratings.disagree })}
            </p>
          )}
          <div class="arg-more">
            {!props.readOnly && props.onReply && can(s, "argument.add") && (
              <button type="button" class="link" onClick={() => props.onReply?.(a)}>
                {t("args.reply")}
              </button>
            )}
            {maySpeak && (
              <button
                type="button"
                class="link"
                data-testid="speak-about"
                onClick={() => void conn.send({ type: "floor.request", kind: "speak", about: a.id }, t("action.request_about"))}
              >
                {t("args.speak_about")}
              </button>
            )}
            {mayEdit && !editing && (
              <button type="button" class="link" onClick={() => setEditing(true)}>
                {t("args.edit")}
              </button>
            )}
            {!props.readOnly && own && can(s, "argument.withdraw") && (
              <button
                type="button"
                class="link"
                onClick={() => void conn.send({ type: "argument.withdraw", argument_id: a.id }, t("action.withdraw_argument"))}
              >
                {t("args.withdraw")}
              </button>
            )}
            {props.moderate && can(s, "argument.hide") && !hiding && (
              <button type="button" class="link danger" onClick={() => setHiding(true)}>
                {t("mod.hide")}
              </button>
            )}
          </div>
          {hiding && <HideForm a={a} onDone={() => setHiding(false)} />}
          {editing && mayEdit && <EditForm a={a} onDone={() => setEditing(false)} />}
        </div>
      )}
    </li>
  );
}

const stanceOrder = (x: Stance) => STANCES.indexOf(x);

export function ArgumentList(props: { item: Item; moderate?: boolean; readOnly?: boolean; onReply?: (a: Argument) => void }) {
  const { s } = useApp();
  const all = (s.snap?.arguments ?? []).filter((a) => a.item_id === props.item.id);
  const shown = all.filter((a) => a.status !== "withdrawn" || props.moderate);
  const [stance, setStance] = useState<Stance | "all">("all");
  const visible = stance === "all" ? shown : shown.filter((a) => a.stance === stance);
  if (shown.length === 0) return <p class="muted" data-testid="no-arguments">{t("args.none")}</p>;
  return (
    <div class="arg-list">
      <div class="filter" role="group" aria-label={t("args.filter")}>
        {(["all", ...STANCES] as const).map((x) => (
          <button type="button" aria-pressed={stance === x} onClick={() => setStance(x)} key={x}>
            {x === "all" ? t("args.all") : t(`stance.${x}`)} ({x === "all" ? shown.length : shown.filter((a) => a.stance === x).length})
          </button>
        ))}
      </div>
      {CATEGORIES.map((cat) => {
        const group = visible.filter((a) => a.category === cat).sort((a, b) => stanceOrder(a.stance) - stanceOrder(b.stance) || a.seq - b.seq);
        if (group.length === 0) return null;
        return (
          <section class="cat" key={cat} aria-labelledby={`cat-${cat}`}>
            <h3 id={`cat-${cat}`}>
              {t(`category.${cat}`)} <span class="count muted">{group.length}</span>
            </h3>
            <ul class="plain">
              {group.map((a) => (
                <ArgumentCard key={a.id} a={a} all={all} moderate={Boolean(props.moderate)} readOnly={Boolean(props.readOnly)} onReply={props.onReply} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

export function ArgumentForm(props: { item: Item; replyTo: Argument | null; onClearReply: () => void }) {
  const { s, conn } = useApp();
  const [text, setText] = useState("");
  const [stance, setStance] = useState<Stance>("pro");
  const [category, setCategory] = useState<Category>("problem");
  const [relation, setRelation] = useState<Relation>("supports");
  const [busy, setBusy] = useState(false);
  const item = props.item;
  const others = (s.snap?.arguments ?? []).filter((a) => a.item_id === item.id && a.status === "active");
  const [replyId, setReplyId] = useState<string>("");
  const reply = props.replyTo ?? others.find((a) => a.id === replyId) ?? null;
  return (
    <form
      class="card form"
      aria-labelledby="argform-h"
      data-testid="argument-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!text.trim()) return;
        setBusy(true);
        const cmd: Record<string, unknown> = { item_id: item.id, text: text.trim(), stance, category };
        if (reply) Object.assign(cmd, { reply_to: reply.id, relation });
        const ack = await conn.send({ type: "argument.add", ...cmd }, t("action.add_argument"));
        setBusy(false);
        if (ack.ok) {
          setText("");
          setReplyId("");
          props.onClearReply();
        }
      }}
    >
      <h3 id="argform-h">{t("args.add_title")}</h3>
      {item.locked && <p class="notice">{t("item.locked_hint")}</p>}
      <div class="field">
        <label for="arg-text">{t("args.text")}</label>
        <textarea id="arg-text" rows={3} required maxLength={LIMITS.text} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </div>
      <fieldset class="choices">
        <legend>{t("args.stance")}</legend>
        {STANCES.map((x) => (
          <label class={`choice stance-${x}`} key={x}>
            <input type="radio" name="arg-stance" value={x} checked={stance === x} onChange={() => setStance(x)} />
            {t(`stance.${x}`)}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for="arg-category">{t("args.category")}</label>
        <select id="arg-category" value={category} aria-describedby="arg-category-hint" onChange={(e) => setCategory(e.currentTarget.value as Category)}>
          {CATEGORIES.map((c) => (
            <option value={c} key={c}>
              {t(`category.${c}`)}
            </option>
          ))}
        </select>
        <p class="hint" id="arg-category-hint">
          {t(`category.${category}.hint`)}
        </p>
      </div>
      {props.replyTo ? (
        <p class="replying">
          {t("args.replying_to")} “{excerpt(props.replyTo.text)}”{" "}
          <button type="button" class="link" onClick={props.onClearReply}>
            {t("args.no_reply")}
          </button>
        </p>
      ) : (
        <div class="field">
          <label for="arg-reply">{t("args.reply_optional")}</label>
          <select id="arg-reply" value={replyId} onChange={(e) => setReplyId(e.currentTarget.value)}>
            <option value="">{t("args.no_reply_option")}</option>
            {others.map((a) => (
              <option value={a.id} key={a.id}>
                {excerpt(a.text, 60)}
              </option>
            ))}
          </select>
        </div>
      )}
      {reply && (
        <fieldset class="choices">
          <legend>{t("args.relation")}</legend>
          {RELATIONS.map((r) => (
            <label class="choice" key={r}>
              <input type="radio" name="arg-relation" value={r} checked={relation === r} onChange={() => setRelation(r)} />
              {t(`relation.${r}`)}
            </label>
          ))}
        </fieldset>
      )}
      <button type="submit" class="primary" disabled={busy || !text.trim()}>
        {t("args.submit")}
      </button>
    </form>
  );
}
