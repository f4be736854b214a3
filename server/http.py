"""REST endpoints: create a meeting, read a snapshot, export, health and metrics."""

from __future__ import annotations

import ipaddress
import json
import secrets
from typing import Any

from aiohttp import web

from edlib.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, Unavailable
from edlib.privacy import SPECIAL_VIEWERS
from edlib.types import Role
from edlib.views import snapshot

from . import auth
from .keys import CONFIG, HUB, METRICS
from .store.base import StoreUnavailable

MAX_BODY = 1_000_000


def fail(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


STATUS = {"invalid": 400, "too_large": 413, "unauthorized": 401, "forbidden": 403, "not_found": 404,
          "conflict": 409, "rate_limited": 429, "unavailable": 503}


def domain_fail(exc: DomainError) -> web.Response:
    body: dict[str, Any] = {"error": exc.as_dict()}
    return web.json_response(body, status=STATUS.get(str(exc.code), 400))


async def create_meeting(request: web.Request) -> web.Response:
    config, hub = request.app[CONFIG], request.app[HUB]
    token = auth.bearer(request.headers.get("Authorization"))
    if token is None or not auth.same(token, config.admin_token):
        return fail(401, "unauthorized", "an admin token is required (Authorization: Bearer ...)")
    if request.content_length is not None and request.content_length > MAX_BODY:
        return fail(413, "too_large", f"the body may not exceed {MAX_BODY} bytes")
    try:
        raw = await request.content.read(MAX_BODY + 1)
        if len(raw) > MAX_BODY:
            return fail(413, "too_large", f"the body may not exceed {MAX_BODY} bytes")
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return fail(400, "invalid", "the body must be JSON")
    try:
        created = await hub.create(secrets.token_hex(8), body)
    except DomainError as exc:
        return domain_fail(exc)
    base = config.base_url
    out: dict[str, Any] = {
        "meeting_id": created.meeting_id,
        "items": [{"item_id": i} for i in created.items],
        "participants": [
            {**p, "join_url": f"{base}/m/{created.meeting_id}#token={p['token']}"} for p in created.participants
        ],
    }
    if created.observer_token:
        out["observer_url"] = f"{base}/m/{created.meeting_id}#token={created.observer_token}"
    out["display_url"] = f"{base}/m/{created.meeting_id}#token={created.display_token}&view=projector"
    return web.json_response(out, status=201)


async def _viewer(request: web.Request) -> tuple[Any, Any]:
    """The meeting and the participant that the request's token names (Bearer header or ?token=)."""
    hub = request.app[HUB]
    token = auth.bearer(request.headers.get("Authorization")) or request.query.get("token")
    if not token:
        raise web.HTTPUnauthorized(text=json.dumps({"error": {"code": "unauthorized", "message": "token required"}}),
                                   content_type="application/json")
    try:
        found = await hub.store.find_token(auth.digest(token))
    except StoreUnavailable:
        raise Unavailable("storage is unreachable; try again shortly") from None
    if found is None or found[0] != request.match_info["meeting_id"]:
        raise web.HTTPUnauthorized(text=json.dumps({"error": {"code": "unauthorized",
                                                              "message": "unknown token for this meeting"}}),
                                   content_type="application/json")
    agg = await hub.get(found[0])
    if agg is None:
        raise NotFound("no such meeting")
    viewer = SPECIAL_VIEWERS.get(found[1]) or agg.state.participants[found[1]]
    return agg, viewer


async def get_meeting(request: web.Request) -> web.Response:
    try:
        agg, viewer = await _viewer(request)
        await request.app[HUB].refresh(agg)
        return web.json_response(snapshot(agg.state, viewer))
    except DomainError as exc:
        return domain_fail(exc)


async def export(request: web.Request) -> web.Response:
    from .export import render

    try:
        agg, viewer = await _viewer(request)
        if viewer.role not in (Role.FACILITATOR, Role.SECRETARY):
            raise Forbidden("exports are for the facilitator and the secretary")
        await request.app[HUB].refresh(agg)
        fmt = request.query.get("format", "json")
        what = request.query.get("what", "all" if fmt == "json" else "map")
        key = await request.app[HUB].store.secret("research")
        body, content_type, filename = render(agg.state, agg.log, viewer, key, fmt, what, request.query.get("item_id"))
        return web.Response(text=body, content_type=content_type,
                            headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    except DomainError as exc:
        return domain_fail(exc)


async def scenario(request: web.Request) -> web.Response:
    """What-if on an item's map: `?item_id=i1&clamp=concept:1&clamp=other:0` (fuzzy cognitive map inference)."""
    import asyncio

    from edlib.cogmap.scenario import what_if
    from edlib.links import concept_key
    from edlib.mapping import collective_map

    try:
        agg, viewer = await _viewer(request)
        if viewer.role is Role.OBSERVER and agg.state.visibility != "public":
            raise Forbidden("this meeting is closed")
        item_id = request.query.get("item_id", agg.state.current_item or "")
        if item_id not in agg.state.items:
            raise Invalid("unknown item", field="item_id")
        concepts = agg.state.concepts.get(item_id)
        clamp: dict[str, float] = {}
        for raw in request.query.getall("clamp", [])[:50]:
            label, _, value = raw.rpartition(":")
            key = concepts.resolve(concept_key(label)) if concepts else ""
            try:
                number = float(value)
            except ValueError:
                raise Invalid(f"clamp '{raw[:60]}' needs a number between 0 and 1", field="clamp") from None
            if not 0.0 <= number <= 1.0:
                raise Invalid(f"clamp '{raw[:60]}' needs a number between 0 and 1", field="clamp")
            if concepts is None or key not in concepts.labels:
                raise NotFound(f"no concept '{label[:60]}' on this item", field="clamp")
            clamp[key] = number
        if not clamp:
            raise Invalid("name at least one concept to clamp: clamp=label:value", field="clamp")
        snap = collective_map(agg.state, item_id).snapshot()
        if any(k not in snap.concepts for k in clamp):
            raise Conflict("a clamped concept has no link on the map")
        result = await asyncio.to_thread(what_if, snap, clamp)
        return web.json_response({"item_id": item_id, **result.as_dict()})
    except DomainError as exc:
        return domain_fail(exc)


async def healthz(request: web.Request) -> web.Response:
    hub = request.app[HUB]
    try:
        ok = await hub.store.ping()
    except Exception:
        ok = False
    body = {"ok": ok, "store": "ok" if ok else "unreachable", "meetings_loaded": len(hub.meetings)}
    return web.json_response(body, status=200 if ok else 503)


def _admin_network(request: web.Request) -> bool:
    peer = request.remote or ""
    try:
        return ipaddress.ip_address(peer).is_loopback or ipaddress.ip_address(peer).is_private
    except ValueError:
        return False


async def metrics(request: web.Request) -> web.Response:
    config = request.app[CONFIG]
    token = auth.bearer(request.headers.get("Authorization"))
    if not _admin_network(request) and not (token and auth.same(token, config.admin_token)):
        return fail(403, "forbidden", "metrics are served to the admin network only")
    text = request.app[METRICS].render(len(request.app[HUB].meetings))
    return web.Response(text=text, content_type="text/plain", charset="utf-8")


def routes(app: web.Application) -> None:
    app.router.add_post("/api/meetings", create_meeting)
    app.router.add_get("/api/meetings/{meeting_id}", get_meeting)
    app.router.add_get("/api/meetings/{meeting_id}/export", export)
    app.router.add_get("/api/meetings/{meeting_id}/scenario", scenario)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
