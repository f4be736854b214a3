"""The live cognitive map over real connections: three councillors assert links, all see the same map."""

from __future__ import annotations

from typing import Any

from tests.conftest import until
from tests.mirror import MapMirror


def comparable(m: dict[str, Any]) -> dict[str, Any]:
    return {"nodes": sorted(m["nodes"], key=lambda x: x["id"]), "edges": sorted(m["edges"], key=lambda x: x["id"]),
            "indices": m["indices"], "version": m["version"]}


async def test_three_clients_assert_links_and_see_the_same_map(sitting: Any, clients: Any) -> None:
    _, t, _fac = await sitting()
    names = ["Sofie Janssens", "Luc Peeters", "Claire Dubois"]
    people = [await clients(t[n]) for n in names]
    mirrors = []
    for c in people:
        mirror = MapMirror(c, "i1")
        mirror.load(await c.join())
        mirrors.append(mirror)
    links = [
        (0, "Schoolstraat", "Verkeer", -1, 3),
        (1, "schoolstraat", "verkeer", 1, 1),
        (2, "Verkeer", "Veiligheid", -1, 2),
        (0, "Veiligheid", "Fietsen", 1, 2),
        (1, "Schoolstraat", "Omzet handel", -1, 2),
        (2, "Fietsen", "Verkeer", -1, 1),
        (2, "Schoolstraat", "Verkeer", -1, 2),
    ]
    last = 0
    for who, cause, effect, sign, strength in links:
        ack = await people[who].command(type="link.assert", item_id="i1", cause=cause, effect=effect, sign=sign,
                                        strength=strength)
        assert ack["ok"], ack
        last = ack["seq"]
    retract = await people[1].command(type="link.retract", link_id=f"L{last - 5}")  # Luc's + on schoolstraat→verkeer
    assert retract["ok"]
    fresh = await clients(t["Thomas Leclercq"])
    # every mirror converges on the map a fresh joiner receives, analysis included
    def converged() -> bool:
        for m in mirrors:
            m.apply_all()
        return all(m.map is not None and m.map["analysis"] is not None
                   and m.map["analysis"]["version"] == m.map["version"] for m in mirrors)

    await until(converged, timeout=10)
    reference = (await fresh.join())["views"]["map"]["data"]["i1"]
    for m in mirrors:
        assert comparable(m.map) == comparable(reference)  # type: ignore[arg-type]
        assert m.map["analysis"] == reference["analysis"]  # type: ignore[index]
    # and that map is right, by hand: S(schoolstraat→verkeer) = Sofie -3 + Claire -2 = -5 (Luc retracted)
    edges = {e["id"]: e for e in reference["edges"]}
    sv = edges["schoolstraat→verkeer"]
    assert sv["weight"] == -5 and sv["supporters"] == 2 and not sv["contested"]
    assert sv["bridge"] is False  # Sofie and Claire are both majority
    nodes = {n["id"]: n for n in reference["nodes"]}
    assert nodes["schoolstraat"]["type"] == "transmitter" and nodes["omzet handel"]["type"] == "receiver"
    # verkeer -> veiligheid (-) -> fietsen (+) -> verkeer (-): one loop, sign (-)(+)(-) = + : reinforcing
    assert reference["analysis"]["loops"]["items"] == [
        {"nodes": reference["analysis"]["loops"]["items"][0]["nodes"], "sign": "reinforcing"}]
    assert set(reference["analysis"]["loops"]["items"][0]["nodes"]) == {"verkeer", "veiligheid", "fietsen"}
    assert sum(m.resyncs for m in mirrors) == 0
