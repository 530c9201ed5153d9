"""Error answers: the CLI's one line (``error``, in the server's locale) and the same in Japanese (``message``).

Both come from the one gettext catalogue (:mod:`pipeline.i18n`) and name the
file as the client sent it, never where the server stored it.
"""

from __future__ import annotations

from pipeline import exceptions as ex
from pipeline.i18n import N_, _, catalogue

INTERNAL = N_("internal error (see the server log)")
INTERRUPTED = N_("interrupted: the server stopped before the job finished; submit it again")


def japanese(error: ex.PlandiffError) -> str:
    """The error's line in Japanese, whatever the server's locale."""
    return error.message(catalogue("ja").gettext)


def named(error: ex.PlandiffError, name: str) -> ex.PlandiffError:
    """The same error naming ``name`` (the client's file name) instead of the stored file."""
    try:
        return type(error)(name, error.detail, **error.fields)
    except TypeError:  # a subclass with another signature: keep it as it is
        return error


def body(error: ex.PlandiffError) -> dict[str, str]:
    """The JSON body of an error response."""
    return {"error": str(error), "message": japanese(error)}


def plain(message: str) -> dict[str, str]:
    """The JSON body of an answer that is not about one file (``INTERNAL``, ``INTERRUPTED``)."""
    return {"error": _(message), "message": catalogue("ja").gettext(message)}
