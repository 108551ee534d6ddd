"""What the fault drills share: their own PostgreSQL cluster and Redis on their own ports, the
app under gunicorn, a task worker, an SMTP server that can hang, and a member's browser.

Nothing here touches the machine's shared services: the cluster is made with pg_createcluster
on DRILL_PG_PORT (55432) and dropped at the end, Redis is a child process on DRILL_REDIS_PORT
(56379), every server listens on 127.0.0.1 only, and every drill stops by itself (a deadline
on the whole run, and cleanup whatever happens).
"""

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG_VERSION = (
    os.environ.get("DRILL_PG_VERSION") or sorted(os.listdir("/usr/lib/postgresql"), key=int)[-1]
)
PG_CLUSTER = "komvidere_drill"
PG_PORT = int(os.environ.get("DRILL_PG_PORT", "55432"))
REDIS_PORT = int(os.environ.get("DRILL_REDIS_PORT", "56379"))
SMTP_PORT = int(os.environ.get("DRILL_SMTP_PORT", "58025"))
APP_PORTS = (58001, 58002)
PASSWORD = "drill-password-123"  # noqa: S105 - a throw-away drill database
DATABASE_URL = f"postgres://postgres@127.0.0.1:{PG_PORT}/komvidere_drill"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)  # noqa: T201


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603


class Deadline:
    """Stop the whole drill after `seconds`, whatever it is doing."""

    def __init__(self, seconds: int):
        self.seconds = seconds

    def __enter__(self):
        def expired(signum, frame):
            raise TimeoutError(f"the drill ran out of its {self.seconds} s")

        signal.signal(signal.SIGALRM, expired)
        signal.alarm(self.seconds)
        return self

    def __exit__(self, *exc):
        signal.alarm(0)


class PgCluster:
    """A PostgreSQL cluster of the drill's own, trust auth on 127.0.0.1:PG_PORT."""

    def __enter__(self):
        if shutil.which("pg_createcluster") is None:
            sys.exit("pg_createcluster is missing (Debian's postgresql-common)")
        self.drop()
        run(
            "pg_createcluster", PG_VERSION, PG_CLUSTER, "-p", str(PG_PORT), "--start",
            "--", "--auth-host=trust", "--auth-local=trust",
        )  # fmt: skip
        self.wait()
        self.sql("CREATE DATABASE komvidere_drill", dbname="postgres")
        log(f"PostgreSQL {PG_VERSION} cluster {PG_CLUSTER} on port {PG_PORT}")
        return self

    def __exit__(self, *exc):
        self.drop()

    def drop(self):
        subprocess.run(  # noqa: S603
            ["pg_dropcluster", "--stop", PG_VERSION, PG_CLUSTER],  # noqa: S607
            capture_output=True,
        )

    def ctl(self, action: str) -> None:
        run("pg_ctlcluster", PG_VERSION, PG_CLUSTER, action)

    def wait(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if (
                subprocess.run(  # noqa: S603
                    ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(PG_PORT)],  # noqa: S607
                ).returncode
                == 0
            ):
                return
            time.sleep(0.1)
        raise TimeoutError("the drill's PostgreSQL did not start")

    def sql(self, query: str, params=(), dbname: str = "komvidere_drill"):
        with psycopg.connect(
            host="127.0.0.1", port=PG_PORT, user="postgres", dbname=dbname, autocommit=True
        ) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else None


