"""Which areas' pages show a change: the cached pages' part of core.writes (see core.writes.page_areas).

An area's map, board pages and calendars show its own boards and posts, the protocols it makes or is a party
to, and the records of any protocol that name its boards or posts. So a change to a protocol's records shows
in the protocol's area and in the areas of every board and post it names; a change to an area's register
shows there and wherever a protocol naming that area's boards or posts shows.
"""

from django.db.models import Q

from boards.models import Area, Board, Post
from protocols.models import Approval, Party, Protocol

from .models import (
    Duty,
    EscalationStep,
    Meeting,
    ObligationRecipient,
    ObligationSender,
    PriorityLead,
    Relation,
    ReportingObligation,
)

# Each record naming a board or a post: (rows, the path from a row to its protocol, the field naming it).
BOARD_REFERENCES = [
    (Party.objects, "version__protocol", "board"),
    (Relation.objects, "version__protocol", "subject_board"),
    (Relation.objects, "version__protocol", "object_board"),
    (Duty.objects, "version__protocol", "holder_board"),
    (ObligationSender.objects, "obligation__version__protocol", "board"),
    (ObligationRecipient.objects, "obligation__version__protocol", "board"),
    (Meeting.participant_boards.through.objects, "meeting__version__protocol", "board"),
    (EscalationStep.boards.through.objects, "escalationstep__route__version__protocol", "board"),
    (PriorityLead.objects, "priority__version__protocol", "board"),
]
POST_REFERENCES = [
    (Party.objects, "version__protocol", "signatory_post"),
    (Approval.objects, "party__version__protocol", "signatory_post"),
    (Relation.objects, "version__protocol", "subject_post"),
    (Relation.objects, "version__protocol", "object_post"),
    (Duty.objects, "version__protocol", "holder_post"),
    (ReportingObligation.objects, "version__protocol", "presenter"),
    (ObligationSender.objects, "obligation__version__protocol", "post"),
    (ObligationRecipient.objects, "obligation__version__protocol", "post"),
    (Meeting.participant_posts.through.objects, "meeting__version__protocol", "post"),
    (EscalationStep.posts.through.objects, "escalationstep__route__version__protocol", "post"),
]


def _ids(references, match, values, read):
    """One UNION query: the ids read (each row's protocol, or its board or post) from every reference whose
    field (match="field") or protocol (match="protocol") is among `values`.

    Lists of ids and a UNION keep each part a plain indexed look-up; the same joined as subqueries under OR
    took PostgreSQL minutes at 150 areas.
    """
    if not values:
        return set()
    parts = []
    for rows, path, field in references:
        lookup = f"{field}__in" if match == "field" else f"{path}__in"
        read_as = path if read == "protocol" else field
        parts.append(rows.filter(**{lookup: values}).order_by().values_list(read_as, flat=True))
    return {pk for pk in parts[0].union(*parts[1:]) if pk is not None}


def _areas_showing(protocols):
    """The areas of these protocols and of every board and post they name: three queries."""
    boards = _ids(BOARD_REFERENCES, "protocol", protocols, "field")
    posts = _ids(POST_REFERENCES, "protocol", protocols, "field")
    board_areas = Board.areas.through.objects
    return set(
        Area.objects.filter(
            Q(pk__in=Protocol.objects.filter(pk__in=protocols).values("area"))
            | Q(pk__in=board_areas.filter(board__in=boards).values("area"))
            | Q(pk__in=Post.objects.filter(pk__in=posts).values("area"))
            | Q(pk__in=board_areas.filter(board__posts__in=posts, board__posts__area__isnull=True).values("area"))
        ).values_list("pk", flat=True)
    )


def _protocols_naming(area_ids):
    """The protocols that name a board or a post of these areas: three queries."""
    boards = set(Board.areas.through.objects.filter(area__in=area_ids).values_list("board", flat=True))
    posts = set(
        Post.objects.filter(Q(area__in=area_ids) | Q(area__isnull=True, board__in=boards)).values_list("pk", flat=True)
    )
    return _ids(BOARD_REFERENCES, "field", boards, "protocol") | _ids(POST_REFERENCES, "field", posts, "protocol")


def areas_showing(area_ids, protocol_id):
    """core.writes.page_areas: where a change to these areas' register, or to this protocol, shows."""
    protocols = {protocol_id} if protocol_id is not None else set()
    if area_ids:
        protocols |= _protocols_naming(area_ids)
    return _areas_showing(sorted(protocols)) if protocols else set()
