"""Memberships and the people holding the posts, imported and exported as CSV for a board or an area.

A preview saves nothing and names each bad row's line, column and reason; confirming saves every row
through the register's services in one transaction, or nothing; the same file twice changes nothing the
second time, and an export imported again is a no-op. Only the area's business managers and administrators
may use these pages.
"""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards import csv_io
from boards.models import DatePrecision, Membership, Person, Post, PostHolding
from core.models import AuditRecord
from tests.factories import BoardFactory, MembershipFactory, PersonFactory, PostFactory
from tests.test_write_path import outside, recorded_writes

ROLES = ["anonymous", "outsider", "board_member", "business_manager", "administrator"]
HEADER = "board,post,post_kind,organisation,capacity,person,honorific,start,end,note"


@pytest.fixture
def boards(area):
    """Knowsley's safeguarding board and its health and wellbeing board."""
    return (
        BoardFactory(name="Knowsley Safeguarding Children Board", slug="kscb", areas=[area]),
        BoardFactory(name="Knowsley Health and Wellbeing Board", slug="khwb", areas=[area]),
    )


@pytest.fixture
def register(area, boards):
    """A register as a business manager keeps it: posts with holders, an organisation, past and dated seats."""
    kscb, khwb = boards
    dcs = PostFactory(
        title="Director of Children's Services", kind=Post.Kind.DCS, area=area, organisation="Knowsley Council"
    )
    chair = PostFactory(title="Independent Chair", kind=Post.Kind.INDEPENDENT_CHAIR, board=kscb, area=None)
    PostHolding.objects.create(post=dcs, person=PersonFactory(name="Alex Morgan"), start_date=datetime.date(2014, 1, 1))
    PostHolding.objects.create(post=chair, person=PersonFactory(name="Jo Bloggs", honorific="Dr"))
    MembershipFactory(
        board=kscb, post=chair, capacity="chair", start_date=datetime.date(2015, 6, 1), start_precision="month"
    )
    MembershipFactory(board=kscb, post=dcs, capacity="member", note="-- deputises for the chief executive")
    MembershipFactory(
        board=khwb,
        post=dcs,
        capacity="member",
        start_date=datetime.date(2012, 1, 1),
        start_precision="year",
        end_date=datetime.date(2016, 3, 31),
    )
    MembershipFactory(board=khwb, post=None, organisation="Healthwatch Knowsley", capacity="participant_observer")
    return kscb, khwb


def upload(client, url, text, name="memberships.csv"):
    data = io.BytesIO(text.encode())
    data.name = name
    return client.post(url, {"file": data})


def confirm(client, url, text):
    return client.post(url, {"csv_text": text, "confirm": "1"})


def area_import(area):
    return reverse("boards:area_memberships_import", kwargs={"slug": area.slug})


def thirty_rows(bad=True):
    """A CSV of 30 memberships of Knowsley's safeguarding board: lines 8 and 21 bad unless fixed."""
    lines = [HEADER]
    for n in range(1, 31):
        capacity = "Vice-chair" if n == 1 else "Member"
        start = f"2019-{(n % 12) + 1:02d}"
        lines.append(f"kscb,Partner Officer {n},,Partner {n} Trust,{capacity},Person {n},,{start},,")
    if bad:
        lines[7] = "kscb,Partner Officer 7,,Partner 7 Trust,Chiar,Person 7,,2019-08,,"  # line 8: capacity
        lines[20] = "kscb,Partner Officer 20,,Partner 20 Trust,Member,Person 20,,2019-13,,"  # line 21: no 13th month
    return "\n".join(lines) + "\n"


# Who may use the pages -----------------------------------------------------------------------------------


