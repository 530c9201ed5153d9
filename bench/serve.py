"""plandiff serve under load, against the CLI, in one run.

    python bench/serve.py [--concurrent 20] [--jobs N]

Starts a real server (fresh data directory, free localhost port), runs one
job on another plan so the workers are loaded, and measures:
1. upload → table: POST the sample pair, wait for the job, GET the HTML
   report — against ``plandiff compare`` of the same pair in a subprocess
   (the ratio is what staff gain over the command line); then the same pair
   again, answered from the database;
2. --concurrent comparisons posted at once, each a pair never seen before
   (the samples with a distinct trailing comment, so every job extracts,
   compares and renders): all must finish; p50 and p95 latency;
3. the memory of the server and its worker processes after them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from serving import Server, wait_job  # noqa: E402

SAMPLES = ROOT / "samples"
R6, R7 = SAMPLES / "sample-r6.plan.pdf", SAMPLES / "sample-r7.plan.pdf"


def rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total


def upload_to_table(client, old: tuple[str, bytes], new: tuple[str, bytes]) -> float:
    t0 = time.perf_counter()
    res = client.post("/api/compare", files={"old": old, "new": new})
    res.raise_for_status()
    job = wait_job(client, res.json()["id"], timeout=600)
    if job["state"] != "done":
        raise RuntimeError(job["error"])
    client.get(f"/api/comparisons/{job['comparison']}/report.html").raise_for_status()
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--concurrent", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="plandiff-bench-serve-"))
    server = Server(tmp / "data", root=tmp, args=("--jobs", str(args.jobs))).start()
    r6, r7 = R6.read_bytes(), R7.read_bytes()
    try:
        with server.client() as c:
            hq = SAMPLES / "sample-hq-r7.plan.pdf"
            warm = upload_to_table(c, (hq.name, hq.read_bytes()), (hq.name, hq.read_bytes()))  # workers loaded, as on a server up a while
            first = upload_to_table(c, (R6.name, r6), (R7.name, r7))
            again = upload_to_table(c, (R6.name, r6), (R7.name, r7))
        t0 = time.perf_counter()
        cli = [sys.executable, "-m", "pipeline.cli", "-q", "compare", str(R6), str(R7), "-o", str(tmp / "cli.html")]
        subprocess.run(cli, check=True, cwd=ROOT)
        cli_s = time.perf_counter() - t0
        print(f"upload → table (sample pair): {first:.2f} s; CLI compare: {cli_s:.2f} s; ratio {first / cli_s:.2f}")
        print(f"the same pair again (from the database): {again:.2f} s; the first job after start (workers loading): {warm:.2f} s")

        latencies: list[float] = []
        errors: list[str] = []

        def one(k: int) -> None:
            mark = f"\n%bench {k}\n".encode()
            try:
                with server.client() as c:
                    latencies.append(upload_to_table(c, (f"r6-{k}.pdf", r6 + mark), (f"r7-{k}.pdf", r7 + mark)))
            except Exception as e:
                errors.append(f"{k}: {e}")

        t0 = time.perf_counter()
        threads = [threading.Thread(target=one, args=(k,)) for k in range(args.concurrent)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        lat = sorted(latencies)
        p95 = lat[min(len(lat) - 1, round(0.95 * (len(lat) - 1)))] if lat else float("nan")
        print(
            f"{args.concurrent} concurrent comparisons ({args.jobs} workers): {len(lat)} finished, {len(errors)} failed in {wall:.1f} s;"
            f" latency p50 {statistics.median(lat) if lat else float('nan'):.2f} s, p95 {p95:.2f} s"
        )
        for e in errors:
            print("  failed:", e)
        assert server.proc is not None
        print(f"server memory after them (with its workers): {rss_kib(server.proc.pid) / 1024:.0f} MiB")
    finally:
        server.stop()
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
