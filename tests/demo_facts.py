"""What a demo version records that a reader could mistake for a fact of its document: glossary terms,
priorities with their leads, relations and the law it rests on. Tests compare these with lists written
from reading each seed protocol."""

from django.db.models import Q

from accountability.models import BoardLegalBasis, ClauseCitation, Duty, Priority, Relation


def _label(board, post):
    return board.slug if board else post.title


def glossary_terms(version):
    return sorted(version.glossary_entries.values_list("term", flat=True))


def priorities(version):
    """{number: [(lead, role), ...]} with sub-priorities as 'parent number/number'."""
    found = {}
    for priority in Priority.objects.filter(version=version).select_related("parent").prefetch_related("leads__board"):
        key = f"{priority.parent.number}/{priority.number}" if priority.parent_id else priority.number
        found[key] = [
            (lead.board.slug if lead.board_id else lead.lead_label, lead.role) for lead in priority.leads.all()
        ]
    return found


def relations(version):
    return {
        (_label(r.subject_board, r.subject_post), r.kind, _label(r.object_board, r.object_post))
        for r in Relation.objects.filter(version=version).select_related(
            "subject_board", "subject_post", "object_board", "object_post"
        )
    }


def legal_references(version):
    """(instrument title, provision) of every reference the version cites, its duties rest on, or its parties'
    boards are recorded as based on."""
    pairs = set(
        ClauseCitation.objects.filter(clause__section__version=version).values_list(
            "legal_reference__instrument__title", "legal_reference__provision"
        )
    )
    pairs |= set(
        Duty.legal_references.through.objects.filter(duty__version=version).values_list(
            "legalreference__instrument__title", "legalreference__provision"
        )
    )
    boards = Q(board__protocol_parties__version=version) | Q(board__duties__version=version)
    pairs |= set(
        BoardLegalBasis.objects.filter(boards).values_list(
            "legal_reference__instrument__title", "legal_reference__provision"
        )
    )
    return pairs


def section_numbers(version):
    """The numbered provisions of Acts among legal_references(): what the document must itself cite."""
    return {(title, provision) for title, provision in legal_references(version) if provision.startswith("section")}
