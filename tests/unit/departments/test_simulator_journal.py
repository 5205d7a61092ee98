"""The simulators' journal: a restarted simulator replays it to the same world, records and
outcomes (on the clock of the first handling); a torn last line is dropped and cut off; a
command seen again after a replay is answered from memory, applied once; a replayed command's
facts go out again only when it is asked again; the local factory keeps a journal per population.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from pydantic import BaseModel
from structlog.testing import capture_logs

from contracts.departments import Department
from contracts.departments.civil_affairs import (
    AcceptAfterDeathApplication,
    RegisterDivorce,
    RegisterMarriage,
    UploadDivorceRecord,
)
from contracts.departments.health import DeathCertified, IssueDeathCertificate
from contracts.departments.platform import RegisterHeirAccount
from contracts.departments.public_security import CancelHukou
from contracts.departments.social_security import StopPension
from contracts.identifiers import make_credit_code
from contracts.saga import DepartmentCommand, ReplyOutcome
from departments.adapter import Outcome, PermanentFault
from departments.local import journal_directory, simulators
from departments.population import generate
from departments.simulators import build_simulators
from departments.simulators.base import Simulator
from departments.simulators.journal import (
    JournalCorrupt,
    SimulatorJournal,
    journal_path,
    read_journal,
)
from departments.world import CHINA, Person, World
from onething.settings import Settings
from tests.unit.departments.support import command

HOSPITAL = make_credit_code("12321302MB0000001")
HEALTH, POLICE = Department.HEALTH, Department.PUBLIC_SECURITY
CIVIL, SOCIAL, PLATFORM = Department.CIVIL_AFFAIRS, Department.SOCIAL_SECURITY, Department.PLATFORM
DIED = date(2025, 6, 29)


@dataclass
class Clock:
    """A clock a test moves: each department command is handled on another day."""

    now: datetime = field(default_factory=lambda: datetime.combine(DIED, time(9), tzinfo=CHINA))

    def __call__(self) -> datetime:
        return self.now

    def next_day(self) -> None:
        self.now += timedelta(days=1)


def journalled(world: World, directory: Path, clock: Clock) -> dict[Department, Simulator]:
    """Every department's simulator over ``world``, brought up to date from ``directory``."""
    sims = build_simulators(world, clock)
    SimulatorJournal(directory).attach(sims)
    return sims


def send(
    sims: dict[Department, Simulator], department: Department, message: DepartmentCommand
) -> Outcome:
    return asyncio.run(sims[department].handle(message))


def a_death(world: World) -> tuple[Person, Person]:
    """A living pensioner with an adult child, about to be certified dead."""
    person = world.find(alive=True, hukou_active=True, has_pension=True, has_adult_child=True)
    child = next(world.people[c] for c in world.children(person.resident_id))
    return person, child


def the_story(person: Person, child: Person) -> list[tuple[Department, BaseModel, str]]:
    """A death across departments that read each other's records, with a refusal at the end."""
    rid = person.resident_id
    cancel = CancelHukou(resident_id=rid, date_of_death=DIED, death_certificate_no=rid)
    return [
        (
            HEALTH,
            IssueDeathCertificate(resident_id=rid, date_of_death=DIED, issuer_credit_code=HOSPITAL),
            "c:certify:1",
        ),
        (CIVIL, AcceptAfterDeathApplication(office_division=person.division), "c:accept:1"),
        (
            PLATFORM,
            RegisterHeirAccount(
                deceased_id=rid, heir_id=child.resident_id, bank_account="6228480000000001"
            ),
            "c:heir:1",
        ),
        (POLICE, cancel, "c:cancel_hukou:1"),  # needs health's certificate
        (SOCIAL, StopPension(resident_id=rid, date_of_death=DIED), "c:stop_pension:1"),
        (POLICE, cancel, "c:cancel_hukou:2"),  # already cancelled: a refusal is journalled too
    ]


def run_story(
    sims: dict[Department, Simulator], clock: Clock, story: list[tuple[Department, BaseModel, str]]
) -> list[Outcome]:
    outcomes = []
    for department, payload, command_id in story:
        clock.next_day()
        message = command(department, payload, command_id=command_id, case_id="c")
        outcomes.append(send(sims, department, message))
    return outcomes


