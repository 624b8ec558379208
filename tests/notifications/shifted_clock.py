"""`python -m tests.notifications.shifted_clock celery ARGS...`: run Celery with its clock moved forward.

The clock is moved by CLOCK_SHIFT_SECONDS (time-machine, ticking on from there), so a real worker and beat can be
sent a day ahead while the test process, PostgreSQL and Redis stay on real time. Only wall-clock time moves;
monotonic timers, which Celery uses for waiting, are left alone.
"""

import os
import sys
from datetime import UTC, datetime, timedelta

import time_machine


def main(argv: list[str]) -> None:
    if argv[:1] != ["celery"]:
        raise SystemExit("usage: python -m tests.notifications.shifted_clock celery ARGS...")
    shift = timedelta(seconds=float(os.environ.get("CLOCK_SHIFT_SECONDS", "0")))
    time_machine.travel(datetime.now(UTC) + shift, tick=True).start()

    from celery.__main__ import main as celery_main

    sys.argv = argv
    celery_main()


if __name__ == "__main__":
    main(sys.argv[1:])
