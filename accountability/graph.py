"""The accountability map as plain data: boards and posts as nodes, typed arrows as edges.

Pure reads returning dicts and lists (no model instances), so the map page, its JSON endpoint,
the server-side SVG, the text alternative, the PDF and the API all draw the same picture.
Each builder runs a fixed number of queries whatever the size of the data.

An edge comes from one of four records:
- a Relation, typed by its own kind; one that holds both ways ("equal partners") has no direction,
  and one a protocol denies ("is not subordinate to") draws no arrow: it is listed in words with the
  graph's `unmapped` statements, so the picture never asserts what the protocol denies;
- a ReportingObligation, one edge from each sender to each recipient, typed by what is sent
  (an annual report is "presents its annual report to", a consultation "consults", the rest "reports to");
  an obligation whose protocol names no sender draws no arrow: it goes to the graph's `unmapped`
  statements, which the text alternative lists ("sender not stated");
- a Membership of a key post ("is a member of"): key posts are those the protocols name in an arrow,
  and chairs, so the map stays readable while the full membership lives on the board pages;
- a Meeting, one "meets with" edge between each pair of participants.
"""

from collections import Counter
from itertools import combinations

from django.db.models import Prefetch, Q

from boards.models import Board, Membership, Post
from core.text import NOT_STATED, month_window, title_after_name
from protocols.models import Protocol, ProtocolVersion

from .models import (
    Frequency,
    Meeting,
    ObligationRecipient,
    ObligationSender,
    Relation,
    ReportingObligation,
    join_labels,
)

Kind = Relation.Kind
Subject = ReportingObligation.Subject

# Order of the legend; also the order of the text alternative's groups.
KIND_ORDER = [
    Kind.PRESENTS_ANNUAL_REPORT_TO,
    Kind.REPORTS_TO,
    Kind.ACCOUNTABLE_TO,
    Kind.HOLDS_TO_ACCOUNT,
    Kind.CHALLENGES,
    Kind.SCRUTINISES,
    Kind.OVERSEES,
    Kind.CONSULTS,
    Kind.APPOINTS_AND_REMOVES,
    Kind.RECOMMENDS_TO,
    Kind.ADVISES,
    Kind.SUPPORTS,
    Kind.MEETS_WITH,
    Kind.MEMBER_OF,
    Kind.PARTNER_OF,
    Kind.EXECUTIVE_RESPONSIBILITY_FOR,
    Kind.SUBORDINATE_TO,
]
KIND_LABELS = dict(Kind.choices)

# Colour and dash pattern per kind, shared by the SVG, the legend and the interactive map. Dashes
# as well as colours, so no arrow is told apart by colour alone; every colour reaches 4.5:1 on white.
KIND_STYLES = {
    Kind.PRESENTS_ANNUAL_REPORT_TO: ("#003078", ""),
    Kind.REPORTS_TO: ("#1d70b8", ""),
    Kind.ACCOUNTABLE_TO: ("#4c2c92", "10 4"),
    Kind.HOLDS_TO_ACCOUNT: ("#b21f08", ""),
    Kind.CHALLENGES: ("#a0147a", "10 4"),
    Kind.SCRUTINISES: ("#6b3400", "4 3"),
    Kind.OVERSEES: ("#00703c", ""),
    Kind.CONSULTS: ("#005a52", "4 3"),
    Kind.APPOINTS_AND_REMOVES: ("#0b0c0c", "12 3 3 3"),
    Kind.RECOMMENDS_TO: ("#4b4f8c", "2 3"),
    Kind.ADVISES: ("#005a52", "12 3 3 3"),
    Kind.SUPPORTS: ("#505a5f", "2 3"),
    Kind.MEETS_WITH: ("#505a5f", "6 4"),
    Kind.MEMBER_OF: ("#505a5f", "1 3"),
    Kind.PARTNER_OF: ("#00703c", "6 4"),
    Kind.EXECUTIVE_RESPONSIBILITY_FOR: ("#4c2c92", ""),
    Kind.SUBORDINATE_TO: ("#6b3400", ""),
}

# Arrows between peers with no direction: drawn without an arrowhead and ignored when layering.
UNDIRECTED = {Kind.MEETS_WITH.value, Kind.PARTNER_OF.value}

OBLIGATION_KINDS = {
    Subject.ANNUAL_REPORT: Kind.PRESENTS_ANNUAL_REPORT_TO,
    Subject.CONSULTATION: Kind.CONSULTS,
}

