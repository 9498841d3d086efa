"""Keeper controls (trader): pause, resume, kill switch, risk thresholds."""

from __future__ import annotations

from flask_jwt_extended import current_user

from web import audit
from web.api import bp
from web.api.schemas import CheckRequested, Controls, KillRequest, RiskUpdate
from web.auth.rbac import requires
from web.auth.roles import Role
from web.controls import read_controls, request_check, write_control
from web.errors import ApiError


@bp.get("/controls")
@requires(Role.VIEWER, summary="Current keeper controls", response=Controls)
def controls() -> dict:
    return read_controls()


@bp.post("/controls/pause")
@requires(Role.TRADER, summary="Pause the keeper (no new trades)", response=Controls)
def pause() -> dict:
    state = write_control("paused", True, current_user.login)
    audit.record("keeper_pause")
    return state


@bp.post("/controls/resume")
@requires(Role.TRADER, summary="Resume the keeper", response=Controls)
def resume() -> dict:
    if read_controls()["kill_switch"]:
        audit.record("keeper_resume", "denied", detail={"why": "kill switch engaged"})
        raise ApiError(409, "kill_switch", "the kill switch is engaged: an admin must reset it")
    state = write_control("paused", False, current_user.login)
    audit.record("keeper_resume")
    return state


@bp.post("/controls/kill")
@requires(Role.TRADER, summary="Engage the kill switch (body {confirm: \"KILL\"})",
          body=KillRequest, response=Controls)
def kill(body: KillRequest) -> dict:
    write_control("paused", True, current_user.login)
    state = write_control("kill_switch", True, current_user.login)
    audit.record("kill_switch_engaged")
    return state


@bp.delete("/controls/kill")
@requires(Role.ADMIN, summary="Reset the kill switch (the keeper stays paused)",
          response=Controls)
def reset_kill() -> dict:
    state = write_control("kill_switch", False, current_user.login)
    audit.record("kill_switch_reset")
    return state


@bp.put("/controls/risk")
@requires(Role.TRADER, summary="Set the risk thresholds", body=RiskUpdate, response=Controls)
def risk(body: RiskUpdate) -> dict:
    before = read_controls()["risk"]
    state = write_control("risk", body.model_dump(), current_user.login)
    audit.record("risk_update", detail={"before": before, "after": body.model_dump()})
    return state


@bp.post("/controls/check")
@requires(Role.TRADER, summary="Ask the keeper for a consistency check against the chain "
          "(runs after its next block; the result shows in /api/status)", response=CheckRequested)
def check() -> dict:
    message = request_check(current_user.login)
    audit.record("consistency_check_requested")
    return {"requested": True, "ts": message["ts"]}
