"""Seeded mutation fuzzing of `plandiff extract` over the sample PDFs.

    .venv/bin/python bench/fuzz.py                 # 600 mutants, both character sources
    .venv/bin/python bench/fuzz.py -n 2000 --seed 7 -v

Each mutant (bytes flipped, ranges zeroed, dropped, duplicated or cut off,
numbers made huge or negative) goes through ``plandiff extract -o`` in one
driver process under a memory ceiling.  The contract checked for each: no
traceback, exit 0 or 2, exactly one stderr line when it fails, nothing left
behind but the output of a success, and bounded time.  The driver announces
each mutant before running it, so a crash of the process names its mutant.
tests/test_fuzz.py runs a few dozen of the same mutants.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.pdf"))
_NUMBER = re.compile(rb"\d+")


def mutate(data: bytes, rnd: random.Random) -> tuple[bytes, str]:
    """One mutant of ``data`` and what was done to it."""
    n = len(data)
    at = rnd.randrange(n)
    size = rnd.choice([1, 4, 16, 256, 4096])
    kind = rnd.choice(["flip", "zero", "drop", "dup", "cut", "number", "number", "flip"])
    if kind == "flip":
        b = bytearray(data)
        for _ in range(rnd.choice([1, 8, 64])):
            b[rnd.randrange(n)] = rnd.randrange(256)
        return bytes(b), kind
    if kind == "zero":
        return data[:at] + b"\0" * size + data[at + size :], f"zero {size}@{at}"
    if kind == "drop":
        return data[:at] + data[at + size :], f"drop {size}@{at}"
    if kind == "dup":
        return data[:at] + data[at : at + size] * rnd.choice([2, 50]) + data[at:], f"dup {size}@{at}"
    if kind == "cut":
        return data[:at], f"cut@{at}"
    numbers = list(_NUMBER.finditer(data))
    m = rnd.choice(numbers)
    new = rnd.choice([b"0", b"-1", b"99999999", b"2147483648", b"1e308", b"18446744073709551616"])
    return data[: m.start()] + new + data[m.end() :], f"number {m.group().decode()}→{new.decode()}@{m.start()}"


@dataclass(slots=True)
class Outcome:
    mutant: int
    sample: str
    how: str
    source: str
    code: int | None = None
    stderr: str = ""
    seconds: float = 0.0
    left_behind: list[str] | None = None

    def problems(self, max_seconds: float) -> list[str]:
        out = []
        if self.code not in (0, 2):
            out.append(f"exit {self.code}")
        if "Traceback" in self.stderr:
            out.append("traceback")
        if self.code == 2 and self.stderr.count("\n") != 1:
            out.append(f"{self.stderr.count(chr(10))} stderr lines")
        if self.left_behind:
            out.append(f"left behind {self.left_behind}")
        if self.seconds > max_seconds:
            out.append(f"{self.seconds:.1f} s")
        return out


def mutants(count: int, seed: int) -> list[tuple[int, Path, bytes, str, str]]:
    rnd = random.Random(seed)
    blobs = {p: p.read_bytes() for p in SAMPLES}
    out = []
    for k in range(count):
        sample = rnd.choice(SAMPLES)
        data, how = mutate(blobs[sample], rnd)
        out.append((k, sample, data, how, "pdfplumber" if k % 4 == 3 else "pdfium"))
    return out


def drive(count: int, seed: int, memory_mb: int, start: int = 0) -> None:
    """The driver process: every mutant through the CLI, one JSON line each (announced first)."""
    from pipeline import cli

    resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for k, sample, data, how, source in mutants(count, seed)[start:]:
            print(json.dumps({"start": k}), flush=True)
            pdf = work / f"mutant-{k}.pdf"
            pdf.write_bytes(data)
            out = work / "out.json"
            err = io.StringIO()
            t0 = time.perf_counter()
            rec = Outcome(k, sample.name, how, source)
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                try:
                    rec.code = cli.main(["extract", str(pdf), "--source", source, "-o", str(out)])
                except BaseException as e:  # what the contract forbids: report it, go on
                    rec.code = -1
                    err.write(f"Traceback: {type(e).__name__}: {e}\n")
            rec.seconds = round(time.perf_counter() - t0, 3)
            rec.stderr = err.getvalue()
            expected = {pdf.name, out.name} if rec.code == 0 else {pdf.name}
            rec.left_behind = sorted(p.name for p in work.iterdir() if p.name not in expected)
            print(json.dumps(asdict(rec), ensure_ascii=False), flush=True)
            for p in work.iterdir():
                p.unlink()


def run(count: int, seed: int, *, memory_mb: int = 2048, timeout: float = 600) -> list[Outcome]:
    """All mutants in a driver subprocess; a mutant that kills the driver is recorded (code None) and the rest go on."""
    done: list[Outcome] = []
    start = 0
    by_index = {k: (sample, how, source) for k, sample, _, how, source in mutants(count, seed)}
    while start < count:
        cmd = [
            sys.executable,
            __file__,
            "--drive",
            "-n",
            str(count),
            "--seed",
            str(seed),
            "--memory-mb",
            str(memory_mb),
            "--start",
            str(start),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False)
        current = None
        for line in proc.stdout.splitlines():
            msg = json.loads(line)
            if "start" in msg:
                current = msg["start"]
            else:
                done.append(Outcome(**msg))
                current = None
        if current is None:
            break
        sample, how, source = by_index[current]
        done.append(Outcome(current, sample.name, how, source, None, f"driver died: exit {proc.returncode}\n{proc.stderr[-500:]}"))
        start = current + 1
    return done


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=600, help="number of mutants")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--memory-mb", type=int, default=2048, help="address-space ceiling of the driver")
    ap.add_argument("--max-seconds", type=float, default=10.0, help="longest a mutant may take")
    ap.add_argument("-v", action="store_true", help="print every mutant")
    ap.add_argument("--drive", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.drive:
        drive(args.n, args.seed, args.memory_mb, args.start)
        return 0
    t0 = time.perf_counter()
    outcomes = run(args.n, args.seed, memory_mb=args.memory_mb)
    bad = 0
    for o in outcomes:
        problems = o.problems(args.max_seconds)
        bad += bool(problems)
        if problems or args.v:
            print(f"#{o.mutant} {o.sample} [{o.how}] {o.source}: exit {o.code}, {o.seconds} s {problems or ''} {o.stderr.strip()[:200]}")
    codes = {c: sum(o.code == c for o in outcomes) for c in sorted({o.code for o in outcomes}, key=str)}
    slowest = max(outcomes, key=lambda o: o.seconds)
    took = time.perf_counter() - t0
    print(f"{len(outcomes)} mutants in {took:.0f} s: exit codes {codes}; {bad} broke the contract; slowest {slowest.seconds} s")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