KEY_CAPACITIES = {Membership.Capacity.CHAIR, Membership.Capacity.CO_CHAIR, Membership.Capacity.VICE_CHAIR}


def board_node_id(board_id):
    return f"board-{board_id}"


def post_node_id(post_id):
    return f"post-{post_id}"


# Building blocks --------------------------------------------------------------------------


def _node(party):
    if isinstance(party, Board):
        return {
            "id": board_node_id(party.pk),
            "type": "board",
            "label": party.label,
            "name": party.name,
            "kind": party.kind,
            "kind_label": party.get_kind_display(),
            "url": party.get_absolute_url(),
            "slug": party.slug,
        }
    return {
        "id": post_node_id(party.pk),
        "type": "post",
        "label": party.label,
        "name": party.title,
        "kind": party.kind,
        "kind_label": party.get_kind_display(),
        "url": "",
        "slug": "",
    }


def _clause(clause):
    if clause is None:
        return None
    text = clause.plain_text.strip()
    return {
        "reference": clause.reference,
        "citation": clause.citation,
        "url": clause.get_absolute_url(),
        "text": text,
    }


def _protocol(version):
    if version is None:
        return None
    return {
        "slug": version.protocol.slug,
        "title": version.protocol.short_title or version.protocol.title,
        "version": version.number,
        "status": version.status,
        "status_label": version.get_status_display(),
        "in_force": version.is_agreed,
        "url": version.get_absolute_url(),
    }


def _sentence(source, label, target, details, clause, mutual=False):
    """'LSCB presents its annual report to HWB, September to November, ..., clause 4.6(a)'."""
    parts = [f"{source.label} and {target.label} {label}" if mutual else f"{source.label} {label} {target.label}"]
    parts += [d for d in details if d]
    if clause and clause["reference"]:
        parts.append(f"clause {clause['reference']}")
    return ", ".join(parts)


def _edge(
    *,
    edge_id,
    origin,
    kind,
    source,
    target,
    details=(),
    version=None,
    clause=None,
    mutual_label="",
    window=None,
    when="",
):
    """One arrow; with `mutual_label` ("are equal partners") it holds both ways and has no direction.

    `window` is an obligation's due months, {"start", "end", "label"}; `when` says when in a few words (the
    months, else how often: "annually"), which the picture writes on the arrow.
    """
    label = mutual_label or KIND_LABELS[kind]
    clause_data = _clause(clause)
    # Details join into one sentence with commas, so their own closing full stops go.
    details = [d.strip().rstrip(".") for d in details if d and d.strip()]
    return {
        "id": edge_id,
        "origin": origin,
        "kind": str(kind),
        "label": label,
        "source": board_node_id(source.pk) if isinstance(source, Board) else post_node_id(source.pk),
        "target": board_node_id(target.pk) if isinstance(target, Board) else post_node_id(target.pk),
        "source_label": source.label,
        "target_label": target.label,
        "directed": str(kind) not in UNDIRECTED and not mutual_label,
        "mutual": bool(mutual_label),
        "details": details,
        "sentence": _sentence(source, label, target, details, clause_data, mutual=bool(mutual_label)),
        "clause": clause_data,
        "protocol": _protocol(version),
        "change": None,
        "window": window,
        "when": when,
    }


def _lower_first(text):
    return text[:1].lower() + text[1:]


def _window(obligation):
    if not obligation.window_start_month:
        return None
    return {
        "start": obligation.window_start_month,
        "end": obligation.window_end_month or obligation.window_start_month,
        "label": month_window(obligation.window_start_month, obligation.window_end_month),
    }


def _when(obligation):
    window = _window(obligation)
    return window["label"] if window else _lower_first(obligation.frequency_label)


def _frequency_label(value):
    return dict(Frequency.choices).get(value, "") if value else ""


def _relation_edges(relations):
    for relation in relations:
        if relation.negated:
            continue
        yield (
            relation.version,
            (relation.subject, relation.object),
            _edge(
                edge_id=f"relation-{relation.pk}",
                origin="relation",
                kind=relation.kind,
                source=relation.subject,
                target=relation.object,
                details=[relation.description, _frequency_label(relation.frequency)],
                version=relation.version,
                clause=relation.source_clause,
                mutual_label=relation.verb if relation.symmetric else "",
                when=_lower_first(_frequency_label(relation.frequency)),
            ),
        )


