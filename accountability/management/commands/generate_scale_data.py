import datetime
import random
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from accountability.models import (
    Duty,
    Frequency,
    ObligationRecipient,
    ObligationSender,
    Relation,
    ReportingObligation,
)
from boards.models import Area, Board, DatePrecision, Membership, Person, Post, PostHolding
from core.writes import note_change, unlocked
from protocols.models import Approval, Clause, GlossaryEntry, Party, Protocol, ProtocolVersion, Section

SLUG_PREFIX = "scale-"

BOARD_KINDS = [
    (Board.Kind.LSCB, "Safeguarding Children Board", "LSCB"),
    (Board.Kind.HWB, "Health and Wellbeing Board", "HWB"),
    (Board.Kind.CHILDRENS_TRUST, "Children's Trust", "CT"),
    (Board.Kind.CSP, "Community Safety Partnership", "CSP"),
    (Board.Kind.SAB, "Safeguarding Adults Board", "SAB"),
]
SUBGROUPS = ["Quality Assurance", "Learning and Development", "Case Review"]
POSTS = [
    (Post.Kind.DCS, "Director of Children's Services", "DCS"),
    (Post.Kind.DPH, "Director of Public Health", "DPH"),
    (Post.Kind.CHIEF_EXECUTIVE, "Chief Executive", "CE"),
    (Post.Kind.LEADER, "Leader of the Council", "Leader"),
    (Post.Kind.LEAD_MEMBER, "Lead Member for Children's Services", "Lead Member"),
    (Post.Kind.INDEPENDENT_CHAIR, "LSCB Independent Chair", "Independent Chair"),
    (Post.Kind.PCC, "Police and Crime Commissioner", "PCC"),
    (Post.Kind.BUSINESS_MANAGER, "LSCB Business Manager", "Business Manager"),
]
WORDS = [
    "board",
    "partners",
    "safeguarding",
    "children",
    "welfare",
    "annual",
    "report",
    "plan",
    "strategy",
    "review",
    "challenge",
    "scrutiny",
    "assurance",
    "needs",
    "assessment",
    "commissioning",
    "early",
    "help",
    "performance",
    "data",
    "effectiveness",
    "agencies",
    "local",
    "arrangements",
    "priorities",
    "chair",
    "members",
    "meeting",
    "training",
    "learning",
    "practice",
    "health",
    "wellbeing",
    "community",
]
RELATION_KINDS = [k for k, _ in Relation.Kind.choices]
FREQUENCIES = [Frequency.ANNUAL, Frequency.SIX_MONTHLY, Frequency.QUARTERLY, Frequency.AFTER_EACH_MEETING]


class Command(BaseCommand):
    help = (
        "Fill the database with a synthetic national registry for tests and benchmarks: N areas (default 150), "
        "each with its boards, subgroups, posts, people, memberships and 3-6 protocols of 30-80 clauses in several "
        "versions, with parties, approvals, duties, obligations and relations. Areas already generated are skipped; "
        "--clear removes earlier scale data first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--areas", type=int, default=150)
        parser.add_argument("--seed", type=int, default=2015)
        parser.add_argument("--clear", action="store_true", help="Delete earlier generated data first.")

    def handle(self, *args, areas, seed, clear, **options):
        started = time.perf_counter()
        note_change()  # rows added in bulk, unaudited: pages cached before them are drawn afresh
        if clear:
            clear_scale_data()
        rng = random.Random(seed)
        created = 0
        for index in range(1, areas + 1):
            slug = f"{SLUG_PREFIX}{index:04d}"
            area_rng = random.Random(rng.random())
            if Area.objects.filter(slug=slug).exists():
                continue
            with transaction.atomic():
                generate_area(index, slug, area_rng)
            created += 1
        if created and connection.vendor == "postgresql":
            # Fresh statistics for the query planner, as after any bulk load: until autovacuum gathers them (if it
            # runs at all), PostgreSQL plans from guesses, and reads all 110,000 clauses to find one version's 90.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Generated {created} areas in {elapsed:.1f} s; now {Area.objects.count()} areas, "
            f"{Protocol.objects.count()} protocols, {ProtocolVersion.objects.count()} versions, "
            f"{Clause.objects.count()} clauses, {ReportingObligation.objects.count()} obligations, "
            f"{Relation.objects.count()} relations."
        )


