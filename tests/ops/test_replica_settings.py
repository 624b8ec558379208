"""DATABASE_REPLICA_URL: a replica alias that is a TEST MIRROR of default, `mirror` for the same database, refused if
it is not PostgreSQL; no alias without it."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
BASE = {
    "PATH": os.environ["PATH"],
    "DEBUG": "0",
    "SECRET_KEY": "x" * 60,
    "DATABASE_URL": "postgres://qa@primary.invalid:5432/qa",
    "REDIS_URL": "redis://redis.invalid:6379/0",
    "ALLOWED_HOSTS": "qa.example.org",
}
PROGRAM = (
    "import json, qa_platform.settings as s; r = s.DATABASES.get('replica');"
    "print(json.dumps(r and {k: r[k] for k in ('HOST', 'NAME', 'TEST', 'OPTIONS')}))"
)


def _replica(**env):
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], env={**BASE, **env}, cwd=BASE_DIR, capture_output=True, text=True
    )
    return result.returncode, result.stdout, result.stderr


def test_without_it_there_is_no_replica_alias():
    assert _replica()[1].strip() == "null"


def test_a_replica_url_makes_a_mirror_of_default_with_the_same_options():
    code, out, err = _replica(DATABASE_REPLICA_URL="postgres://qa@replica.invalid:5432/qa")
    assert code == 0, err
    replica = json.loads(out)
    assert replica["HOST"] == "replica.invalid"
    assert replica["TEST"] == {"MIRROR": "default"}
    assert "join_collapse_limit=12" in replica["OPTIONS"]["options"]


def test_mirror_is_a_second_connection_to_the_default_database():
    code, out, err = _replica(DATABASE_REPLICA_URL="mirror")
    assert code == 0, err
    assert json.loads(out)["HOST"] == "primary.invalid"


def test_a_replica_that_is_not_postgresql_is_refused():
    code, out, err = _replica(DATABASE_REPLICA_URL="mysql://qa@replica.invalid/qa")
    assert code != 0
    assert "DATABASE_REPLICA_URL must point at PostgreSQL" in err
