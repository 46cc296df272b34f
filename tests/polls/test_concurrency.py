"""Answers written at the same moment (two members, or one member in two tabs) are never lost
or duplicated: each is one upsert on (slot, user, for_deputy).

This needs real concurrency, so it runs on PostgreSQL (CLUSTER_TEST_DATABASE_URL=postgresql://...).
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from cluster.extensions import db
from cluster.polls.models import PollAnswer, PollComment
from tests.conftest import sign_in_as
from tests.polls.helpers import make_poll

SLOTS = ROUNDS = 12
ANSWERS = ("yes", "maybe", "no")
#: Everyone's answer in the last round (both of fern1's tabs agree on theirs).
LAST = {"tab-a": "maybe", "tab-b": "maybe", "oak": "yes", "ash": "no", "brook": "maybe"}


def test_concurrent_answers_are_neither_lost_nor_duplicated(app, net):
    if db.engine.dialect.name != "postgresql":
        pytest.skip(
            "SQLite lets one writer at a time into the whole database, so requests cannot race there; "
            "run with CLUSTER_TEST_DATABASE_URL=postgresql://... to test concurrent upserts"
        )
    poll = make_poll(net.network, *[f"2027-06-{day:02d}" for day in range(7, 7 + SLOTS)])
    slot_ids = [slot.id for slot in poll.slots]
    url = f"{net.base}/{poll.id}/answers"
    p = net.people
    # One thread per member, plus a second "tab" for fern1: both tabs post to the same rows.
    workers = [
        ("tab-a", p.fern1.id),
        ("tab-b", p.fern1.id),
        ("oak", p.oak.id),
        ("ash", p.ash.id),
        ("brook", p.brook.id),
    ]
    barrier = threading.Barrier(len(workers))
    statuses: list[int] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def plan(name: str, round_: int) -> dict[str, str]:
        """What ``name`` posts in ``round_``: one more slot each round, so that every round starts
        with everyone creating a row at once (both tabs the same one); the tabs disagree until
        the last round."""
        if round_ == ROUNDS - 1:
            return {f"slot-{s}": LAST[name] for s in slot_ids} | {"comment": f"final {LAST[name]}"}
        shift = {"tab-a": 0, "tab-b": 1}.get(name, round_)
        posted = {
            f"slot-{s}": ANSWERS[(shift + i + round_) % 3] for i, s in enumerate(slot_ids[: round_ + 1])
        }
        return posted | {"comment": f"{name} {round_}"}

    def work(name: str, user_id: int) -> None:
        try:
            with app.app_context():
                client = app.test_client()
                sign_in_as(client, type("Who", (), {"id": user_id}))
                for round_ in range(ROUNDS):
                    barrier.wait(timeout=30)  # everyone posts at the same moment
                    response = client.post(
                        url, data=plan(name, round_), headers={"Accept": "application/json"}
                    )
                    with lock:
                        statuses.append(response.status_code)
        except BaseException as error:  # noqa: BLE001 (reported below, with the thread's name)
            barrier.abort()
            with lock:
                failures.append(error)

    threads = [threading.Thread(target=work, args=worker, name=worker[0]) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert statuses == [200] * (len(workers) * ROUNDS)

    db.session.expire_all()
    rows = db.session.execute(
        sa.select(PollAnswer.slot_id, PollAnswer.user_id, PollAnswer.for_deputy, PollAnswer.answer)
    ).all()
    keys = [(slot_id, user_id, for_deputy) for slot_id, user_id, for_deputy, _ in rows]
    assert len(keys) == len(set(keys)) == 4 * len(slot_ids)  # one row per member and slot
    last = {user_id: LAST[name] for name, user_id in workers}
    assert {(user_id, answer) for _, user_id, _, answer in rows} == set(
        last.items()
    )  # each member's last answer
    comments = db.session.execute(sa.select(PollComment.user_id, PollComment.body)).all()
    assert sorted(comments) == sorted((user_id, f"final {answer}") for user_id, answer in last.items())
