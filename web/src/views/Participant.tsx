import { useState } from "preact/hooks";
import { ArgumentForm, ArgumentList } from "../components/arguments";
import { Tabs, Page } from "../components/common";
import { DelphiPanel } from "../components/delphi";
import { FloorPanel } from "../components/floor";
import { ItemCard, NoItem } from "../components/item";
import { LinkForm, LinkList } from "../components/links";
import { PresenceSwitch } from "../components/presence";
import { VotePanel } from "../components/vote";
import { t } from "../i18n";
import { can, currentItem, useApp } from "../lib/app";
import type { Argument } from "../lib/types";

/** Councillors (and the secretary, read-mostly) on a phone or a laptop. */
export function ParticipantView() {
  const { s } = useApp();
  const item = currentItem(s);
  const [tab, setTab] = useState("arguments");
  const [replyTo, setReplyTo] = useState<Argument | null>(null);
  const me = s.you?.participant_id;
  const surveys = (s.views.delphi?.data.surveys ?? []).filter((x) => x.item_id === item?.id);
  const todo = surveys.filter((x) => x.open && !x.mine?.[String(x.round)]).length;
  const argCount = (s.snap?.arguments ?? []).filter((a) => a.item_id === item?.id && a.status !== "withdrawn").length;
  const mayAdd = can(s, "argument.add");
  return (
    <Page view="participant" mainClass="layout-2">
      <div class="col-side">
        {item ? <ItemCard item={item} open={false} /> : <NoItem />}
        <FloorPanel />
        <PresenceSwitch />
      </div>
      <div class="col-main">
        {item && (
          <Tabs
            name="p"
            label={t("nav.sections")}
            active={tab}
            onChange={setTab}
            tabs={[
              {
                id: "arguments",
                label: t("nav.arguments"),
                badge: argCount || null,
                render: () => (
                  <>
                    {mayAdd && (
                      <ArgumentForm
                        item={item}
                        replyTo={replyTo}
                        onClearReply={() => setReplyTo(null)}
                      />
                    )}
                    <ArgumentList
                      item={item}
                      onReply={(a) => {
                        setReplyTo(a);
                        document.getElementById("arg-text")?.focus();
                      }}
                    />
                  </>
                ),
              },
              {
                id: "links",
                label: t("nav.links"),
                render: () => (
                  <>
                    {can(s, "link.assert") && <LinkForm item={item} />}
                    <LinkList item={item} />
                  </>
                ),
              },
              {
                id: "delphi",
                label: t("nav.delphi"),
                badge: todo ? "!" : null,
                render: () => <DelphiPanel itemId={item.id} />,
              },
              {
                id: "vote",
                label: t("nav.vote"),
                render: () => <VotePanel item={item} />,
              },
            ]}
          />
        )}
        {!me && <p class="muted">{t("conn.connecting")}</p>}
      </div>
    </Page>
  );
}