def _denied_relations(relations):
    """Relations a protocol denies: said in words, never drawn."""
    for relation in relations:
        if not relation.negated:
            continue
        clause = _clause(relation.source_clause)
        details = [d.strip().rstrip(".") for d in (relation.description,) if d and d.strip()]
        text = ", ".join([relation.label_sentence, *details])
        parties = [_node(relation.subject)["id"], _node(relation.object)["id"]]
        statement = _statement(f"relation-{relation.pk}", "relation", text, clause, relation.version, parties)
        yield relation.version, statement


def _obligation_details(obligation, kind):
    window = month_window(obligation.window_start_month, obligation.window_end_month)
    # A window implies the frequency, unless the protocol says "at least" or a cycle other than a year.
    frequency = obligation.frequency_label or f"how often {NOT_STATED.lower()}"
    if window and not obligation.frequency_at_least and obligation.frequency == Frequency.ANNUAL:
        frequency = ""
    return [
        (title_after_name(obligation.senders_label, obligation.title) or obligation.title)
        if kind == Kind.REPORTS_TO or obligation.subject != Subject.ANNUAL_REPORT
        else "",
        window,
        frequency[0].lower() + frequency[1:] if window and frequency else frequency,
        f"presented by the {obligation.presenter.title}" if obligation.presenter_id else "",
    ]


def _obligation_edges(obligations):
    for obligation in obligations:
        kind = OBLIGATION_KINDS.get(obligation.subject, Kind.REPORTS_TO)
        details = _obligation_details(obligation, kind)
        senders = obligation.senders.all()
        if not senders:
            continue
        joint = len(senders) > 1
        for sender in senders:
            for recipient in obligation.recipients.all():
                yield (
                    obligation.version,
                    (sender.party, recipient.party),
                    _edge(
                        edge_id=f"obligation-{obligation.pk}-{sender.pk}-{recipient.pk}",
                        origin="obligation",
                        kind=kind,
                        source=sender.party,
                        target=recipient.party,
                        details=[*details, f"jointly with {_others(senders, sender)}" if joint else ""],
                        version=obligation.version,
                        clause=obligation.source_clause,
                        window=_window(obligation),
                        when=_when(obligation),
                    ),
                )


def _others(senders, sender):
    return join_labels([s.party.label for s in senders if s.pk != sender.pk])


def _unmapped_obligations(obligations):
    """Obligations no arrow can show, because the protocol does not say who sends them."""
    for obligation in obligations:
        if obligation.senders.all():
            continue
        kind = OBLIGATION_KINDS.get(obligation.subject, Kind.REPORTS_TO)
        recipients = join_labels([r.party.label for r in obligation.recipients.all()])
        clause = _clause(obligation.source_clause)
        details = [d.strip().rstrip(".") for d in _obligation_details(obligation, kind)[1:] if d and d.strip()]
        what = (
            f"{obligation.title} to {recipients} (sender not stated)"
            if recipients
            else f"{obligation.title} (sender and recipient not stated)"
        )
        text = ", ".join([what, *details])
        yield (
            obligation.version,
            _statement(
                f"obligation-{obligation.pk}",
                "obligation",
                text,
                clause,
                obligation.version,
                [_node(r.party)["id"] for r in obligation.recipients.all()],
            ),
        )


def _statement(statement_id, origin, text, clause, version, parties):
    """Something a protocol states that the map draws no arrow for, in words; `parties` are the node ids it names."""
    sentence = f"{text}, clause {clause['reference']}" if clause and clause["reference"] else text
    return {
        "id": statement_id,
        "origin": origin,
        "text": text,
        "sentence": sentence,
        "clause": clause,
        "protocol": _protocol(version),
        "parties": parties,
    }


def _meeting_edges(meetings):
    for meeting in meetings:
        participants = list(meeting.participant_boards.all()) + list(meeting.participant_posts.all())
        for first, second in combinations(participants, 2):
            yield (
                meeting.version,
                (first, second),
                _edge(
                    edge_id=f"meeting-{meeting.pk}-{_node(first)['id']}-{_node(second)['id']}",
                    origin="meeting",
                    kind=Kind.MEETS_WITH,
                    source=first,
                    target=second,
                    details=[meeting.title, meeting.get_frequency_display() or NOT_STATED],
                    version=meeting.version,
                    clause=meeting.source_clause,
                    when=_lower_first(meeting.get_frequency_display()),  # empty when not stated
                ),
            )


