// The live cognitive map, drawn with Cytoscape.js and the fcose layout. Loaded lazily (projector, observer):
// phones never download it. Every analysis comes from the server's `map` view; fields that are absent (the
// analyses are being extended) simply do not show.
import cytoscape, { type Core, type ElementDefinition } from "cytoscape";
import fcose from "cytoscape-fcose";
import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n";
import type { ItemMap, MapEdge, MapNode } from "../lib/types";

cytoscape.use(fcose);

const PLUS = "#1d4ed8";
const MINUS = "#b45309";
const NEUTRAL = "#4b5563";

function numberField(o: Record<string, unknown>, ...names: string[]): number | null {
  for (const n of names) {
    const v = o[n];
    if (typeof v === "number" && Number.isFinite(v)) return v;
  }
  return null;
}

function flag(o: Record<string, unknown>, ...names: string[]): boolean {
  return names.some((n) => o[n] === true);
}

function idSet(map: ItemMap, ...names: string[]): Set<string> {
  const out = new Set<string>();
  for (const n of names) {
    const v = map[n];
    if (Array.isArray(v)) for (const x of v) if (typeof x === "string") out.add(x);
  }
  return out;
}

/** Read the fields the map view may carry, with fallbacks for a map view that only has nodes and edges. */
export function describeMap(map: ItemMap) {
  const edges = map.edges ?? [];
  const nodes = map.nodes ?? [];
  const fallbackDegree = new Map<string, number>();
  for (const e of edges) {
    const w = Math.abs(e.weight ?? 0);
    fallbackDegree.set(e.source, (fallbackDegree.get(e.source) ?? 0) + w);
    fallbackDegree.set(e.target, (fallbackDegree.get(e.target) ?? 0) + w);
  }
  const centrality = (n: MapNode) => numberField(n, "centrality") ?? ((numberField(n, "outdegree", "od") ?? NaN) + (numberField(n, "indegree", "id_", "in_degree") ?? NaN) || (fallbackDegree.get(n.id) ?? 0));
  const potent = idSet(map, "potent_options", "potent");
  const centralListed = idSet(map, "central", "most_central");
  const ranked = [...nodes].sort((a, b) => centrality(b) - centrality(a));
  const top = new Set((centralListed.size ? [...centralListed] : ranked.slice(0, Math.min(3, ranked.length)).filter((n) => centrality(n) > 0).map((n) => n.id)));
  const bridgeEdges = new Set<string>();
  for (const b of (Array.isArray(map.bridges) ? map.bridges : []) as unknown[]) {
    if (b && typeof b === "object" && "source" in b && "target" in b) bridgeEdges.add(`${(b as MapEdge).source}->${(b as MapEdge).target}`);
  }
  const maxC = Math.max(1, ...nodes.map(centrality));
  return {
    nodes: nodes.map((n) => ({
      node: n,
      centrality: centrality(n),
      size: 34 + 70 * Math.sqrt(centrality(n) / maxC),
      potent: potent.has(n.id) || flag(n, "potent", "potent_option"),
      central: top.has(n.id) || flag(n, "central", "most_central"),
    })),
    edges: edges.map((e) => {
      const plus = numberField(e, "plus");
      const minus = numberField(e, "minus");
      const strength = Math.abs(numberField(e, "mean_weight") ?? e.weight ?? 0);
      return {
        edge: e,
        sign: (e.weight ?? 0) > 0 ? 1 : (e.weight ?? 0) < 0 ? -1 : 0,
        width: 2 + 2.2 * Math.min(strength, 6),
        contested: flag(e, "contested") || (plus !== null && minus !== null && plus > 0 && minus > 0),
        bridge: flag(e, "bridge", "is_bridge", "cross_side", "crosses_sides") || bridgeEdges.has(`${e.source}->${e.target}`),
      };
    }),
  };
}

function elements(map: ItemMap): ElementDefinition[] {
  const d = describeMap(map);
  const present = new Set(d.nodes.map((n) => n.node.id));
  return [
    ...d.nodes.map((n) => ({
      group: "nodes" as const,
      data: { id: n.node.id, label: n.node.label ?? n.node.id, size: n.size },
      classes: [n.potent ? "potent" : "", n.central ? "central" : ""].filter(Boolean).join(" "),
    })),
    ...d.edges
      .filter((e) => present.has(e.edge.source) && present.has(e.edge.target))
      .map((e) => ({
        group: "edges" as const,
        data: { id: `${e.edge.source}->${e.edge.target}`, source: e.edge.source, target: e.edge.target, width: e.width, sign: e.sign > 0 ? "+" : e.sign < 0 ? "−" : "±" },
        classes: [e.sign > 0 ? "plus" : e.sign < 0 ? "minus" : "zero", e.contested ? "contested" : "", e.bridge ? "bridge" : ""].filter(Boolean).join(" "),
      })),
  ];
}

