"""The README's API example runs as printed: a client gets a token from POST /api/auth/token/, lists
Knowsley's obligations and edits a draft clause with If-Match, against a live server with the demo data."""

import contextlib
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import ApiToken
from protocols.models import Clause, ProtocolVersion
from tests.conftest import load_demo

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_script():
    text = README.read_text()
    start = text.index("A client that gets a token")
    return re.search(r"```python\n(.*?)```", text[start:], re.S).group(1)


@pytest.mark.django_db(transaction=True)
def test_readme_api_example_lists_obligations_and_saves_a_draft_clause(live_server):
    load_demo()
    call_command("create_demo_accounts", stdout=io.StringIO())
    script = readme_script()
    assert 'BASE = "http://127.0.0.1:8000/api"' in script
    script = script.replace("http://127.0.0.1:8000/api", f"{live_server.url}/api")

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(script, "README.md", "exec"), {"__name__": "readme_example"})  # noqa: S102

    output = printed.getvalue()
    assert "annual" in output.lower()  # the obligations' frequencies
    assert "saved; new ETag" in output
    draft = ProtocolVersion.objects.get(protocol__area__slug="knowsley", status=ProtocolVersion.Status.DRAFT)
    assert Clause.objects.filter(section__version=draft, text__contains="annual report and business plan").exists()
    # The script signed in through the token endpoint: its token is named and stored hashed.
    assert ApiToken.objects.filter(user__username="manager-knowsley", name="README example").exists()
