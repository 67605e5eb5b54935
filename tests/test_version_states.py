"""Version states asked by meaning: the queryset, the properties, the review state and who is reminded."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accountability.selectors import area_gaps
from boards.models import RoleAssignment
from protocols.models import ProtocolVersion, ReviewReminder, ReviewState
from protocols.permissions import can_edit_protocol
from tests.factories import (
    AreaFactory,
    BoardFactory,
    ObligationFactory,
    PartyFactory,
    ProtocolFactory,
    RoleAssignmentFactory,
    UserFactory,
    VersionFactory,
)

Status = ProtocolVersion.Status
DUE = datetime.date(2026, 6, 1)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def one_of_each(area):
    """A version in each state, each of its own protocol."""
    return {status: VersionFactory(protocol=ProtocolFactory(area=area), status=status) for status in Status.values}


def statuses(queryset):
    return {v.status for v in queryset}


def test_queryset_methods_select_versions_by_meaning(one_of_each):
    """open: not yet agreed; sealed: the signed record; locked and public: the signed record and past versions
    recorded as never agreed; agreed: in force; live: all but history."""
    versions = ProtocolVersion.objects.all()
    history = {Status.AGREED, Status.SUPERSEDED, Status.CIRCULATED_DRAFT, Status.WITHDRAWN}
    assert statuses(versions.open()) == {Status.DRAFT, Status.AWAITING_APPROVAL}
    assert statuses(versions.sealed()) == {Status.AGREED, Status.SUPERSEDED}
    assert statuses(versions.locked()) == history
    assert statuses(versions.public()) == history
    assert statuses(versions.agreed()) == {Status.AGREED}
    assert statuses(versions.live()) == {Status.DRAFT, Status.AWAITING_APPROVAL, Status.AGREED}


def test_queryset_methods_chain_from_a_related_manager(area):
    """A protocol's versions filter the same way: its agreed one, its open draft."""
    protocol = ProtocolFactory(area=area)
    old = VersionFactory(protocol=protocol, number=1, status=Status.SUPERSEDED)
    agreed = VersionFactory(protocol=protocol, number=2, status=Status.AGREED)
    draft = VersionFactory(protocol=protocol, number=3, status=Status.DRAFT)
    assert list(protocol.versions.agreed()) == [agreed]
    assert list(protocol.versions.open()) == [draft]
    assert set(protocol.versions.locked()) == {old, agreed}


def test_agreed_first_puts_the_version_in_force_before_newer_drafts(area):
    protocol = ProtocolFactory(area=area)
    agreed = VersionFactory(protocol=protocol, number=1, status=Status.AGREED)
    draft = VersionFactory(protocol=protocol, number=2, status=Status.DRAFT)
    ordered = protocol.versions.agreed_first().order_by("agreed_first", "-number")
    assert list(ordered) == [agreed, draft]


@pytest.mark.parametrize(
    ("status", "is_open", "is_locked", "is_public", "is_draft", "is_awaiting", "is_agreed", "is_superseded"),
    [
        (Status.DRAFT, True, False, False, True, False, False, False),
        (Status.AWAITING_APPROVAL, True, False, False, False, True, False, False),
        (Status.AGREED, False, True, True, False, False, True, False),
        (Status.SUPERSEDED, False, True, True, False, False, False, True),
        (Status.CIRCULATED_DRAFT, False, True, True, False, False, False, False),
        (Status.WITHDRAWN, False, True, True, False, False, False, False),
    ],
)
def test_properties_name_each_state_and_set(
    status, is_open, is_locked, is_public, is_draft, is_awaiting, is_agreed, is_superseded
):
    version = ProtocolVersion(status=status)
    assert (
        version.is_open,
        version.is_locked,
        version.is_public,
        version.is_draft,
        version.is_awaiting_approval,
        version.is_agreed,
        version.is_superseded,
    ) == (is_open, is_locked, is_public, is_draft, is_awaiting, is_agreed, is_superseded)


def test_properties_agree_with_the_queryset_for_every_state(one_of_each):
    """The property and the queryset method of the same name pick the same versions."""
    versions = ProtocolVersion.objects.all()
    for prop, method in [
        ("is_open", "open"),
        ("is_locked", "locked"),
        ("is_public", "public"),
        ("is_agreed", "agreed"),
        ("is_sealed", "sealed"),
    ]:
        assert {v.pk for v in versions if getattr(v, prop)} == set(
            getattr(versions, method)().values_list("pk", flat=True)
        )


