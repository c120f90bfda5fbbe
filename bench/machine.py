"""The machine and software the benchmark ran on (standard library; called by bench/run.sh)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
from pathlib import Path


def _version(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr).strip() else "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        return None
    return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict:
    venv = ".venv/bin/"
    return {
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gib": _memory_gib(),
        "os": _version(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": _version(["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "show server_version"]),
        "redis": _version(["redis-server", "--version"]),
        "wrk": _version(["wrk", "--version"]),
        "gunicorn": _version([venv + "gunicorn", "--version"]),
        "celery": _version([venv + "celery", "--version"]),
        "django": _version([venv + "python", "-c", "import django; print(django.get_version())"]),
        "wagtail": _version([venv + "python", "-c", "import wagtail; print(wagtail.__version__)"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--wall", type=int, default=0, help="seconds for the whole make bench")
    parser.add_argument("--data", type=int, default=0, help="seconds for migrate + seed + generate")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    info = machine_info()
    info.update(wall_s=args.wall, data_s=args.data, gunicorn_workers=args.workers, gunicorn_threads=args.threads)
    Path(args.out).write_text(json.dumps(info, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
