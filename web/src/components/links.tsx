import { useState } from "preact/hooks";
import { LIMITS } from "../generated/protocol";
import { t } from "../i18n";
import { can, useApp } from "../lib/app";
import { compare, personName } from "../lib/format";
import type { Item, Link, Snapshot } from "../lib/types";
import { excerpt } from "./arguments";

export function conceptLabels(snap: Snapshot | null, item: Item): string[] {
  const labels = new Set<string>();
  const c = snap?.concepts?.[item.id];
  if (c) {
    for (const [key, label] of Object.entries(c.labels)) if (!(key in c.merged)) labels.add(label);
  }
  for (const l of snap?.links ?? []) {
    if (l.item_id === item.id && l.active) {
      labels.add(l.cause_label);
      labels.add(l.effect_label);
    }
  }
  return [...labels].sort(compare);
}

function strengthWord(n: number): string {
  return t(n >= 3 ? "links.strong" : n === 2 ? "links.moderate" : "links.weak");
}

export function linkSentence(l: { cause_label: string; effect_label: string; sign: number; strength: number }): string {
  return t(l.sign > 0 ? "links.sentence_plus" : "links.sentence_minus", {
    cause: l.cause_label,
    effect: l.effect_label,
    strength: strengthWord(l.strength),
  });
}

export function LinkForm(props: { item: Item }) {
  const { s, conn } = useApp();
  const { item } = props;
  const [cause, setCause] = useState("");
  const [effect, setEffect] = useState("");
  const [sign, setSign] = useState<1 | -1>(1);
  const [strength, setStrength] = useState(2);
  const [argumentId, setArgumentId] = useState("");
  const [busy, setBusy] = useState(false);
  const labels = conceptLabels(s.snap, item);
  const args = (s.snap?.arguments ?? []).filter((a) => a.item_id === item.id && a.status === "active");
  const ready = cause.trim() !== "" && effect.trim() !== "";
  return (
    <form
      class="card form"
      aria-labelledby="linkform-h"
      data-testid="link-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!ready) return;
        setBusy(true);
        const cmd: Record<string, unknown> = { item_id: item.id, cause: cause.trim(), effect: effect.trim(), sign, strength };
        if (argumentId) cmd.argument_id = argumentId;
        const ack = await conn.send({ type: "link.assert", ...cmd }, t("action.add_link"));
        setBusy(false);
        if (ack.ok) {
          setCause("");
          setEffect("");
          setArgumentId("");
        }
      }}
    >
      <h3 id="linkform-h">{t("links.add_title")}</h3>
      <p class="hint">{t("links.intro")}</p>
      <datalist id="concepts">
        {labels.map((l) => (
          <option value={l} key={l} />
        ))}
      </datalist>
      <div class="two">
        <div class="field">
          <label for="link-cause">{t("links.cause")}</label>
          <input id="link-cause" list="concepts" autocomplete="off" required maxLength={LIMITS.label} value={cause} onInput={(e) => setCause(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="link-effect">{t("links.effect")}</label>
          <input id="link-effect" list="concepts" autocomplete="off" required maxLength={LIMITS.label} value={effect} onInput={(e) => setEffect(e.currentTarget.value)} />
        </div>
      </div>
      <fieldset class="choices">
        <legend>{t("links.sign")}</legend>
        <label class="choice sign-plus">
          <input type="radio" name="link-sign" checked={sign === 1} onChange={() => setSign(1)} />
          {t("links.plus")}
        </label>
        <label class="choice sign-minus">
          <input type="radio" name="link-sign" checked={sign === -1} onChange={() => setSign(-1)} />
          {t("links.minus")}
        </label>
      </fieldset>
      <fieldset class="choices">
        <legend>{t("links.strength")}</legend>
        {[1, 2, 3].map((n) => (
          <label class="choice" key={n}>
            <input type="radio" name="link-strength" checked={strength === n} onChange={() => setStrength(n)} />
            {n} · {strengthWord(n)}
          </label>
        ))}
      </fieldset>
      {args.length > 0 && (
        <div class="field">
          <label for="link-arg">{t("links.argument_optional")}</label>
          <select id="link-arg" value={argumentId} onChange={(e) => setArgumentId(e.currentTarget.value)}>
            <option value="">{t("links.no_argument")}</option>
            {args.map((a) => (
              <option value={a.id} key={a.id}>
                {excerpt(a.text, 60)}
              </option>
            ))}
          </select>
        </div>
      )}
      {ready && (
        <p class="preview" aria-live="polite">
          {linkSentence({ cause_label: cause.trim(), effect_label: effect.trim(), sign, strength })}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy || !ready}>
        {t("links.submit")}
      </button>
    </form>
  );
}

export function LinkList(props: { item: Item; readOnly?: boolean }) {
  const { s, conn } = useApp();
  const me = s.you?.participant_id;
  const links = (s.snap?.links ?? []).filter((l) => l.item_id === props.item.id && l.active);
  if (links.length === 0) return <p class="muted">{t("links.none")}</p>;
  const mine = links.filter((l) => l.author === me);
  const others = links.filter((l) => l.author !== me);
  const row = (l: Link) => (
    <li key={l.id} class={`link-row ${l.sign > 0 ? "plus" : "minus"}`}>
      <span class="sign" aria-hidden="true">
        {l.sign > 0 ? "+" : "−"}
      </span>
      <span>{linkSentence(l)}</span>
      {l.author !== me && <span class="muted small"> · {personName(s.snap, l.author)}</span>}
      {l.author === me && !props.readOnly && can(s, "link.retract") && (
        <button type="button" class="link" onClick={() => void conn.send({ type: "link.retract", link_id: l.id }, t("action.retract_link"))}>
          {t("links.retract")}
        </button>
      )}
    </li>
  );
  return (
    <div class="link-lists">
      {mine.length > 0 && (
        <section aria-labelledby="mylinks-h">
          <h3 id="mylinks-h">{t("links.mine")}</h3>
          <ul class="plain">{mine.map(row)}</ul>
        </section>
      )}
      {others.length > 0 && (
        <section aria-labelledby="alllinks-h">
          <h3 id="alllinks-h">{t("links.others")}</h3>
          <ul class="plain">{others.map(row)}</ul>
        </section>
      )}
    </div>
  );
}
