"""What a form shows when a service refuses its input, the same way on every app's pages."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError

from .exceptions import EditConflict


def apply_service_errors(form, error: ValidationError, aliases=None):
    """Attach a service's ValidationError to the form: named fields where the form has them, else the top."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            name = aliases.get(name, name)
            target = name if name in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class ServiceOutcome:
    """What happened inside `service_errors`: true when the service raised nothing the form shows."""

    def __init__(self):
        self.conflict = None  # the EditConflict, when someone else saved first
        self.failed = False

    def __bool__(self):
        return not self.failed


@contextmanager
def service_errors(form, *, aliases=None, conflict=None):
    """Run a service for a bound, valid form; what it refuses becomes the form's errors.

    - ValidationError: each message on its field (through `aliases` where the service's names differ
      from the form's), or above the form;
    - EditConflict: `conflict` (or the service's message) above the form, and the form's revision moved
      to the record's current one, so saving again is a choice made after reading the message.

    Other refusals (an agreed version, a step the version's state does not allow) pass on to the view's
    decorator, which says why on the page it redirects to.

        with service_errors(form) as saved:
            services.section_update(...)
        if saved:
            return redirect(...)
    """
    outcome = ServiceOutcome()
    try:
        yield outcome
    except ValidationError as error:
        outcome.failed = True
        apply_service_errors(form, error, aliases)
    except EditConflict as error:
        outcome.failed = True
        outcome.conflict = error
        form.add_error(None, conflict or str(error))
        revision = getattr(error.current, "revision", None)
        if "revision" in form.fields and revision is not None:
            form.data = form.data.copy()
            form.data[form.add_prefix("revision")] = revision
