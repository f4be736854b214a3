import { t } from "../i18n";

export function MapLegend() {
  return (
    <ul class="map-legend" aria-label={t("map.legend")}>
      <li>
        <span class="sw plus" aria-hidden="true" /> {t("map.legend_plus")}
      </li>
      <li>
        <span class="sw minus" aria-hidden="true" /> {t("map.legend_minus")}
      </li>
      <li>
        <span class="sw dashed" aria-hidden="true" /> {t("map.legend_contested")}
      </li>
      <li>
        <span class="sw bridge" aria-hidden="true" /> {t("map.legend_bridge")}
      </li>
      <li>
        <span class="sw potent" aria-hidden="true" /> {t("map.legend_potent")}
      </li>
      <li>
        <span class="sw central" aria-hidden="true" /> {t("map.legend_central")}
      </li>
    </ul>
  );
}