def test_a_replayed_journal_gives_the_same_world_and_the_same_outcomes(tmp_path: Path) -> None:
    world, clock = generate(seed=7, people=600), Clock()
    person, child = a_death(world)
    before = run_story(journalled(world, tmp_path, clock), clock, the_story(person, child))
    assert before[-1].reason_code == "already_cancelled"

    # A restart: the seeded world again, on a clock a month later, and the journal.
    later = Clock(clock.now + timedelta(days=30))
    restarted_world = generate(seed=7, people=600)
    with capture_logs() as logs:
        restarted = journalled(restarted_world, tmp_path, later)

    assert restarted_world == world
    [summary] = [e for e in logs if e["event"] == "journal.replayed"]
    assert (summary["commands"], summary["diverged"]) == (6, 0)
    story = the_story(person, child)
    again = [send(restarted, d, command(d, p, command_id=i, case_id="c")) for d, p, i in story]
    assert again == before  # answered from memory, the dates of the first handling included
    assert before[3].data["cancelled_on"] == (DIED + timedelta(days=4)).isoformat()
    effects = {i: restarted[d].effects[i] for d, _, i in the_story(person, child)}
    assert set(effects.values()) == {1}


def test_the_serials_continue_after_a_replay(tmp_path: Path) -> None:
    world, clock = generate(seed=7, people=600), Clock()
    person, child = a_death(world)
    sims = journalled(world, tmp_path, clock)
    run_story(sims, clock, the_story(person, child))
    next_in_first_run = sims[PLATFORM].serial("HEIR-")

    restarted = journalled(generate(seed=7, people=600), tmp_path, Clock())

    assert restarted[PLATFORM].serial("HEIR-") == next_in_first_run


def standing_divorce(world: World) -> RegisterDivorce:
    """A divorce by agreement of the first marriage still standing in ``world``."""
    marriage = next(
        m
        for m in world.marriages.values()
        if world.current_marriage(m.party_ids[0]) is m
        and all(world.known_alive(world.people[p]) for p in m.party_ids)
    )
    return RegisterDivorce(
        party_ids=list(marriage.party_ids),
        marriage_certificate_no=marriage.certificate_no,
        office_division="321302",
    )


def test_a_replayed_divorce_ends_the_same_marriage_under_the_same_number(tmp_path: Path) -> None:
    world, clock = generate(seed=7, people=600), Clock()
    sims = journalled(world, tmp_path, clock)
    register = standing_divorce(world)
    [first] = run_story(sims, clock, [(CIVIL, register, "d:register:1")])
    [fact] = sims[CIVIL].drain()
    number = first.data["certificate_no"]
    upload = UploadDivorceRecord(certificate_no=number)
    run_story(sims, clock, [(CIVIL, upload, "d:upload:1")])

    restarted_world = generate(seed=7, people=600)
    with capture_logs() as logs:
        restarted = journalled(restarted_world, tmp_path, Clock(clock.now + timedelta(days=30)))
    replayed_world_matches = restarted_world == world
    again = send(restarted, CIVIL, command(CIVIL, register, command_id="d:register:1"))
    sent_again = restarted[CIVIL].drain()
    later = send(restarted, CIVIL, command(CIVIL, standing_divorce(restarted_world)))

    assert replayed_world_matches
    [summary] = [e for e in logs if e["event"] == "journal.replayed"]
    assert (summary["commands"], summary["diverged"]) == (2, 0)
    assert (first, 1) == (again, restarted[CIVIL].effects["d:register:1"])
    assert ("DivorceRegistered", [fact]) == (fact.message.message_type, sent_again)
    replayed = restarted_world.marriages[register.marriage_certificate_no]
    assert (number, True) == (replayed.divorce_certificate_no, replayed.divorce_uploaded)
    assert restarted_world.dissolved_by(number) is replayed
    assert ("L321302-2025-000001", "L321302-2025-000002") == (
        number,
        later.data["certificate_no"],
    )  # the serials continue after the replay


