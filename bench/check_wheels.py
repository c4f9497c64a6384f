"""Does every pin of requirements.txt have a Linux wheel for Python 3.11, 3.12 and 3.13?

Run from the repository root (needs the package index, e.g. PyPI)::

    python bench/check_wheels.py [--python 3.11 3.12 3.13] [--glibc 2.28]

Streamlit Community Cloud lets an app choose its Python version and installs
requirements.txt with pip on x86-64 Linux. For every pinned package and Python version this
runs::

    pip download --only-binary=:all: --no-deps --python-version X \\
        --platform manylinux_2_28_x86_64 ... --platform manylinux2014_x86_64 -d TMP pkg==ver

into a temporary directory and prints a table (package x Python: the wheel's tags, or
"missing"). Wheels tagged for any glibc from 2.17 (manylinux2014) up to ``--glibc`` count:
numpy >= 2.3 ships manylinux_2_28 wheels only, which Debian 12 (glibc 2.36, as on the
hosted images and python:3.11-slim) installs; pass ``--glibc 2.17`` for the strict
manylinux2014 question. A pin without any wheel is then tried once as a source
distribution: "sdist only" means pip builds it on install (fine for pure-Python
packages such as lime; a compiled package whose metadata takes over a minute to prepare
counts as missing). Exit status 1 when a pin is missing anywhere. Not a test: it needs the
network, downloads ~250 MB and takes about a minute (more with --glibc 2.17).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: pip prepares an sdist's metadata, which for a compiled package (numpy) means a build:
#: give up after this long and call it missing.
SDIST_TIMEOUT_S = 60.0
PIN = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)")


def pins(path: Path) -> list[tuple[str, str]]:
    """(name, version) of every ``name==version`` line of a requirements file."""
    found = []
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            found.append((match.group(1), match.group(2)))
    return found


def platforms(glibc_minor: int) -> list[str]:
    """manylinux platform tags from glibc 2.``glibc_minor`` down to manylinux2014 (2.17)."""
    tags = [f"manylinux_2_{minor}_x86_64" for minor in range(glibc_minor, 16, -1)]
    return tags + ["manylinux2014_x86_64"]


def pip_download(args: list[str], dest: Path, timeout_s: float = 600) -> tuple[bool, str]:
    """Run ``pip download`` into ``dest``; (ok, name of the file or pip's last error line)."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(dest)]
    try:
        done = subprocess.run(command + args, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return False, f"pip took longer than {timeout_s:.0f} s"
    files = sorted(p.name for p in dest.iterdir())
    if done.returncode == 0 and files:
        return True, files[-1]
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    return False, lines[-1] if lines else f"pip exited with {done.returncode}"


def wheel_tags(filename: str) -> str:
    """The python-abi-platform part of a wheel's file name (shortened)."""
    parts = filename.removesuffix(".whl").split("-")
    return "-".join(parts[-3:]).replace("_x86_64", "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", nargs="+", default=["3.11", "3.12", "3.13"])
    parser.add_argument("--glibc", default="2.28", help="newest glibc of the target (2.17+)")
    parser.add_argument("--requirements", type=Path, default=ROOT / "requirements.txt")
    args = parser.parse_args()

    glibc_minor = int(args.glibc.split(".")[1])
    platform_args = [arg for tag in platforms(glibc_minor) for arg in ("--platform", tag)]
    table: dict[str, dict[str, str]] = {}
    missing_everywhere = []
    for name, version in pins(args.requirements):
        row = table.setdefault(f"{name}=={version}", {})
        for python in args.python:
            with tempfile.TemporaryDirectory() as tmp:
                ok, what = pip_download(
                    ["--only-binary=:all:", "--python-version", python, *platform_args]
                    + [f"{name}=={version}"],
                    Path(tmp),
                )
            row[python] = f"ok {wheel_tags(what)}" if ok else "missing"
            print(f"  {name}=={version} on {python}: {row[python]}", file=sys.stderr)
        if all(v == "missing" for v in row.values()):
            with tempfile.TemporaryDirectory() as tmp:
                ok, what = pip_download(
                    ["--no-binary=:all:", f"{name}=={version}"], Path(tmp), SDIST_TIMEOUT_S
                )
            for python in args.python:
                row[python] = "sdist only" if ok else "missing"
            if not ok:
                missing_everywhere.append(f"{name}=={version}")

    width = max(len(k) for k in table) + 2
    cell = max(len(v) for row in table.values() for v in row.values()) + 2
    print(f"wheels for x86-64 Linux, glibc 2.17-{args.glibc} (pip download --only-binary)")
    print("package".ljust(width) + "".join(f"Python {p}".ljust(cell) for p in args.python))
    for package, row in table.items():
        print(package.ljust(width) + "".join(row[p].ljust(cell) for p in args.python))
    gaps = [
        f"{package} on {python}"
        for package, row in table.items()
        for python, status in row.items()
        if status == "missing"
    ]
    print("every pin installs on every version" if not gaps else "missing: " + ", ".join(gaps))
    return 1 if missing_everywhere or gaps else 0


if __name__ == "__main__":
    raise SystemExit(main())
