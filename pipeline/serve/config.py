"""Settings of the web application."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from extractors import ExtractConfig
from pipeline.exceptions import ConfigError
from pipeline.i18n import N_

LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")


def default_data_dir() -> Path:
    """The user's data directory for plandiff (``~/.local/share/plandiff`` on Linux)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("plandiff", appauthor=False))


def is_loopback(host: str) -> bool:
    """Whether a bind address only accepts connections from this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost"), is_loopback("0.0.0.0"), is_loopback("192.168.1.5")
    (True, True, True, False, False)
    """
    if host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True, kw_only=True)
class ServeConfig:
    """How ``plandiff serve`` runs.

    host, port: the address to bind (loopback unless told otherwise).  data:
    the directory holding the database and the uploaded files (``None``: the
    user's data directory).  max_upload_mb: refuse larger uploads while they
    stream in.  jobs: worker processes (``None``: all cores).  archive_root:
    the only directory tree a batch may read (``None``: the working directory).
    scheduler: a Dask scheduler to run batches on.  extract: how PDFs are read.
    """

    host: str = "127.0.0.1"
    port: int = 8765
    data: Path | None = None
    max_upload_mb: float = 50
    jobs: int | None = None
    archive_root: Path | None = None
    scheduler: str | None = None
    extract: ExtractConfig = field(default_factory=ExtractConfig)

    def __post_init__(self) -> None:
        if not 0 <= self.port < 65536:
            raise ConfigError("port", self.port, N_("must be from 0 to 65535"))
        if self.max_upload_mb <= 0:
            raise ConfigError("max_upload_mb", self.max_upload_mb, N_("must be more than 0"))
        if self.jobs is not None and self.jobs < 1:
            raise ConfigError("jobs", self.jobs, N_("must be at least 1"))

    @property
    def data_dir(self) -> Path:
        return (self.data or default_data_dir()).resolve()

    @property
    def archive_dir(self) -> Path:
        return (self.archive_root or Path.cwd()).resolve()

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def local_only(self) -> bool:
        return is_loopback(self.host)
