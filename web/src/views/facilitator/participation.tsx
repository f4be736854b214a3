import { t } from "../../i18n";
import { useApp } from "../../lib/app";
import { duration, groupName, num, pct, personName } from "../../lib/format";
import { PRESENCE } from "../../generated/protocol";
import type { Presence, Share } from "../../lib/types";

function ShareBars(props: { label: string; share: Share }) {
  const sp = props.share.speaking_share ?? 0;
  const seat = props.share.seat_share ?? 0;
  return (
    <div class="share" data-testid="share">
      <div class="share-label">{props.label}</div>
      <div class="share-bars">
        <div class="sbar speak" style={{ width: `${sp * 100}%` }} />
        <div class="sbar seat" style={{ width: `${seat * 100}%` }} />
      </div>
      <div class="share-num small">
        {t("part.speaking")} {pct(props.share.speaking_share)} · {t("part.seats")} {pct(props.share.seat_share)}
      </div>
    </div>
  );
}

export function ParticipationPanel() {
  const { s } = useApp();
  const v = s.views.participation?.data;
  if (!v) return <p class="muted">{t("conn.connecting")}</p>;
  const maxS = Math.max(1, ...v.members.map((m) => m.speaking_s));
  return (
    <div class="participation" data-testid="participation">
      <section class="card" aria-labelledby="nh-h">
        <h3 id="nh-h">{t("part.not_heard")}</h3>
        {v.not_heard.length ? (
          <ul class="chips" data-testid="not-heard">
            {v.not_heard.map((id) => (
              <li key={id}>{personName(s.snap, id)}</li>
            ))}
          </ul>
        ) : (
          <p class="muted">{v.item_id ? t("part.all_heard") : t("item.none")}</p>
        )}
      </section>
      <section class="card" aria-labelledby="pm-h">
        <h3 id="pm-h">{t("part.members")}</h3>
        <p class="legend small">
          <span class="key speak" /> {t("part.speaking_time")} ·{" "}
          {t("part.gini", { value: num(v.gini.corrected ?? v.gini.gini, 2) })}
        </p>
        <table class="members">
          <thead>
            <tr>
              <th scope="col">{t("part.member")}</th>
              <th scope="col">{t("part.speaking_time")}</th>
              <th scope="col" class="num">
                {t("part.turns")}
              </th>
              <th scope="col" class="num">
                {t("part.args")}
              </th>
              <th scope="col" class="num">
                {t("part.ratings")}
              </th>
              <th scope="col" class="num">
                {t("part.links")}
              </th>
            </tr>
          </thead>
          <tbody>
            {v.members.map((m) => (
              <tr key={m.participant_id}>
                <th scope="row">
                  {personName(s.snap, m.participant_id)}
                  <span class="muted small"> {groupName(s.snap, m.group)}</span>
                  {m.presence && <span class="tag">{t(`presence.${m.presence}`)}</span>}
                </th>
                <td>
                  <span class="mbar" style={{ width: `${(m.speaking_s / maxS) * 100}%` }} aria-hidden="true" />
                  <span class="small">{duration(m.speaking_s)}</span>
                </td>
                <td class="num">{m.turns}</td>
                <td class="num">{m.arguments}</td>
                <td class="num">{m.ratings}</td>
                <td class="num">{m.links}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card" aria-labelledby="pg-h">
        <h3 id="pg-h">{t("part.groups")}</h3>
        <p class="legend small">
          <span class="key speak" /> {t("part.speaking_share")} <span class="key seat" /> {t("part.seat_share")}
        </p>
        {Object.entries(v.groups).map(([g, share]) => (
          <ShareBars key={g} label={groupName(s.snap, g)} share={share} />
        ))}
        <h3>{t("part.sides")}</h3>
        {Object.entries(v.sides)
          .filter(([side]) => side === "majority" || side === "opposition")
          .map(([side, share]) => (
            <ShareBars key={side} label={t(side === "majority" ? "side.majority" : "side.opposition")} share={share} />
          ))}
        <h3>{t("part.presence")}</h3>
        <ul class="plain">
          {Object.entries(v.presence)
            .filter(([where, x]) => x.members > 0 || where === "room" || where === "remote")
            .map(([where, x]) => (
              <li key={where}>
                {(PRESENCE as readonly string[]).includes(where) ? t(`presence.${where as Presence}`) : t("presence.unknown")}:{" "}
                {t("part.presence_row", { n: x.members, time: duration(x.seconds ?? x.speaking_s ?? 0) })}
              </li>
            ))}
        </ul>
      </section>
    </div>
  );
}
