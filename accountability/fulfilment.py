"""Recording that a reporting obligation was met for one of its periods.

Kept apart from services.py (editing what a protocol states) because meeting an obligation is a
fact about the world, recorded even against agreed versions, which are otherwise locked.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.writes import record_create
from protocols.permissions import can_edit_protocol, is_administrator

from .models import ObligationFulfilment, ReportingObligation
from .schedule import obligation_shape, obligation_window_for

FULFILMENT_FIELDS = ("obligation", "period_start", "met_on", "note", "link")


def can_record_fulfilment(user, obligation):
    """Who may record that an obligation was met, in the browser and the API alike: administrators, and
    whoever edits the protocol stating it. Meeting an obligation is a fact, so agreed versions take it too."""
    if is_administrator(user):
        return True
    return obligation.version_id is not None and can_edit_protocol(user, obligation.version.protocol)


def obligation_fulfilment_record(
    *,
    user,
    obligation: ReportingObligation,
    period_start: datetime.date,
    met_on: datetime.date,
    note: str = "",
    link: str = "",
) -> ObligationFulfilment:
    """Record that `obligation` was met on `met_on` for the window starting `period_start`.

    For dated obligations the period must be the first day of one of its windows; for undated ones
    (on request, after each meeting) any day names the occasion. One record per period.
    """
    errors = {}
    if obligation_shape(obligation) is not None and obligation_window_for(obligation, period_start) is None:
        errors["period_start"] = "Choose one of the obligation's due windows."
    if met_on > datetime.date.today() + datetime.timedelta(days=1):
        errors["met_on"] = "The date it was met cannot be in the future."
    fulfilment = ObligationFulfilment(
        obligation=obligation,
        period_start=period_start,
        met_on=met_on,
        note=note.strip(),
        link=link.strip(),
        recorded_by=user if user is not None and user.is_authenticated else None,
    )
    try:
        fulfilment.full_clean(exclude=["obligation", "recorded_by"], validate_constraints=False)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if not errors and ObligationFulfilment.objects.filter(obligation=obligation, period_start=period_start).exists():
        errors["period_start"] = "This period is already recorded as met."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            record_create(
                user=user,
                obj=fulfilment,
                validate=False,
                audit_fields=FULFILMENT_FIELDS,
                message=f"Recorded {obligation.title} as met",
            )
    except IntegrityError as error:  # a second person recorded the same period a moment ago
        raise ValidationError({"period_start": "This period is already recorded as met."}) from error
    return fulfilment