const STYLE: cytoscape.StylesheetJson = [
  {
    selector: "node",
    style: {
      "background-color": "#e0e7ff",
      "border-color": "#312e81",
      "border-width": 2,
      width: "data(size)",
      height: "data(size)",
      label: "data(label)",
      color: "#111827",
      "font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      "font-size": 24,
      "text-valign": "bottom",
      "text-margin-y": 6,
      "text-wrap": "wrap",
      "text-max-width": "240px",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.9,
      "text-background-padding": "3px",
      "text-background-shape": "roundrectangle",
    },
  },
  { selector: "node.central", style: { "font-weight": "bold", "font-size": 28, "border-width": 5, "background-color": "#c7d2fe" } },
  { selector: "node.potent", style: { shape: "round-rectangle", "border-color": "#047857", "border-width": 6, "background-color": "#d1fae5" } },
  {
    selector: "edge",
    style: {
      width: "data(width)",
      "curve-style": "bezier",
      "target-arrow-shape": "triangle",
      "arrow-scale": 1.4,
      label: "data(sign)",
      "font-size": 30,
      "font-weight": "bold",
      "text-background-color": "#ffffff",
      "text-background-opacity": 1,
      "text-background-padding": "2px",
      "line-color": NEUTRAL,
      "target-arrow-color": NEUTRAL,
      color: NEUTRAL,
    },
  },
  { selector: "edge.plus", style: { "line-color": PLUS, "target-arrow-color": PLUS, color: PLUS } },
  { selector: "edge.minus", style: { "line-color": MINUS, "target-arrow-color": MINUS, color: MINUS } },
  { selector: "edge.contested", style: { "line-style": "dashed", "line-dash-pattern": [14, 8] } },
  { selector: "edge.bridge", style: { "underlay-color": "#facc15", "underlay-opacity": 0.55, "underlay-padding": 8 } },
];

export default function MapCanvas(props: { map: ItemMap | undefined; maxZoom?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);
  const laidOut = useRef(false);
  useEffect(() => {
    if (!ref.current) return;
    cy.current = cytoscape({
      container: ref.current,
      style: STYLE,
      elements: [],
      autoungrabify: true,
      boxSelectionEnabled: false,
      userPanningEnabled: false,
      userZoomingEnabled: false,
      minZoom: 0.2,
      maxZoom: 3,
    });
    const onResize = () => fit();
    window.addEventListener("resize", onResize);
    return () => {
      window.removeEventListener("resize", onResize);
      cy.current?.destroy();
      cy.current = null;
    };
  }, []);
  const fit = () => {
    const c = cy.current;
    if (!c || c.elements().length === 0) return;
    c.resize();
    c.fit(undefined, 70);
    const max = props.maxZoom ?? 1.4;
    if (c.zoom() > max) {
      c.zoom(max);
      c.center();
    }
  };
  useEffect(() => {
    const c = cy.current;
    if (!c) return;
    const next = props.map ? elements(props.map) : [];
    const ids = new Set(next.map((e) => e.data.id as string));
    let structural = false;
    c.batch(() => {
      c.elements().forEach((el) => {
        if (!ids.has(el.id())) {
          el.remove();
          structural = true;
        }
      });
      for (const def of next) {
        const el = c.getElementById(def.data.id as string);
        if (el.nonempty()) {
          el.data(def.data);
          el.classes(def.classes as string);
        } else {
          c.add(def);
          structural = true;
        }
      }
    });
    if (structural && c.nodes().length > 0) {
      const layout = c.layout({
        name: "fcose",
        quality: "default",
        randomize: !laidOut.current,
        animate: laidOut.current,
        animationDuration: 400,
        fit: false,
        nodeRepulsion: () => 12000,
        idealEdgeLength: () => 200,
        nodeSeparation: 140,
        padding: 70,
      } as cytoscape.LayoutOptions);
      layout.one("layoutstop", fit);
      layout.run();
      laidOut.current = true;
    }
    fit();
  }, [props.map]);
  const m = props.map;
  const nNodes = m?.nodes?.length ?? 0;
  const nEdges = m?.edges?.length ?? 0;
  const labelOf = (id: string) => m?.nodes.find((n) => n.id === id)?.label ?? id;
  return (
    <div class="map-wrap">
      <div ref={ref} class="map-canvas" role="img" aria-label={t("map.aria", { nodes: nNodes, links: nEdges })} data-testid="map-canvas" />
      {nNodes === 0 && <p class="map-empty">{t("map.empty")}</p>}
      <ul class="sr-only" data-testid="map-text">
        {(m?.edges ?? []).map((e) => (
          <li key={`${e.source}->${e.target}`}>
            {t(e.weight >= 0 ? "map.edge_plus" : "map.edge_minus", { cause: labelOf(e.source), effect: labelOf(e.target), weight: Math.abs(e.weight) })}
          </li>
        ))}
      </ul>
    </div>
  );
}
