"""The one-thing registry: what each ``services/<thing>/`` tells the platform about itself.

A one-thing's package exports one ``OneThing`` as ``ONE_THING``: its name and title, the sagas it
runs (versions and companions such as a reversal), the window forms that open its cases (one per
saga a citizen applies for: marriage and divorce are one service with two forms), and its
reactors (facts in, case messages out). The workers, the window, the ops API and the demo read the
registry (``one_things``) and never name a one-thing themselves, so adding one touches only its
own folder and its contracts. A deployment (or a test) adds one-things defined elsewhere with
``ONETHING_EXTRA_ONE_THINGS`` (``package.module:attribute``, comma-separated).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from pydantic_settings import BaseSettings

from contracts.message import Message
from saga.versions import SagaSource, catalog
from services.demo import DemoContext, DemoReport

__all__ = ["Application", "OneThing", "Reactor", "RegistryError", "load_one_thing", "one_things"]

# A one-thing's rule for facts: a fact in, ``(topic, case id, message)`` to publish out.
Reactor = Callable[[Message], list[tuple[str, str, Message]]]


class RegistryError(ValueError):
    """A one-thing description that cannot be served; the message names it and the rule."""


@dataclass(frozen=True)
class Application:
    """The window form that opens a case of a one-thing (一表申请).

    ``saga`` is the saga the form starts, and its URL segment: ``POST /v1/{saga}/applications``
    (empty: the one-thing's own name, its main saga). ``case_id`` gives the case a form is about,
    from the form and the moment the window received it (a function of who it is about, so a
    case opened otherwise — a hospital's certificate — and a family's form meet in one case; a
    service a couple may apply for again another day adds the day);
    ``start_data`` the data the case starts with, from the validated form and the window's id.
    ``joins`` names the step that, while it waits for a signal, means an existing case (opened
    proactively) is waiting for this form: the form then joins that case instead of being
    refused as a second application. The merge itself is the saga's (``Saga.merge``)."""

    model: type[BaseModel]
    case_id: Callable[[Any, datetime], str]
    start_data: Callable[[Any, str], dict[str, Any]]
    summary: str
    description: str = ""
    examples: Mapping[str, Any] = field(default_factory=dict)
    joins: str | None = None
    saga: str = ""


@dataclass(frozen=True)
class OneThing:
    """One 高效办成一件事 service: everything the platform needs to run and serve it."""

    name: str  # its main saga's name and its URL segment: /v1/{name}/applications
    title: str  # in Chinese, as clerks and citizens know it
    # Built when a worker starts (tables read settings): tables, or several versions of one.
    sagas: Callable[[], Sequence[SagaSource]]
    applications: Sequence[Application] = ()
    reactors: Sequence[Reactor] = ()
    description: str = ""
    # What a deployment may set for it (``ONETHING_<NAME>_*``), read and checked when a worker
    # starts, so a bad value stops the worker naming the variable instead of a case failing.
    settings: type[BaseSettings] | None = None
    # Its cases through the running system for ``make demo`` (services.demo); None: no demo yet.
    demo: Callable[[DemoContext], Awaitable[DemoReport]] | None = None
    # What the local workers run with for ``make demo`` (``ONETHING_*`` → value): a compressed
    # clock, so a period of weeks passes in seconds. Never read in production.
    demo_environment: Mapping[str, str] = field(default_factory=dict)

    def step_titles(self) -> dict[str, dict[str, str]]:
        """Saga name → step name → its Chinese title, over every saga and version it runs."""
        titles: dict[str, dict[str, str]] = {}
        for name, versions in catalog(list(self.sagas())).items():
            for saga in versions.versions.values():
                rows = titles.setdefault(name, {})
                for step in (*saga.steps, *saga.on_rejected):
                    if step.title:
                        rows[step.name] = step.title
        return titles

    def task_forms(self) -> dict[tuple[str, str], type[BaseModel]]:
        """(saga name, step name) → the form its clerk task's data must fit, where it has one."""
        return {
            (name, step.name): step.task_form
            for name, versions in catalog(list(self.sagas())).items()
            for saga in versions.versions.values()
            for step in saga.steps
            if step.task_form is not None
        }

    def __post_init__(self) -> None:
        if not self.name.isidentifier() or self.name != self.name.lower():
            raise RegistryError(
                f"one-thing {self.name!r}: the name must be a lower-case identifier"
                " (it is a saga name and a URL segment)"
            )
        forms = tuple(replace(a, saga=a.saga or self.name) for a in self.applications)
        sagas = [a.saga for a in forms]
        for saga in sagas:
            if not saga.isidentifier() or saga != saga.lower() or sagas.count(saga) > 1:
                raise RegistryError(
                    f"one-thing {self.name!r}: form for saga {saga!r}: each form starts its own"
                    " saga, named by a lower-case identifier (a URL segment)"
                )
        object.__setattr__(self, "applications", forms)
        unprefixed = sorted(k for k in self.demo_environment if not k.startswith("ONETHING_"))
        if unprefixed:
            raise RegistryError(
                f"one-thing {self.name!r}: demo_environment sets {unprefixed[0]!r}; only"
                " ONETHING_* settings may be set"
            )


def load_one_thing(spec: str) -> OneThing:
    """``package.module:attribute`` → the ``OneThing`` it names."""
    module, _, attribute = spec.partition(":")
    if not module or not attribute:
        raise RegistryError(f"{spec!r} must look like package.module:ONE_THING")
    found = getattr(importlib.import_module(module), attribute, None)
    if not isinstance(found, OneThing):
        raise RegistryError(f"{spec!r} is not a OneThing")
    return found


def one_things(extra: str = "") -> dict[str, OneThing]:
    """Every one-thing under ``services/`` that exports ``ONE_THING``, and those ``extra`` names
    (comma-separated specs), by name."""
    found: list[OneThing] = []
    package = importlib.import_module("services")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        candidate = getattr(importlib.import_module(f"services.{info.name}"), "ONE_THING", None)
        if isinstance(candidate, OneThing):
            found.append(candidate)
    found += [load_one_thing(spec.strip()) for spec in extra.split(",") if spec.strip()]
    registry: dict[str, OneThing] = {}
    routes: dict[str, str] = {}
    for thing in found:
        if thing.name in registry and registry[thing.name] is not thing:
            raise RegistryError(f"two one-things are named {thing.name!r}")
        registry[thing.name] = thing
        for form in thing.applications:
            if routes.setdefault(form.saga, thing.name) != thing.name:
                raise RegistryError(
                    f"one-things {routes[form.saga]!r} and {thing.name!r} both have a form for"
                    f" saga {form.saga!r}"
                )
    return registry
