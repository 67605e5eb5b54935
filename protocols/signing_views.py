"""Personal signing links: the business manager's pages to send them, and the signatory's page (no account).

The signatory's page is reached only through the link's token. It shows the whole version, what
changed since the version it replaces, and the party and capacity they sign for; a code emailed to
the same address must be confirmed in this browser before the signature is accepted.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.addresses import site_url
from core.forms import service_errors
from core.middleware import client_address

from . import services
from .changes import content_mark, previous_version, version_changes
from .editor_views import draft_or_404, editor_view
from .forms import DeclineForm, SignatureRequestForm, SignForm, SigningCodeForm
from .models import Party, SignatureRequest
from .permissions import get_protocol_for_editing
from .selectors import version_document

SESSION_KEY = "signing_links_confirmed"


def _approvals_url(slug):
    return reverse("protocols:editor_approvals", kwargs={"slug": slug})


# The business manager's side ------------------------------------------------------------------------------


@editor_view
def signature_request_new(request, slug, party_id):
    """Send a personal signing link to a signatory of a party (prefilled from the register's post holders)."""
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    party = get_object_or_404(Party.objects.select_related("board", "signatory_post"), pk=party_id, version=version)
    replaces = None
    if request.GET.get("replaces") or request.POST.get("replaces"):
        replaces = get_object_or_404(
            SignatureRequest, pk=request.GET.get("replaces") or request.POST.get("replaces"), party=party
        )
    suggestions = services.signatory_suggestions(party)
    initial = {"signatory_post_title": party.signatory_post.title if party.signatory_post_id else ""}
    chosen = request.GET.get("suggestion", "")
    if chosen.isdigit() and int(chosen) < len(suggestions):
        initial = dict(suggestions[int(chosen)])
    elif replaces is not None:
        initial = {
            "signatory_name": replaces.signatory_name,
            "signatory_email": replaces.signatory_email,
            "signatory_post_title": replaces.signatory_post_title,
            "capacity": replaces.capacity,
        }
    form = SignatureRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as saved:
            sent = services.signature_request_send(
                user=request.user, party=party, site=site_url(request), replaces=replaces, **form.cleaned_data
            )
        if saved:
            messages.success(request, f"Signing link sent to {sent.signatory_name} at {sent.signatory_email}.")
            return redirect(_approvals_url(slug))
    return render(
        request,
        "protocols/editor/signature_request_form.html",
        {
            "protocol": protocol,
            "version": version,
            "party": party,
            "form": form,
            "suggestions": suggestions,
            "replaces": replaces,
            "link_days": settings.SIGNING_LINK_DAYS,
        },
    )


@editor_view
@require_POST
def signature_request_action(request, slug, pk):
    """Send a link again to the same signatory (a new link; the old one stops working), or withdraw it."""
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    signature_request = get_object_or_404(SignatureRequest, pk=pk, version=version)
    if request.POST.get("action") == "resend":
        sent = services.signature_request_resend(
            user=request.user, signature_request=signature_request, site=site_url(request)
        )
        messages.success(request, f"A new signing link was sent to {sent.signatory_name}; the old one no longer works.")
    else:
        services.signature_request_cancel(user=request.user, signature_request=signature_request)
        messages.success(request, f"The signing link for {signature_request.signatory_name} no longer works.")
    return redirect(_approvals_url(slug))


# The signatory's side -----------------------------------------------------------------------------------------


def _confirmed_here(request, signature_request):
    return signature_request.pk in request.session.get(SESSION_KEY, [])


def _client(request):
    return services.Client(address=client_address(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:500])


def _refused(request, error):
    status = 404 if error.kind == "unknown" else 410
    response = render(request, "protocols/signing/refused.html", {"error": error}, status=status)
    return response


def _private(response):
    # The link is a secret: no other site learns it from the Referer header, and no cache keeps the page.
    # (same-origin, not no-referrer: with no-referrer browsers send "Origin: null" and CSRF refuses the forms.)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def signing_link(request, token):
    """The signatory's page: read, confirm the emailed code, then sign or decline."""
    try:
        signature_request = services.signing_link_open(token)
    except services.SigningLinkRefused as error:
        return _private(_refused(request, error))
    action = request.POST.get("action") if request.method == "POST" else None
    code_form = SigningCodeForm(request.POST if action == "confirm" else None)
    sign_form = SignForm(request.POST if action == "sign" else None)
    decline_form = DeclineForm(request.POST if action == "decline" else None)
    done = None
    try:
        done = _act(request, token, signature_request, action, code_form, sign_form, decline_form)
    except services.SigningLinkRefused as error:
        return _private(_refused(request, error))
    if done is not None:
        return _private(done)
    version = signature_request.version
    confirmed = signature_request.code_confirmed_at is not None and _confirmed_here(request, signature_request)
    signature_request.refresh_from_db()
    if not sign_form.is_bound:
        sign_form = SignForm(
            initial={"seen": content_mark(version), "signature_text": signature_request.signatory_name}
        )
    previous = previous_version(version)
    context = version_document(version=version)
    context.update(
        {
            "signature_request": signature_request,
            "version": version,
            "protocol": version.protocol,
            "changes": version_changes(old=previous, new=version) if previous is not None else None,
            "confirmed": confirmed,
            "code_form": code_form,
            "sign_form": sign_form,
            "decline_form": decline_form,
            "code_sent": signature_request.code_sent_at is not None,
        }
    )
    return _private(render(request, "protocols/signing/sign.html", context))


def _act(request, token, signature_request, action, code_form, sign_form, decline_form):
    """Carry out the button pressed; a response when the page should not be drawn again as it is."""
    if action == "send_code":
        try:
            services.signing_code_send(token=token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"We sent a code to {signature_request.signatory_email}.")
        return redirect(request.path)
    if action == "confirm" and code_form.is_valid():
        with service_errors(code_form) as saved:
            services.signing_code_confirm(token=token, code=code_form.cleaned_data["code"])
        if saved:
            confirmed = set(request.session.get(SESSION_KEY, []))
            confirmed.add(signature_request.pk)
            request.session[SESSION_KEY] = sorted(confirmed)
            messages.success(request, "Code confirmed. You can now sign.")
            return redirect(request.path + "#sign")
    if action == "sign" and sign_form.is_valid():
        if not _confirmed_here(request, signature_request):
            sign_form.add_error(None, "Confirm the code sent to your email in this browser before signing")
            return None
        data = sign_form.cleaned_data
        aliases = {"signature_image": "signature_text", "party": None, "code": None}
        with service_errors(sign_form, aliases=aliases) as saved:
            services.signing_sign(
                token=token,
                signature_kind=data["signature_kind"],
                signature_text=data["signature_text"],
                signature_image=data.get("signature_file"),
                seen_mark=data.get("seen"),
                client=_client(request),
            )
        if saved:
            return render(
                request, "protocols/signing/done.html", {"signature_request": signature_request, "signed": True}
            )
        sign_form.data = sign_form.data.copy()
        sign_form.data["seen"] = content_mark(signature_request.version)
    if action == "decline" and decline_form.is_valid():
        with service_errors(decline_form) as saved:
            services.signing_decline(token=token, reason=decline_form.cleaned_data["reason"], client=_client(request))
        if saved:
            return render(
                request, "protocols/signing/done.html", {"signature_request": signature_request, "signed": False}
            )
    return None