def csv_urls(area, board):
    return [
        ("get", reverse("boards:area_memberships_csv", kwargs={"slug": area.slug})),
        ("get", reverse("boards:area_memberships_import", kwargs={"slug": area.slug})),
        ("post", reverse("boards:area_memberships_import", kwargs={"slug": area.slug})),
        ("get", reverse("boards:board_memberships_csv", kwargs={"slug": board.slug})),
        ("get", reverse("boards:board_memberships_import", kwargs={"slug": board.slug})),
        ("post", reverse("boards:board_memberships_import", kwargs={"slug": board.slug})),
        ("get", reverse("boards:memberships_csv_template")),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_areas_managers_and_administrators_import_and_export(client, request, role, boards, area):
    """Anonymous: sign in. A board member: 403. Another area's business manager: 403 for this area's
    pages (the empty template is theirs too). This area's manager and administrators: through."""
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for method, url in csv_urls(area, boards[0]):
        response = getattr(client, method)(url)
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
        elif role in {"business_manager", "administrator"} or (role == "outsider" and url.endswith("template.csv")):
            assert response.status_code in (200, 400), (url, response.status_code)  # 400: a POST with no file
        else:
            assert response.status_code == 403, (url, response.status_code)


def test_another_areas_manager_cannot_import_into_this_area(client, outsider, boards, area):
    client.force_login(outsider)
    response = confirm(client, area_import(area), thirty_rows(bad=False))
    assert response.status_code == 403
    assert not Membership.objects.exists()


def test_the_area_page_links_the_import_for_its_managers_only(client, business_manager, board_member, boards, area):
    link = reverse("boards:area_memberships_import", kwargs={"slug": "knowsley"})
    client.force_login(board_member)
    assert link not in client.get(area.get_absolute_url()).content.decode()
    assert (
        reverse("boards:board_memberships_import", kwargs={"slug": "kscb"})
        not in client.get("/boards/kscb/").content.decode()
    )
    client.force_login(business_manager)
    assert link in client.get(area.get_absolute_url()).content.decode()
    assert (
        reverse("boards:board_memberships_import", kwargs={"slug": "kscb"})
        in client.get("/boards/kscb/").content.decode()
    )


# Thirty rows, two of them bad ------------------------------------------------------------------------------


def test_thirty_rows_two_bad_are_reported_then_fixed_and_saved_once(client, business_manager, boards, area):
    client.force_login(business_manager)
    url = area_import(area)

    preview = upload(client, url, thirty_rows(bad=True))
    assert preview.status_code == 400
    outcome = preview.context["outcome"]
    assert [(line, column) for line, column, _ in outcome.row_errors] == [(8, "capacity"), (21, "start")]
    html = preview.content.decode()
    assert "Line 8, capacity: “Chiar” is not a capacity" in html
    assert "Line 21, start: “2019-13” is not a date in the calendar." in html
    assert outcome.count_add == 28 and "Save these changes" not in html
    assert not Membership.objects.exists() and not Person.objects.exists() and not AuditRecord.objects.exists()

    fixed = thirty_rows(bad=False)
    checked = upload(client, url, fixed)
    assert checked.status_code == 200 and checked.context["outcome"].count_add == 30
    assert "Save these changes" in checked.content.decode()
    assert not Membership.objects.exists()  # still nothing saved until confirmed

    with recorded_writes() as writes:
        saved = confirm(client, url, checked.context["csv_text"])
    assert saved.status_code == 302 and saved["Location"] == area.get_absolute_url()
    assert outside(writes) == []  # every row went through the register's services
    assert Membership.objects.filter(board=boards[0]).count() == 30
    assert Person.objects.count() == 30 and PostHolding.objects.count() == 30
    assert Post.objects.filter(area=area, kind=Post.Kind.OTHER).count() == 30
    vice = Membership.objects.get(capacity="vice_chair")
    assert (vice.post.title, vice.start_date, vice.start_precision) == (
        "Partner Officer 1",
        datetime.date(2019, 2, 1),
        "month",
    )
    page = client.get(saved["Location"]).content.decode()
    assert "Saved 30 rows: 30 memberships added, 0 changed, 0 unchanged; 30 people added." in page

    audited = AuditRecord.objects.count()
    again = upload(client, url, fixed)
    assert again.context["outcome"].count_unchanged == 30
    assert "Nothing to change" in again.content.decode()
    assert confirm(client, url, fixed).status_code == 302
    assert AuditRecord.objects.count() == audited and Membership.objects.count() == 30


def test_confirming_a_file_with_a_bad_row_saves_nothing(client, business_manager, boards, area):
    """A file is saved whole or not at all, even when sent straight to the confirm step."""
    client.force_login(business_manager)
    response = confirm(client, area_import(area), thirty_rows(bad=True))
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not Membership.objects.exists() and not Post.objects.exists() and not AuditRecord.objects.exists()


# Export, and export imported again -------------------------------------------------------------------------


def test_the_export_reads_as_the_register_and_importing_it_changes_nothing(client, business_manager, register, area):
    client.force_login(business_manager)
    response = client.get(reverse("boards:area_memberships_csv", kwargs={"slug": "knowsley"}))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="memberships-knowsley.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff" + HEADER)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    by_capacity = {(row["board"], row["capacity"], row["post"] or row["organisation"]): row for row in rows}
    chair = by_capacity[("kscb", "Chair", "Independent Chair")]
    assert (chair["person"], chair["honorific"], chair["start"], chair["end"]) == ("Jo Bloggs", "Dr", "2015-06", "")
    past = by_capacity[("khwb", "Member", "Director of Children's Services")]
    assert (past["start"], past["end"], past["person"]) == ("2012", "2016-03-31", "")  # no holder named for the past
    current = by_capacity[("kscb", "Member", "Director of Children's Services")]
    assert current["person"] == "Alex Morgan" and current["organisation"] == "Knowsley Council"
    assert current["note"] == "'-- deputises for the chief executive"  # a spreadsheet must not run it as a formula
    assert by_capacity[("khwb", "Participant observer", "Healthwatch Knowsley")]["post"] == ""

    audited = AuditRecord.objects.count()
    preview = upload(client, area_import(area), text)
    assert preview.status_code == 200
    assert preview.context["outcome"].count_unchanged == 4, preview.context["outcome"].row_errors
    assert confirm(client, area_import(area), text).status_code == 302
    assert AuditRecord.objects.count() == audited
    assert Membership.objects.get(board__slug="kscb", capacity="member").note == "-- deputises for the chief executive"


