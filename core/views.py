"""Pages the whole site shares."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check: the site's page saying why and what to do, not Django's plain one."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
