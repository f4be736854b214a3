"""Fixtures shared by the deployment tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from tests.deploy.cluster import Follower


@pytest.fixture
async def followers() -> AsyncIterator[Callable[..., Awaitable[Follower]]]:
    """connect(url, token, transports=None, ssl_verify=True) -> a connected Follower, closed at the end."""
    made: list[Follower] = []

    async def connect(url: str, token: str, transports: list[str] | None = None, ssl_verify: bool = True) -> Follower:
        f = Follower(url, token, transports=transports, ssl_verify=ssl_verify)
        await f.connect()
        made.append(f)
        return f

    yield connect
    for f in made:
        with contextlib.suppress(Exception):  # a connection to a killed process
            await asyncio.wait_for(f.close(), 5)