# The review state ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (DUE - datetime.timedelta(days=31), ReviewState.NOT_DUE),  # the day before the warning period
        (DUE - datetime.timedelta(days=30), ReviewState.DUE_SOON),  # the day it becomes due soon
        (DUE, ReviewState.DUE_SOON),  # the due day itself
        (DUE + datetime.timedelta(days=1), ReviewState.OVERDUE),  # the day after
    ],
)
def test_review_state_boundaries(db, settings, today, expected):
    """Due soon from REVIEW_WARNING_DAYS before the due date up to that date; overdue from the next day."""
    settings.REVIEW_WARNING_DAYS = 30
    version = VersionFactory(status=Status.AGREED, review_due=DUE)
    assert version.review_state(today) == expected
    attention = ProtocolVersion.objects.review_attention(today)
    assert (version in attention) == (expected in (ReviewState.DUE_SOON, ReviewState.OVERDUE))


def test_review_state_is_none_without_a_date_or_when_not_in_force(db):
    """Only the version in force is reviewed, and only when it has a review date."""
    late = DUE + datetime.timedelta(days=400)
    assert VersionFactory(status=Status.AGREED, review_due=None).review_state(late) == ReviewState.NONE
    for status in (Status.SUPERSEDED, Status.DRAFT, Status.AWAITING_APPROVAL):
        assert VersionFactory(status=status, review_due=DUE).review_state(late) == ReviewState.NONE
    assert not ProtocolVersion.objects.review_attention(late).exists()


def test_review_state_takes_an_explicit_warning_period(db, settings):
    settings.REVIEW_WARNING_DAYS = 30
    version = VersionFactory(status=Status.AGREED, review_due=DUE)
    assert version.review_state(DUE - datetime.timedelta(days=45), warning_days=45) == ReviewState.DUE_SOON
    assert version.review_state(DUE - datetime.timedelta(days=45)) == ReviewState.NOT_DUE


def test_dashboard_marks_each_boundary_as_the_model_does(client, area, business_manager, settings):
    """The reviews page shows the version's review_state: due today and in exactly the warning period are due soon."""
    settings.REVIEW_WARNING_DAYS = 30
    today = timezone.localdate()
    cases = {
        "Not yet": (today + datetime.timedelta(days=31), "not_due"),
        "Just due soon": (today + datetime.timedelta(days=30), "due_soon"),
        "Due today": (today, "due_soon"),
        "Overdue since yesterday": (today - datetime.timedelta(days=1), "overdue"),
    }
    for title, (due, _state) in cases.items():
        VersionFactory(protocol=ProtocolFactory(area=area, title=title), status=Status.AGREED, review_due=due)
    client.force_login(business_manager)
    body = client.get(reverse("protocols:reviews")).content.decode()
    for title, (_due, state) in cases.items():
        row = body[body.rindex("<tr", 0, body.index(f">{title}</a>")) :]
        assert row.startswith(f'<tr class="govuk-table__row" data-state="{state}">'), title
    assert "1 overdue" in body and "2 due soon" in body


def test_area_page_flags_a_review_from_the_day_after_it_was_due(area):
    """The area's gaps list the versions whose review_state is overdue, not those due today."""
    due_today = VersionFactory(protocol=ProtocolFactory(area=area), status=Status.AGREED, review_due=DUE)
    due_yesterday = VersionFactory(
        protocol=ProtocolFactory(area=area), status=Status.AGREED, review_due=DUE - datetime.timedelta(days=1)
    )
    VersionFactory(
        protocol=ProtocolFactory(area=area), status=Status.SUPERSEDED, review_due=DUE - datetime.timedelta(days=9)
    )
    assert area_gaps(area, today=DUE).protocols_past_review == [due_yesterday]
    assert area_gaps(area, today=DUE + datetime.timedelta(days=1)).protocols_past_review == [due_yesterday, due_today]


def test_api_gives_each_version_its_review_state(client, area):
    today = timezone.localdate()
    overdue = VersionFactory(
        protocol=ProtocolFactory(area=area), status=Status.AGREED, review_due=today - datetime.timedelta(days=1)
    )
    later = VersionFactory(
        protocol=ProtocolFactory(area=area), status=Status.AGREED, review_due=today + datetime.timedelta(days=400)
    )
    assert client.get(f"/api/versions/{overdue.pk}/").json()["review_state"] == "overdue"
    listed = {item["id"]: item["review_state"] for item in client.get("/api/versions/").json()["results"]}
    assert listed == {overdue.pk: "overdue", later.pk: "not_due"}


# Reminders --------------------------------------------------------------------------------------------------------


