"""Reads used by the pages, the PDF and the API, each in a fixed number of queries.

Accountability records (obligations, duties, relations, ...) are reached through the reverse
relations their models declare on Clause and ProtocolVersion, by name, so this module never
imports the accountability app.
"""

from django.db.models import Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import RowNumber

from boards.models import Area, Board, Membership
from core.models import AuditRecord

from .models import AgreedRecord, Approval, Clause, GlossaryEntry, Party, Protocol, ProtocolVersion, Section
from .permissions import home_areas, visible_versions


def areas_with_protocols(*, user):
    """Every area with the protocols this user may see, each with its newest readable version (the only one
    listed: `protocol.versions.all.0`) and its parties: four queries whatever the size. A protocol with only
    drafts the user may not read is left out (one with no version at all is listed, as its own page is public)."""
    readable = visible_versions(user)
    # Only each protocol's newest readable version is read (a window over each protocol's versions), so older
    # versions and their parties stay in the database.
    newest = Window(RowNumber(), partition_by=F("protocol_id"), order_by=F("number").desc())
    versions = (
        readable.annotate(newest=newest)
        .filter(newest=1)
        .order_by("-number")
        .prefetch_related(Prefetch("parties", queryset=Party.objects.select_related("board").order_by("position")))
    )
    no_version = ~Exists(ProtocolVersion.objects.filter(protocol=OuterRef("pk")))
    protocols = (
        Protocol.objects.filter(Q(pk__in=readable.values("protocol_id")) | no_version)
        .order_by("title")
        .prefetch_related(Prefetch("versions", queryset=versions))
    )
    return Area.objects.order_by("name").prefetch_related(Prefetch("protocols", queryset=protocols))


# The protocol list ------------------------------------------------------------------------------


def protocol_list(*, user, statuses=()):
    """Protocols this user may read, each with the version a reader should see first; filter it with
    protocols.filters.ProtocolFilter, as the API does, so that the page and the API list the same protocols.

    That version is the agreed one when there is one, else the latest this user may read; when the
    reader asks for versions of some `statuses`, it is the latest of those instead, so that a row shows
    the version that matched. Returns a queryset of Protocol annotated with `shown_version_id`,
    `shown_status` and `shown_review_due`; pair a page of it with `attach_shown_versions` (two more
    queries) before rendering.
    """
    readable = visible_versions(user).filter(protocol=OuterRef("pk"))
    if statuses:
        shown = readable.filter(status__in=statuses).order_by("-number")
    else:
        shown = readable.agreed_first().order_by("agreed_first", "-number")
    return (
        Protocol.objects.select_related("area")
        .annotate(
            shown_version_id=Subquery(shown.values("id")[:1], output_field=IntegerField()),
            shown_status=Subquery(shown.values("status")[:1]),
            shown_review_due=Subquery(shown.values("review_due")[:1]),
        )
        .filter(shown_version_id__isnull=False)
        .order_by("area__name", "title")
    )


def attach_shown_versions(protocols):
    """Set `protocol.shown_version` (with parties and their boards) on each protocol of a page: two queries."""
    protocols = list(protocols)
    versions = (
        ProtocolVersion.objects.filter(pk__in=[p.shown_version_id for p in protocols])
        .select_related("protocol")
        .prefetch_related(Prefetch("parties", queryset=Party.objects.select_related("board").order_by("position")))
    )
    by_id = {v.pk: v for v in versions}
    for protocol in protocols:
        protocol.shown_version = by_id.get(protocol.shown_version_id)
    return protocols


def filter_choices(*, area=None, board=None):
    """Areas and boards that are party to some protocol, for the list's filters: two queries.

    The boards offered are the chosen `area`'s (and the chosen `board` itself): every board in the
    country would make the page grow with the registry, so without an area only a chosen board is listed.
    """
    areas = Area.objects.filter(Q(protocols__isnull=False) | Q(boards__protocol_parties__isnull=False)).distinct()
    if area is None and board is None:
        return list(areas.order_by("name")), []
    shown = Q(pk=board.pk) if board is not None else Q(areas=area)
    if area is not None and board is not None:
        shown |= Q(areas=area)
    boards = Board.objects.filter(shown, protocol_parties__isnull=False).distinct().order_by("name")
    return list(areas.order_by("name")), list(boards)


# One version ------------------------------------------------------------------------------------


def _records(model, name):
    """The model a reverse relation of `model` leads to, by its name: the records' app is never imported here."""
    return model._meta.get_field(name).related_model


def _with_parties(records):
    """Obligations with their presenter, and their senders and recipients with each one's board or post, joined
    in the senders' and recipients' own queries rather than read by one more query per relation."""
    sender, recipient = _records(records.model, "senders"), _records(records.model, "recipients")
    return records.select_related("presenter").prefetch_related(
        Prefetch("senders", queryset=sender.objects.select_related("board", "post")),
        # Recipients and citations have no ordering of their own: in the order they were recorded, as read before.
        Prefetch("recipients", queryset=recipient.objects.select_related("board", "post").order_by("id")),
    )


