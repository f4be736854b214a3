import { lazy, Suspense } from "preact/compat";
import { ArgumentList } from "../components/arguments";
import { SpeakerBox, Page } from "../components/common";
import { FeedbackList, lastClosed } from "../components/delphi";
import { ItemCard, NoItem } from "../components/item";
import { MapLegend } from "../components/MapLegend";
import { t } from "../i18n";
import { currentItem, useApp } from "../lib/app";
import { VOTE_CHOICES, VOTE_KINDS } from "../generated/protocol";

const MapCanvas = lazy(() => import("../components/MapCanvas"));

function PublishedResults() {
  const { s } = useApp();
  const surveys = (s.views.delphi?.data.surveys ?? s.snap?.delphi?.surveys ?? []).filter((x) => x.published && lastClosed(x) !== null);
  const votes = s.snap?.votes ?? {};
  const items = s.snap?.items ?? [];
  const voted = items.filter((i) => votes[i.id]);
  if (surveys.length === 0 && voted.length === 0) return null;
  return (
    <section class="card" aria-labelledby="res-h" data-testid="published-results">
      <h2 id="res-h">{t("observer.results")}</h2>
      {voted.map((i) => (
        <div key={i.id}>
          <h3>{i.title}</h3>
          {VOTE_KINDS.map((k) => {
            const tally = votes[i.id]?.[k];
            return tally ? (
              <p key={k}>
                {t(`vote.kind.${k}`)}: {VOTE_CHOICES.map((c) => `${t(`vote.${c}`)} ${tally[c]}`).join(" · ")}
              </p>
            ) : null;
          })}
        </div>
      ))}
      {surveys.map((sv) => (
        <div key={sv.id}>
          <h3>{items.find((i) => i.id === sv.item_id)?.title}</h3>
          <FeedbackList survey={sv} round={lastClosed(sv)!} />
        </div>
      ))}
    </section>
  );
}

/** Read-only view for observers: the public gallery of a public meeting; a closed meeting shows a notice. */
export function ObserverView() {
  const { s } = useApp();
  const item = currentItem(s);
  const restricted = Boolean(s.snap?.restricted);
  return (
    <Page view="observer" mainClass="observer">
      {restricted ? (
        <>
          <section class="card notice-card" data-testid="closed-notice">
            <h2>{t("observer.closed_title")}</h2>
            <p>{s.snap?.meeting.results_published ? t("observer.closed_published") : t("observer.closed_body")}</p>
          </section>
          <PublishedResults />
        </>
      ) : (
        <div class="layout-2">
          <div class="col-side">
            {item ? <ItemCard item={item} /> : <NoItem />}
            <section class="card">
              <SpeakerBox floor={s.views.floor?.data} />
            </section>
            <PublishedResults />
          </div>
          <div class="col-main">
            {item && (
              <>
                <section class="card obs-map" aria-labelledby="omap-h">
                  <h2 id="omap-h">{t("map.title")}</h2>
                  <Suspense fallback={<p class="muted">{t("map.loading")}</p>}>
                    <MapCanvas map={s.views.map?.data?.[item.id]} maxZoom={1} />
                  </Suspense>
                  <MapLegend />
                </section>
                <section aria-labelledby="oargs-h">
                  <h2 id="oargs-h">{t("nav.arguments")}</h2>
                  <ArgumentList item={item} readOnly />
                </section>
              </>
            )}
          </div>
        </div>
      )}
    </Page>
  );
}