def clear_scale_data():
    # The generated agreed versions go with their areas: the one deletion of agreed records allowed.
    with unlocked():
        _delete_scale_data()


def _delete_scale_data():
    areas = Area.objects.filter(slug__startswith=SLUG_PREFIX)
    Protocol.objects.filter(area__in=areas).delete()
    boards = Board.objects.filter(slug__startswith=SLUG_PREFIX)
    Membership.objects.filter(board__in=boards).delete()
    Duty.objects.filter(holder_board__in=boards).delete()
    Board.objects.filter(slug__startswith=SLUG_PREFIX, parent__isnull=False).delete()
    boards.delete()
    Person.objects.filter(holdings__post__area__in=areas).delete()
    Post.objects.filter(area__in=areas).delete()
    areas.delete()


def sentence(rng, low=12, high=40):
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return (" ".join(words)).capitalize() + "."


def generate_area(index, slug, rng):
    area = Area.objects.create(
        name=f"Synthetic Borough {index:04d}", slug=slug, council_name=f"Borough {index} Council"
    )

    boards = []
    for kind, name, short in BOARD_KINDS:
        board = Board.objects.create(
            name=f"Borough {index:04d} {name}",
            short_name=short,
            slug=f"{slug}-{short.lower()}",
            kind=kind,
            purpose=sentence(rng),
            is_statutory=kind in (Board.Kind.LSCB, Board.Kind.HWB, Board.Kind.SAB),
            is_independent=kind == Board.Kind.LSCB,
        )
        boards.append(board)
    lscb = boards[0]
    for name in SUBGROUPS:
        boards.append(
            Board.objects.create(
                name=f"Borough {index:04d} {name} Subgroup",
                short_name=name,
                slug=f"{slug}-{name.lower().replace(' ', '-')}",
                kind=Board.Kind.SUBGROUP,
                parent=lscb,
            )
        )
    Board.areas.through.objects.bulk_create(Board.areas.through(board_id=b.pk, area_id=area.pk) for b in boards)

    posts = Post.objects.bulk_create(
        Post(title=f"{title}, Borough {index:04d}", short_title=short, kind=kind, area=area)
        for kind, title, short in POSTS
    )
    people = Person.objects.bulk_create(Person(name=f"Person {index:04d}-{n}") for n in range(len(posts)))
    PostHolding.objects.bulk_create(
        PostHolding(
            person=person,
            post=post,
            start_date=datetime.date(2012 + n % 4, 1 + n % 12, 1),
            start_precision=DatePrecision.MONTH,
        )
        for n, (person, post) in enumerate(zip(people, posts, strict=True))
    )
    memberships = []
    for board in boards[:5]:
        for post in rng.sample(posts, 4):
            capacity = rng.choice(
                [Membership.Capacity.MEMBER, Membership.Capacity.MEMBER, Membership.Capacity.SUPPORTING_OFFICER]
            )
            memberships.append(Membership(board=board, post=post, capacity=capacity))
        memberships.append(
            Membership(board=board, post=posts[5] if board is lscb else posts[3], capacity=Membership.Capacity.CHAIR)
        )
    Membership.objects.bulk_create(memberships)
    Duty.objects.bulk_create(
        Duty(holder_board=board, description=sentence(rng), kind=Duty.Kind.DUTY) for board in boards[:5]
    )

    for number in range(1, rng.randint(3, 6) + 1):
        generate_protocol(area, slug, number, boards[:5], posts, rng)


