import { useState } from "preact/hooks";
import { LIMITS } from "../../generated/protocol";
import { t } from "../../i18n";
import { useApp } from "../../lib/app";
import { list, personName } from "../../lib/format";
import type { Item, Survey } from "../../lib/types";
import { excerpt } from "../../components/arguments";
import { FeedbackList, lastClosed, surveyStatus } from "../../components/delphi";

type Draft = { text: string } | { argument_id: string };

// Scale lengths the server accepts (1–5, 1–7, 1–9; see methods.md §3).
const SCALE_MAXES = [5, 7, 9] as const;

function Builder(props: { item: Item }) {
  const { s, conn } = useApp();
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [text, setText] = useState("");
  const [realtime, setRealtime] = useState(false);
  const [max, setMax] = useState<number>(5);
  const args = (s.snap?.arguments ?? []).filter((a) => a.item_id === props.item.id && a.status === "active");
  const chosen = new Set(drafts.flatMap((d) => ("argument_id" in d ? [d.argument_id] : [])));
  const label = (d: Draft) => ("text" in d ? d.text : excerpt(args.find((a) => a.id === d.argument_id)?.text ?? d.argument_id, 90));
  const addLines = () => {
    const lines = text.split("\n").map((x) => x.trim()).filter(Boolean);
    if (lines.length) setDrafts([...drafts, ...lines.map((l) => ({ text: l }))]);
    setText("");
  };
  return (
    <section class="card form" aria-labelledby="dbuild-h" data-testid="delphi-builder">
      <h3 id="dbuild-h">{t("dadmin.new")}</h3>
      <div class="field">
        <label for="dstmt">{t("dadmin.statements_label")}</label>
        <textarea id="dstmt" rows={3} maxLength={LIMITS.text * 4} value={text} onInput={(e) => setText(e.currentTarget.value)} aria-describedby="dstmt-hint" />
        <p class="hint" id="dstmt-hint">
          {t("dadmin.statements_hint")}
        </p>
        <button type="button" onClick={addLines} disabled={!text.trim()}>
          {t("dadmin.add_statements")}
        </button>
      </div>
      {args.length > 0 && (
        <details class="from-args">
          <summary>{t("dadmin.from_arguments")}</summary>
          <ul class="plain">
            {args.map((a) => (
              <li key={a.id} class="row">
                <button
                  type="button"
                  disabled={chosen.has(a.id)}
                  aria-label={t("dadmin.add_argument", { text: excerpt(a.text, 60) })}
                  onClick={() => setDrafts([...drafts, { argument_id: a.id }])}
                >
                  +
                </button>
                <span>{excerpt(a.text, 110)}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {drafts.length > 0 && (
        <>
          <h4>{t("dadmin.draft", { n: drafts.length })}</h4>
          <ol class="drafts" data-testid="delphi-drafts">
            {drafts.map((d, i) => (
              <li key={i}>
                {label(d)}{" "}
                <button type="button" class="link" onClick={() => setDrafts(drafts.filter((_, j) => j !== i))}>
                  {t("common.remove")}
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
      <div class="row">
        <label for="dscale">{t("dadmin.scale")}</label>
        <select id="dscale" value={max} onChange={(e) => setMax(parseInt(e.currentTarget.value, 10))}>
          {SCALE_MAXES.map((m) => (
            <option value={m} key={m}>
              1–{m}
            </option>
          ))}
        </select>
        <label class="choice">
          <input type="checkbox" checked={realtime} onChange={(e) => setRealtime(e.currentTarget.checked)} />
          {t("dadmin.realtime")}
        </label>
        <button
          type="button"
          class="primary"
          disabled={drafts.length === 0}
          onClick={async () => {
            const cmd = { type: "delphi.create" as const, item_id: props.item.id, statements: drafts, scale: { min: 1, max }, ...(realtime ? { realtime: true } : {}) };
            const ack = await conn.send(cmd, t("action.delphi_create"));
            if (ack.ok) {
              setDrafts([]);
              setRealtime(false);
            }
          }}
        >
          {t("dadmin.create")}
        </button>
      </div>
    </section>
  );
}

function SurveyAdmin(props: { survey: Survey; n: number }) {
  const { s, conn } = useApp();
  const sv = props.survey;
  const closed = lastClosed(sv);
  const round = (type: "delphi.open_round" | "delphi.close_round", r: number, label: string) => (
    <button type="button" class={type === "delphi.open_round" ? "primary" : ""} onClick={() => void conn.send({ type, delphi_id: sv.id, round: r }, label)}>
      {label}
    </button>
  );
  const waiting = sv.not_answered ?? [];
  return (
    <section class="card" aria-labelledby={`sa-${sv.id}`} data-testid="survey-admin">
      <h3 id={`sa-${sv.id}`}>
        {t("delphi.survey", { n: props.n })} <span class="tag" data-testid="survey-status">{surveyStatus(sv)}</span>
        {sv.published && <span class="tag ok">{t("dadmin.published")}</span>}
      </h3>
      <ol class="stmts">
        {sv.statements.map((st) => (
          <li key={st.id}>{st.text}</li>
        ))}
      </ol>
      <div class="actions wrap">
        {sv.round === 0 && !sv.open && round("delphi.open_round", 1, t("dadmin.open", { round: 1 }))}
        {sv.open && round("delphi.close_round", sv.round, t("dadmin.close", { round: sv.round }))}
        {!sv.open && !sv.realtime && sv.closed_rounds.includes(1) && !sv.closed_rounds.includes(2) && round("delphi.open_round", 2, t("dadmin.open", { round: 2 }))}
        {!sv.open && closed !== null && !sv.published && (
          <button type="button" onClick={() => void conn.send({ type: "delphi.publish", delphi_id: sv.id }, t("action.delphi_publish"))}>
            {t("dadmin.publish")}
          </button>
        )}
      </div>
      {sv.open && (
        <p data-testid="answered-count">
          {t("dadmin.answered", { n: sv.answered })}
          {waiting.length > 0 && (
            <>
              {" "}
              · {t("dadmin.not_answered")} <span data-testid="not-answered">{list(waiting.map((id) => personName(s.snap, id)))}</span>
            </>
          )}
        </p>
      )}
      {!sv.open && closed !== null && (
        <details open>
          <summary>{t("delphi.feedback_title", { round: closed })}</summary>
          <FeedbackList survey={sv} round={closed} />
        </details>
      )}
    </section>
  );
}

export function DelphiAdmin(props: { item: Item }) {
  const { s } = useApp();
  const surveys = (s.views.delphi?.data.surveys ?? []).filter((x) => x.item_id === props.item.id);
  return (
    <div class="delphi-admin">
      {surveys.map((sv, i) => (
        <SurveyAdmin key={sv.id} survey={sv} n={i + 1} />
      ))}
      <Builder item={props.item} />
    </div>
  );
}
