"""A real ``plandiff serve`` in a subprocess on a free localhost port, for the serve tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx


def english_env() -> dict[str, str]:
    """The environment with an English locale, so the server's own lines (``error``, the log) are predictable."""
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    return {**env, "LANG": "C.UTF-8"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``plandiff serve`` on 127.0.0.1 with its own data directory; stderr goes to ``log``."""

    def __init__(self, data: Path, *, root: Path, args: tuple[str, ...] = ()) -> None:
        self.data, self.root, self.args = data, root, args
        self.log = data.parent / f"{data.name}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        self.port = free_port()
        cmd = [sys.executable, "-m", "pipeline.cli", "serve", "--port", str(self.port), "--data", str(self.data)]
        cmd += ["--archive-root", str(self.root), "--jobs", "2", *self.args]
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL, env=english_env())
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"plandiff serve exited {self.proc.returncode}: {self.log.read_text()}")
            try:
                if httpx.get(f"{self.url}/api/comparisons", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"plandiff serve did not start: {self.log.read_text()}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop it as Ctrl-C or a service manager would; it must shut down cleanly."""
        assert self.proc is not None
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=60)
        # uvicorn re-raises the signal once it has shut down, so the parent sees it
        assert code in (0, -sig, 128 + sig), code
        assert self.log.read_text().rstrip().endswith("plandiff: stopped"), self.log.read_text()[-2000:]

    def client(self, **kw: Any) -> httpx.Client:
        """An API client that sends the same-origin ``Origin`` a browser would."""
        return httpx.Client(base_url=self.url, headers={"Origin": self.url}, timeout=60, **kw)


def wait_job(client: httpx.Client, job_id: str, timeout: float = 120) -> dict[str, Any]:
    """Poll a job until it is done or failed; every state seen along the way is in ``seen``."""
    seen: list[tuple[str, str, float]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        seen.append((job["state"], job["stage"], job["progress"]))
        if job["state"] in ("done", "failed"):
            return {**job, "seen": seen}
        time.sleep(0.05)
    raise TimeoutError(f"job {job_id} did not finish: {seen[-1]}")


def post_compare(client: httpx.Client, files: dict[str, Path], **fields: str) -> httpx.Response:
    opened = {k: (p.name, p.read_bytes(), "application/pdf") for k, p in files.items()}
    return client.post("/api/compare", files=opened, data=fields)
