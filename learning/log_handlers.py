"""Logging handlers of the project."""

from __future__ import annotations

import logging
import sys
from typing import TextIO


class CurrentStderrHandler(logging.StreamHandler):
    """A console handler that writes to ``sys.stderr`` as it is when a record is emitted.

    ``logging.StreamHandler`` keeps the stream it was created with. Under pytest that is a capture stream
    which is closed later, so every record afterwards (a live server's traceback included) was lost as
    "I/O operation on closed file". Used by the test settings.
    """

    @property
    def stream(self) -> TextIO:  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        """The stream is always the current ``sys.stderr``; StreamHandler's own assignment is ignored."""
