"""Exports: GraphML parsed back (typed keys, networkx), JSON round trip, adjacency CSV against numpy."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import networkx as nx
import numpy as np
import pytest

from edlib.cogmap.export import to_adjacency_csv, to_graphml, to_json
from edlib.cogmap.model import CollectiveMap, LinkFact
from edlib.cogmap.view import full_map_view

from .oracle import random_facts, social_matrix

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}
MEMBERS: dict[str, tuple[str | None, str]] = {"alice": ("green", "majority"), "bob": ("blue", "opposition")}
LABELS = {"streets": "School streets", "traffic": "Car traffic, peak hours", "air": "Air quality"}

# streets → traffic: alice −2, bob −1 → S = −3, bridge;  traffic → air: alice +1, bob −1 → S = 0 (cancelled)
# traffic → noise: alice +3 → S = 3.   max |S| = 3.
FACTS = [
    LinkFact("1", "alice", "streets", "traffic", -1, 2),
    LinkFact("2", "bob", "streets", "traffic", -1, 1),
    LinkFact("3", "alice", "traffic", "air", 1, 1),
    LinkFact("4", "bob", "traffic", "air", -1, 1),
    LinkFact("5", "alice", "traffic", "noise", 1, 3),
]


def test_graphml_declares_typed_keys() -> None:
    root = ET.fromstring(to_graphml(CollectiveMap.from_facts(FACTS), LABELS, MEMBERS))
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.findall("g:key", NS)}
    assert keys == {
        ("node", "label"): "string",
        ("node", "indegree"): "int",
        ("node", "outdegree"): "int",
        ("node", "centrality"): "int",
        ("node", "type"): "string",
        ("node", "potent"): "boolean",
        ("edge", "weight"): "double",
        ("edge", "value"): "double",
        ("edge", "sign"): "int",
        ("edge", "supporters"): "int",
        ("edge", "plus"): "int",
        ("edge", "minus"): "int",
        ("edge", "mean_weight"): "double",
        ("edge", "contested"): "boolean",
        ("edge", "bridge"): "boolean",
    }
    graph = root.find("g:graph", NS)
    assert graph is not None and graph.get("edgedefault") == "directed"
    boolean_ids = {k.get("id") for k in root.findall("g:key", NS) if k.get("attr.type") == "boolean"}
    literals = {d.text for d in root.iter(f"{{{NS['g']}}}data") if d.get("key") in boolean_ids}
    assert literals == {"true", "false"}  # XML Schema literals, not Python's True/False


def test_graphml_reads_back_with_networkx() -> None:
    g = nx.read_graphml(io.BytesIO(to_graphml(CollectiveMap.from_facts(FACTS), LABELS, MEMBERS).encode()))
    assert g.is_directed()
    assert sorted(g.nodes) == ["air", "noise", "streets", "traffic"]
    # The cancelled traffic → air cell is not a link of S and is left out.
    assert sorted(g.edges) == [("streets", "traffic"), ("traffic", "noise")]
    st = g.edges["streets", "traffic"]
    assert st == {
        "weight": 3.0,
        "value": -3.0,
        "sign": -1,
        "supporters": 2,
        "plus": 0,
        "minus": 2,
        "mean_weight": -1.5,
        "contested": False,
        "bridge": True,
    }
    assert g.nodes["traffic"] == {
        "label": "Car traffic, peak hours",
        "indegree": 3,
        "outdegree": 3,
        "centrality": 6,
        "type": "ordinary",
        "potent": False,
    }
    assert g.nodes["noise"]["label"] == "noise"  # no display label: the key
    # Gephi-style weighted degree on weight = |s| reproduces od/id of methods.md.
    assert g.out_degree("traffic", weight="weight") == g.nodes["traffic"]["outdegree"]


def test_json_export_is_the_full_view() -> None:
    m = CollectiveMap.from_facts(FACTS)
    text = to_json(m, LABELS, MEMBERS)
    assert "→" in text  # not escaped
    assert json.loads(text) == full_map_view(m, LABELS, MEMBERS)


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_adjacency_csv_by_hand() -> None:
    m = CollectiveMap.from_facts(FACTS)
    rows = read_csv(to_adjacency_csv(m, LABELS))
    # concepts by key: air, noise, streets, traffic;  W = S / 3
    assert rows == [
        ["", "Air quality", "noise", "School streets", "Car traffic, peak hours"],
        ["Air quality", "0", "0", "0", "0"],
        ["noise", "0", "0", "0", "0"],
        ["School streets", "0", "0", "0", "-1"],
        ["Car traffic, peak hours", "0", "1", "0", "0"],
    ]
    raw = read_csv(to_adjacency_csv(m, LABELS, scaled=False, blank=True))
    assert raw[3] == ["School streets", "", "", "", "-3"]
    assert raw[4] == ["Car traffic, peak hours", "", "3", "", ""]


def test_adjacency_csv_against_numpy() -> None:
    facts = random_facts(21, concepts=9, count=40)
    concepts, s = social_matrix(facts)
    rows = read_csv(to_adjacency_csv(CollectiveMap.from_facts(facts), {}))
    assert rows[0] == ["", *concepts]
    assert [r[0] for r in rows[1:]] == concepts
    matrix = np.array([[float(v) for v in r[1:]] for r in rows[1:]])
    assert matrix == pytest.approx(s / np.abs(s).max())
    assert np.abs(matrix).max() == 1.0


def test_exports_of_an_empty_map() -> None:
    m = CollectiveMap()
    assert read_csv(to_adjacency_csv(m, {})) == [[""]]
    assert nx.read_graphml(io.BytesIO(to_graphml(m, {}, {}).encode())).number_of_nodes() == 0
    assert json.loads(to_json(m, {}, {}))["nodes"] == []