def generate_protocol(area, slug, number, boards, posts, rng):
    parties = rng.sample(boards, rng.randint(2, 4))
    protocol = Protocol.objects.create(
        title=f"Working protocol {number} between the {' and the '.join(b.short_name for b in parties)}",
        slug=f"{slug}-protocol-{number}",
        area=area,
        summary=sentence(rng),
        review_cycle_months=12,
    )
    version_count = rng.randint(2, 4)
    clause_count = rng.randint(30, 80)
    base_day = datetime.date(2011, 1, 1) + datetime.timedelta(days=rng.randint(0, 1500))
    keys = [f"k{n:03d}" for n in range(clause_count)]
    # Older versions are superseded; the newest is agreed, or sometimes a draft under review after the agreed one.
    statuses = [ProtocolVersion.Status.SUPERSEDED] * version_count
    if version_count > 2 and rng.random() < 0.4:
        statuses[-1], statuses[-2] = ProtocolVersion.Status.DRAFT, ProtocolVersion.Status.AGREED
    else:
        statuses[-1] = ProtocolVersion.Status.AGREED
    previous = None
    for version_number, status in enumerate(statuses, start=1):
        is_draft = status in ProtocolVersion.OPEN
        effective = base_day + datetime.timedelta(days=365 * (version_number - 1))
        version = ProtocolVersion.objects.create(
            protocol=protocol,
            number=version_number,
            title=protocol.title,
            status=status,
            effective_date=None if is_draft else effective,
            review_due=None if is_draft else effective + datetime.timedelta(days=365),
            change_summary=sentence(rng, 5, 15),
            based_on=previous,
        )
        previous = version
        generate_version_content(version, parties, posts, keys, rng, approved=not is_draft, effective=effective)


def generate_version_content(version, parties, posts, keys, rng, approved, effective):
    section_count = rng.randint(5, 9)
    sections = Section.objects.bulk_create(
        Section(version=version, key=f"s{n:02d}", number=str(n + 1), heading=sentence(rng, 2, 5)[:-1], position=n)
        for n in range(section_count)
    )
    clauses = []
    for n, key in enumerate(keys):
        section_index = min(n * section_count // len(keys), section_count - 1)
        clauses.append(
            Clause(
                section=sections[section_index],
                key=key,
                number=f"{section_index + 1}.{n + 1}",
                text=f"<p>{sentence(rng)}</p>",
                position=n,
            )
        )
    clauses = Clause.objects.bulk_create(clauses)

    party_rows = Party.objects.bulk_create(
        Party(version=version, board=board, position=n) for n, board in enumerate(parties)
    )
    if approved:
        Approval.objects.bulk_create(
            Approval(
                party=party,
                approved_on=effective - datetime.timedelta(days=7 * n),
                signatory_name=f"Chair of the {party.board.short_name}",
                signatory_post_title="Chair",
            )
            for n, party in enumerate(party_rows)
        )
    GlossaryEntry.objects.bulk_create(
        GlossaryEntry(version=version, term=board.short_name, meaning=board.name) for board in parties
    )

    senders, unsaved = [], []
    for _ in range(rng.randint(6, 12)):
        clause = rng.choice(clauses)
        senders.append(rng.choice(parties))
        unsaved.append(
            ReportingObligation(
                version=version,
                source_clause=clause,
                subject=rng.choice([s for s, _ in ReportingObligation.Subject.choices]),
                title=sentence(rng, 3, 6)[:-1],
                frequency=(frequency := rng.choice(FREQUENCIES)),
                window_start_month=(start := rng.randint(1, 12)) if frequency == Frequency.ANNUAL else None,
                window_end_month=((start + 2 - 1) % 12 + 1) if frequency == Frequency.ANNUAL else None,
                presenter=rng.choice(posts),
            )
        )
    obligations = ReportingObligation.objects.bulk_create(unsaved)
    ObligationSender.objects.bulk_create(
        ObligationSender(obligation=obligation, board=sender)
        for obligation, sender in zip(obligations, senders, strict=True)
    )
    recipients = []
    for obligation, sender in zip(obligations, senders, strict=True):
        for board in rng.sample([b for b in parties if b.pk != sender.pk] or parties, 1):
            recipients.append(ObligationRecipient(obligation=obligation, board=board))
        if rng.random() < 0.3:
            recipients.append(ObligationRecipient(obligation=obligation, post=rng.choice(posts)))
    ObligationRecipient.objects.bulk_create(recipients)

    relations = []
    for _ in range(rng.randint(6, 14)):
        subject = rng.choice(parties + posts[:4])
        target = rng.choice([p for p in parties if p is not subject])
        relations.append(
            Relation(
                version=version,
                source_clause=rng.choice(clauses),
                kind=rng.choice(RELATION_KINDS),
                subject_board=subject if isinstance(subject, Board) else None,
                subject_post=subject if isinstance(subject, Post) else None,
                object_board=target,
                description=sentence(rng, 6, 14),
            )
        )
    Relation.objects.bulk_create(relations)