def _membership_edges(memberships, key_post_ids):
    for membership in memberships:
        if not membership.post_id:
            continue
        if membership.post_id not in key_post_ids and membership.capacity not in KEY_CAPACITIES:
            continue
        capacity = membership.get_capacity_display()
        yield (
            None,
            (membership.post, membership.board),
            _edge(
                edge_id=f"membership-{membership.pk}",
                origin="membership",
                kind=Kind.MEMBER_OF,
                source=membership.post,
                target=membership.board,
                details=[f"as {capacity.lower()}"] if membership.capacity != Membership.Capacity.MEMBER else [],
            ),
        )


_CLAUSE_PATH = ("source_clause__parent", "source_clause__section__version__protocol")
_VERSION_PATH = ("version__protocol",)


def _relations(filter_q):
    return Relation.objects.filter(filter_q).select_related(
        "subject_board", "subject_post", "object_board", "object_post", *_VERSION_PATH, *_CLAUSE_PATH
    )


def _obligations(filter_q):
    return (
        ReportingObligation.objects.filter(filter_q)
        .select_related("presenter", *_VERSION_PATH, *_CLAUSE_PATH)
        .prefetch_related(
            Prefetch("senders", queryset=ObligationSender.objects.select_related("board", "post").order_by("id")),
            Prefetch("recipients", queryset=ObligationRecipient.objects.select_related("board", "post").order_by("id")),
        )
    )


def _meetings(filter_q):
    return (
        Meeting.objects.filter(filter_q)
        .select_related(*_VERSION_PATH, *_CLAUSE_PATH)
        .prefetch_related(
            Prefetch("participant_boards", queryset=Board.objects.order_by("name")),
            Prefetch("participant_posts", queryset=Post.objects.order_by("title")),
        )
    )


def _assemble(entries, boards, scope, unmapped=(), named_elsewhere=()):
    """Turn (version, (source, target), edge) entries into the graph dict.

    `named_elsewhere`: boards and posts the whole map would show, for telling labels apart the same way
    in a map focused on one board."""
    nodes = {}
    for board in boards:
        nodes[board_node_id(board.pk)] = _node(board)
    edges = []
    seen = {}
    for _version, ends, edge in entries:
        # A protocol often states one arrow twice (as a relation and as the obligation behind it);
        # the picture and its text alternative show it once, with the first record's clause and
        # the obligation's due months.
        protocol = edge["protocol"]["slug"] if edge["protocol"] else None
        same_arrow = (edge["kind"], edge["source"], edge["target"], protocol, edge["change"])
        if same_arrow in seen:
            _add_when(seen[same_arrow], edge)
            continue
        seen[same_arrow] = edge
        for party in ends:
            node = _node(party)
            nodes.setdefault(node["id"], node)
        edges.append(edge)
    _tell_apart_same_labels(nodes, edges, also=[_node(party) for party in named_elsewhere])
    kinds_present = {edge["kind"] for edge in edges}
    protocols = {}
    for edge in edges:
        if edge["protocol"]:
            protocols.setdefault(edge["protocol"]["slug"], edge["protocol"])
    ordered_nodes = sorted(nodes.values(), key=lambda n: (n["type"] != "board", n["label"].lower(), n["id"]))
    return {
        "scope": scope,
        "nodes": ordered_nodes,
        "edges": edges,
        "kinds": [
            {"kind": str(k), "label": KIND_LABELS[k], "colour": KIND_STYLES[k][0], "dash": KIND_STYLES[k][1]}
            for k in KIND_ORDER
            if str(k) in kinds_present
        ],
        "protocols": sorted(protocols.values(), key=lambda p: p["title"].lower()),
        # What the protocols state that no arrow can show: listed in words beside the picture.
        "unmapped": [statement for _version, statement in unmapped],
    }


def _add_when(edge, other):
    """Give an arrow the due months (or how often) another record of it states, in its details and sentence."""
    if edge["window"] or not (other["window"] or (other["when"] and not edge["when"])):
        return
    edge["window"], edge["when"] = other["window"], other["when"]
    if edge["when"].lower() not in (d.lower() for d in edge["details"]):
        clause = edge["clause"]
        suffix = f", clause {clause['reference']}" if clause and clause["reference"] else ""
        edge["details"].append(edge["when"])
        edge["sentence"] = edge["sentence"].removesuffix(suffix) + f", {edge['when']}{suffix}"


