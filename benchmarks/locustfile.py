"""The simulated users of bench_load.py: anonymous readers, signed-in board members and two business managers.

Run by bench_load.py (locust --headless); LOAD_PLAN names the JSON plan it wrote (benchmarks/load_plan.py).
Every request is named after what the user is doing, so the figures come out per kind of request.

A business manager's answers that the registry's rules give on purpose are not errors: someone else saved
the clause first (the editor shows both texts; the API answers 412), the draft was sent for approval or
agreed in the meantime (the step is refused with the reason, or the clause is gone), a party had already
approved. Those requests are reported under their own name ending in "(expected)" and count as answered.
"""

import html
import json
import os
import random
import re
import sys
from datetime import date
from pathlib import Path

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.load_plan import ROUTES  # noqa: E402

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text()) if os.environ.get("LOAD_PLAN") else None
# Both managers work on the first few clauses of the draft, as two people revising one section would.
CLAUSES_IN_HAND = 6
# protocols.services.approvals: the party's approval was complete before this one arrived.
ALREADY_APPROVED = re.compile(r"has already approved this version|approval is already recorded")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def hidden(page, name):
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{re.escape(name)}"', page
    )
    return html.unescape(match.group(1)) if match else None


def expect(response, *statuses):
    """Mark the response a failure, with its status as the reason, unless its status is one of these."""
    if response.status_code not in statuses:
        response.failure(f"HTTP {response.status_code}")
        return False
    response.success()
    return True


def expected_refusal(response, what):
    """Answered as the registry's rules say it should be: reported under a name of its own, not an error."""
    response.request_meta["name"] = f"{response.request_meta['name']}: {what} (expected)"
    response.success()


class User(HttpUser):
    """Each request names its kind in a header, which gunicorn's access log records with the time the
    worker took, so bench_load.py can tell time in the server from time waiting for a worker."""

    abstract = True

    def on_start(self):
        request = self.client.request

        def named_request(method, url, name=None, **kwargs):
            kwargs["headers"] = {**(kwargs.get("headers") or {}), "X-Bench-Kind": name or url}
            return request(method, url, name=name, **kwargs)

        self.client.request = named_request


class Reader(User):
    """Someone not signed in: the home page, areas, protocols and their agreed versions, maps, calendars,
    feeds, PDFs and the API."""

    weight = 2
    wait_time = between(1, 5)

    def read(self, kind):
        paths = PLAN["readers"].get(kind)
        if paths:
            with self.client.get(random.choice(paths), name=f"reader: {kind}", catch_response=True) as response:
                expect(response, 200)

    @task(4)
    def home(self):
        self.read("home")

    @task(3)
    def area_page(self):
        self.read("area page")

    @task(2)
    def protocol_list(self):
        self.read("protocol list")

    @task(5)
    def agreed_version_page(self):
        self.read("agreed version page")

    @task(1)
    def print_page(self):
        self.read("print page")

    @task(2)
    def area_map(self):
        self.read("area map")

    @task(2)
    def calendar(self):
        self.read("calendar")

    @task(1)
    def ical_feed(self):
        self.read("iCal feed")

    @task(1)
    def pdf(self):
        self.read("agreed version PDF")

    @task(3)
    def api_read(self):
        self.read("API read")


