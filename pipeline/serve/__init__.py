"""``plandiff serve``: the local web application planning staff use.

Drop two plans and read the 新旧対照表 in the page, browse an archive,
search every stored plan — backed by one SQLite database in the data
directory.  :func:`serve` runs it; :func:`create_app` gives the ASGI app.
"""

from __future__ import annotations

from .app import create_app, serve
from .config import ServeConfig

__all__ = ["ServeConfig", "create_app", "serve"]