def _tell_apart_same_labels(nodes, edges, also=()):
    """Three boroughs' boards may all be "H&WB": where short labels clash, nodes and sentences use full names.

    `also`: nodes not drawn here that clash all the same (a focused map labels as its whole map does)."""
    by_label = {}
    for node in {**{n["id"]: n for n in also}, **nodes}.values():
        by_label.setdefault(node["label"], []).append(node)
    renamed = {}
    for same in by_label.values():
        if len(same) > 1 and len({node["name"] for node in same}) == len(same):
            for node in same:
                if node["id"] in nodes:
                    renamed[node["id"]] = node["name"]
    if not renamed:
        return
    for edge in edges:
        old_start = _start(edge)
        edge["source_label"] = renamed.get(edge["source"], edge["source_label"])
        edge["target_label"] = renamed.get(edge["target"], edge["target_label"])
        new_start = _start(edge)
        edge["sentence"] = edge["sentence"].replace(old_start, new_start, 1)
    for node_id, name in renamed.items():
        nodes[node_id]["label"] = name


def _start(edge):
    """The opening words of an edge's sentence: 'LSCB reports to HWB', 'LSCB and HWB are equal partners'."""
    if edge["mutual"]:
        return f"{edge['source_label']} and {edge['target_label']} {edge['label']}"
    return f"{edge['source_label']} {edge['label']} {edge['target_label']}"


def _signature(edge):
    """What makes two edges 'the same arrow' when comparing an agreed version with a draft."""
    return (edge["origin"], edge["kind"], edge["source"], edge["target"])


def _with_draft_changes(entries, agreed_by_protocol, draft_by_protocol):
    """Replace each protocol's agreed edges with its draft's, marking what the draft adds or removes."""
    by_protocol = {}
    other = []
    for entry in entries:
        version = entry[0]
        if version is None:
            other.append(entry)
        else:
            by_protocol.setdefault(version.protocol_id, {}).setdefault(version.pk, []).append(entry)
    result = list(other)
    protocol_ids = set(agreed_by_protocol) | set(draft_by_protocol)
    for protocol_id in sorted(protocol_ids):
        per_version = by_protocol.get(protocol_id, {})
        agreed = agreed_by_protocol.get(protocol_id)
        draft = draft_by_protocol.get(protocol_id)
        agreed_entries = per_version.get(agreed.pk, []) if agreed else []
        if draft is None:
            result += agreed_entries
            continue
        draft_entries = per_version.get(draft.pk, [])
        agreed_signatures = {_signature(e[2]) for e in agreed_entries}
        draft_signatures = {_signature(e[2]) for e in draft_entries}
        for entry in draft_entries:
            entry[2]["change"] = None if _signature(entry[2]) in agreed_signatures else "added"
            result.append(entry)
        for entry in agreed_entries:
            if _signature(entry[2]) not in draft_signatures:
                entry[2]["change"] = "removed"
                result.append(entry)
    return result


# Public builders --------------------------------------------------------------------------


def area_graph(area, include_drafts=False, with_memberships=True):
    """The map of an area: its boards, the agreed versions of its protocols, and its key posts.

    With include_drafts, a protocol with a newer draft shows the draft's arrows instead, each
    marked "added" when the agreed version lacks it; arrows the draft would drop stay, marked "removed".
    Without memberships, only the arrows protocols state (what comparing areas needs).
    """
    return _areas_graph(
        [area],
        {"type": "area", "slug": area.slug, "name": area.name, "drafts": include_drafts},
        include_drafts=include_drafts,
        with_memberships=with_memberships,
    )


def board_graph(board, areas, include_drafts=False):
    """One board's own map: the arrows to and from it in the areas it serves, with the counterparts only."""
    whole = _areas_graph(
        areas,
        {"type": "board", "slug": board.slug, "name": board.name, "drafts": include_drafts},
        include_drafts=include_drafts,
        with_memberships=True,
        focus_board=board,
    )
    return focus_graph(whole, board_node_id(board.pk))


def _touching(board, relations_q, obligations_q, meetings_q):
    """The same filters narrowed to the records that name `board`: all that a map focused on it keeps."""
    sent = ObligationSender.objects.filter(board=board).values("obligation")
    received = ObligationRecipient.objects.filter(board=board).values("obligation")
    meets = Meeting.participant_boards.through.objects.filter(board=board).values("meeting")
    return (
        relations_q & (Q(subject_board=board) | Q(object_board=board)),
        obligations_q & (Q(pk__in=sent) | Q(pk__in=received)),
        meetings_q & Q(pk__in=meets),
    )