def test_a_row_without_a_start_is_the_seat_as_it_is_now(client, business_manager, register, area):
    """The chair's membership has a start on the register; a row that leaves it out means that membership."""
    client.force_login(business_manager)
    text = "\n".join([HEADER, "kscb,Independent Chair,,,Chair,Jo Bloggs,,,,Chairs the executive too"])
    checked = upload(client, area_import(area), text)
    assert [row.action for row in checked.context["outcome"].rows] == ["change"]
    assert confirm(client, area_import(area), text).status_code == 302
    chair = Membership.objects.get(capacity="chair")
    assert (chair.start_date, chair.note) == (datetime.date(2015, 6, 1), "Chairs the executive too")
    assert Membership.objects.count() == 4


def test_a_board_export_holds_only_that_board(client, business_manager, register):
    client.force_login(business_manager)
    text = client.get(reverse("boards:board_memberships_csv", kwargs={"slug": "khwb"})).content.decode()
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {row["board"] for row in rows} == {"khwb"} and len(rows) == 2


def test_the_export_reads_in_a_fixed_number_of_queries(client, business_manager, register, area, boards):
    client.force_login(business_manager)
    url = reverse("boards:area_memberships_csv", kwargs={"slug": "knowsley"})

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    before = count()
    for n in range(5):
        post = PostFactory(title=f"Officer {n}", area=area)
        PostHolding.objects.create(post=post, person=PersonFactory())
        MembershipFactory(board=boards[1], post=post)
    # session, user, roles; the area; its boards, their memberships, the posts' holdings
    assert count() == before <= 7


def test_the_template_is_the_header_alone(client, business_manager):
    client.force_login(business_manager)
    text = client.get(reverse("boards:memberships_csv_template")).content.decode()
    assert text == "\ufeff" + HEADER + "\r\n"


# What a row may say ---------------------------------------------------------------------------------------


def preview_rows(client, area, *rows, header=HEADER):
    response = upload(client, area_import(area), "\n".join([header, *rows]) + "\n")
    return response, response.context["outcome"]


