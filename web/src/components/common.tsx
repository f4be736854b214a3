import type { ComponentChildren } from "preact";
import { useRef } from "preact/hooks";
import { LANGS, LANG_NAMES, lang, setLang, t } from "../i18n";
import { elapsed, remaining, useTick } from "../lib/clock";
import { clock, duration, personWithGroup } from "../lib/format";
import { useApp } from "../lib/app";
import type { FloorView, Turn } from "../lib/types";

// --- tabs (WAI-ARIA tabs pattern: arrow keys move between tabs) -----------------------------------

export interface TabSpec {
  id: string;
  label: string;
  badge?: string | number | null;
  render: () => ComponentChildren;
}

export function Tabs(props: { name: string; label: string; tabs: TabSpec[]; active: string; onChange: (id: string) => void }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const { tabs, active, onChange, name } = props;
  const current = tabs.find((x) => x.id === active) ?? tabs[0];
  const onKey = (e: KeyboardEvent, index: number) => {
    let next = -1;
    if (e.key === "ArrowRight") next = (index + 1) % tabs.length;
    else if (e.key === "ArrowLeft") next = (index - 1 + tabs.length) % tabs.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    onChange(tabs[next].id);
    refs.current[tabs[next].id]?.focus();
  };
  return (
    <div class="tabs">
      <div role="tablist" aria-label={props.label} class="tablist">
        {tabs.map((tab, i) => (
          <button
            type="button"
            role="tab"
            id={`${name}-tab-${tab.id}`}
            aria-selected={tab.id === current.id}
            aria-controls={`${name}-panel-${tab.id}`}
            tabIndex={tab.id === current.id ? 0 : -1}
            ref={(el) => {
              refs.current[tab.id] = el;
            }}
            onClick={() => onChange(tab.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {tab.label}
            {tab.badge !== undefined && tab.badge !== null && tab.badge !== "" && <span class="badge">{tab.badge}</span>}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${name}-panel-${current.id}`} aria-labelledby={`${name}-tab-${current.id}`} class="tabpanel">
        {current.render()}
      </div>
    </div>
  );
}

// --- header pieces ------------------------------------------------------------------------------

export function LangSwitch() {
  const { store } = useApp();
  return (
    <div class="langs" role="group" aria-label={t("lang.label")}>
      {LANGS.map((l) => (
        <button
          type="button"
          lang={l}
          aria-pressed={lang() === l}
          onClick={() => {
            setLang(l);
            store.update({ lang: l });
          }}
        >
          {l.toUpperCase()}
          <span class="sr-only"> {LANG_NAMES[l]}</span>
        </button>
      ))}
    </div>
  );
}

export function ConnBadge() {
  const { s } = useApp();
  const label = s.conn === "online" ? t("conn.online") : s.conn === "connecting" ? t("conn.connecting") : t("conn.offline");
  return (
    <span class={`conn conn-${s.conn}`} data-testid="conn">
      <span class="dot" aria-hidden="true" />
      {label}
    </span>
  );
}

export function Header(props: { children?: ComponentChildren; compact?: boolean }) {
  const { s } = useApp();
  const m = s.snap?.meeting;
  const me = s.you ? s.snap?.participants.find((p) => p.id === s.you?.participant_id) : undefined;
  return (
    <header class="top">
      <div class="brand">
        <h1 class="meeting-title">{m?.title ?? "edlib"}</h1>
        {m && (
          <p class="sub">
            {m.council} · <span data-testid="meeting-phase">{t(`meeting.phase.${m.phase}`)}</span>
            {m.visibility === "public" ? ` · ${t("meeting.public")}` : ` · ${t("meeting.closed")}`}
          </p>
        )}
      </div>
      <div class="top-tools">
        {props.children}
        {s.you && s.you.role !== "observer" && (
          <span class="me">
            {me?.name ?? s.you.name} · {t(`role.${s.you.role}`)}
          </span>
        )}
        <ConnBadge />
        <LangSwitch />
      </div>
    </header>
  );
}

/** The frame of the participant, facilitator and observer views: skip link, header, offline banner, notices. */
export function Page(props: { view: string; mainClass: string; children: ComponentChildren }) {
  return (
    <div class={`app ${props.view}-view`} data-view={props.view}>
      <a class="skip" href="#main">
        {t("common.skip")}
      </a>
      <Header />
      <OfflineBanner />
      <main id="main" class={props.mainClass}>
        {props.children}
      </main>
      <Toasts />
    </div>
  );
}

/** The offline banner, with what is waiting to be sent. */
export function OfflineBanner() {
  const { s, conn } = useApp();
  const offline = s.conn === "offline" || (s.conn === "connecting" && s.wasOnline);
  if (!offline && s.outbox.length === 0) return null;
  return (
    <div class={offline ? "banner banner-offline" : "banner"} role="status" data-testid="offline-banner">
      <strong>{offline ? t("offline.title") : t("offline.sending")}</strong> {offline && t("offline.body")}
      {s.outbox.length > 0 && (
        <div class="outbox" data-testid="outbox">
          <span>{t("offline.waiting", { n: s.outbox.length })}</span>
          <ul>
            {s.outbox.map((q) => (
              <li key={q.id}>
                {q.label}{" "}
                <button type="button" class="link" onClick={() => conn.cancel(q.id)}>
                  {t("offline.cancel")}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

export function Toasts() {
  const { s, store } = useApp();
  return (
    <div class="toasts" aria-live="polite" aria-relevant="additions" data-testid="toasts">
      {s.toasts.map((x) => (
        <div class={`toast toast-${x.kind}`} key={x.id} role={x.kind === "error" ? "alert" : undefined}>
          <span>{x.text}</span>
          <button type="button" class="close" aria-label={t("common.dismiss")} onClick={() => store.dismiss(x.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

// --- floor --------------------------------------------------------------------------------------

export function Countdown(props: { turn: Turn; big?: boolean }) {
  const { s } = useApp();
  const { turn } = props;
  useTick(!turn.paused_at, 250);
  const left = remaining(turn, s.skewMs);
  const spent = elapsed(turn, s.skewMs);
  const over = left !== null && left < 0;
  const frac = left === null || !turn.limit_s ? null : Math.min(1, Math.max(0, spent / turn.limit_s));
  return (
    <div class={`countdown ${props.big ? "big" : ""} ${over ? "over" : ""} ${turn.paused_at ? "paused" : ""}`}>
      <span class="digits" data-testid="countdown" aria-hidden="true">
        {left === null ? clock(spent) : clock(left)}
      </span>
      <span class="sr-only">
        {left === null
          ? t("floor.elapsed", { time: duration(spent) })
          : over
            ? t("floor.overrun", { time: duration(-left) })
            : t("floor.remaining", { time: duration(left) })}
      </span>
      {turn.paused_at && <span class="paused-label">{t("floor.paused")}</span>}
      {frac !== null && (
        <div class="bar" aria-hidden="true">
          <div class="fill" style={{ width: `${(over ? 1 : frac) * 100}%` }} />
        </div>
      )}
    </div>
  );
}

export function SpeakerBox(props: { floor: FloorView | undefined; big?: boolean }) {
  const { s } = useApp();
  const cur = props.floor?.current;
  return (
    <section class={`speaker ${props.big ? "big" : ""}`} aria-labelledby="speaker-h" data-testid="speaker">
      <h2 id="speaker-h" class="label">{t("floor.current")}</h2>
      {cur ? (
        <>
          <p class="speaker-name" data-testid="speaker-name">
            {personWithGroup(s.snap, cur.participant_id)}
            {cur.kind !== "speak" && <span class="tag">{t(`floor.kind.${cur.kind}`)}</span>}
          </p>
          <Countdown turn={cur} big={props.big} />
        </>
      ) : (
        <p class="muted">{t("floor.nobody")}</p>
      )}
    </section>
  );
}

/** A horizontal bar chart of a histogram over the scale points min..max. */
export function Histogram(props: { histogram: number[]; min: number; mark?: number | null; q1?: number | null; q3?: number | null; caption: string; big?: boolean }) {
  const max = Math.max(1, ...props.histogram);
  return (
    <figure class={`histogram ${props.big ? "big" : ""}`}>
      <figcaption class="sr-only">{props.caption}</figcaption>
      <div class="hbars" aria-hidden="true">
        {props.histogram.map((count, i) => {
          const value = props.min + i;
          const inIqr = props.q1 !== null && props.q1 !== undefined && props.q3 !== null && props.q3 !== undefined && value >= props.q1 && value <= props.q3;
          return (
            <div class={`hcol ${inIqr ? "iqr" : ""} ${props.mark === value ? "mine" : ""}`} key={value}>
              <span class="hcount">{count}</span>
              <span class="hbar" style={{ height: `${(count / max) * 100}%` }} />
              <span class="hval">{value}</span>
            </div>
          );
        })}
      </div>
      <table class="sr-only">
        <tbody>
          {props.histogram.map((count, i) => (
            <tr key={i}>
              <th scope="row">{props.min + i}</th>
              <td>{count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