def test_a_replayed_marriage_keeps_its_number_and_publishes_its_facts_once(tmp_path: Path) -> None:
    world, clock = generate(seed=7, people=600), Clock()
    sims = journalled(world, tmp_path, clock)
    man = world.find(marriageable=True, sex="male", on_dibao=True)  # HouseholdChanged as well
    woman = world.find(marriageable=True, sex="female")
    register = RegisterMarriage(
        party_ids=[man.resident_id, woman.resident_id], office_division="321302"
    )
    [first] = run_story(sims, clock, [(CIVIL, register, "m:register:1")])
    facts = sims[CIVIL].drain()
    number = first.data["certificate_no"]

    restarted_world = generate(seed=7, people=600)
    restarted = journalled(restarted_world, tmp_path, Clock(clock.now + timedelta(days=30)))
    replay_published = restarted[CIVIL].drain()
    redelivered = command(CIVIL, register, command_id="m:register:1", case_id="c")
    again = send(restarted, CIVIL, redelivered)
    sent_again = restarted[CIVIL].drain()
    once_more = send(restarted, CIVIL, redelivered)

    assert [] == replay_published  # the replay publishes nothing by itself
    assert (first, first, 1) == (again, once_more, restarted[CIVIL].effects["m:register:1"])
    assert ["MarriageRegistered", "HouseholdChanged"] == [e.message.message_type for e in facts]
    assert facts == sent_again  # the same facts, on the clock of the first handling
    assert [] == restarted[CIVIL].drain()
    marriage = restarted_world.current_marriage(man.resident_id)
    assert marriage is not None and number == marriage.certificate_no


def test_a_command_seen_again_after_a_replay_is_not_applied_again(tmp_path: Path) -> None:
    world, clock = generate(seed=7, people=600), Clock()
    person, child = a_death(world)
    story = the_story(person, child)
    first = run_story(journalled(world, tmp_path, clock), clock, story)

    restarted = journalled(generate(seed=7, people=600), tmp_path, Clock())
    department, payload, command_id = story[3]  # the hukou cancellation
    redelivered = command(department, payload, command_id=command_id, case_id="c")

    assert send(restarted, department, redelivered) == first[3]
    assert send(restarted, department, redelivered) == first[3]
    assert restarted[department].effects[command_id] == 1
    lines = read_journal(journal_path(tmp_path, department)).entries
    assert [e.command.command_id for e in lines] == ["c:cancel_hukou:1", "c:cancel_hukou:2"]
    # The same id for another command is still a fault, after a restart as before.
    moved = payload.model_copy(update={"date_of_death": DIED - timedelta(days=1)})
    with pytest.raises(PermanentFault, match="already used"):
        send(restarted, department, command(department, moved, command_id=command_id))


def test_a_new_command_after_a_replay_is_journalled_after_the_old_ones(tmp_path: Path) -> None:
    world, clock = generate(seed=7, people=600), Clock()
    person, child = a_death(world)
    run_story(journalled(world, tmp_path, clock), clock, the_story(person, child)[:3])

    restarted = journalled(generate(seed=7, people=600), tmp_path, clock)
    run_story(restarted, clock, the_story(person, child)[3:4])

    entries = read_journal(journal_path(tmp_path, POLICE)).entries
    assert [e.seq for e in entries] == [4]
    assert entries[0].outcome.outcome is ReplyOutcome.SUCCEEDED


def test_a_torn_last_line_is_dropped_with_a_warning_and_cut_off(tmp_path: Path) -> None:
    world, clock = generate(seed=7, people=600), Clock()
    person, child = a_death(world)
    story = the_story(person, child)
    run_story(journalled(world, tmp_path, clock), clock, story[:4])
    path = journal_path(tmp_path, POLICE)
    whole = path.read_bytes()
    path.write_bytes(whole + b'{"seq": 5, "handled_at": "2025-07')  # SIGKILL mid-write

    with capture_logs() as logs:
        restarted = journalled(generate(seed=7, people=600), tmp_path, clock)

    [warning] = [e for e in logs if e["event"] == "journal.torn_line_dropped"]
    assert (warning["department"], warning["log_level"]) == ("public_security", "warning")
    assert path.read_bytes() == whole
    run_story(restarted, clock, story[5:])  # the next append is a whole line of its own
    journal = read_journal(path)
    assert journal.torn_bytes == 0
    assert [e.command.command_id for e in journal.entries] == [
        "c:cancel_hukou:1",
        "c:cancel_hukou:2",
    ]


