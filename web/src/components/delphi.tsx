import { useEffect, useState } from "preact/hooks";
import { LIMITS } from "../generated/protocol";
import { t, type Key } from "../i18n";
import { useApp } from "../lib/app";
import { num, pct } from "../lib/format";
import type { StatementSummary, Survey } from "../lib/types";
import { Histogram } from "./common";

// Display labels for the ends of a scale, by survey dimension; an unknown dimension gets neutral labels.
const DIMENSION_LABELS: Record<string, [Key, Key]> = {
  agreement: ["delphi.low.agreement", "delphi.high.agreement"],
  importance: ["delphi.low.importance", "delphi.high.importance"],
  feasibility: ["delphi.low.feasibility", "delphi.high.feasibility"],
};

export function scaleEnds(survey: Survey): [string, string] {
  const keys = DIMENSION_LABELS[survey.dimension] ?? (["delphi.low", "delphi.high"] as [Key, Key]);
  return [t(keys[0]), t(keys[1])];
}

export function lastClosed(survey: Survey): number | null {
  return survey.closed_rounds.length ? Math.max(...survey.closed_rounds) : null;
}

export function surveyStatus(survey: Survey): string {
  if (survey.open) return t("delphi.round_open", { round: survey.round });
  const closed = lastClosed(survey);
  if (closed !== null) return t("delphi.round_closed", { round: closed });
  return t("delphi.not_started");
}

export function outsideIqr(value: number | undefined, s: StatementSummary | undefined): boolean {
  if (value === undefined || !s || s.q1 === null || s.q3 === null) return false;
  return value < s.q1 || value > s.q3;
}

export function StatementFeedback(props: {
  summary: StatementSummary | undefined;
  survey: Survey;
  mine?: number;
  mineRound?: number;
  big?: boolean;
  statementId?: string;
}) {
  const { summary: sm, survey, mine } = props;
  if (!sm) return null;
  // The server marks the member's own round-1 answers outside the IQR; for other rounds, compare here.
  const marked = props.mineRound === 1 && props.statementId ? survey.mine_outside_iqr?.[props.statementId] : undefined;
  const outside = mine !== undefined && (marked ?? outsideIqr(mine, sm));
  return (
    <div class={`feedback ${props.big ? "big" : ""}`} data-testid="statement-feedback">
      <Histogram
        histogram={sm.histogram}
        min={survey.scale.min}
        mark={mine ?? null}
        q1={sm.q1}
        q3={sm.q3}
        caption={t("delphi.histogram_caption")}
        big={props.big}
      />
      <dl class="stats">
        <div>
          <dt>{t("delphi.n")}</dt>
          <dd>{sm.n}</dd>
        </div>
        <div>
          <dt>{t("delphi.median")}</dt>
          <dd>{num(sm.median)}</dd>
        </div>
        <div>
          <dt>{t("delphi.iqr")}</dt>
          <dd>{sm.q1 === null ? "–" : `${num(sm.q1)}–${num(sm.q3)}`}</dd>
        </div>
        <div>
          <dt>{t("delphi.agree_pct")}</dt>
          <dd>{pct(sm.agree_pct === null ? null : sm.agree_pct / 100)}</dd>
        </div>
      </dl>
      {sm.consensus !== null && (
        <p class={`tag ${sm.consensus ? "ok" : ""}`}>{sm.consensus ? t("delphi.consensus") : t("delphi.no_consensus")}</p>
      )}
      {mine !== undefined && (
        <p class={`mine ${outside ? "outside" : ""}`} data-testid={outside ? "outside-iqr" : "inside-iqr"}>
          {t("delphi.your_answer", { value: mine, round: props.mineRound ?? 1 })}
          {outside && <strong> — {t("delphi.outside_iqr")}</strong>}
        </p>
      )}
      {sm.rationales && sm.rationales.length > 0 && !props.big && (
        <details class="rationales">
          <summary>{t("delphi.rationales", { n: sm.rationales.length })}</summary>
          <ul>
            {sm.rationales.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

function RespondForm(props: { survey: Survey }) {
  const { conn } = useApp();
  const { survey } = props;
  const round = survey.round;
  const saved = survey.mine?.[String(round)] ?? {};
  const savedComments = survey.my_comments?.[String(round)] ?? {};
  const [ratings, setRatings] = useState<Record<string, number>>(saved);
  const [comments, setComments] = useState<Record<string, string>>(savedComments);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setRatings(survey.mine?.[String(round)] ?? {});
    setComments(survey.my_comments?.[String(round)] ?? {});
  }, [survey.id, round]);
  const [low, high] = scaleEnds(survey);
  const points: number[] = [];
  for (let v = survey.scale.min; v <= survey.scale.max; v++) points.push(v);
  const previous = round === 2 ? survey.feedback["1"] : undefined;
  const answered = Object.keys(saved).length > 0;
  // A real-time survey's open round carries the group's answers so far (`live`), shown as members answer.
  const live = survey.realtime && survey.open ? survey.live : undefined;
  return (
    <form
      class="delphi-form"
      data-testid="delphi-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (Object.keys(ratings).length === 0) return;
        setBusy(true);
        const notes = Object.fromEntries(Object.entries(comments).filter(([, v]) => v.trim() !== "").map(([k, v]) => [k, v.trim()]));
        await conn.send(
          { type: "delphi.respond", delphi_id: survey.id, round, ratings, ...(Object.keys(notes).length ? { comments: notes } : {}) },
          t("action.delphi_respond"),
        );
        setBusy(false);
      }}
    >
      <p class="hint">
        {t("delphi.scale_hint", { min: survey.scale.min, low, max: survey.scale.max, high })}
      </p>
      {live && <p class="hint" data-testid="delphi-live-hint">{t("delphi.live_hint")}</p>}
      {survey.statements.map((st, i) => (
        <fieldset class="statement" key={st.id} data-testid="delphi-statement">
          <legend>
            <span class="stmt-n">{i + 1}.</span> {st.text}
          </legend>
          {previous && (
            <StatementFeedback summary={previous[st.id]} survey={survey} mine={survey.mine?.["1"]?.[st.id]} mineRound={1} statementId={st.id} />
          )}
          <div class="scale">
            <span class="end" aria-hidden="true">
              {low}
            </span>
            {points.map((v) => (
              <label class="scale-pt" key={v}>
                <input
                  type="radio"
                  name={`r-${survey.id}-${st.id}`}
                  value={v}
                  checked={ratings[st.id] === v}
                  onChange={() => setRatings({ ...ratings, [st.id]: v })}
                />
                <span>{v}</span>
                <span class="sr-only">{v === survey.scale.min ? ` ${low}` : v === survey.scale.max ? ` ${high}` : ""}</span>
              </label>
            ))}
            <span class="end" aria-hidden="true">
              {high}
            </span>
          </div>
          {live?.[st.id] && live[st.id].n > 0 && (
            <div class="live" data-testid="delphi-live">
              <p class="live-title">{t("delphi.live")}</p>
              <StatementFeedback summary={live[st.id]} survey={survey} mine={saved[st.id]} mineRound={round} />
            </div>
          )}
          <details class="rationale" open={Boolean(comments[st.id])}>
            <summary>{t("delphi.add_reason")}</summary>
            <label class="sr-only" for={`c-${survey.id}-${st.id}`}>
              {t("delphi.reason_for", { n: i + 1 })}
            </label>
            <textarea
              id={`c-${survey.id}-${st.id}`}
              rows={2}
              maxLength={LIMITS.text}
              value={comments[st.id] ?? ""}
              onInput={(e) => setComments({ ...comments, [st.id]: e.currentTarget.value })}
            />
          </details>
        </fieldset>
      ))}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || Object.keys(ratings).length === 0}>
          {answered ? t("delphi.update") : t("delphi.submit")}
        </button>
        {answered && (
          <span class="muted" data-testid="delphi-answered">
            {t("delphi.answered_note")}
          </span>
        )}
      </div>
    </form>
  );
}