def _clause_queryset():
    """Clauses with everything drawn from them, prefetched by reverse relation name; the boards, posts and
    legislation each record names are joined in the record's own query."""
    obligation, duty, relation = (_records(Clause, name) for name in ("obligations", "duties", "relations"))
    citation = _records(Clause, "citations")
    legal_reference = _records(duty, "legal_references")
    return (
        Clause.objects.select_related("parent")
        .order_by("position")
        .prefetch_related(
            Prefetch("obligations", queryset=_with_parties(obligation.objects.all())),
            Prefetch(
                "duties",
                queryset=duty.objects.select_related("holder_board", "holder_post").prefetch_related(
                    Prefetch("legal_references", queryset=legal_reference.objects.select_related("instrument"))
                ),
            ),
            Prefetch(
                "relations",
                queryset=relation.objects.select_related(
                    "subject_board", "subject_post", "object_board", "object_post"
                ),
            ),
            "meetings",
            "escalation_routes",
            "priorities",
            Prefetch(
                "citations", queryset=citation.objects.select_related("legal_reference__instrument").order_by("id")
            ),
        )
    )


def version_for_reading(*, slug, number, with_fingerprint=False):
    """The version with its protocol and area, or None: one query. Check permission before using it.

    with_fingerprint adds `agreed_fingerprint`, the fingerprint of its record of what was agreed (None
    without one), in the same query: the key of its cached page (page_cache).
    """
    versions = ProtocolVersion.objects.select_related("protocol__area", "based_on")
    if with_fingerprint:
        record = AgreedRecord.objects.filter(version=OuterRef("pk")).values("fingerprint")[:1]
        versions = versions.annotate(agreed_fingerprint=Subquery(record))
    return versions.filter(protocol__slug=slug, number=number).first()


def version_document(*, version, user=None, with_memberships=False, with_audit=False):
    """Everything the version page (and the PDF) shows, in a fixed number of queries.

    Returns a dict: parties (with boards, signatory posts and live approvals), sections (with
    clauses and what each clause states), glossary, legal references cited anywhere in the
    version, obligations of the version (the reporting schedule), relations, and the other
    versions of the protocol this user may read. The count does not depend on how many
    sections, clauses or obligations there are.
    """
    live_approvals = Approval.objects.filter(withdrawn_at__isnull=True).select_related(
        "signatory_post", "signatory_person", "recorded_by", "signature_request"
    )
    party_queryset = (
        Party.objects.select_related("board", "signatory_post")
        .order_by("position")
        .prefetch_related(Prefetch("approvals", queryset=live_approvals))
    )
    if with_memberships:
        memberships = Membership.objects.select_related("post").order_by("capacity", "post__title", "organisation")
        party_queryset = party_queryset.prefetch_related(Prefetch("board__memberships", queryset=memberships))
    parties = list(party_queryset.filter(version=version))
    sections = list(
        Section.objects.filter(version=version)
        .order_by("position")
        .prefetch_related(Prefetch("clauses", queryset=_clause_queryset()))
    )
    glossary = list(GlossaryEntry.objects.filter(version=version).order_by("term"))
    obligations = list(_with_parties(version.obligations.select_related("source_clause__parent")).order_by("id"))
    relations = list(
        version.relations.select_related("subject_board", "subject_post", "object_board", "object_post").order_by("id")
    )
    other_versions = []
    if user is not None:
        other_versions = list(
            visible_versions(user).filter(protocol_id=version.protocol_id).exclude(pk=version.pk).order_by("-number")
        )

    references = {}
    for section in sections:
        for clause in section.clauses.all():
            for citation in clause.citations.all():
                references.setdefault(citation.legal_reference_id, citation.legal_reference)
            for duty in clause.duties.all():
                for reference in duty.legal_references.all():
                    references.setdefault(reference.pk, reference)
    document = {
        "version": version,
        "protocol": version.protocol,
        "parties": parties,
        "sections": sections,
        "glossary": glossary,
        "obligations": obligations,
        "relations": relations,
        "legal_references": sorted(references.values(), key=lambda r: (r.instrument.title, r.provision)),
        "other_versions": other_versions,
    }
    if with_audit:
        document["audit_events"] = list(
            AuditRecord.objects.for_version(version.pk).select_related("user").order_by("at", "id")[:200]
        )
    return document


# A signed-in reader's home ------------------------------------------------------------------------


def home_for_user(*, user, today):
    """What a signed-in user's home shows about their areas: versions awaiting approval (with each party's
    approvals), agreed versions whose review is due soon or overdue, and the areas' boards. Seven queries
    (with the role lookup); the caller adds the areas' protocols with areas_with_protocols."""
    areas = list(home_areas(user).order_by("name"))
    readable = visible_versions(user)
    in_areas = Q(protocol__area__in=areas) | Q(parties__board__areas__in=areas)
    live_approvals = Approval.objects.filter(withdrawn_at__isnull=True)
    parties = Party.objects.select_related("board").order_by("position")
    awaiting = (
        readable.awaiting_approval()
        .filter(pk__in=ProtocolVersion.objects.filter(in_areas).values("pk"))
        .select_related("protocol__area")
        .prefetch_related(
            Prefetch("parties", queryset=parties), Prefetch("parties__approvals", queryset=live_approvals)
        )
        .order_by("protocol__title")
    )
    reviews = (
        readable.review_attention(today)
        .filter(pk__in=ProtocolVersion.objects.filter(in_areas).values("pk"))
        .select_related("protocol")
        .order_by("review_due", "protocol__title")
    )
    boards = Board.objects.filter(areas__in=areas, parent__isnull=True).distinct().order_by("name")
    return {
        "home_areas": areas,
        "awaiting": list(awaiting) if areas else [],
        "reviews": list(reviews) if areas else [],
        "boards": list(boards) if areas else [],
    }
