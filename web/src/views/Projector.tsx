import { lazy, Suspense } from "preact/compat";
import { ConnBadge, Countdown, LangSwitch } from "../components/common";
import { excerpt } from "../components/arguments";
import { FeedbackList, lastClosed } from "../components/delphi";
import { MapLegend } from "../components/MapLegend";
import { t } from "../i18n";
import { currentItem, useApp } from "../lib/app";
import { personName, personWithGroup } from "../lib/format";

const MapCanvas = lazy(() => import("../components/MapCanvas"));

/** The room screen: large type, the live map, the speaker with a countdown, published Delphi results. */
export function ProjectorView() {
  const { s } = useApp();
  const item = currentItem(s);
  const floor = s.views.floor?.data;
  const map = item ? s.views.map?.data?.[item.id] : undefined;
  const published = (s.views.delphi?.data.surveys ?? []).filter((x) => x.published && (!item || x.item_id === item.id) && lastClosed(x) !== null);
  const cur = floor?.current;
  const latest = (s.snap?.arguments ?? [])
    .filter((a) => a.item_id === item?.id && a.status === "active")
    .sort((a, b) => b.seq - a.seq)
    .slice(0, 4);
  // Who the active policy puts next, then the rest of the list in order.
  const queue = floor?.queue ?? [];
  const nextId = floor?.next?.participant_id;
  const upcoming = [...queue.filter((q) => q.participant_id === nextId), ...queue.filter((q) => q.participant_id !== nextId)].slice(0, 3);
  return (
    <div class="app projector-view" data-view="projector">
      <header class="p-head">
        <div class="p-title">
          <p class="p-meeting">{s.snap?.meeting.title}</p>
          <h1 class="p-item">{item ? item.title : t("item.none")}</h1>
        </div>
        <section class="p-speaker" aria-label={t("floor.current")} data-testid="speaker">
          {cur ? (
            <>
              <div class="p-speaker-text">
                <p class="label">{t("floor.current")}</p>
                <p class="speaker-name" data-testid="speaker-name">
                  {personWithGroup(s.snap, cur.participant_id)}
                </p>
              </div>
              <Countdown turn={cur} big />
            </>
          ) : (
            <p class="muted">{t("floor.nobody")}</p>
          )}
        </section>
      </header>
      <main class={`p-main ${published.length ? "with-results" : "with-latest"}`} id="main">
        <section class="p-map" aria-labelledby="pmap-h">
          <h2 id="pmap-h" class="sr-only">
            {t("map.title")}
          </h2>
          <Suspense fallback={<p class="muted">{t("map.loading")}</p>}>
            <MapCanvas map={map} />
          </Suspense>
          <MapLegend />
        </section>
        {published.length === 0 && (
          <section class="p-latest" aria-labelledby="plat-h" data-testid="projector-latest">
            <h2 id="plat-h">{t("projector.latest")}</h2>
            {latest.length === 0 && <p class="muted">{t("args.none")}</p>}
            <ul class="plain">
              {latest.map((a) => (
                <li key={a.id} class={`p-arg stance-${a.stance}`}>
                  <span class={`stance stance-${a.stance}`}>{t(`stance.${a.stance}`)}</span>{" "}
                  <span class="muted">{t(`category.${a.category}`)}</span>
                  <p>{excerpt(a.text, 180)}</p>
                  <p class="muted small">{personWithGroup(s.snap, a.author)}</p>
                </li>
              ))}
            </ul>
          </section>
        )}
        {published.length > 0 && (
          <section class="p-results" aria-labelledby="pres-h" data-testid="projector-results">
            <h2 id="pres-h">{t("delphi.results_title")}</h2>
            {published.map((sv) => (
              <FeedbackList key={sv.id} survey={sv} round={lastClosed(sv)!} big />
            ))}
          </section>
        )}
      </main>
      <footer class="p-foot">
        {upcoming.length > 0 ? (
          <p>
            <span class="label">{t("floor.next_up")}</span> {upcoming.map((q) => personName(s.snap, q.participant_id)).join(" · ")}
          </p>
        ) : (
          <span />
        )}
        <div class="p-tools">
          {document.fullscreenEnabled && (
            <button
              type="button"
              onClick={() => (document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen()).catch(() => {})}
            >
              {t("projector.fullscreen")}
            </button>
          )}
          <ConnBadge />
          <LangSwitch />
        </div>
      </footer>
    </div>
  );
}