export function FeedbackList(props: { survey: Survey; round: number; big?: boolean; showMine?: boolean }) {
  const { survey, round } = props;
  const fb = survey.feedback[String(round)] ?? {};
  return (
    <ol class="feedback-list" data-testid="delphi-feedback">
      {survey.statements.map((st) => (
        <li key={st.id}>
          <p class="stmt-text">{st.text}</p>
          <StatementFeedback
            summary={fb[st.id]}
            survey={survey}
            mine={props.showMine ? survey.mine?.[String(round)]?.[st.id] : undefined}
            mineRound={round}
            statementId={st.id}
            big={props.big}
          />
        </li>
      ))}
    </ol>
  );
}

export function DelphiPanel(props: { itemId: string | null; readOnly?: boolean }) {
  const { s } = useApp();
  const me = s.snap?.participants.find((p) => p.id === s.you?.participant_id);
  const member = Boolean(me?.group) && !props.readOnly;
  const surveys = (s.views.delphi?.data.surveys ?? []).filter((x) => !props.itemId || x.item_id === props.itemId);
  if (surveys.length === 0) return <p class="muted">{t("delphi.none")}</p>;
  return (
    <div class="delphi">
      {surveys.map((sv, i) => {
        const closed = lastClosed(sv);
        return (
          <section class="card" key={sv.id} aria-labelledby={`sv-${sv.id}`} data-testid="survey">
            <h3 id={`sv-${sv.id}`}>
              {t("delphi.survey", { n: i + 1 })} <span class="tag" data-testid="survey-status">{surveyStatus(sv)}</span>
            </h3>
            {sv.open && member && <RespondForm survey={sv} />}
            {sv.open && !member && <p class="muted">{t("delphi.members_only")}</p>}
            {!sv.open && closed !== null && (
              <>
                <h4>{t("delphi.feedback_title", { round: closed })}</h4>
                <FeedbackList survey={sv} round={closed} showMine={member} />
              </>
            )}
            {!sv.open && closed === null && <p class="muted">{t("delphi.wait")}</p>}
          </section>
        );
      })}
    </div>
  );
}
