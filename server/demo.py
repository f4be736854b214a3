"""A realistic demo meeting: the mobility committee of a Brussels municipality on a school street."""

from __future__ import annotations

from typing import Any

from .hub import Created, Hub

DEMO: dict[str, Any] = {
    "title": "Commissie Mobiliteit / Commission Mobilité",
    "council": "Schaarbeek / Schaerbeek",
    "kind": "committee",
    "visibility": "public",
    "language": "fr",
    "groups": [
        {"id": "eco", "name": "Écologie & Ville", "side": "majority", "seats": 14},
        {"id": "soc", "name": "Progrès Social", "side": "majority", "seats": 10},
        {"id": "lib", "name": "Alliance Libérale", "side": "opposition", "seats": 9},
        {"id": "cen", "name": "Centre Citoyen", "side": "opposition", "seats": 6},
    ],
    "items": [
        {
            "title": "Schoolstraat Josaphatstraat / Rue scolaire rue Josaphat",
            "draft_decision": (
                "Le conseil décide de fermer la rue Josaphat à la circulation motorisée entre 8h00 et 8h45 et "
                "entre 15h00 et 15h45 les jours d'école, à l'essai pendant six mois, avec une évaluation par "
                "la commission. / De raad beslist de Josaphatstraat op schooldagen tussen 8u00 en 8u45 en "
                "tussen 15u00 en 15u45 af te sluiten voor gemotoriseerd verkeer, als proef van zes maanden, "
                "met een evaluatie door de commissie."
            ),
            "documents": ["https://www.brussels.be/school-streets", "https://mobilite-mobiliteit.brussels/"],
            "time_limit_s": 120,
        },
        {
            "title": "Parkeerbeleid rond het station / Politique de stationnement autour de la gare",
            "draft_decision": "Le conseil approuve le plan de stationnement 2027 autour de la gare du Nord.",
            "documents": [],
        },
    ],
    "participants": [
        {"name": "Anne Mertens", "role": "facilitator"},
        {"name": "Sofie Janssens", "role": "councillor", "group": "eco", "person_id": "demo-sofie-janssens"},
        {"name": "Mehdi El Amrani", "role": "councillor", "group": "eco", "person_id": "demo-mehdi-el-amrani"},
        {"name": "Claire Dubois", "role": "councillor", "group": "eco", "person_id": "demo-claire-dubois"},
        {"name": "Pieter Van den Bossche", "role": "councillor", "group": "soc", "person_id": "demo-pieter-vdb"},
        {"name": "Amina Benali", "role": "councillor", "group": "soc", "person_id": "demo-amina-benali"},
        {"name": "Luc Peeters", "role": "councillor", "group": "lib", "person_id": "demo-luc-peeters"},
        {"name": "Isabelle Lambert", "role": "councillor", "group": "lib", "person_id": "demo-isabelle-lambert"},
        {"name": "Youssef Haddad", "role": "councillor", "group": "cen", "person_id": "demo-youssef-haddad"},
        {"name": "Nathalie Vermeulen", "role": "councillor", "group": "cen", "person_id": "demo-nathalie-vermeulen"},
        {"name": "Thomas Leclercq", "role": "secretary"},
    ],
}

# (actor index into participants, command) — a discussion already under way when the demo opens.
OPENING: list[tuple[int, dict[str, Any]]] = [
    (0, {"type": "meeting.start"}),
    (0, {"type": "item.open", "item_id": "i1"}),
    (0, {"type": "floor.set_policy", "policy": "first_time_first", "time_limit_s": 120}),
    (1, {"type": "argument.add", "item_id": "i1", "stance": "pro", "category": "problem",
         "text": "Elke ochtend staan er auto's dubbel geparkeerd voor de schoolpoort; "
                 "kinderen lopen tussen de wagens."}),
    (6, {"type": "argument.add", "item_id": "i1", "stance": "con", "category": "third_party",
         "text": "Les commerçants de la rue craignent de perdre leurs livraisons du matin."}),
    (4, {"type": "argument.add", "item_id": "i1", "stance": "pro", "category": "evidence",
         "text": "Les rues scolaires évaluées à Bruxelles montrent moins de trafic de transit aux heures d'école."}),
    (1, {"type": "link.assert", "item_id": "i1", "cause": "rue scolaire", "effect": "trafic motorisé", "sign": -1,
         "strength": 3}),
    (6, {"type": "link.assert", "item_id": "i1", "cause": "rue scolaire", "effect": "livraisons", "sign": -1,
         "strength": 2}),
    (4, {"type": "link.assert", "item_id": "i1", "cause": "trafic motorisé", "effect": "sécurité des enfants",
         "sign": -1, "strength": 3}),
    (8, {"type": "link.assert", "item_id": "i1", "cause": "rue scolaire", "effect": "trafic motorisé", "sign": -1,
         "strength": 2}),
]


async def create_demo(hub: Hub, meeting_id: str) -> Created:
    created = await hub.create(meeting_id, DEMO)
    ids = [p["participant_id"] for p in created.participants]
    for actor, command in OPENING:
        await hub.execute(meeting_id, ids[actor], command)
    return created


def describe(created: Created, base_url: str) -> str:
    lines = [f"Demo meeting {created.meeting_id}: open these links (one browser window each):"]
    for p in created.participants:
        lines.append(f"  {p['role']:<11} {p['name']:<24} {base_url}/m/{created.meeting_id}#token={p['token']}")
    if created.observer_token:
        lines.append(f"  {'observer':<11} {'(public gallery)':<24} "
                     f"{base_url}/m/{created.meeting_id}#token={created.observer_token}")
    lines.append(f"  {'projector':<11} {'(room screen)':<24} "
                 f"{base_url}/m/{created.meeting_id}#token={created.display_token}&view=projector")
    return "\n".join(lines)
