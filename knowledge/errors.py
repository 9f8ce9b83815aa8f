"""Errors meant for people: each message is a plain sentence, Danish first."""


class IndgangError(Exception):
    """An error whose message can be shown to a user as it is."""


class DocumentError(IndgangError):
    """A document could not be read; the message says why."""


class StoreError(IndgangError):
    """The index cannot be used as asked; the message says what to do."""


class IngestBusyError(IndgangError):
    """Another ingestion holds the lock on this store."""
