"""Regular meetings a protocol states: who meets (boards and posts), how often, why, and their standing
agenda, each kept from the clause that says so."""

from __future__ import annotations

from django.db import transaction

from boards.models import Board, Post
from core.writes import record_create, record_delete, record_rows, record_update
from protocols.models import Clause, ProtocolVersion

from ..models import AgendaItem, Meeting
from .records import _check_clause_errors, _full_clean, _outside_errors

MEETING_FIELDS = ("title", "frequency", "purpose", "source_clause")


def _validate_meeting(meeting, participants=None):
    errors = {}
    if not (meeting.title or "").strip():
        errors["title"] = "Enter what the meeting is called, or what it is for"
    if participants is not None:
        if len(participants) < 2:
            errors["participants"] = "Choose at least two boards or posts that meet"
        errors |= _outside_errors(meeting.version, {"participants": participants})
    _check_clause_errors(errors, meeting)
    _full_clean(meeting, errors)


def _participant_names(meeting):
    return sorted([*map(str, meeting.participant_boards.all()), *map(str, meeting.participant_posts.all())])


def _set_participants(meeting, participants):
    meeting.participant_boards.set([p for p in participants if isinstance(p, Board)])
    meeting.participant_posts.set([p for p in participants if isinstance(p, Post)])


def _set_agenda(meeting, agenda):
    """Replace the standing agenda; the caller audits it as part of the meeting."""
    for item in meeting.agenda_items.all():
        record_delete(user=None, obj=item, audited=False)
    record_rows(AgendaItem(meeting=meeting, text=text, position=index) for index, text in enumerate(agenda))


def _agenda(lines) -> list[str]:
    return [line.strip() for line in lines or () if line and line.strip()]


@transaction.atomic
def meeting_create(
    *,
    user,
    version: ProtocolVersion,
    title: str,
    participants=(),
    frequency: str = "",
    purpose: str = "",
    agenda=(),
    source_clause: Clause | None = None,
) -> Meeting:
    """`participants` are the boards and posts that meet; `frequency` empty when the protocol does not say."""
    participants, agenda = list(participants), _agenda(agenda)
    meeting = Meeting(
        version=version,
        source_clause=source_clause,
        title=(title or "").strip(),
        frequency=frequency or "",
        purpose=(purpose or "").strip(),
    )
    meeting = record_create(
        user=user,
        obj=meeting,
        validate=lambda m: _validate_meeting(m, participants),
        audit_fields=(*MEETING_FIELDS, "participant_boards", "participant_posts"),
        related={
            "participant_boards": [p for p in participants if isinstance(p, Board)],
            "participant_posts": [p for p in participants if isinstance(p, Post)],
        },
    )
    _set_agenda(meeting, agenda)
    return meeting


@transaction.atomic
def meeting_update(*, user, meeting: Meeting, expected_revision: int | None, **fields) -> Meeting:
    participants = fields.pop("participants", None)
    agenda = fields.pop("agenda", None)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    parts = {}
    if participants is not None:
        participants = list(participants)
        parts["participants"] = (
            _participant_names(meeting),
            sorted(map(str, participants)),
            lambda current: _set_participants(current, participants),
        )
    if agenda is not None:
        agenda = _agenda(agenda)
        parts["agenda"] = (
            [item.text for item in meeting.agenda_items.all()],
            agenda,
            lambda current: _set_agenda(current, agenda),
        )
    fields = {name: (value.strip() if isinstance(value, str) else value) for name, value in fields.items()}
    return record_update(
        user=user,
        obj=meeting,
        fields=fields,
        expected_revision=expected_revision,
        validate=lambda m: _validate_meeting(m, participants),
        parts=parts or None,
    )


@transaction.atomic
def meeting_delete(*, user, meeting: Meeting, expected_revision: int | None = None) -> None:
    record_delete(
        user=user,
        obj=meeting,
        expected_revision=expected_revision,
        audit_fields=MEETING_FIELDS,
        before_extra={
            "participants": _participant_names(meeting),
            "agenda": [i.text for i in meeting.agenda_items.all()],
        },
    )
