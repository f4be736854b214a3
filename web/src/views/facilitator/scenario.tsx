import { useState } from "preact/hooks";
import { errorText, t } from "../../i18n";
import { useApp } from "../../lib/app";
import { compare, locale } from "../../lib/format";
import type { Item, WireError } from "../../lib/types";

/** What `GET /api/meetings/{id}/scenario` answers (docs/protocol.md, docs/methods.md §2). */
interface ScenarioResult {
  item_id: string;
  clamp: Record<string, number>;
  delta: Record<string, number>;
  baseline: Record<string, number>;
  scenario: Record<string, number>;
  converged: boolean;
}

const TOP = 8;

function signed(x: number): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 3, minimumFractionDigits: 3, signDisplay: "exceptZero" }).format(x);
}

/** What if some concepts of the item's map were fixed at a value? The concepts that move most at steady state. */
export function ScenarioPanel(props: { item: Item }) {
  const { s, conn } = useApp();
  const map = s.views.map?.data[props.item.id];
  const labels = new Map((map?.nodes ?? []).map((n) => [n.id, n.label] as const));
  const concepts = [...labels.entries()].sort((a, b) => compare(a[1], b[1]));
  const [chosen, setChosen] = useState<string[]>([]);
  const [value, setValue] = useState("1");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ScenarioResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (concepts.length === 0) return null;
  const v = Number(value);
  const valid = chosen.length > 0 && value.trim() !== "" && Number.isFinite(v) && v >= 0 && v <= 1;
  const run = async () => {
    const meeting = s.snap?.meeting.id;
    if (!meeting || !valid) return;
    const q = new URLSearchParams({ item_id: props.item.id });
    for (const key of chosen) q.append("clamp", `${labels.get(key) ?? key}:${v}`);
    setBusy(true);
    setError(null);
    try {
      setResult(await conn.getJson<ScenarioResult>(`/api/meetings/${encodeURIComponent(meeting)}/scenario?${q}`));
    } catch (err) {
      setResult(null);
      setError(t("scenario.failed", { message: errorText(err as WireError) }));
    } finally {
      setBusy(false);
    }
  };
  const rows = result
    ? Object.entries(result.delta)
        .filter(([key, d]) => !(key in result.clamp) && Math.abs(d) >= 0.0005)
        .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
        .slice(0, TOP)
    : [];
  return (
    <form
      class="card form scenario"
      aria-labelledby="scenario-h"
      data-testid="scenario"
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      <h3 id="scenario-h">{t("scenario.title")}</h3>
      <p class="hint">{t("scenario.hint")}</p>
      <fieldset class="choices scenario-concepts">
        <legend>{t("scenario.concepts")}</legend>
        {concepts.map(([key, label]) => (
          <label class="choice" key={key}>
            <input
              type="checkbox"
              checked={chosen.includes(key)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setChosen((c) => (on ? [...c, key] : c.filter((x) => x !== key)));
              }}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for="scenario-value">{t("scenario.value")}</label>
        <input id="scenario-value" type="number" min={0} max={1} step={0.05} inputMode="decimal" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      </div>
      <button type="submit" class="primary" disabled={busy || !valid}>
        {t("scenario.run")}
      </button>
      <div aria-live="polite">
        {error && <p class="notice">{error}</p>}
        {result && (
          <div data-testid="scenario-result">
            <h4>{t("scenario.result")}</h4>
            {!result.converged && (
              <p class="notice" data-testid="scenario-not-converged">
                {t("scenario.not_converged")}
              </p>
            )}
            {rows.length === 0 ? (
              <p class="muted">{t("scenario.no_change")}</p>
            ) : (
              <table class="members">
                <thead>
                  <tr>
                    <th scope="col">{t("scenario.concept")}</th>
                    <th scope="col" class="num">
                      {t("scenario.delta")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map(([key, d]) => (
                    <tr key={key} data-testid="scenario-row">
                      <th scope="row">{labels.get(key) ?? s.snap?.concepts?.[props.item.id]?.labels[key] ?? key}</th>
                      <td class={`num ${d > 0 ? "delta-up" : "delta-down"}`}>{signed(d)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        )}
      </div>
    </form>
  );
}
