"""Memberships and the people holding the posts, to and from CSV, for a board or for an area's boards.

One row is one membership: a post (or an organisation) sitting on a board in a capacity, from and until
a date at its precision, with the person who holds the post now. Export writes the register in exactly
the columns import reads, so importing an export changes nothing; importing the same file twice changes
nothing the second time.

A row is matched to the register by its board, its post (by title, among the posts of the boards and
area concerned) or organisation, its capacity and its start: when all four match an existing membership,
the row may add what the membership lacks (an end, a note); a row with no start also matches the seat's one
membership that has not ended; otherwise it is a new membership. A post not
yet in the register is added; a person named for a post that nobody holds now starts holding it. An empty
cell never clears a value, and a row never ends a membership or a holding that the file leaves out:
ending is a decision made on the register's pages, with its date.

Every change goes through boards.services, row by row inside one transaction. A preview is the same run,
rolled back: what it reports is exactly what confirming will do, errors included.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from . import permissions, services
from .models import Area, Board, DatePrecision, Membership, Person, Post, PostHolding

COLUMNS = ["board", "post", "post_kind", "organisation", "capacity", "person", "honorific", "start", "end", "note"]
REQUIRED_COLUMNS = {"board", "post", "organisation", "capacity", "person", "start", "end"}
COLUMN_HELP = {
    "board": "The board's short address (slug), as in its page's address /boards/<slug>/, or its name or short "
    "name. Empty in a board's own file: that board.",
    "post": "The post that sits on the board, by title, e.g. Director of Children's Services. Empty when an "
    "organisation, not a post, is represented.",
    "post_kind": "For a post not yet in the register: what kind of post it is (e.g. Director of Public Health). "
    "Empty: Other post.",
    "organisation": "The post's employer, or the organisation represented when there is no post.",
    "capacity": "Chair, Vice-chair, Member, Participant observer, Supporting officer or Attends when appropriate. "
    "Empty: Member.",
    "person": "Who holds the post now, by name. Empty for a vacancy, or to leave the holder as recorded.",
    "honorific": "For a person not yet in the register: e.g. Councillor.",
    "start": "When the membership began: 2015, 2015-06 or 2015-06-11 (or 11/06/2015), as precisely as known. "
    "Empty: not stated.",
    "end": "When it ended, in the same forms; “ended” when it has ended but the date is not stated. Empty while "
    "it lasts.",
    "note": "A short note on the membership.",
}
MAX_ROWS = 1000  # an area's boards have a few hundred seats; a preview runs every row through the services
MAX_BYTES = 1024 * 1024
# A spreadsheet runs a cell that begins with one of these as a formula; export escapes them with a quote,
# which import removes again, so a round trip keeps the value.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The end column's word for a membership that has ended on a date the source does not give.
ENDED = "ended"

Capacity = Membership.Capacity


# Reading values ---------------------------------------------------------------------------------------------


def _choice(value, choices):
    """A choice by its value or its label, whatever the case: 'chair', 'Chair', 'Vice-chair'."""
    wanted = re.sub(r"[\s_-]+", " ", value.strip().lower())
    for key, label in choices:
        if wanted in {re.sub(r"[\s_-]+", " ", key.lower()), re.sub(r"[\s_-]+", " ", label.lower())}:
            return key
    return None


DATE_FORMS = [
    (re.compile(r"^(\d{4})$"), DatePrecision.YEAR, lambda m: (int(m[1]), 1, 1)),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), DatePrecision.MONTH, lambda m: (int(m[1]), int(m[2]), 1)),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), DatePrecision.DAY, lambda m: (int(m[1]), int(m[2]), int(m[3]))),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), DatePrecision.MONTH, lambda m: (int(m[2]), int(m[1]), 1)),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), DatePrecision.DAY, lambda m: (int(m[3]), int(m[2]), int(m[1]))),
]
DATE_ADVICE = "Write the date as 2015, 2015-06 or 2015-06-11 (or 11/06/2015)."


def parse_partial_date(text):
    """(date, precision) from '2015', '2015-06', '2015-06-11', '06/2015' or '11/06/2015'; (None, day) when empty."""
    text = text.strip()
    if not text:
        return None, DatePrecision.DAY
    for pattern, precision, parts in DATE_FORMS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*parts(match)), precision
            except ValueError:
                raise ValueError(f"“{text}” is not a date in the calendar.") from None
    raise ValueError(f"“{text}” is not a date the registry reads. {DATE_ADVICE}")


def format_partial_date(value, precision):
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%Y-%m}"
    return value.isoformat()


def _unescape(value):
    value = (value or "").strip()
    if value.startswith("'") and value[1:2] in FORMULA_START:
        return value[1:]
    return value


def _escape(value):
    value = str(value or "")
    return "'" + value if value.startswith(FORMULA_START) else value


# Scope ----------------------------------------------------------------------------------------------------


@dataclass
class Scope:
    """What a file is about: one board, or every board of an area."""

    area: Area | None = None
    board: Board | None = None

    def __str__(self):
        return str(self.board or self.area)

    def boards(self):
        if self.board is not None:
            return Board.objects.filter(pk=self.board.pk)
        return Board.objects.filter(areas=self.area).order_by("name")

    def posts(self):
        """Posts a row may name: the area's (or the board's areas'), its boards' own, and those sitting on them."""
        boards = self.boards()
        areas = [self.area] if self.area is not None else list(self.board.areas.all())
        reachable = Q(area__in=areas) | Q(board__in=boards) | Q(memberships__board__in=boards)
        return Post.objects.filter(pk__in=Post.objects.filter(reachable).values("pk"))

    def new_post_place(self):
        """Where a post first named in a file belongs: the area, or the board when it covers several areas."""
        if self.area is not None:
            return {"area": self.area}
        areas = list(self.board.areas.all())
        return {"area": areas[0]} if len(areas) == 1 else {"board": self.board}

    def may_import(self, user):
        if self.area is not None:
            return permissions.can_edit_area_records(user, self.area)
        return permissions.can_edit_board(user, self.board)


# Export ---------------------------------------------------------------------------------------------------


def export_rows(scope):
    """The scope's memberships as rows of COLUMNS, current holders named for memberships that last."""
    today = datetime.date.today()
    memberships = (
        Membership.objects.filter(board__in=scope.boards())
        .select_related("board", "post")
        .order_by("board__name", "board_id", "capacity", "post__title", "organisation", "start_date", "pk")
    )
    holders = {}
    holdings = PostHolding.objects.filter(post__in=[m.post_id for m in memberships if m.post_id])
    for holding in holdings.select_related("person").order_by("-start_date", "-pk"):
        if holding.covers(today):
            holders.setdefault(holding.post_id, holding.person)
    for membership in memberships:
        post = membership.post
        ongoing = not membership.ended_by(today)
        person = holders.get(membership.post_id) if post is not None and ongoing else None
        yield {
            "board": membership.board.slug,
            "post": post.title if post else "",
            "post_kind": post.get_kind_display() if post else "",
            "organisation": post.organisation if post else membership.organisation,
            "capacity": membership.get_capacity_display(),
            "person": person.name if person else "",
            "honorific": person.honorific if person else "",
            "start": format_partial_date(membership.start_date, membership.start_precision),
            "end": ENDED
            if membership.end_not_stated
            else format_partial_date(membership.end_date, membership.end_precision),
            "note": membership.note,
        }


