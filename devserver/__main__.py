"""`python -m devserver run` starts the whole product; `python -m devserver exec -- CMD` runs CMD with servers up;
`python -m devserver chromium` makes sure the browser tests' Chromium is there (devserver/chromium.py).

Both start PostgreSQL and Redis under ./var/ unless DATABASE_URL / REDIS_URL are set, and stop on exit only
the servers they started.
"""

import os
import signal
import subprocess
import sys
import time

from devserver.chromium import ensure_chromium
from devserver.services import BASE_DIR, start_services

PYTHON = sys.executable


def _stop_all(stoppers: list) -> None:
    for stop in reversed(stoppers):
        stop()


def exec_command(command: list[str]) -> int:
    env = dict(os.environ)
    stoppers = start_services(env)
    try:
        return subprocess.run(command, env=env, cwd=BASE_DIR, check=False).returncode
    finally:
        _stop_all(stoppers)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def run_environment(environ) -> tuple[dict, str]:
    """The environment `run` gives its processes, and the port the site listens on. Links in e-mails are made from
    SITE_URL (notifications/outbox.py): unless it is set, it is the address the site is served at here."""
    env = dict(environ)
    env.setdefault("DEBUG", "1")
    port = env.get("PORT") or "8000"
    env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
    return env, port


def run() -> int:
    # Ctrl-C and a plain `kill` both stop everything (a shell may start us with SIGINT ignored).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    env, port = run_environment(os.environ)
    stoppers = start_services(env)
    children: list[subprocess.Popen] = []
    try:
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "--no-input"], env=env, cwd=BASE_DIR, check=True)
        subprocess.run([*manage, "seed_demo"], env=env, cwd=BASE_DIR, check=True)
        celery = [PYTHON, "-m", "celery", "-A", "qa_platform"]
        for command in (
            [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
            [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"],
            [*celery, "beat", "--loglevel", "INFO"],
        ):
            # Own process group: Ctrl-C reaches us once, and we stop each child in turn.
            children.append(subprocess.Popen(command, env=env, cwd=BASE_DIR, start_new_session=True))
        print(f"\nCasework QA Platform is running at http://127.0.0.1:{port}/  (Ctrl-C stops everything)\n")
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        print("A process stopped; shutting the rest down.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping…")
        return 0
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        _stop_all(stoppers)


def main(argv: list[str]) -> int:
    if argv[:1] == ["run"]:
        return run()
    if argv[:1] == ["chromium"]:
        return ensure_chromium()
    if argv[:1] == ["exec"]:
        command = argv[2:] if argv[1:2] == ["--"] else argv[1:]
        return exec_command(command)
    print("usage: python -m devserver run | exec -- COMMAND... | chromium", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
