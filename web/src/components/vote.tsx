import { VOTE_CHOICES, VOTE_KINDS } from "../generated/protocol";
import { t } from "../i18n";
import { can, useApp } from "../lib/app";
import type { Item } from "../lib/types";

export function VotePanel(props: { item: Item; readOnly?: boolean }) {
  const { s, conn } = useApp();
  const votes = s.snap?.votes?.[props.item.id];
  const me = s.snap?.participants.find((p) => p.id === s.you?.participant_id);
  const mayVote = !props.readOnly && can(s, "decision.vote") && Boolean(me?.group);
  return (
    <div class="votes">
      {VOTE_KINDS.map((kind) => {
        const tally = votes?.[kind];
        const mine = votes?.mine?.[kind];
        return (
          <section class="card" key={kind} aria-labelledby={`vote-${kind}-h`} data-testid={`vote-${kind}`}>
            <h3 id={`vote-${kind}-h`}>{t(`vote.kind.${kind}`)}</h3>
            <p class="hint">{t(`vote.hint.${kind}`)}</p>
            {mayVote && (
              <div class="choices-row" role="group" aria-label={t(`vote.kind.${kind}`)}>
                {VOTE_CHOICES.map((c) => (
                  <button
                    type="button"
                    key={c}
                    class={`vote-${c}`}
                    aria-pressed={mine === c}
                    onClick={() => void conn.send({ type: "decision.vote", item_id: props.item.id, choice: c, kind }, t("action.vote"))}
                  >
                    {t(`vote.${c}`)}
                  </button>
                ))}
              </div>
            )}
            {tally && (
              <p class="tally" data-testid={`tally-${kind}`}>
                {VOTE_CHOICES.map((c) => `${t(`vote.${c}`)} ${tally[c]}`).join(" · ")}
              </p>
            )}
          </section>
        );
      })}
    </div>
  );
}
