"""One permission test per command and role, generated from the registry."""

from __future__ import annotations

import pytest

from edlib.core import authorize, decide
from edlib.errors import Forbidden
from edlib.registry import COMMANDS, Ctx
from edlib.types import Role
from tests.support import FAC, OBS, SEC, SOFIE, Meeting

ACTOR = {Role.FACILITATOR: FAC, Role.COUNCILLOR: SOFIE, Role.SECRETARY: SEC, Role.OBSERVER: OBS}
CASES = [(name, role) for name in sorted(COMMANDS) for role in Role]


def test_registry_is_complete() -> None:
    assert len(COMMANDS) >= 30
    for spec in COMMANDS.values():
        assert spec.summary, f"{spec.name} needs a one-line docstring (it goes into docs/protocol.md)"
        assert Role.OBSERVER not in spec.roles


@pytest.mark.parametrize("name, role", CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_role_matrix(name: str, role: Role) -> None:
    m = Meeting()
    spec = COMMANDS[name]
    ctx = Ctx(ACTOR[role], m.now)
    if role in spec.roles:
        authorize(m.state, spec, ctx)  # passes
    else:
        with pytest.raises(Forbidden):
            authorize(m.state, spec, ctx)
        # the full path refuses before even reading the payload: no field rules leak to a forbidden role
        with pytest.raises(Forbidden):
            decide(m.state, {"type": name, "garbage": [1, 2, 3]}, ctx)


def test_unknown_participant_is_forbidden() -> None:
    m = Meeting()
    with pytest.raises(Forbidden):
        decide(m.state, {"type": "presence.set", "where": "room"}, Ctx("p99", m.now))
