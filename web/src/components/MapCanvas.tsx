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

/** Ids listed under any of `names` on the map or its `analysis`: strings, or objects with an `id`. */
function idSet(map: ItemMap, ...names: string[]): Set<string> {
  const out = new Set<string>();
  const analysis = (map.analysis ?? {}) as Record<string, unknown>;
  for (const n of names) {
    for (const v of [map[n], analysis[n]]) {
      if (!Array.isArray(v)) continue;
      for (const x of v) {
        if (typeof x === "string") out.add(x);
        else if (x && typeof x === "object" && typeof (x as { id?: unknown }).id === "string") out.add((x as { id: string }).id);
      }
    }
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
  // Emphasise the most central concepts (the server lists the top five): at most a third of the map, up to 3.
  const emphasised = Math.min(3, Math.ceil(nodes.length / 3));
  const listed = [...idSet(map, "central", "most_central")];
  const ranked = [...nodes].sort((a, b) => centrality(b) - centrality(a)).filter((n) => centrality(n) > 0).map((n) => n.id);
  const top = new Set((listed.length ? listed : ranked).slice(0, emphasised));
  const bridgeEdges = new Set<string>();
  for (const b of (Array.isArray(map.bridges) ? map.bridges : []) as unknown[]) {
    if (b && typeof b === "object" && "source" in b && "target" in b) bridgeEdges.add(`${(b as MapEdge).source}->${(b as MapEdge).target}`);
  }
  const maxC = Math.max(1, ...nodes.map(centrality));
  return {
    nodes: nodes.map((n) => ({
      node: n,
      centrality: centrality(n),
      scale: Math.sqrt(Math.max(0, centrality(n)) / maxC),
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

const FONT = "system-ui, sans-serif";
const MAX_TEXT_W = 280;
let measureCtx: CanvasRenderingContext2D | null = null;

/** Box for a label drawn inside its node, at a font size that grows with the concept's centrality. */
function labelBox(label: string, fontSize: number, bold: boolean): { w: number; h: number } {
  measureCtx ??= document.createElement("canvas").getContext("2d");
  let width = label.length * fontSize * 0.55;
  if (measureCtx) {
    measureCtx.font = `${bold ? "bold " : ""}${fontSize}px ${FONT}`;
    width = measureCtx.measureText(label).width;
  }
  const lines = Math.max(1, Math.ceil(width / MAX_TEXT_W));
  return { w: Math.min(width, MAX_TEXT_W) + fontSize * 1.4, h: lines * fontSize * 1.25 + fontSize * 0.9 };
}

function elements(map: ItemMap): ElementDefinition[] {
  const d = describeMap(map);
  const present = new Set(d.nodes.map((n) => n.node.id));
  return [
    ...d.nodes.map((n) => ({
      group: "nodes" as const,
      data: (() => {
        const label = String(n.node.label ?? n.node.id);
        const fontSize = Math.round(20 + 14 * n.scale);
        const box = labelBox(label, fontSize, n.central);
        return { id: n.node.id, label, fontSize, w: box.w, h: box.h };
      })(),
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
      shape: "round-rectangle",
      "background-color": "#eef2ff",
      "border-color": "#312e81",
      "border-width": 2,
      width: "data(w)",
      height: "data(h)",
      label: "data(label)",
      color: "#111827",
      "font-family": FONT,
      "font-size": "data(fontSize)",
      "text-valign": "center",
      "text-halign": "center",
      "text-wrap": "wrap",
      "text-max-width": `${MAX_TEXT_W}px`,
    },
  },
  { selector: "node.central", style: { "font-weight": "bold", "border-width": 5, "background-color": "#c7d2fe" } },
  { selector: "node.potent", style: { "border-color": "#047857", "border-width": 6, "background-color": "#d1fae5", "border-style": "double" } },
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
      "font-family": FONT,
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
    // The container changes size when the layout around it does (e.g. results appear beside the map).
    const observer = new ResizeObserver(() => fit());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      cy.current?.destroy();
      cy.current = null;
    };
  }, []);
  const fit = () => {
    const c = cy.current;
    if (!c || c.elements().length === 0) return;
    c.resize();
    // A long chain laid out across a tall, narrow panel (or down a wide one) would be drawn tiny: turn it.
    const bb = c.nodes().boundingBox({});
    const shape = bb.w / Math.max(1, bb.h);
    const room = c.width() / Math.max(1, c.height());
    if ((shape > 1.8 && room < 1.1) || (shape < 0.55 && room > 1.3)) {
      c.nodes().positions((n) => ({ x: n.position("y"), y: n.position("x") }));
    }
    c.fit(undefined, 70);
    const max = props.maxZoom ?? 1.2;
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
        idealEdgeLength: () => 260,
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