class Redis:
    """redis-server as a child process on REDIS_PORT, keeping nothing on disk."""

    def __init__(self):
        self.process = None

    def start(self) -> "Redis":
        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server"), "--port", str(REDIS_PORT), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            if (
                subprocess.run(  # noqa: S603
                    ["redis-cli", "-p", str(REDIS_PORT), "ping"],  # noqa: S607
                    capture_output=True,
                ).stdout.strip()
                == b"PONG"
            ):
                return self
            time.sleep(0.05)
        raise TimeoutError("the drill's Redis did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(10)

    def hang(self) -> None:
        self.process.send_signal(signal.SIGSTOP)  # accepts connections, answers nothing

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    __enter__ = start

    def __exit__(self, *exc):
        self.stop()


def app_environment(*, redis: bool, **extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "TASKS_", "S3_"))
    }
    env.update(
        DJANGO_SECRET_KEY="drill-only-secret-key-not-for-production-0123456789abcdef",  # noqa: S106
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL="ERROR",
        DJANGO_STATIC_ROOT=str(Path(tempfile.gettempdir()) / "komvidere-drill-static"),
        DATABASE_URL=DATABASE_URL,
        TASKS_BACKEND="database",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(SMTP_PORT),
        EMAIL_USE_TLS="false",
        EMAIL_TIMEOUT="3",
        DILEMMAS_POST_RATE="100000/1m",
    )
    if redis:
        env["REDIS_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/0"
    env.update(extra)
    return env


def manage(env: dict, *args: str) -> str:
    return run(PY, "manage.py", *args, cwd=ROOT, env=env).stdout


def prepare(env: dict) -> dict:
    """Migrate the drill database, collect static files, seed the thread; return the seed."""
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    out = manage(env, "shell", "-v", "0", "-c", "import bench.drills.seed as s; s.run()")
    return json.loads(out.strip().splitlines()[-1])


class App:
    """gunicorn (2 sync workers, as in production) on 127.0.0.1:port."""

    def __init__(self, env: dict, port: int = APP_PORTS[0], workers: int = 2):
        self.env, self.port, self.workers = env, port, workers
        self.base = f"http://127.0.0.1:{port}"

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603
            [GUNICORN, "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--timeout", "30", "--no-control-socket",
             "--log-level", "warning"],
            cwd=ROOT, env=self.env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.base}/health/", timeout=1).status_code in (200, 503):
                    return self
            time.sleep(0.2)
        raise TimeoutError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(15)


class Worker:
    """`manage.py db_worker`, the queue's consumer."""

    def __init__(self, env: dict):
        self.env = env

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603
            [PY, "manage.py", "db_worker", "--interval", "0.5", "--no-startup-delay",
             "--no-reload", "-v", "0"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(15)


class Member:
    """A logged-in member's browser: reads the thread, posts replies with the CSRF token."""

    def __init__(self, base: str, cookie_name: str, session_key: str, dilemma: int):
        self.base, self.dilemma = base, dilemma
        self.http = requests.Session()
        self.http.cookies.set(cookie_name, session_key, domain="127.0.0.1")
        self.token = None

    def thread(self, timeout: float = 10) -> requests.Response:
        response = self.http.get(f"{self.base}/dilemmas/{self.dilemma}/", timeout=timeout)
        plain_http_cookies(self.http)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
        if match:
            self.token = match.group(1)
        return response

    def reply(self, marker: str, timeout: float = 10) -> requests.Response:
        if self.token is None:
            self.thread()
        return self.http.post(
            f"{self.base}/dilemmas/{self.dilemma}/reply/",
            data={"csrfmiddlewaretoken": self.token, "body": f"Svar fra øvelsen {marker}"},
            headers={"Referer": f"{self.base}/dilemmas/{self.dilemma}/"},
            allow_redirects=False,
            timeout=timeout,
        )


def plain_http_cookies(http: requests.Session) -> None:
    """The app sets Secure cookies (debug is off); the drills talk plain http on loopback, so
    let the client send them back anyway."""
    for cookie in http.cookies:
        cookie.secure = False


def marker() -> str:
    return f"drill-{uuid.uuid4().hex[:12]}"


def timed(call, *args, **kwargs):
    """(result or the exception, seconds)."""
    started = time.monotonic()
    try:
        result = call(*args, **kwargs)
    except requests.RequestException as error:
        result = error
    return result, time.monotonic() - started


def status(result) -> str:
    """The status code; a redirect says where to: "302" is a reply saved (the thread, at the
    reply), "302 elsewhere" anything else (the login page, say)."""
    if not isinstance(result, requests.Response):
        return "error"
    if result.status_code == 302 and "#reply-" not in result.headers.get("Location", ""):
        return f"302 to {result.headers.get('Location', '')[:40]}"
    return str(result.status_code)
