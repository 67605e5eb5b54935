"""What was agreed is frozen below the services too: bulk ORM calls refuse rows of an agreed version, and
on PostgreSQL so does SQL run against the database, whatever wrote it."""

import pytest
from django.db import DatabaseError, connection, transaction

from accountability.models import Meeting, ObligationRecipient, ReportingObligation
from core.exceptions import VersionLocked
from core.writes import one_change, unlocked
from protocols.models import Clause, ProtocolVersion, Section
from tests.factories import (
    BoardFactory,
    ClauseFactory,
    ObligationFactory,
    RecipientFactory,
    SectionFactory,
    VersionFactory,
)

pytestmark = pytest.mark.django_db

Status = ProtocolVersion.Status


@pytest.fixture
def agreed_clause():
    version = VersionFactory(status=Status.AGREED)
    return ClauseFactory(section=SectionFactory(version=version), text="<p>The board reports yearly.</p>")


@pytest.fixture
def draft_clause():
    return ClauseFactory(section=SectionFactory(version=VersionFactory(status=Status.DRAFT)), text="<p>Draft.</p>")


def test_an_agreed_clause_refuses_an_update_run_below_the_services(agreed_clause):
    """On PostgreSQL a raw SQL UPDATE of an agreed version's clause fails in the database; on SQLite,
    which has no such trigger, the same change made in bulk through the ORM is refused by the model."""
    if connection.vendor == "postgresql":
        statement = "UPDATE protocols_clause SET text = %s WHERE id = %s"
        with (
            pytest.raises(DatabaseError, match="agreed or superseded"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(statement, ["<p>Changed.</p>", agreed_clause.pk])
    else:
        with pytest.raises(VersionLocked):
            Clause.objects.filter(pk=agreed_clause.pk).update(text="<p>Changed.</p>")
    agreed_clause.refresh_from_db()
    assert agreed_clause.text == "<p>The board reports yearly.</p>"


@pytest.mark.parametrize(
    "change",
    [
        lambda clause: Clause.objects.filter(pk=clause.pk).update(text="<p>Changed.</p>"),
        lambda clause: Clause.objects.bulk_update([_with_text(clause)], ["text"]),
        lambda clause: Clause.objects.filter(pk=clause.pk).delete(),
        lambda clause: Section.objects.filter(pk=clause.section_id).update(heading="Changed"),
        lambda clause: Section.objects.filter(pk=clause.section_id).delete(),
    ],
    ids=["update", "bulk_update", "delete", "section update", "section delete"],
)
def test_bulk_orm_writes_refuse_an_agreed_version(agreed_clause, change):
    with pytest.raises(VersionLocked), transaction.atomic():
        change(agreed_clause)
    agreed_clause.refresh_from_db()
    assert agreed_clause.text == "<p>The board reports yearly.</p>"


def _with_text(clause):
    clause.text = "<p>Changed.</p>"
    return clause


def test_bulk_orm_writes_still_change_a_draft(draft_clause):
    assert Clause.objects.filter(pk=draft_clause.pk).update(text="<p>Redrafted.</p>") == 1
    Clause.objects.filter(pk=draft_clause.pk).delete()
    assert not Clause.objects.filter(pk=draft_clause.pk).exists()


def test_an_agreed_obligations_recipients_cannot_be_removed():
    obligation = ObligationFactory(version=VersionFactory(status=Status.AGREED))
    RecipientFactory(obligation=obligation)
    with pytest.raises((VersionLocked, DatabaseError)), transaction.atomic():
        ObligationRecipient.objects.filter(obligation=obligation).delete()
    with pytest.raises(VersionLocked), transaction.atomic():
        ReportingObligation.objects.filter(pk=obligation.pk).update(title="Another report")
    assert obligation.recipients.exists()


def test_an_agreed_version_may_only_become_superseded(agreed_clause):
    version = agreed_clause.section.version
    version.status = Status.SUPERSEDED
    version.save()
    version.refresh_from_db()
    assert version.status == Status.SUPERSEDED
    version.title = "Another title"
    with pytest.raises(VersionLocked), transaction.atomic():
        version.save()


def test_an_agreed_versions_own_text_cannot_change_in_sql(agreed_clause):
    """The trigger on the version row itself: its words are part of the record (PostgreSQL only;
    on SQLite the model's save() refuses the same, as the test above shows)."""
    version = agreed_clause.section.version
    if connection.vendor != "postgresql":
        version.title = "Another title"
        with pytest.raises(VersionLocked), transaction.atomic():
            version.save()
        return
    with pytest.raises(DatabaseError, match="cannot change"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE protocols_protocolversion SET title = 'x' WHERE id = %s", [version.pk])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE protocols_protocolversion SET status = 'superseded' WHERE id = %s", [version.pk])
    version.refresh_from_db()
    assert version.status == Status.SUPERSEDED


def test_unlocked_removes_generated_agreed_records(agreed_clause):
    """Deleting synthetic data is the one place agreed records go, and only inside unlocked()."""
    with unlocked():
        agreed_clause.section.version.protocol.delete()
    assert not Clause.objects.filter(pk=agreed_clause.pk).exists()


def _meeting_with_a_board(status):
    meeting = Meeting.objects.create(version=VersionFactory(status=status), title="Joint chairs' meeting")
    board = BoardFactory()
    meeting.participant_boards.add(board)  # adding is allowed: a past version is entered after it is agreed
    return meeting, board


@pytest.mark.parametrize(
    "unlink",
    [
        lambda meeting, board: meeting.participant_boards.remove(board),
        lambda meeting, board: meeting.participant_boards.clear(),
        lambda meeting, board: meeting.participant_boards.set([]),
        lambda meeting, board: board.meetings.remove(meeting),
        lambda meeting, board: board.meetings.clear(),
    ],
    ids=["remove", "clear", "set", "remove from the board", "clear from the board"],
)
def test_an_agreed_meetings_participants_cannot_be_removed_through_the_orm(unlink):
    meeting, board = _meeting_with_a_board(Status.AGREED)
    with pytest.raises(VersionLocked, match="signed record"), transaction.atomic():
        unlink(meeting, board)
    assert list(meeting.participant_boards.all()) == [board]


def test_a_draft_meetings_participants_can_be_removed():
    meeting, board = _meeting_with_a_board(Status.DRAFT)
    board.meetings.clear()
    assert not meeting.participant_boards.exists()


def test_an_agreed_meetings_participants_cannot_be_removed_in_sql():
    """PostgreSQL's trigger on the link table itself; SQLite, which has none, relies on the ORM guard."""
    meeting, board = _meeting_with_a_board(Status.AGREED)
    if connection.vendor == "postgresql":
        table = Meeting.participant_boards.through._meta.db_table
        with (
            pytest.raises(DatabaseError, match="agreed or superseded"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(f"DELETE FROM {table} WHERE meeting_id = %s", [meeting.pk])
    else:
        with pytest.raises(VersionLocked), transaction.atomic():
            meeting.participant_boards.clear()
    assert list(meeting.participant_boards.all()) == [board]


def test_within_one_change_a_version_agreed_midway_refuses_further_rows(draft_clause):
    """one_change() keeps the versions it found open, but forgets them when a version is saved: a row
    written after the version became agreed in the same change is refused."""
    version = draft_clause.section.version
    with pytest.raises(VersionLocked), one_change():
        Clause(section=draft_clause.section, key="k2", text="<p>Added while a draft.</p>", position=2).refuse_locked()
        version.status = Status.AGREED
        version.save()
        draft_clause.refuse_locked()
    assert ProtocolVersion.objects.get(pk=version.pk).status == Status.DRAFT  # the whole change rolled back