def write_csv(rows, out):
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: _escape(row.get(name, "")) for name in COLUMNS})


def template_csv():
    out = io.StringIO()
    write_csv([], out)
    return out.getvalue()


# Import ---------------------------------------------------------------------------------------------------


@dataclass
class Row:
    line: int
    values: dict
    action: str = ""  # "add", "change", "unchanged", or "" when the row has errors
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (column, message)

    def refuse(self, column, message):
        self.errors.append((column, message))


@dataclass
class Outcome:
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    saved: bool = False

    @property
    def row_errors(self):
        return [(row.line, column, message) for row in self.rows for column, message in row.errors]

    @property
    def ok(self):
        return not self.file_errors and not self.row_errors

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action and not row.errors)

    @property
    def count_add(self):
        return self.count("add")

    @property
    def count_change(self):
        return self.count("change")

    @property
    def count_unchanged(self):
        return self.count("unchanged")

    @property
    def rows_with_errors(self):
        return sum(1 for row in self.rows if row.errors)

    @property
    def people_added(self):
        return sum(1 for row in self.rows for change in row.changes if change.startswith("New person"))

    @property
    def posts_added(self):
        return sum(1 for row in self.rows for change in row.changes if change.startswith("New post"))


def decode(data: bytes) -> str:
    """Text from a spreadsheet's CSV: UTF-8 (with or without the byte-order mark Excel writes), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_rows(text: str, outcome: Outcome):
    """The file's data rows as Row objects (line numbers as a spreadsheet shows them); file errors noted."""
    if len(text.encode()) > MAX_BYTES:
        outcome.file_errors.append(f"The file is larger than {MAX_BYTES // 1024} KB; split it by board.")
        return []
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
    except csv.Error as error:
        outcome.file_errors.append(f"The file is not CSV the registry can read: {error}.")
        return []
    if not header or not any(cell.strip() for cell in header):
        outcome.file_errors.append("The file is empty: its first line should name the columns (download the template).")
        return []
    names = [cell.strip().lower().lstrip("\ufeff") for cell in header]
    unknown = [name for name in names if name and name not in COLUMNS]
    missing = sorted(REQUIRED_COLUMNS - set(names), key=COLUMNS.index)
    if unknown:
        outcome.file_errors.append(f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.")
    if missing:
        outcome.file_errors.append(f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}.")
    if unknown or missing:
        outcome.file_errors.append(f"The first line names the columns: {', '.join(COLUMNS)}.")
        return []
    rows = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                outcome.file_errors.append(f"The file has more than {MAX_ROWS} rows; split it by board.")
                return []
            values = dict.fromkeys(COLUMNS, "")
            for name, cell in zip(names, cells, strict=False):
                if name:
                    values[name] = _unescape(cell)
            row = Row(line=reader.line_num, values=values)
            if len(cells) > len(names) and any(cell.strip() for cell in cells[len(names) :]):
                row.refuse("", f"The row has {len(cells)} cells but the first line names {len(names)} columns.")
            rows.append(row)
    except csv.Error as error:
        outcome.file_errors.append(f"Line {reader.line_num}: {error}.")
        return []
    if not rows:
        outcome.file_errors.append("The file has no rows under its first line.")
    return rows


# Service field names, as the columns of the file that carry them.
FIELD_COLUMNS = {
    "board": "board",
    "post": "post",
    "title": "post",
    "kind": "post_kind",
    "organisation": "organisation",
    "capacity": "capacity",
    "name": "person",
    "honorific": "honorific",
    "person": "person",
    "start_date": "start",
    "start_precision": "start",
    "end_date": "end",
    "end_precision": "end",
    "end_not_stated": "end",
    "note": "note",
}


class _RowRefused(Exception):
    pass


class _Importer:
    """Applies rows one by one, keeping its own index of what earlier rows added."""

    def __init__(self, *, user, scope):
        self.user = user
        self.scope = scope
        self.today = datetime.date.today()
        boards = list(scope.boards())
        self.board_slugs = sorted(board.slug for board in boards)
        # A board by its slug (what export writes), or by its name or short name when only one board has it.
        self.boards = {}
        for name in ("short_name", "name", "slug"):
            spelled = {}
            for board in boards:
                if getattr(board, name):
                    spelled.setdefault(getattr(board, name).strip().lower(), []).append(board)
            self.boards |= {key: found[0] for key, found in spelled.items() if len(found) == 1}
        self.posts = {}
        for post in scope.posts().select_related("area", "board"):
            self.posts.setdefault(post.title.strip().lower(), []).append(post)
        self.memberships = {}
        for membership in Membership.objects.filter(board__in=boards):
            self.memberships.setdefault(self._key_of(membership), membership)
        self.holders = {}
        holdings = PostHolding.objects.filter(post__in=[p for ps in self.posts.values() for p in ps]).select_related(
            "person"
        )
        for holding in holdings:
            if holding.covers(self.today):
                self.holders.setdefault(holding.post_id, holding)
        self.people = {}
        for person in Person.objects.filter(
            holdings__post__in=[p for ps in self.posts.values() for p in ps]
        ).distinct():
            self.people.setdefault(person.name.strip().lower(), set()).add(person)
        self.seen = {}
        self.undo = []  # how to take back what the current row put in the indexes above

    def remember(self, index, key):
        """Note an index entry the current row is about to set, so a refused row can restore it."""
        had, before = key in index, index.get(key)
        self.undo.append(lambda: index.__setitem__(key, before) if had else index.pop(key, None))

    def forget_row(self):
        for step in reversed(self.undo):
            step()
        self.undo.clear()

    @staticmethod
    def _key_of(membership):
        member = (
            ("post", membership.post_id) if membership.post_id else ("organisation", membership.organisation.lower())
        )
        return (membership.board_id, member, membership.capacity, membership.start_date, membership.start_precision)

    def apply(self, row: Row):
        values = row.values
        board = self._board(row)
        capacity = _choice(values["capacity"], Capacity.choices) if values["capacity"] else Capacity.MEMBER
        if capacity is None:
            labels = ", ".join(label for _, label in Capacity.choices)
            row.refuse("capacity", f"“{values['capacity']}” is not a capacity: use one of {labels}.")
        start = self._date(row, "start")
        end = self._end(row)
        if not values["post"] and not values["organisation"]:
            row.refuse("post", "Name the post that sits on the board, or the organisation represented.")
        if not values["post"] and values["person"]:
            row.refuse("person", "A person is named for a post: name the post, or leave the person empty.")
        kind = None
        if values["post_kind"]:
            kind = _choice(values["post_kind"], Post.Kind.choices)
            if kind is None:
                row.refuse("post_kind", f"“{values['post_kind']}” is not a kind of post the registry knows.")
        if row.errors:
            raise _RowRefused
        post = self._post(row, kind) if values["post"] else None
        if row.errors:
            raise _RowRefused
        member = ("post", post.pk) if post else ("organisation", values["organisation"].strip().lower())
        key = (board.pk, member, capacity, start[0], start[1])
        if key in self.seen:
            row.refuse(
                "", f"The same membership as line {self.seen[key]} (board, post or organisation, capacity and start)."
            )
            raise _RowRefused
        self.remember(self.seen, key)
        self.seen[key] = row.line
        self._membership(row, key, board, post, capacity, start, end)
        if post is not None and values["person"]:
            self._holder(row, post)

    def _board(self, row):
        slug = row.values["board"].strip().lower()
        if not slug and self.scope.board is not None:
            return self.scope.board
        board = self.boards.get(slug)
        if board is None:
            where = f"on {self.scope.board}" if self.scope.board is not None else f"in {self.scope.area}"
            known = ", ".join(self.board_slugs) or "none"
            row.refuse("board", f"“{row.values['board']}” is not a board {where}. Boards: {known}.")
            raise _RowRefused
        return board

    def _end(self, row):
        """(date, precision, ended on a date not stated) from the end column."""
        if row.values["end"].strip().lower() == ENDED:
            return None, DatePrecision.DAY, True
        return (*self._date(row, "end"), False)

    def _date(self, row, column):
        try:
            return parse_partial_date(row.values[column])
        except ValueError as error:
            row.refuse(column, str(error))
            return None, DatePrecision.DAY

    def _post(self, row, kind):
        values = row.values
        title = values["post"].strip()
        found = self.posts.get(title.lower(), [])
        if len(found) > 1:
            row.refuse(
                "post", f"{len(found)} posts are called “{title}”: give them different titles on the register first."
            )
            return None
        organisation = values["organisation"].strip()
        if not found:
            post = services.post_create(
                user=self.user,
                title=title,
                kind=kind or Post.Kind.OTHER,
                organisation=organisation,
                **self.scope.new_post_place(),
            )
            self.remember(self.posts, title.lower())
            self.posts[title.lower()] = [post]
            row.changes.append(f"New post: {title}")
            return post
        post = found[0]
        fields = {}
        if organisation and organisation != post.organisation:
            fields["organisation"] = organisation
        if kind and kind != post.kind:
            fields["kind"] = kind
        if fields:
            if not permissions.can_edit_post(self.user, post):
                row.refuse("post", f"“{title}” is kept by another area's managers; its organisation and kind stay.")
                return None
            services.post_update(user=self.user, post=post, expected_revision=None, **fields)
            row.changes.append(
                f"Post {title}: " + ", ".join(f"{name.replace('_', ' ')} now {value}" for name, value in fields.items())
            )
            if "kind" in fields:
                post.kind = kind
        return post

    def _lasting(self, key):
        """A row that leaves the start empty means the seat as it is now: its one membership without an end."""
        seat = key[:3]
        found = [m for k, m in self.memberships.items() if k[:3] == seat and not m.has_ended_or_end_date]
        return found[0] if len(found) == 1 else None

    def _membership(self, row, key, board, post, capacity, start, end):
        values = row.values
        existing = self.memberships.get(key)
        if existing is None and start[0] is None:
            existing = self._lasting(key)
        if existing is None:
            membership = services.membership_create(
                user=self.user,
                board=board,
                post=post,
                organisation="" if post else values["organisation"].strip(),
                capacity=capacity,
                start_date=start[0],
                start_precision=start[1],
                end_date=end[0],
                end_precision=end[1],
                end_not_stated=end[2],
                note=values["note"].strip(),
            )
            self.remember(self.memberships, key)
            self.memberships[key] = membership
            row.action = "add"
            return
        fields = {}
        stated_end = (existing.end_date, existing.end_precision, existing.end_not_stated)
        if (end[0] is not None or end[2]) and end != stated_end:
            fields |= {"end_date": end[0], "end_precision": end[1], "end_not_stated": end[2]}
        if values["note"].strip() and values["note"].strip() != existing.note:
            fields["note"] = values["note"].strip()
        if fields:
            services.membership_update(user=self.user, membership=existing, expected_revision=None, **fields)
            ends = ENDED + ", date not stated" if end[2] else f"ends {format_partial_date(end[0], end[1])}"
            described = {"end_date": ends, "note": "note changed"}
            row.changes.append("Membership " + ", ".join(described[name] for name in fields if name in described))
            row.action = "change"
        else:
            row.action = "unchanged"

    def _holder(self, row, post):
        values = row.values
        name = values["person"].strip()
        holding = self.holders.get(post.pk)
        if holding is not None:
            holder = getattr(holding, "person", None)
            if holder is None or holder.name.strip().lower() != name.lower():
                who = holder.name if holder is not None else "someone the register does not name"
                row.refuse(
                    "person",
                    f"{post.title} is held by {who} now. Record on the register who holds it, or when that "
                    f"holding ended, then import again to name {name}.",
                )
                raise _RowRefused
            return
        if not permissions.can_edit_post(self.user, post):
            row.refuse("person", f"Who holds “{post.title}” is kept by another area's managers.")
            raise _RowRefused
        candidates = self.people.get(name.lower(), set())
        if len(candidates) > 1:
            row.refuse(
                "person",
                f"{len(candidates)} people in this register are called {name}; add the holding on the register.",
            )
            raise _RowRefused
        if candidates:
            person = next(iter(candidates))
        else:
            person = services.person_create(
                user=self.user, name=name, honorific=values["honorific"].strip(), added_in=post.area or self.scope.area
            )
            self.remember(self.people, name.lower())
            self.people[name.lower()] = {person}
            row.changes.append(f"New person: {person}")
        holding = services.holding_create(user=self.user, person=person, post=post)
        self.remember(self.holders, post.pk)
        self.holders[post.pk] = holding
        row.changes.append(f"{person} holds {post.title}")
        if row.action == "unchanged":
            row.action = "change"


def run_import(*, user, scope: Scope, text: str, commit: bool) -> Outcome:
    """Check (commit=False) or save (commit=True) a file's rows; saved only when every row is accepted.

    Each row runs in a savepoint, so a refused row leaves no trace and the rows after it are still
    checked against the register as the accepted ones leave it.
    """
    outcome = Outcome()
    rows = read_rows(text, outcome)
    if outcome.file_errors:
        return outcome
    with transaction.atomic():
        importer = _Importer(user=user, scope=scope)
        for row in rows:
            if row.errors:
                outcome.rows.append(row)
                continue
            savepoint = transaction.savepoint()
            try:
                importer.apply(row)
            except (_RowRefused, ValidationError) as error:
                transaction.savepoint_rollback(savepoint)
                importer.forget_row()
                row.action, row.changes = "", []
                if isinstance(error, ValidationError):
                    refusals = error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
                    for name, messages in refusals:
                        for message in messages:
                            row.refuse(FIELD_COLUMNS.get(name, ""), message)
            else:
                transaction.savepoint_commit(savepoint)
                importer.undo.clear()
            outcome.rows.append(row)
        outcome.saved = commit and outcome.ok
        if not outcome.saved:
            transaction.set_rollback(True)
    return outcome