def _drawn_parties(relations_q, obligations_q, meetings_q):
    """The boards and posts at the ends of the arrows these records draw, read as ids alone: a relation not
    denied, an obligation with a sender and a recipient, a meeting of two or more. Returns two id sets."""
    boards, posts = set(), set()
    for row in Relation.objects.filter(relations_q, negated=False).values_list(
        "subject_board", "object_board", "subject_post", "object_post"
    ):
        boards |= set(row[:2])
        posts |= set(row[2:])
    drawn = ReportingObligation.objects.filter(obligations_q, senders__isnull=False, recipients__isnull=False)
    for end in (ObligationSender, ObligationRecipient):
        for board, post in end.objects.filter(obligation__in=drawn.values("pk")).values_list("board", "post"):
            boards.add(board)
            posts.add(post)
    meetings = list(Meeting.objects.filter(meetings_q).values_list("pk", flat=True))
    board_links = list(
        Meeting.participant_boards.through.objects.filter(meeting__in=meetings).values_list("meeting", "board")
    )
    post_links = list(
        Meeting.participant_posts.through.objects.filter(meeting__in=meetings).values_list("meeting", "post")
    )
    sizes = Counter(meeting for meeting, _ in [*board_links, *post_links])
    boards |= {board for meeting, board in board_links if sizes[meeting] >= 2}
    posts |= {post for meeting, post in post_links if sizes[meeting] >= 2}
    boards.discard(None)
    posts.discard(None)
    return boards, posts


def _areas_graph(areas, scope, *, include_drafts, with_memberships, focus_board=None):
    """The graph of these areas' boards and the records about them; with `focus_board`, only the records
    that name that board are read (focus_graph keeps no others), and the rest of the areas' arrows as ids
    alone, for what depends on them: which posts are key posts, and which labels must be told apart."""
    boards = list(Board.objects.filter(areas__in=areas).distinct().order_by("name"))  # query 1
    board_ids = [b.pk for b in boards]
    protocol_ids = (
        Protocol.objects.filter(Q(area__in=areas) | Q(versions__parties__board__areas__in=areas))
        .distinct()
        .values("pk")
    )
    versions = list(  # query 2
        ProtocolVersion.objects.filter(protocol__in=protocol_ids).select_related("protocol").order_by("number")
    )
    agreed = {v.protocol_id: v for v in versions if v.is_agreed}
    drafts = {}
    if include_drafts:
        for v in versions:
            current = agreed.get(v.protocol_id)
            if v.is_open and (current is None or v.number > current.number):
                drafts[v.protocol_id] = v  # ordered by number: the newest draft wins
    version_ids = [v.pk for v in agreed.values()] + [v.pk for v in drafts.values()]
    unversioned_here = Q(version__isnull=True) & (Q(subject_board__in=board_ids) | Q(object_board__in=board_ids))
    relations_q = Q(version__in=version_ids) | unversioned_here
    # Records no protocol states are found through their boards by a subquery, not a join: a join repeats
    # a record once per board and needs DISTINCT over every column, which PostgreSQL plans slowly.
    sent_here = ObligationSender.objects.filter(board__in=board_ids).values("obligation")
    obligations_q = Q(version__in=version_ids) | Q(version__isnull=True, pk__in=sent_here)
    meeting_here = Meeting.participant_boards.through.objects.filter(board__in=board_ids).values("meeting")
    meetings_q = Q(version__in=version_ids) | Q(version__isnull=True, pk__in=meeting_here)
    key_posts, named_elsewhere = None, []
    if focus_board is not None:
        drawn_boards, key_posts = _drawn_parties(relations_q, obligations_q, meetings_q)
        # Posts in a key capacity on any of the areas' boards have their seat drawn in the whole map too.
        seated = Membership.objects.filter(board__in=board_ids, capacity__in=KEY_CAPACITIES).values("post")
        named_elsewhere = [
            *Board.objects.filter(pk__in=drawn_boards - set(board_ids)),
            *Post.objects.filter(Q(pk__in=key_posts) | Q(pk__in=seated)),
        ]
        relations_q, obligations_q, meetings_q = _touching(focus_board, relations_q, obligations_q, meetings_q)
    relations = list(_relations(relations_q))  # query 3
    entries = list(_relation_edges(relations))
    obligations = list(_obligations(obligations_q))  # queries 4-6
    entries += _obligation_edges(obligations)
    entries += _meeting_edges(_meetings(meetings_q))  # queries 7, 8, 9
    shown = {v.pk for v in ({**agreed, **drafts}).values()}
    unmapped = [
        u
        for u in [*_denied_relations(relations), *_unmapped_obligations(obligations)]
        if u[0] is None or u[0].pk in shown
    ]
    if include_drafts:
        entries = _with_draft_changes(entries, agreed, drafts)
    else:
        entries = [e for e in entries if e[0] is None or e[0].pk in {v.pk for v in agreed.values()}]
    if with_memberships:
        if key_posts is None:
            key_posts = {party.pk for _v, ends, _e in entries for party in ends if isinstance(party, Post)}
        seats_of = board_ids if focus_board is None else [focus_board.pk]
        memberships = Membership.objects.filter(board__in=seats_of, post__isnull=False).select_related(
            "post", "board"
        )  # query 10
        entries += _membership_edges(memberships.order_by("board__name", "post__title", "pk"), key_posts)
    return _assemble(entries, boards, scope, unmapped, named_elsewhere=named_elsewhere)


