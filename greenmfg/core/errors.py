"""The one domain error type. Services raise it; forms and the API show its message."""


class DomainError(Exception):
    """A business rule refused the command. ``message`` is shown to the user as is."""

    status_code = 400

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        field: str | None = None,
        reasons: list[str] | None = None,
    ):
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.field = field
        # Every reason when a command is refused for several at once (e.g. a submission).
        self.reasons = [str(reason) for reason in reasons or []]


class NotPermitted(DomainError):
    """The actor may not do this (role or jurisdiction)."""

    status_code = 403

    def __init__(self, message: str, *, code: str = "not_permitted", field: str | None = None):
        super().__init__(message, code=code, field=field)


class Conflict(DomainError):
    """The command would make a second of what may exist once; ``existing_id`` is the one there.

    The API answers 409 with that id, so a client that retried a create finds what it made.
    """

    status_code = 409

    def __init__(
        self,
        message: str,
        *,
        existing_id: int | None,
        code: str = "duplicate",
        field: str | None = None,
    ):
        super().__init__(message, code=code, field=field)
        self.existing_id = existing_id
