"""A holding or a membership that the source says has ended, without saying when, is recorded as ended on a
date not stated: no one has to invent an end date, and it is never shown as current."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from boards import csv_io, services
from boards.models import Membership, PostHolding
from boards.selectors import board_for_page, board_seats
from core.writes import record_revision
from tests.factories import BoardFactory, PersonFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seat(area):
    """Knowsley's safeguarding board, its Director of Children's Services' seat, and who holds that post."""
    board = BoardFactory(name="Knowsley Safeguarding Children Board", slug="kscb", areas=[area])
    post = PostFactory(title="Director of Children's Services", kind="dcs", area=area)
    holding = services.holding_create(user=None, person=PersonFactory(name="Alex Morgan"), post=post)
    membership = services.membership_create(user=None, board=board, post=post, capacity=Membership.Capacity.MEMBER)
    return {"board": board, "post": post, "holding": holding, "membership": membership}


def end_url(area, name, record):
    return reverse(f"register:{name}", args=[area.slug, record.pk])


def test_ending_a_membership_on_a_date_not_stated_lists_it_among_the_past(client, business_manager, area, seat):
    client.force_login(business_manager)
    membership = seat["membership"]
    form = client.get(end_url(area, "membership_end", membership)).content.decode()
    assert "It has ended, but the date is not stated" in form
    assert "{#" not in form and "If it gives no date, tick the box below instead." in form  # no template comment shown

    ended = client.post(
        end_url(area, "membership_end", membership),
        {"end_not_stated": "on", "revision": record_revision(membership)},
    )

    assert ended.status_code == 302
    membership.refresh_from_db()
    assert (membership.end_date, membership.end_not_stated) == (None, True)
    seats = board_seats(board_for_page(seat["board"].slug))
    assert seats.groups == [] and seats.past == [membership]
    past = client.get(seat["board"].get_absolute_url() + "?past=1").content.decode()
    assert "Director of Children&#x27;s Services, member" in past and "ended, date not stated" in past
    detail = client.get(end_url(area, "membership_detail", membership)).content.decode()
    assert "Ended, date not stated" in detail
    assert "End this membership" not in detail  # nothing left to end


def test_ending_asks_for_a_date_or_that_it_is_not_stated_but_not_both(client, business_manager, area, seat):
    client.force_login(business_manager)
    holding = seat["holding"]
    url = end_url(area, "holding_end", holding)

    neither = client.post(url, {"revision": record_revision(holding)})
    both = client.post(url, {"end_year": "2016", "end_not_stated": "on", "revision": record_revision(holding)})

    assert neither.status_code == 400
    assert "or say that the date is not stated" in neither.content.decode()
    assert both.status_code == 400
    assert "Enter the date, or say that it is not stated, not both" in both.content.decode()
    holding.refresh_from_db()
    assert (holding.end_date, holding.end_not_stated) == (None, False)


def test_a_holding_ended_on_a_date_not_stated_leaves_the_post_vacant(client, business_manager, area, seat):
    client.force_login(business_manager)
    holding = seat["holding"]

    client.post(end_url(area, "holding_end", holding), {"end_not_stated": "on", "revision": record_revision(holding)})

    holding.refresh_from_db()
    today = datetime.date.today()
    assert holding.ended_by(today) and not holding.covers(today)
    assert seat["post"].holding_on(today) is None
    page = client.get(reverse("register:post_detail", args=[area.slug, seat["post"].pk])).content.decode()
    assert "Nobody holds this post today" in page and "Ended, date not stated" in page
    board_page = client.get(seat["board"].get_absolute_url()).content.decode()
    assert "Vacant" in board_page


def test_the_change_form_keeps_the_end_not_stated(client, business_manager, area, seat):
    client.force_login(business_manager)
    membership = services.membership_update(
        user=None, membership=seat["membership"], expected_revision=None, end_not_stated=True
    )
    form = client.get(end_url(area, "membership_change", membership))
    assert form.context["form"].initial["end_not_stated"] is True
    assert 'name="end_not_stated" type="checkbox" value="on" checked' in form.content.decode()


def test_the_service_and_the_database_refuse_an_end_both_dated_and_not_stated(seat):
    membership = seat["membership"]
    with pytest.raises(ValidationError) as refused:
        services.membership_update(
            user=None,
            membership=membership,
            expected_revision=None,
            end_date=datetime.date(2016, 1, 1),
            end_not_stated=True,
        )
    assert "end_date" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        PostHolding.objects.filter(pk=seat["holding"].pk).update(
            end_date=datetime.date(2016, 1, 1), end_not_stated=True
        )


def test_the_api_reads_and_writes_an_end_not_stated(client, business_manager, seat):
    client.force_login(business_manager)
    url = f"/api/memberships/{seat['membership'].pk}/"

    both = client.patch(
        url, {"end_date": "2016-01-01", "end_not_stated": True}, content_type="application/json", HTTP_IF_MATCH="*"
    )
    ended = client.patch(url, {"end_not_stated": True}, content_type="application/json", HTTP_IF_MATCH="*")

    assert both.status_code == 400 and "end_date" in both.json()["error"]["fields"]
    assert ended.status_code == 200
    assert (ended.json()["end_date"], ended.json()["end_not_stated"]) == (None, True)
    services.holding_update(user=None, holding=seat["holding"], expected_revision=None, end_not_stated=True)
    current = client.get("/api/post-holdings/", {"post": seat["post"].pk, "current": "true"}).json()
    assert current["count"] == 0


def test_the_csv_says_ended_and_reads_it_back(client, business_manager, area, seat):
    services.membership_update(user=None, membership=seat["membership"], expected_revision=None, end_not_stated=True)
    client.force_login(business_manager)

    text = client.get(reverse("boards:area_memberships_csv", kwargs={"slug": area.slug})).content.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(row["post"], row["end"], row["person"]) for row in rows] == [
        ("Director of Children's Services", csv_io.ENDED, "")  # no holder is named for a seat that has ended
    ]

    import_url = reverse("boards:area_memberships_import", kwargs={"slug": area.slug})
    again = client.post(import_url, {"csv_text": text, "confirm": "1"})
    assert again.status_code == 302
    assert Membership.objects.get().end_not_stated is True


def test_a_csv_row_saying_ended_ends_the_current_seat(client, business_manager, area, seat):
    client.force_login(business_manager)
    header = ",".join(csv_io.COLUMNS)
    text = f"{header}\nkscb,Director of Children's Services,,,Member,,,,Ended,\n"

    response = client.post(
        reverse("boards:area_memberships_import", kwargs={"slug": area.slug}), {"csv_text": text, "confirm": "1"}
    )

    assert response.status_code == 302
    membership = Membership.objects.get()
    assert membership.pk == seat["membership"].pk
    assert (membership.end_date, membership.end_not_stated) == (None, True)