def test_a_broken_line_before_the_last_stops_the_simulators(tmp_path: Path) -> None:
    world, clock = generate(seed=7, people=600), Clock()
    person, child = a_death(world)
    run_story(journalled(world, tmp_path, clock), clock, the_story(person, child))
    path = journal_path(tmp_path, POLICE)
    first, second = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b'{"seq": "x"}\n' + second)

    with pytest.raises(JournalCorrupt, match=r"public_security\.jsonl:1: seq"):
        journalled(generate(seed=7, people=600), tmp_path, clock)
    assert first  # the line that was replaced


def test_a_replay_that_decides_otherwise_is_reported_and_the_first_answer_kept(
    tmp_path: Path,
) -> None:
    world, clock = generate(seed=7, people=600), Clock()
    person, child = a_death(world)
    story = the_story(person, child)
    first = run_story(journalled(world, tmp_path, clock), clock, story)

    with capture_logs() as logs:
        other = journalled(generate(seed=8, people=50), tmp_path, clock)  # another population

    diverged = [e for e in logs if e["event"] == "journal.replay_diverged"]
    assert ("c:certify:1", "DeathCertificateIssued", "person_not_found") in {
        (e["command_id"], e["recorded"], e["replayed"]) for e in diverged
    }
    [summary] = [e for e in logs if e["event"] == "journal.replayed" and e["commands"]]
    assert summary["diverged"] == len(diverged)
    department, payload, command_id = story[0]
    asked = command(department, payload, command_id=command_id, case_id="c")
    assert send(other, department, asked) == first[0]


def test_a_replayed_commands_facts_go_out_again_only_when_it_is_asked_again(
    tmp_path: Path,
) -> None:
    world, clock = generate(seed=7, people=600), Clock()
    person, child = a_death(world)
    story = the_story(person, child)
    sims = journalled(world, tmp_path, clock)
    run_story(sims, clock, story[:1])
    [fact] = sims[HEALTH].drain()

    restarted = journalled(generate(seed=7, people=600), tmp_path, Clock())
    assert restarted[HEALTH].drain() == []  # the replay publishes nothing
    department, payload, command_id = story[0]
    redelivered = command(department, payload, command_id=command_id, case_id="c")
    send(restarted, department, redelivered)
    [again] = restarted[HEALTH].drain()
    send(restarted, department, redelivered)

    assert restarted[HEALTH].drain() == []
    assert isinstance(again.message, DeathCertified)
    assert again == fact


def test_the_local_factory_keeps_a_journal_per_population(tmp_path: Path) -> None:
    settings = Settings(
        population_seed=7,
        population_size=600,
        departments="health",
        simulator_journal_dir=tmp_path,
    )
    directory = journal_directory(settings)
    assert directory == tmp_path / "population-7-600"
    world = generate(seed=7, people=600)
    person, _ = a_death(world)
    certify = command(HEALTH, the_story(person, person)[0][1], command_id="c:certify:1")
    [first] = simulators(settings)
    asyncio.run(first.handle(certify))

    [restarted] = simulators(settings)

    assert isinstance(restarted, Simulator)
    assert restarted.world.death_certified(person.resident_id)
    assert [
        e.command.command_id for e in read_journal(journal_path(directory, HEALTH)).entries
    ] == ["c:certify:1"]
    assert journal_directory(settings.model_copy(update={"simulator_journal_dir": None})) is None


def test_a_line_that_cannot_be_applied_again_stops_the_simulators(tmp_path: Path) -> None:
    world, clock = generate(seed=7, people=600), Clock()
    person, child = a_death(world)
    run_story(journalled(world, tmp_path, clock), clock, the_story(person, child)[:1])
    path = journal_path(tmp_path, HEALTH)
    [entry] = read_journal(path).entries
    unknown = entry.command.model_copy(update={"command": "NoSuchCommand"})
    path.write_text(entry.model_copy(update={"command": unknown}).model_dump_json() + "\n")

    with pytest.raises(JournalCorrupt, match=r"health\.jsonl: command 1 \(NoSuchCommand"):
        journalled(generate(seed=7, people=600), tmp_path, clock)
