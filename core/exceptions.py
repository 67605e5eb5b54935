"""Errors the services raise; views turn them into messages and the API into 4xx responses.

They live below every app so the write path (core.writes) and the API base can raise and
translate them without importing an app.
"""


class RegistryError(Exception):
    """Base class: a rule of the registry refused the change. str(error) is the reason, for people."""


class VersionLocked(RegistryError):
    """The version is agreed or superseded: the signed record cannot change."""


class EditConflict(RegistryError):
    """Someone else saved this record since the caller read it (optimistic concurrency)."""

    def __init__(self, message, current=None):
        super().__init__(message)
        self.current = current


class InvalidTransition(RegistryError):
    """The version's status does not allow this step (e.g. sending an agreed version for approval)."""
