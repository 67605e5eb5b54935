import json
import re
import urllib.request

import pytest
from django.core import mail
from playwright.sync_api import expect

from boards.models import Membership, RoleAssignment
from tests.browser.conftest import assert_accessible, login
from tests.factories import AreaFactory, BoardFactory, RoleAssignmentFactory, UserFactory

HEADER = "board,post,post_kind,organisation,capacity,person,honorific,start,end,note"


def memberships_csv(capacity_of_line_3):
    rows = [
        "kscb,Independent Chair,Independent Chair,,Chair,Jo Bloggs,Dr,2015-06,,",
        f"kscb,Director of Children's Services,,Knowsley Council,{capacity_of_line_3},Alex Morgan,,2016,,",
        "kscb,,,Healthwatch Knowsley,Participant observer,,,,,",
    ]
    return ("\n".join([HEADER, *rows]) + "\n").encode()


@pytest.mark.django_db(transaction=True)
def test_an_invited_manager_sets_a_password_makes_a_token_and_imports_memberships(live_server, page, axe):
    """The administrator invites Knowsley's new business manager; the email's link sets her password; she
    signs in, makes an API token on "Your account" that the API accepts, and imports the board's members
    from a CSV: a bad row is reported by line and column, fixed, and the file confirmed. Each page passes axe."""
    area = AreaFactory(name="Knowsley", slug="knowsley")
    BoardFactory(name="Knowsley Safeguarding Children Board", slug="kscb", short_name="KSCB", areas=[area])
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    RoleAssignmentFactory(user=admin, role=RoleAssignment.Role.ADMINISTRATOR, area=None)

    login(page, live_server, "admin")
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="People and roles").click()
    assert_accessible(axe, page, "people")
    page.get_by_role("button", name="Invite someone").click()
    page.get_by_label("Email address").fill("sam.jones@example.org")
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Jones")
    page.get_by_label("Business manager").check()
    page.get_by_label("Area").select_option(label="Knowsley")
    assert_accessible(axe, page, "invite")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Invitation sent to sam.jones@example.org")
    expect(page.locator("tbody")).to_contain_text("Invited")
    page.get_by_role("button", name="Sign out admin").click()

    [email] = mail.outbox
    link = re.search(r"http\S+/accounts/invitation/\S+/", email.body).group(0)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Choose your password")
    assert_accessible(axe, page, "invitation")
    page.get_by_label("New password", exact=True).fill("a long pass phrase")
    page.get_by_label("New password confirmation").fill("a long pass phrase")
    page.get_by_role("button", name="Save the password").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password is set. Sign in as sam.jones.")

    login(page, live_server, "sam.jones", "a long pass phrase")
    page.get_by_role("link", name="Your account").click()
    expect(page.locator("main")).to_contain_text("Business manager in Knowsley")
    assert_accessible(axe, page, "your-account")
    page.get_by_label("Name of the new token").fill("Intranet sync")
    page.get_by_role("button", name="Create a token").click()
    expect(page.locator("h1")).to_contain_text("Token “Intranet sync” created")
    assert_accessible(axe, page, "token-created")
    key = page.get_by_label("Your token").input_value()
    request = urllib.request.Request(
        f"{live_server.url}/api/areas/knowsley/", headers={"Authorization": f"Token {key}"}
    )
    with urllib.request.urlopen(request) as response:
        assert json.load(response)["slug"] == "knowsley"
    page.get_by_role("button", name="Back to your account").click()
    expect(page.locator("tbody")).to_contain_text("Intranet sync")

    page.goto(f"{live_server.url}/areas/knowsley/")
    page.get_by_role("link", name="Import or export memberships (CSV)").click()
    assert_accessible(axe, page, "memberships-import")
    page.get_by_label("Upload a CSV file").set_input_files(
        files=[{"name": "members.csv", "mimeType": "text/csv", "buffer": memberships_csv("Memeber")}]
    )
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Line 3, capacity: “Memeber” is not a capacity")
    assert_accessible(axe, page, "memberships-errors")
    assert not Membership.objects.exists()

    page.get_by_label("Upload the corrected file").set_input_files(
        files=[{"name": "members.csv", "mimeType": "text/csv", "buffer": memberships_csv("Member")}]
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("main")).to_contain_text("3 rows: 3 to add, 0 to change, 0 already recorded")
    assert_accessible(axe, page, "memberships-preview")
    page.get_by_role("button", name="Save these changes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Saved 3 rows: 3 memberships added, 0 changed, 0 unchanged; 2 people added."
    )
    assert Membership.objects.filter(board__slug="kscb").count() == 3
