import { FLOOR_KINDS } from "../generated/protocol";
import { t } from "../i18n";
import { can, useApp } from "../lib/app";
import { personName } from "../lib/format";
import type { FloorKind, FloorView } from "../lib/types";
import { SpeakerBox } from "./common";

/** The participant's floor panel: who speaks, the countdown, my place on the list, raise / withdraw a hand. */
export function FloorPanel() {
  const { s, conn } = useApp();
  const floor: FloorView | undefined = s.views.floor?.data;
  const me = s.you?.participant_id;
  const pos = floor ? floor.queue.findIndex((q) => q.participant_id === me) : -1;
  const speaking = floor?.current?.participant_id === me;
  const mayRequest = can(s, "floor.request");
  const request = (kind: FloorKind) => void conn.send({ type: "floor.request", kind }, t(`action.request.${kind}`));
  return (
    <section class="card floor" aria-labelledby="floor-h" data-testid="floor-panel">
      <h2 id="floor-h" class="sr-only">
        {t("floor.title")}
      </h2>
      <SpeakerBox floor={floor} />
      {mayRequest && (
        <div class="my-floor" aria-live="polite">
          {speaking ? (
            <p class="you-speak" data-testid="my-turn">
              {t("floor.you_have_floor")}
            </p>
          ) : pos >= 0 ? (
            <p data-testid="my-position">
              {t("floor.your_position", { n: pos + 1, total: floor?.queue.length ?? 0 })}{" "}
              {floor?.next?.participant_id === me && <strong>{t("floor.you_are_next")} </strong>}
              <span class="tag">{t(`floor.kind.${floor!.queue[pos].kind}`)}</span>
            </p>
          ) : floor?.closed ? (
            <p class="muted">{t("floor.list_closed")}</p>
          ) : null}
          <div class="actions">
            {pos >= 0 ? (
              <button type="button" onClick={() => void conn.send({ type: "floor.withdraw" }, t("action.withdraw_request"))}>
                {t("floor.withdraw")}
              </button>
            ) : (
              !speaking &&
              FLOOR_KINDS.map((k) => (
                <button
                  type="button"
                  key={k}
                  class={k === "speak" ? "primary" : k === "point_of_order" ? "warn-btn" : ""}
                  disabled={(k === "reply" && !floor?.current) || (k !== "point_of_order" && Boolean(floor?.closed))}
                  onClick={() => request(k)}
                >
                  {t(`floor.ask.${k}`)}
                </button>
              ))
            )}
          </div>
        </div>
      )}
      {floor && floor.queue.length > 0 && (
        <details class="queue-peek">
          <summary>{t("floor.waiting", { n: floor.queue.length })}</summary>
          <ol>
            {floor.queue.map((q) => (
              <li key={q.participant_id}>
                {personName(s.snap, q.participant_id)}
                {q.kind !== "speak" && <span class="tag">{t(`floor.kind.${q.kind}`)}</span>}
              </li>
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}
