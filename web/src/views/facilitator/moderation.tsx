import { useState } from "preact/hooks";
import { LIMITS } from "../../generated/protocol";
import { t } from "../../i18n";
import { useApp } from "../../lib/app";
import { compare } from "../../lib/format";
import type { Item } from "../../lib/types";

/** Concepts of the item's map: merge synonyms, rename a label. */
export function ConceptCare(props: { item: Item }) {
  const { s, conn } = useApp();
  const c = s.snap?.concepts?.[props.item.id];
  const concepts = c ? Object.entries(c.labels).filter(([k]) => !(k in c.merged)).sort((a, b) => compare(a[1], b[1])) : [];
  const [into, setInto] = useState("");
  const [from, setFrom] = useState("");
  const [which, setWhich] = useState("");
  const [label, setLabel] = useState("");
  if (concepts.length === 0) return <p class="muted">{t("mod.no_concepts")}</p>;
  const options = (placeholder: string) => [
    <option value="" key="">
      {placeholder}
    </option>,
    ...concepts.map(([key, lab]) => (
      <option value={key} key={key}>
        {lab}
      </option>
    )),
  ];
  return (
    <div class="concepts">
      <form
        class="card form"
        aria-labelledby="merge-h"
        onSubmit={async (e) => {
          e.preventDefault();
          const ack = await conn.send({ type: "concept.merge", item_id: props.item.id, into, from }, t("action.merge"));
          if (ack.ok) {
            setInto("");
            setFrom("");
          }
        }}
      >
        <h3 id="merge-h">{t("mod.merge_title")}</h3>
        <p class="hint">{t("mod.merge_hint")}</p>
        <div class="two">
          <div class="field">
            <label for="merge-from">{t("mod.merge_from")}</label>
            <select id="merge-from" value={from} onChange={(e) => setFrom(e.currentTarget.value)}>
              {options(t("mod.choose"))}
            </select>
          </div>
          <div class="field">
            <label for="merge-into">{t("mod.merge_into")}</label>
            <select id="merge-into" value={into} onChange={(e) => setInto(e.currentTarget.value)}>
              {options(t("mod.choose"))}
            </select>
          </div>
        </div>
        <button type="submit" disabled={!into || !from || into === from}>
          {t("mod.merge")}
        </button>
      </form>
      <form
        class="card form"
        aria-labelledby="rename-h"
        onSubmit={async (e) => {
          e.preventDefault();
          const ack = await conn.send({ type: "concept.rename", item_id: props.item.id, concept: which, label: label.trim() }, t("action.rename"));
          if (ack.ok) {
            setWhich("");
            setLabel("");
          }
        }}
      >
        <h3 id="rename-h">{t("mod.rename_title")}</h3>
        <div class="two">
          <div class="field">
            <label for="rename-which">{t("mod.concept")}</label>
            <select id="rename-which" value={which} onChange={(e) => setWhich(e.currentTarget.value)}>
              {options(t("mod.choose"))}
            </select>
          </div>
          <div class="field">
            <label for="rename-label">{t("mod.new_label")}</label>
            <input id="rename-label" maxLength={LIMITS.label} value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
          </div>
        </div>
        <button type="submit" disabled={!which || !label.trim()}>
          {t("mod.rename")}
        </button>
      </form>
    </div>
  );
}