class SignedIn(User):
    abstract = True
    role = ""

    def sign_in(self, username):
        response = self.client.get(ROUTES["sign_in"], name=f"{self.role}: sign-in form")
        token = CSRF.search(response.text)
        with self.client.post(
            ROUTES["sign_in"],
            data={"username": username, "password": PLAN["password"], "csrfmiddlewaretoken": token and token.group(1)},
            name=f"{self.role}: sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            expect(response, 302)  # 200 is the form again: the password was refused

    def csrf_token(self):
        return self.client.cookies.get("csrftoken", "")


class BoardMember(SignedIn):
    """A board member of a demo area, signed in: their area's home page, boards, calendars, map and versions."""

    weight = 1
    wait_time = between(1, 5)
    role = "member"

    started = 0

    def on_start(self):
        super().on_start()
        self.member = PLAN["members"][BoardMember.started % len(PLAN["members"])]
        session = self.member["sessions"][BoardMember.started // len(PLAN["members"])]
        BoardMember.started += 1
        self.client.cookies.set(PLAN["session_cookie"], session)

    @task(1)
    def sign_in_again(self):
        """A member whose session ended signs in through the form: about one task in 45 (most arrive signed in)."""
        self.client.cookies.clear()
        self.sign_in(self.member["username"])

    def read(self, kind):
        with self.client.get(
            random.choice(self.member["paths"][kind]), name=f"member: {kind}", catch_response=True
        ) as response:
            expect(response, 200)

    @task(8)
    def home(self):
        self.read("home")

    @task(12)
    def board_page(self):
        self.read("board page")

    @task(8)
    def calendar(self):
        self.read("calendar")

    @task(4)
    def area_map(self):
        self.read("area map")

    @task(12)
    def version_page(self):
        self.read("version page")


class BusinessManager(SignedIn):
    """One of two business managers of the same area keeping one protocol: they start a review, edit the
    draft's clauses (in the editor or through the API), send it for approval and record the parties'
    approvals until it is agreed, then read the new version and download its PDF, and start again."""

    fixed_count = int(os.environ.get("LOAD_MANAGERS", "2"))
    wait_time = between(1, 4)
    role = "manager"
    started = 0

    def on_start(self):
        super().on_start()
        account = PLAN["managers"][BusinessManager.started % len(PLAN["managers"])]
        BusinessManager.started += 1
        self.slug = account["protocol"]
        self.sign_in(account["username"])

    def route(self, name, **values):
        return ROUTES[name].format(slug=self.slug, **values)

    @task
    def work(self):
        version = self.open_version()
        if version is None:
            self.start_review()
        elif version["status"] == "draft":
            roll = random.random()
            if roll < 0.12:
                self.send_for_approval()
            elif roll < 0.4:
                self.edit_clause_through_api(version)
            else:
                self.edit_clause_in_editor(version)
        else:
            self.record_approval(version)

    def open_version(self):
        """The protocol's draft or version awaiting approval, from the API; None when there is none."""
        with self.client.get(
            self.route("api_open_versions"), name="manager: API open version", catch_response=True
        ) as response:
            if not expect(response, 200):
                return None
            results = response.json()["results"]
        return max(results, key=lambda version: version["number"]) if results else None

    def clause_in_hand(self, version):
        with self.client.get(
            ROUTES["api_clauses"].format(version=version["id"]), name="manager: API clauses", catch_response=True
        ) as response:
            if not expect(response, 200):
                return None
            clauses = response.json()["results"]
        return random.choice(clauses[:CLAUSES_IN_HAND]) if clauses else None

    def new_text(self):
        return f"<p>The boards review this arrangement each year (revision {random.randint(1, 10**9)}).</p>"

    def edit_clause_in_editor(self, version):
        self.client.get(self.route("editor"), name="manager: editor page")
        clause = self.clause_in_hand(version)
        if clause is None:
            return
        url = self.route("clause_edit", key=clause["key"])
        with self.client.get(url, name="manager: clause form", catch_response=True) as response:
            if response.status_code == 404:  # agreed since the list was read: the clause is no longer a draft's
                return expected_refusal(response, "draft gone")
            if not expect(response, 200):
                return
            page = response.text
        prefix = f"c-{clause['key']}-"
        self.wait()  # the manager types
        data = {
            "csrfmiddlewaretoken": CSRF.search(page).group(1),
            prefix + "revision": hidden(page, prefix + "revision"),
            prefix + "number": hidden(page, prefix + "number") or "",
            prefix + "text": self.new_text(),
        }
        with self.client.post(
            url, data=data, name="manager: save clause (editor)", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302 and "#" in response.headers.get("Location", ""):
                response.success()
            elif response.status_code == 200 and "Someone else changed this clause" in response.text:
                expected_refusal(response, "someone saved first")
            elif response.status_code in (302, 404):  # refused with the reason (agreed meanwhile), or gone
                expected_refusal(response, "version moved on")
            else:
                response.failure(f"HTTP {response.status_code}")

    def edit_clause_through_api(self, version):
        clause = self.clause_in_hand(version)
        if clause is None:
            return
        url = ROUTES["api_clause"].format(clause=clause["id"])
        with self.client.get(url, name="manager: API clause", catch_response=True) as response:
            if response.status_code == 404:
                return expected_refusal(response, "draft gone")
            if not expect(response, 200):
                return
            etag = response.headers.get("ETag", "")
        self.wait()
        with self.client.patch(
            url,
            json={"text": self.new_text()},
            headers={"If-Match": etag, "X-CSRFToken": self.csrf_token(), "Referer": self.client.base_url + url},
            name="manager: API save clause",
            catch_response=True,
        ) as response:
            if response.status_code == 412:
                expected_refusal(response, "someone saved first")
            elif response.status_code in (404, 409):  # agreed in the meantime: locked, or no longer listed
                expected_refusal(response, "version moved on")
            else:
                expect(response, 200)

    def start_review(self):
        with self.client.get(self.route("editor"), name="manager: editor page", catch_response=True) as response:
            if not expect(response, 200):
                return
            token = CSRF.search(response.text)
        if ROUTES["start_review"].format(slug=self.slug) not in response.text:
            return  # the other manager has just started one
        with self.client.post(
            self.route("start_review"),
            data={"csrfmiddlewaretoken": token.group(1)},
            name="manager: start review",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            expect(response, 302)  # a review the other manager started first is refused with the reason, also 302

    def send_for_approval(self):
        url = self.route("send_for_approval")
        with self.client.get(url, name="manager: send for approval form", catch_response=True) as response:
            if response.status_code == 404:
                return expected_refusal(response, "draft gone")
            if not expect(response, 200):
                return
            token = CSRF.search(response.text).group(1)
        with self.client.post(
            url,
            data={"csrfmiddlewaretoken": token, "change_summary": "Reporting dates brought into line."},
            name="manager: send for approval",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302 and response.headers.get("Location", "").endswith("/approvals/"):
                response.success()
            elif response.status_code in (302, 404):  # already sent by the other manager: refused with the reason
                expected_refusal(response, "version moved on")
            else:
                response.failure(f"HTTP {response.status_code}")

    def record_approval(self, version):
        with self.client.get(self.route("approvals"), name="manager: approvals page", catch_response=True) as response:
            if not expect(response, 200):
                return
            parties = re.findall(re.escape(self.route("approvals")) + r'(\d+)/"', response.text)
        if not parties:
            return
        url = self.route("approval_add", party=random.choice(parties))
        with self.client.get(url, name="manager: approval form", catch_response=True) as response:
            if response.status_code == 404:
                return expected_refusal(response, "draft gone")
            if not expect(response, 200):
                return
            page = response.text
        self.wait()
        today = date.today()
        data = {
            "csrfmiddlewaretoken": CSRF.search(page).group(1),
            "seen": hidden(page, "seen") or "",
            "day": today.day,
            "month": today.month,
            "year": today.year,
            "signatory_name": "Sam Example",
            "signatory_post_title": hidden(page, "signatory_post_title") or "Chair",
            "capacity": "",
            "signature_kind": "typed",
            "signature_text": "Sam Example",
        }
        with self.client.post(
            url, data=data, name="manager: record approval", allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "")
            agreed = response.status_code == 302 and location.endswith("/history/")
            if agreed or (response.status_code == 302 and location.endswith("/approvals/")):
                response.success()
            elif response.status_code == 200 and "changed while this page was open" in response.text:
                expected_refusal(response, "draft changed since the form was drawn")
            elif response.status_code == 200 and ALREADY_APPROVED.search(response.text):
                expected_refusal(response, "party already approved")
            elif response.status_code in (302, 404):
                expected_refusal(response, "version moved on")
            else:
                response.failure(f"HTTP {response.status_code}")
        if agreed:
            number = version["number"]
            self.client.get(self.route("version", number=number), name="manager: just-agreed version page")
            self.client.get(self.route("version_pdf", number=number), name="manager: just-agreed version PDF")
