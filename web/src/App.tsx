import { useEffect, useState } from "preact/hooks";
import { LangSwitch } from "./components/common";
import { t } from "./i18n";
import { Ctx, type AppContext } from "./lib/app";
import { FacilitatorView } from "./views/Facilitator";
import { ObserverView } from "./views/Observer";
import { ParticipantView } from "./views/Participant";
import { ProjectorView } from "./views/Projector";

function Plain(props: { title: string; body: string; testid: string; final?: boolean }) {
  // data-view marks a page that is done loading (the tests wait for it); "loading" is not.
  return (
    <div class="app plain-page" data-view={props.final ? props.testid : undefined}>
      <header class="top">
        <div class="brand">
          <h1 class="meeting-title">edlib</h1>
        </div>
        <div class="top-tools">
          <LangSwitch />
        </div>
      </header>
      <main id="main" class="narrow">
        <section class="card" data-testid={props.testid}>
          <h2>{props.title}</h2>
          <p>{props.body}</p>
        </section>
      </main>
    </div>
  );
}

export function App(props: { ctx: Omit<AppContext, "s">; view: string | null }) {
  const { store } = props.ctx;
  const [, setVersion] = useState(0);
  useEffect(() => store.subscribe(() => setVersion(store.state.version)), [store]);
  const s = store.state;
  const ctx: AppContext = { ...props.ctx, s };
  useEffect(() => {
    const item = s.snap?.items.find((i) => i.id === s.snap?.meeting.current_item);
    document.title = [item?.title, s.snap?.meeting.title, "edlib"].filter(Boolean).join(" — ");
  });
  let body;
  if (s.conn === "no_token") body = <Plain title={t("landing.title")} body={t("landing.body")} testid="landing" final />;
  else if (s.conn === "refused") body = <Plain title={t("refused.title")} body={t("refused.body")} testid="refused" final />;
  else if (!s.snap || !s.you) body = <Plain title={t("conn.connecting")} body={t("loading.body")} testid="loading" />;
  else if (props.view === "projector") body = <ProjectorView />;
  else if (s.you.role === "observer") body = <ObserverView />;
  else if (s.you.role === "facilitator") body = <FacilitatorView />;
  else body = <ParticipantView />;
  return <Ctx.Provider value={ctx}>{body}</Ctx.Provider>;
}
