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


def _any(references, match, values, read):
    """Rows of any reference whose field (match="field") or protocol (match="protocol") is among `values`,
    read as their protocol or field: a Q on pk over all of them."""
    query = Q(pk__in=[])
    for rows, path, field in references:
        lookup = f"{field}__in" if match == "field" else f"{path}__in"
        query |= Q(pk__in=rows.filter(**{lookup: values}).values(path if read == "protocol" else field))
    return query


def _areas_showing(protocols):
    """The areas of these protocols and of every board and post they name (a subquery, not yet run)."""
    boards = Board.objects.filter(_any(BOARD_REFERENCES, "protocol", protocols, "field"))
    posts = Post.objects.filter(_any(POST_REFERENCES, "protocol", protocols, "field"))
    board_areas = Board.areas.through.objects
    return Area.objects.filter(
        Q(pk__in=Protocol.objects.filter(pk__in=protocols).values("area"))
        | Q(pk__in=board_areas.filter(board__in=boards).values("area"))
        | Q(pk__in=posts.values("area"))
        | Q(pk__in=board_areas.filter(board__posts__in=posts.filter(area__isnull=True)).values("area"))
    )


def _protocols_naming(area_ids):
    """The protocols that name a board or a post of these areas."""
    boards = Board.areas.through.objects.filter(area__in=area_ids).values("board")
    posts = Post.objects.filter(Q(area__in=area_ids) | Q(area__isnull=True, board__in=boards)).values("pk")
    by_board = _any(BOARD_REFERENCES, "field", boards, "protocol")
    by_post = _any(POST_REFERENCES, "field", posts, "protocol")
    return Protocol.objects.filter(by_board | by_post).values("pk")


def areas_showing(area_ids, protocol_id):
    """core.writes.page_areas: where a change to these areas' register, or to this protocol, shows (one query)."""
    protocols = Q(pk=protocol_id) if protocol_id is not None else Q(pk__in=[])
    if area_ids:
        protocols |= Q(pk__in=_protocols_naming(area_ids))
    return set(_areas_showing(Protocol.objects.filter(protocols).values("pk")).values_list("pk", flat=True))