def test_each_bad_row_is_named_by_line_column_and_reason(client, business_manager, register, area):
    client.force_login(business_manager)
    response, outcome = preview_rows(
        client,
        area,
        "nowhere,Director of Children's Services,,,Member,,,,,",
        "kscb,,,,Member,,,,,",
        "kscb,Director of Children's Services,,,Member,Someone Else,,,,",
        "kscb,New Post,Wizard,,Member,,,,,",
        "kscb,Another Post,,,Member,,,2019-05-01,2018,",
        "kscb,Another Post,,,Member,,,june,,",
        "kscb,Fresh Post,,,Member,,,2020,,",
        "kscb,Fresh Post,,,Member,,,2020,,",
    )
    assert response.status_code == 400
    errors = {(line, column): message for line, column, message in outcome.row_errors}
    assert errors[(2, "board")].startswith("“nowhere” is not a board in Knowsley. Boards: khwb, kscb.")
    assert errors[(3, "post")] == "Name the post that sits on the board, or the organisation represented."
    assert errors[(4, "person")].startswith("Director of Children's Services is held by Alex Morgan now. Record on the")
    assert errors[(5, "post_kind")] == "“Wizard” is not a kind of post the registry knows."
    assert errors[(6, "end")] == "The end date cannot be before the start date."
    assert errors[(7, "start")].startswith("“june” is not a date the registry reads.")
    assert errors[(9, "")] == "The same membership as line 8 (board, post or organisation, capacity and start)."
    assert list(outcome.rows[6].changes) == ["New post: Fresh Post"]
    # A refused row leaves nothing behind, not even the post it would have added.
    assert not Post.objects.filter(title__in=["New Post", "Another Post", "Fresh Post"]).exists()


def test_a_file_with_wrong_columns_is_refused_whole(client, business_manager, boards, area):
    client.force_login(business_manager)
    response, outcome = preview_rows(client, area, "kscb,x", header="board,postt")
    assert response.status_code == 400
    assert outcome.file_errors[:2] == [
        "Unknown column: postt.",
        "Missing columns: post, organisation, capacity, person, start, end.",
    ]
    empty = upload(client, area_import(area), "")
    assert "The file is empty" in empty.content.decode()
    missing = client.post(area_import(area), {})
    assert missing.status_code == 400 and "Choose a CSV file to upload." in missing.content.decode()


def test_a_named_holder_of_a_vacant_post_is_matched_or_added(client, business_manager, register, area):
    """A post nobody holds now gets its named holder: someone already in the area's register, or a new person."""
    PostHolding.objects.filter(person__name="Jo Bloggs").update(end_date=datetime.date(2020, 1, 1))
    client.force_login(business_manager)
    text = "\n".join(
        [
            HEADER,
            "kscb,Independent Chair,,,Chair,Jo Bloggs,,2015-06,,",
            "Knowsley Health and Wellbeing Board,Lead Member for Health,Lead Member or Portfolio Holder,Knowsley Council,Chair,Sam Patel,Councillor,2021,,",
        ]
    )
    checked = upload(client, area_import(area), text)
    assert [row.action for row in checked.context["outcome"].rows] == ["change", "add"]
    assert confirm(client, area_import(area), text).status_code == 302
    assert Person.objects.filter(name="Jo Bloggs").count() == 1
    assert PostHolding.objects.filter(
        person__name="Jo Bloggs", end_date__isnull=True, post__title="Independent Chair"
    ).exists()
    lead = Post.objects.get(title="Lead Member for Health")
    assert (lead.kind, lead.area, lead.organisation) == (Post.Kind.LEAD_MEMBER, area, "Knowsley Council")
    sam = Person.objects.get(name="Sam Patel")
    assert str(sam) == "Councillor Sam Patel" and lead.holder_on(datetime.date.today()) == sam


def test_dates_keep_the_precision_they_are_written_with():
    assert csv_io.parse_partial_date("2015") == (datetime.date(2015, 1, 1), DatePrecision.YEAR)
    assert csv_io.parse_partial_date("2015-06") == (datetime.date(2015, 6, 1), DatePrecision.MONTH)
    assert csv_io.parse_partial_date("06/2015") == (datetime.date(2015, 6, 1), DatePrecision.MONTH)
    assert csv_io.parse_partial_date("11/06/2015") == (datetime.date(2015, 6, 11), DatePrecision.DAY)
    assert csv_io.parse_partial_date(" ") == (None, DatePrecision.DAY)
    with pytest.raises(ValueError, match="not a date in the calendar"):
        csv_io.parse_partial_date("2015-02-30")


def test_a_spreadsheets_encodings_are_read():
    assert csv_io.decode("\ufeffboard,post".encode()) == "board,post"
    assert csv_io.decode("Siân".encode("cp1252")) == "Siân"
