"""``make fuzz``: schemathesis over the whole OpenAPI document, as a county officer, a township
officer and the province administrator, with a fixed seed and a bounded number of examples per
operation, each body and query also drawn with one field replaced by a hostile value
(``tools/fuzz_hooks.py``: times without a zone, lone surrogates, bidi and control characters,
the ends of the calendar, numbers beyond 64 bits). The bar is zero failures: no server error,
every answer in its documented schema and with a documented status.

It builds a throwaway database with the demo data — on PostgreSQL when one answers on
127.0.0.1:5432 (where over-long text and out-of-range numbers meet real column limits), else
SQLite under ``var/fuzz/`` — serves it with gunicorn on a free port, and runs
``schemathesis run`` once per user, and over the farm's own operations with a demo farm's
token. Operations that revoke the fuzzer's own credentials run last, in a run of their own.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
WORK = ROOT / "var" / "fuzz"
USERS = ("demo-county", "demo-township", "demo-province")
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"
# The fuzzer's own token and account: kept for the last run.
REVOKING = r"/tokens/\{token_id\}|/users/\{user_id\}/deactivate|/farm/tokens/current"
# The farm's own operations, fuzzed with a farm's token.
FARM = r"/api/v1/farm"
# A demo farm's token, obtained as a farm does: a PIN from its county, then QR code and PIN.
FARM_SHELL_CODE = (
    "from earmark.accounts.models import User;"
    "from earmark.farms.models import Premises;"
    "from earmark.farms.services.credentials import farm_token_create, premises_pin_issue;"
    "county = User.objects.get(username='demo-county');"
    "farm = Premises.objects.filter(kind='farm', status='verified',"
    " county_code=county.region_code).order_by('code').first();"
    "pin = premises_pin_issue(actor=county, premises=farm);"
    "print(farm_token_create(qr_token=farm.qr_token, pin=pin, name='fuzz')[1])"
)
SEED = os.environ.get("FUZZ_SEED", "20261201")
EXAMPLES = os.environ.get("FUZZ_EXAMPLES", "5")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _earmark(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [str(BIN / "earmark"), *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def _prepare(env: dict[str, str]) -> dict[str, str]:
    _earmark(env, "migrate", "--no-input")
    _earmark(env, "load_regions")
    _earmark(env, "certificate_keys", "--if-missing")
    _earmark(env, "seed_demo")
    tokens = {}
    for user in USERS:
        output = _earmark(env, "create_token", user, "--name", "fuzz")
        tokens[user] = next(w for w in output.split() if w.startswith("em_"))
    return tokens


def _wait(url: str) -> None:
    for _ in range(100):
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own server
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server at {url} did not start")


def _run(schema: str, token: str, *extra: str) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "schemathesis"),
        "run",
        schema,
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        "--seed",
        SEED,
        "--max-examples",
        EXAMPLES,
        "--phases",
        "examples,coverage,fuzzing",
        "--workers",
        "1",
        "--suppress-health-check",
        "all",
        *extra,
    ]
    print("$", " ".join(command).replace(token, f"{token[:2]}_…"), flush=True)
    # The hostile values schemathesis would not draw itself (tools/fuzz_hooks.py).
    hooks = {"SCHEMATHESIS_HOOKS": "fuzz_hooks", "PYTHONPATH": str(ROOT / "tools")}
    return subprocess.Popen(command, env={**os.environ, **hooks})  # noqa: S603


SERVER = os.environ.get("FUZZ_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# The run's own database, so that two checkouts fuzzing on one server never meet.
FUZZ_DATABASE = f"earmark_fuzz_{os.getpid()}"


def _postgres(statement: str) -> None:
    import psycopg

    with psycopg.connect(SERVER, autocommit=True, connect_timeout=3) as connection:
        connection.execute(statement)


def _database() -> str:
    """A fresh PostgreSQL database when a server answers (required with CI=true), else SQLite."""
    try:
        _postgres(f"CREATE DATABASE {FUZZ_DATABASE}")
    except Exception as error:
        if os.environ.get("CI", "").lower() == "true":
            raise SystemExit(f"CI=true needs PostgreSQL for the fuzz run: {error}") from error
        print(f"PostgreSQL not reachable ({error}); fuzzing on SQLite", flush=True)
        return f"sqlite:///{WORK / 'fuzz.sqlite3'}"
    return SERVER.rsplit("/", 1)[0] + f"/{FUZZ_DATABASE}"


def main() -> int:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    env = {
        **os.environ,
        "DATABASE_URL": _database(),
        "EARMARK_VAR_DIR": str(WORK),
        # The fonts `make fuzz` has built (a server cutting them on its first PDF would time out).
        "EARMARK_FONT_DIR": os.environ.get("EARMARK_FONT_DIR", str(ROOT / "var" / "fonts")),
        "DEBUG": "0",
        # Thousands of refused requests are the point; only errors are worth a line.
        "LOG_LEVEL": "ERROR",
    }
    tokens = _prepare(env)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "earmark.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--timeout",
            "120",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        schema = f"http://127.0.0.1:{port}/api/v1/openapi.json"
        _wait(schema)
        # The three users at once (the server has a worker each), then the operations that
        # could revoke their own credentials.
        runs = [_run(schema, tokens[u], "--exclude-path-regex", REVOKING) for u in USERS]
        failed = sum(run.wait() != 0 for run in runs)
        # The staff runs gave farms new PINs, which retire their tokens: the farm's comes now.
        tokens["farm"] = _earmark(env, "shell", "-c", FARM_SHELL_CODE).split()[-1]
        farm = ("--include-path-regex", FARM, "--exclude-path-regex", REVOKING)
        failed += _run(schema, tokens["farm"], *farm).wait() != 0
        for user in [*USERS, "farm"]:
            failed += _run(schema, tokens[user], "--include-path-regex", REVOKING).wait() != 0
    finally:
        server.terminate()
        server.wait(timeout=30)
        if "postgresql" in env["DATABASE_URL"]:
            _postgres(f"DROP DATABASE IF EXISTS {FUZZ_DATABASE} WITH (FORCE)")
    print("fuzz: " + ("passed" if not failed else f"{failed} run(s) failed"), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
