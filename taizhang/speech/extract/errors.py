"""Errors raised by the extraction library. Messages are in Chinese: they are shown to users."""


class ExtractionError(Exception):
    """A document could not be read or processed. ``message`` is a user-facing Chinese sentence."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message
