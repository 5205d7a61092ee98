"""The registry's rules for a one-thing's forms and demo settings: each form starts a saga of its
own (its URL segment), no two one-things serve one route, and a demo sets only OneThing's own
settings."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.registry import Application, OneThing, RegistryError
from tests.support.sample_thing import ONE_THING as SAMPLE

(FORM,) = SAMPLE.applications


def _thing(name: str, *forms: Application, **columns: object) -> OneThing:
    return OneThing(name=name, title="样例", sagas=lambda: (), applications=forms, **columns)  # type: ignore[arg-type]


def test_a_form_without_a_saga_starts_the_one_things_own_and_another_names_its_own() -> None:
    thing = _thing("wedding", replace(FORM, saga=""), replace(FORM, saga="parting"))
    assert [form.saga for form in thing.applications] == ["wedding", "parting"]


def test_two_forms_for_one_saga_are_refused_naming_it() -> None:
    with pytest.raises(RegistryError, match=r"'wedding'.*saga 'parting'"):
        _thing("wedding", replace(FORM, saga="parting"), replace(FORM, saga="parting"))
    with pytest.raises(RegistryError, match="saga 'Not-A-Segment'"):
        _thing("wedding", replace(FORM, saga="Not-A-Segment"))


def test_a_demo_may_set_only_onething_settings() -> None:
    with pytest.raises(RegistryError, match="'PATH'"):
        _thing("wedding", demo_environment={"PATH": "/tmp"})
    assert _thing("wedding", demo_environment={"ONETHING_X": "1"}).demo_environment
