"""Which areas' pages show a change: the cached pages' part of core.writes (see core.writes.page_areas).

An area's map, board pages and calendars show its own boards and posts, the protocols it makes or is a party
to, and the records of any protocol that name its boards or posts. So a change to a protocol's records shows
in the protocol's area and in the areas of every board and post it names; a change to an area's register
shows there and wherever a protocol naming that area's boards or posts shows.
"""

from django.db.models import Q

from boards.models import Area, Board, Post
from core.compiled import CompiledQuery
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


def _union(references, match, read):
    """A CompiledQuery: the ids read (each row's protocol, or its board or post) from every reference whose field
    (match="field") or protocol (match="protocol") is among the ids given, as one UNION query.

    Lists of ids and a UNION keep each part a plain indexed look-up; the same joined as subqueries under OR
    took PostgreSQL minutes at 150 areas.
    """

    def build(values):
        parts = []
        for rows, path, field in references:
            lookup = f"{field}__in" if match == "field" else f"{path}__in"
            read_as = path if read == "protocol" else field
            parts.append(rows.filter(**{lookup: values}).order_by().values_list(read_as, flat=True))
        return parts[0].union(*parts[1:])

    return CompiledQuery(build)


# Asked on every audited write: built and compiled once (core.compiled), run with each write's ids.
BOARDS_NAMED_BY = _union(BOARD_REFERENCES, "protocol", "field")
POSTS_NAMED_BY = _union(POST_REFERENCES, "protocol", "field")
PROTOCOLS_NAMING_BOARDS = _union(BOARD_REFERENCES, "field", "protocol")
PROTOCOLS_NAMING_POSTS = _union(POST_REFERENCES, "field", "protocol")
AREAS_OF = CompiledQuery(
    lambda protocols, boards, posts: Area.objects.filter(
        Q(pk__in=Protocol.objects.filter(pk__in=protocols).values("area"))
        | Q(pk__in=Board.areas.through.objects.filter(board__in=boards).values("area"))
        | Q(pk__in=Post.objects.filter(pk__in=posts).values("area"))
        | Q(
            pk__in=Board.areas.through.objects.filter(board__posts__in=posts, board__posts__area__isnull=True).values(
                "area"
            )
        )
    ).values_list("pk")
)
BOARDS_OF_AREAS = CompiledQuery(lambda areas: Board.areas.through.objects.filter(area__in=areas).values_list("board"))
POSTS_OF_AREAS = CompiledQuery(
    lambda areas, boards: Post.objects.filter(Q(area__in=areas) | Q(area__isnull=True, board__in=boards)).values_list(
        "pk"
    )
)


def _ids(query, *lists):
    return {row[0] for row in query(*lists) if row[0] is not None}


def _areas_showing(protocols):
    """The areas of these protocols and of every board and post they name: three queries."""
    boards = _ids(BOARDS_NAMED_BY, protocols)
    posts = _ids(POSTS_NAMED_BY, protocols)
    return _ids(AREAS_OF, protocols, boards, posts)


def _protocols_naming(area_ids):
    """The protocols that name a board or a post of these areas: four queries."""
    boards = _ids(BOARDS_OF_AREAS, area_ids)
    posts = _ids(POSTS_OF_AREAS, area_ids, boards)
    return (_ids(PROTOCOLS_NAMING_BOARDS, boards) if boards else set()) | (
        _ids(PROTOCOLS_NAMING_POSTS, posts) if posts else set()
    )


def areas_showing(area_ids, protocol_id):
    """core.writes.page_areas: where a change to these areas' register, or to this protocol, shows."""
    protocols = {protocol_id} if protocol_id is not None else set()
    if area_ids:
        protocols |= _protocols_naming(area_ids)
    return _areas_showing(protocols) if protocols else set()
