"""The Chromium the browser tests drive: Debian's, installed by `make test` when it can, never downloaded by Playwright.

As root on a Debian-like machine (CI, a container) it is installed with apt-get; anywhere else `make test` stops at
once and prints the one command to run.
"""

import os
import shutil
import subprocess
import sys

DEFAULT_PATH = "/usr/bin/chromium"
APT_INSTALL = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
INSTALL_COMMAND = "sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends chromium'"


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or DEFAULT_PATH


def _usable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def ensure_chromium(path: str | None = None, *, is_root: bool | None = None, run=subprocess.run) -> int:
    """0 when Chromium is there (installing it first if we may); otherwise 1, having said what to run."""
    path = path or chromium_path()
    if _usable(path):
        return 0
    is_root = os.geteuid() == 0 if is_root is None else is_root
    if path == DEFAULT_PATH and is_root and shutil.which("apt-get"):
        print("The browser tests need Chromium: installing Debian's package (apt-get install chromium).", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update"], APT_INSTALL):
            if run(command, env=env, check=False).returncode != 0:
                print(f"`{' '.join(command)}` failed; install Chromium, then run `make test` again.", file=sys.stderr)
                return 1
        if _usable(path):
            return 0
    if path != DEFAULT_PATH:
        print(f"CHROMIUM_PATH={path} is not an executable: point it at a Chromium, or unset it.", file=sys.stderr)
    else:
        print(
            f"The browser tests need Debian's Chromium at {DEFAULT_PATH}. Run once:\n\n    {INSTALL_COMMAND}\n\n"
            "then `make test` again (or set CHROMIUM_PATH to another Chromium, or skip them with "
            "PYTEST_ARGS=\"-m 'not browser'\").",
            file=sys.stderr,
        )
    return 1
