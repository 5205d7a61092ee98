"""The local launcher's roles: the two APIs run on their own, each under the supervisor, and only
the Kafka consumers among the roles are static group members."""

from __future__ import annotations

import sys

import pytest

from deploy.local.workers import ROLES, role_env, supervised


def test_the_ops_api_is_a_role_of_its_own_beside_the_window() -> None:
    assert [sys.executable, "-m", "ops"] == ROLES["ops"]
    assert [sys.executable, "-m", "window"] == ROLES["window"]
    assert ["-m", "deploy.local.supervise", "ops", "--", *ROLES["ops"]] == supervised("ops")[1:]


def test_only_the_consumers_get_a_static_member_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ONETHING_CONSUMER_INSTANCE_ID", raising=False)
    monkeypatch.setenv("ONETHING_TOPIC_PREFIX", "local")

    named = {role: role_env(role).get("ONETHING_CONSUMER_INSTANCE_ID") for role in ROLES}

    assert {
        "orchestrator": "local-orchestrator",
        "departments": "local-departments",
        "window": None,
        "ops": None,
    } == named


def test_the_demo_settings_are_added_and_one_set_by_hand_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ONETHING_MARRIAGE_COOLING_OFF", "3 second")
    demo = {"ONETHING_MARRIAGE_COOLING_OFF": "8 second", "ONETHING_MARRIAGE_APPEARANCE": "9 second"}

    env = role_env("orchestrator", demo)

    assert env["ONETHING_MARRIAGE_COOLING_OFF"] == "3 second"
    assert env["ONETHING_MARRIAGE_APPEARANCE"] == "9 second"
    assert "ONETHING_MARRIAGE_APPEARANCE" not in role_env("orchestrator")
