import { t } from "../i18n";
import type { Item } from "../lib/types";

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return u.hostname.replace(/^www\./, "") + (u.pathname.length > 1 ? u.pathname : "");
  } catch {
    return url;
  }
}

export function ItemCard(props: { item: Item; open?: boolean; headingLevel?: 2 | 3 }) {
  const { item } = props;
  const H = props.headingLevel === 3 ? "h3" : "h2";
  return (
    <section class="card item" aria-labelledby={`item-h-${item.id}`} data-testid="item">
      <div class="item-head">
        <H id={`item-h-${item.id}`} class="item-title">
          {item.title}
        </H>
        <span class={`phase phase-${item.phase}`} data-testid="item-phase">
          {t(`item.phase.${item.phase}`)}
        </span>
        {item.locked && <span class="tag warn">{t("item.locked")}</span>}
      </div>
      <details open={props.open ?? true} class="draft">
        <summary>{t("item.draft")}</summary>
        <p>{item.draft_decision}</p>
      </details>
      {item.documents.length > 0 && (
        <div class="docs">
          <h3 class="label">{t("item.documents")}</h3>
          <ul>
            {item.documents.map((url) => (
              <li key={url}>
                <a href={url} target="_blank" rel="noopener noreferrer">
                  {hostOf(url)}
                  <span class="sr-only"> {t("common.new_window")}</span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

export function NoItem() {
  return (
    <section class="card muted" data-testid="no-item">
      <p>{t("item.none")}</p>
    </section>
  );
}