def version_graph(version):
    """The map one protocol version states: its parties, and the arrows its clauses record."""
    boards = [party.board for party in version.parties.select_related("board").order_by("position")]  # query 1
    relations = list(_relations(Q(version=version)))  # query 2
    obligations = list(_obligations(Q(version=version)))  # queries 3, 4, 5
    entries = [
        *_relation_edges(relations),
        *_obligation_edges(obligations),
        *_meeting_edges(_meetings(Q(version=version))),  # queries 6, 7, 8
    ]
    key_posts = {party.pk for _v, ends, _e in entries for party in ends if isinstance(party, Post)}
    memberships = Membership.objects.filter(
        Q(post__in=key_posts) | Q(capacity__in=KEY_CAPACITIES, post__isnull=False),
        board__in=[b.pk for b in boards],
    ).select_related("post", "board")  # query 9
    entries += _membership_edges(memberships.order_by("board__name", "post__title"), key_posts)
    return _assemble(
        entries,
        boards,
        {
            "type": "version",
            "slug": version.protocol.slug,
            "name": str(version.protocol),
            "version": version.number,
            "drafts": version.is_open,
        },
        [*_denied_relations(relations), *_unmapped_obligations(obligations)],
    )


def filter_graph(graph, *, kinds=None, protocols=None):
    """The same graph keeping only arrows of the given kinds and from the given protocols.

    Arrows no protocol states (memberships) stay whatever the protocol filter; boards always stay;
    posts left without an arrow go.
    """
    edges = [
        e
        for e in graph["edges"]
        if (kinds is None or e["kind"] in kinds)
        and (protocols is None or e["protocol"] is None or e["protocol"]["slug"] in protocols)
    ]
    linked = {e["source"] for e in edges} | {e["target"] for e in edges}
    nodes = [n for n in graph["nodes"] if n["type"] == "board" or n["id"] in linked]
    unmapped = [
        u for u in graph["unmapped"] if protocols is None or u["protocol"] is None or u["protocol"]["slug"] in protocols
    ]
    return {**graph, "nodes": nodes, "edges": edges, "unmapped": unmapped}


def focus_graph(graph, node_id):
    """The same graph seen from one node: only the arrows that touch it, and the nodes at their other ends.

    A board's key posts that sit on it stay (their membership arrows touch it); what its protocols
    state but draw no arrow for stays when it names the board.
    """
    edges = [e for e in graph["edges"] if node_id in (e["source"], e["target"])]
    linked = {node_id} | {e["source"] for e in edges} | {e["target"] for e in edges}
    nodes = [n for n in graph["nodes"] if n["id"] in linked]
    kinds = {e["kind"] for e in edges}
    protocols = {e["protocol"]["slug"] for e in edges if e["protocol"]}
    return {
        **graph,
        "focus": node_id,
        "nodes": nodes,
        "edges": edges,
        "kinds": [k for k in graph["kinds"] if k["kind"] in kinds],
        "protocols": [p for p in graph["protocols"] if p["slug"] in protocols],
        "unmapped": [u for u in graph["unmapped"] if node_id in u["parties"]],
    }
