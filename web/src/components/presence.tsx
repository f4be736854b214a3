import { PRESENCE } from "../generated/protocol";
import { t } from "../i18n";
import { can, useApp } from "../lib/app";

export function PresenceSwitch() {
  const { s, conn } = useApp();
  if (!can(s, "presence.set") || !s.you) return null;
  const me = s.snap?.participants.find((p) => p.id === s.you?.participant_id);
  return (
    <div class="presence card" role="group" aria-labelledby="presence-label">
      <span class="presence-label" id="presence-label">
        {t("presence.label")}
      </span>
      {PRESENCE.map((where) => (
        <button
          type="button"
          key={where}
          aria-pressed={me?.presence === where}
          onClick={() => void conn.send({ type: "presence.set", where }, t("action.presence"), { quiet: true })}
        >
          {t(`presence.${where}`)}
        </button>
      ))}
    </div>
  );
}