def remind(today):
    with override_settings(SITE_URL="https://registry.example.org"):
        call_command("send_review_reminders", today=today, stdout=StringIO())


def test_reminders_follow_the_review_state_boundaries(area, business_manager, settings):
    """Nothing before the warning period; due soon on its first day (once); overdue the day after the due date."""
    settings.REVIEW_WARNING_DAYS = 30
    business_manager.email = "manager@example.org"
    business_manager.save()
    VersionFactory(protocol=ProtocolFactory(area=area), status=Status.AGREED, review_due=DUE)
    remind(DUE - datetime.timedelta(days=31))
    assert mail.outbox == []
    remind(DUE - datetime.timedelta(days=30))
    remind(DUE)
    assert [m.subject.split(" is ")[1] for m in mail.outbox] == ["due for review (1 June 2026)"]
    remind(DUE + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2 and "overdue" in mail.outbox[1].subject
    kinds = list(ReviewReminder.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [ReviewReminder.Kind.DUE_SOON, ReviewReminder.Kind.OVERDUE]


def test_reminders_go_to_exactly_who_may_edit_the_protocol(
    area, administrator, business_manager, board_member, outsider
):
    """Administrators and business managers of the area, of a party board or of the party board's area;
    not board members, managers elsewhere, inactive accounts or accounts without an email address."""
    party_area = AreaFactory(name="Sefton", slug="sefton")
    party_board = BoardFactory(areas=[party_area])
    protocol = ProtocolFactory(area=area)
    version = VersionFactory(protocol=protocol, status=Status.AGREED, review_due=DUE)
    PartyFactory(version=version, board=party_board)

    def manager(username, **scope):
        user = UserFactory(username=username, email=f"{username}@example.org")
        RoleAssignmentFactory(user=user, role=RoleAssignment.Role.BUSINESS_MANAGER, **scope)
        return user

    board_manager = manager("board-manager", area=None, board=party_board)
    party_area_manager = manager("party-area-manager", area=party_area)
    inactive = manager("inactive", area=area)
    inactive.is_active = False
    inactive.save()
    no_email = manager("no-email", area=area)
    no_email.email = ""
    no_email.save()
    for user, name in [(administrator, "admin"), (business_manager, "manager"), (board_member, "member")]:
        user.email = f"{name}@example.org"
        user.save()
    outsider.email = "outsider@example.org"
    outsider.save()

    remind(DUE)

    [message] = mail.outbox
    expected = [
        "admin@example.org",
        "board-manager@example.org",
        "manager@example.org",
        "party-area-manager@example.org",
    ]
    assert sorted(message.to) == expected
    everyone = [administrator, business_manager, board_member, outsider, board_manager, party_area_manager, inactive]
    editors = sorted(u.email for u in everyone if u.is_active and can_edit_protocol(u, protocol))
    assert sorted(message.to) == editors


# Records stated by a version -----------------------------------------------------------------------------------------


def test_a_record_is_in_force_when_its_version_is_agreed_or_it_has_none(area):
    """The board page keeps a record by its in_force; drafts and superseded versions' records are left out."""
    assert ObligationFactory(version=VersionFactory(protocol=ProtocolFactory(area=area), status=Status.AGREED)).in_force
    assert ObligationFactory(version=None).in_force
    for status in (Status.DRAFT, Status.AWAITING_APPROVAL, Status.SUPERSEDED):
        assert not ObligationFactory(
            version=VersionFactory(protocol=ProtocolFactory(area=area), status=status)
        ).in_force


# One place --------------------------------------------------------------------------------------------------------


STATE_LITERAL = re.compile(r"""["'](draft|awaiting_approval|agreed|superseded)["'](?!\s*:)""")  # not a dict key
STATE_SET = re.compile(r"^\s*\w*(STATUSES|AGREED)\s*=", re.MULTILINE)
STATE_COMPARISON = re.compile(r"(status\s*(==|!=|in\b|not in\b)\s*\S*Status\.[A-Z])|(Status\.[A-Z_]+\s*(==|!=))")


def sources():
    for folder in ("accountability", "boards", "config", "core", "protocols", "templates", "benchmarks"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".html") and "migrations" not in path.parts:
                yield path


def test_state_names_are_spelled_only_in_the_protocols_model():
    """No other module spells a state's value, defines its own set of states or compares a status by hand."""
    offenders = []
    for path in sources():
        if path == ROOT / "protocols" / "models.py":
            continue
        text = path.read_text()
        for pattern in (STATE_LITERAL, STATE_SET, STATE_COMPARISON):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []
