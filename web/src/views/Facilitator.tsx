import { useState } from "preact/hooks";
import { ArgumentList } from "../components/arguments";
import { Tabs, Page } from "../components/common";
import { ItemCard, NoItem } from "../components/item";
import { LinkList } from "../components/links";
import { VotePanel } from "../components/vote";
import { t } from "../i18n";
import { currentItem, useApp } from "../lib/app";
import { DelphiAdmin } from "./facilitator/delphi";
import { FloorControl } from "./facilitator/floor";
import { MeetingControl } from "./facilitator/meeting";
import { ConceptCare } from "./facilitator/moderation";
import { ParticipationPanel } from "./facilitator/participation";
import { ScenarioPanel } from "./facilitator/scenario";

/** The facilitator's tablet: the floor on the left, the meeting, moderation, Delphi and participation on the right. */
export function FacilitatorView() {
  const { s } = useApp();
  const item = currentItem(s);
  const [tab, setTab] = useState(item ? "arguments" : "meeting"); // before any item is open: the agenda
  const args = (s.snap?.arguments ?? []).filter((a) => a.item_id === item?.id && a.status === "active").length;
  const openSurveys = (s.views.delphi?.data.surveys ?? []).filter((x) => x.item_id === item?.id && x.open).length;
  const notHeard = s.views.participation?.data.not_heard.length ?? 0;
  return (
    <Page view="facilitator" mainClass="layout-fac">
      <div class="col-floor">
        <FloorControl />
      </div>
      <div class="col-main">
        <Tabs
          name="f"
          label={t("nav.sections")}
          active={tab}
          onChange={setTab}
          tabs={[
            {
              id: "arguments",
              label: t("nav.arguments"),
              badge: args || null,
              render: () =>
                item ? (
                  <>
                    <ItemCard item={item} open={false} headingLevel={3} />
                    <ArgumentList item={item} moderate />
                  </>
                ) : (
                  <NoItem />
                ),
            },
            {
              id: "map",
              label: t("nav.concepts"),
              render: () =>
                item ? (
                  <>
                    <ConceptCare item={item} />
                    <ScenarioPanel item={item} />
                    <LinkList item={item} readOnly />
                  </>
                ) : (
                  <NoItem />
                ),
            },
            {
              id: "delphi",
              label: t("nav.delphi"),
              badge: openSurveys || null,
              render: () => (item ? <DelphiAdmin item={item} /> : <NoItem />),
            },
            {
              id: "participation",
              label: t("nav.participation"),
              badge: notHeard || null,
              render: () => <ParticipationPanel />,
            },
            {
              id: "meeting",
              label: t("nav.meeting"),
              render: () => (
                <>
                  <MeetingControl />
                  {item && <VotePanel item={item} readOnly />}
                </>
              ),
            },
          ]}
        />
      </div>
    </Page>
  );
}
