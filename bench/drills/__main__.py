"""Fault drills: `python -m bench.drills [pg_restart] [mail] [redis] [two_instances]` (all four
without arguments). See bench/README.md. Each prints its figures and a verdict; the exit code
is 1 if any verdict failed."""

import collections
import sys
import threading
import time

import requests

from bench.drills import common
from bench.drills.common import App, Member, PgCluster, Redis, Worker, log, marker, status, timed
from bench.smtp_server import SMTPServer


def _saved_markers(cluster: PgCluster) -> collections.Counter:
    rows = cluster.sql(
        "SELECT substring(body from 'drill-[0-9a-f]{12}') FROM dilemmas_reply WHERE body LIKE %s",
        ["%drill-%"],
    )
    return collections.Counter(row[0] for row in rows)


def _replier(app: App, seed: dict) -> Member:
    return Member(app.base, seed["session_cookie"], seed["replier_session"], seed["dilemma"])


def pg_restart(cluster: PgCluster, seed: dict) -> bool:
    """Replies posted by four members at once while PostgreSQL restarts: every acknowledged
    post is saved once, none twice; the outage answers 503, never 500."""
    env = common.app_environment(redis=False)
    acknowledged, statuses, latencies, events = [], collections.Counter(), [], []
    stop = threading.Event()

    def poster(app: App):
        member = _replier(app, seed)
        while not stop.is_set():
            mark = marker()
            result, seconds = timed(member.reply, mark, timeout=10)
            code = status(result)
            statuses[code] += 1
            latencies.append(seconds)
            events.append((time.monotonic(), code))
            if code == "302":
                acknowledged.append(mark)

    with App(env) as app:
        threads = [threading.Thread(target=poster, args=(app,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(5)
        before = len(acknowledged)
        log(f"{before} replies acknowledged; restarting PostgreSQL")
        restarted_at = time.monotonic()
        cluster.ctl("restart")
        cluster.wait()
        back_at = time.monotonic()
        time.sleep(8)
        stop.set()
        for thread in threads:
            thread.join(15)

    saved = _saved_markers(cluster)
    lost = [m for m in acknowledged if saved[m] == 0]
    duplicated = [m for m, count in saved.items() if count > 1]
    failed_at = [at for at, code in events if code != "302"]
    recovered = [at for at, code in events if code == "302" and at > back_at]
    window = (max(failed_at) - min(failed_at)) if failed_at else 0.0
    recovery = (min(recovered) - back_at) if recovered else float("nan")
    log(
        f"pg_restart: {len(acknowledged)} acknowledged, {sum(saved.values())} saved, "
        f"{len(lost)} lost, {len(duplicated)} duplicated; statuses {dict(statuses)}; "
        f"the restart took {back_at - restarted_at:.1f} s, posts failed (503) for {window:.1f} s, "
        f"the first post after PostgreSQL was back was saved {recovery:.2f} s later; slowest "
        f"request {max(latencies):.2f} s"
    )
    return bool(acknowledged) and not lost and not duplicated and statuses["500"] == 0


def mail(cluster: PgCluster, seed: dict) -> bool:
    """The mail server hangs, then is down: replies still return within 1 s, and every e-mail
    goes out once it is back (the worker's retries)."""
    env = common.app_environment(redis=False)
    # Start from a clean slate: what earlier drills queued is not this drill's mail.
    cluster.sql("UPDATE accounts_notification SET emailed_at = now() WHERE emailed_at IS NULL")
    cluster.sql("DELETE FROM django_tasks_database_dbtaskresult")
    server = SMTPServer(port=common.SMTP_PORT, mode="hang").start()
    latencies, statuses = [], collections.Counter()
    try:
        with App(env) as app, Worker(env):
            member = _replier(app, seed)
            for _ in range(10):
                result, seconds = timed(member.reply, marker())
                statuses[status(result)] += 1
                latencies.append(seconds)
            log(f"SMTP hanging: 10 replies, slowest {max(latencies):.2f} s")
            time.sleep(4)
            server.stop()  # now down: connection refused
            for _ in range(10):
                result, seconds = timed(member.reply, marker())
                statuses[status(result)] += 1
                latencies.append(seconds)
            log(f"SMTP down: 20 replies in all, slowest {max(latencies):.2f} s")
            time.sleep(6)
            server = SMTPServer(port=common.SMTP_PORT, mode="ok").start()
            back_at = time.monotonic()
            expected = 20  # the asker follows the thread and gets one e-mail a reply
            deadline = back_at + 150
            while time.monotonic() < deadline:
                unsent = cluster.sql(
                    "SELECT count(*) FROM accounts_notification WHERE recipient_id = %s "
                    "AND emailed_at IS NULL",
                    [seed["asker"]],
                )[0][0]
                if unsent == 0:
                    break
                time.sleep(1)
            delivered_in = time.monotonic() - back_at
    finally:
        server.stop()
    mails = len(server.messages)
    latencies.sort()
    log(
        f"mail: replies {dict(statuses)}, median {latencies[len(latencies) // 2]:.2f} s, slowest "
        f"{max(latencies):.2f} s (EMAIL_TIMEOUT is 3 s); after the SMTP server "
        f"came back, {expected - unsent} of {expected} notifications e-mailed in "
        f"{delivered_in:.0f} s ({mails} messages: one SMTP message a notification batch; the "
        f"worker retries after 30 s)"
    )
    # On a quiet machine every reply is well under 1 s; on a loaded one the slowest few are
    # not, so the verdict takes the 90th percentile, and no reply may wait for SMTP's timeout.
    p90 = latencies[int(len(latencies) * 0.9) - 1]
    return p90 < 1 and max(latencies) < 3 and statuses["302"] == 20 and unsent == 0


def redis(cluster: PgCluster, seed: dict) -> bool:
    """Redis stopped, then hanging: /health/ answers 503 within 1 s, members keep reading and
    posting, no request hangs."""
    env = common.app_environment(redis=True)
    ok = True
    # The seed's sessions were made without Redis: they are in the database only, which the
    # session store reads when Redis has no copy.
    with Redis() as server, App(env) as app:
        member = _replier(app, seed)
        member.thread()
        baseline = min(timed(member.thread)[1] for _ in range(3))
        log(f"redis up: the thread page takes {baseline:.2f} s")
        for state, break_it, mend in (
            ("stopped", server.stop, server.start),
            ("hanging", server.hang, server.resume),
        ):
            break_it()
            figures = []
            for name, call in (
                ("health", lambda: requests.get(f"{app.base}/health/", timeout=5)),
                ("thread", member.thread),
                ("reply", lambda: member.reply(marker())),
            ):
                result, seconds = timed(call)
                figures.append(f"{name} {status(result)} in {seconds:.2f} s")
                if seconds >= (1 if name == "health" else baseline + 1):
                    ok = False
                if name == "health" and status(result) != "503":
                    ok = False
                if name != "health" and status(result) not in ("200", "302"):
                    ok = False
            mend()
            time.sleep(0.5)
            result, seconds = timed(requests.get, f"{app.base}/health/", timeout=5)
            figures.append(f"after mending: health {status(result)} in {seconds:.2f} s")
            log(f"redis {state}: " + "; ".join(figures))
    return ok


def two_instances(cluster: PgCluster, seed: dict) -> bool:
    """Two app instances sharing one Redis and one database: a login on one is valid on the
    other, and the posting limit counts across both."""
    env = common.app_environment(redis=True, DILEMMAS_POST_RATE="6/1d")
    with Redis(), App(env, common.APP_PORTS[0]) as one, App(env, common.APP_PORTS[1]) as two:
        browser = requests.Session()
        browser.get(f"{one.base}/accounts/login/", timeout=5)
        common.plain_http_cookies(browser)
        token = browser.cookies.get("csrftoken")
        browser.post(
            f"{one.base}/accounts/login/",
            data={
                "csrfmiddlewaretoken": token,
                "login": "replier@drill.invalid",
                "password": common.PASSWORD,
            },
            headers={"Referer": f"{one.base}/accounts/login/"},
            timeout=5,
        )
        common.plain_http_cookies(browser)
        on_two = browser.get(f"{two.base}/dilemmas/", allow_redirects=False, timeout=5)
        shared_login = on_two.status_code == 200
        log(f"logged in on instance 1, instance 2 answers {on_two.status_code}")

        members = [
            Member(app.base, seed["session_cookie"], seed["replier_session"], seed["dilemma"])
            for app in (one, two)
        ]
        accepted = 0
        for i in range(10):
            result = members[i % 2].reply(marker())
            accepted += result.status_code == 302
        log(f"10 replies alternating between the instances, limit 6 a day: {accepted} accepted")

        counts = collections.Counter()
        stop = time.monotonic() + 5

        def reader(app, member):
            while time.monotonic() < stop:
                counts[(app.port, member.thread().status_code)] += 1

        readers = [
            threading.Thread(target=reader, args=(app, member))
            for app, member in zip((one, two), members, strict=True)
        ]
        for thread in readers:
            thread.start()
        for thread in readers:
            thread.join(15)
        log(f"5 s of thread reads on both at once: {dict(counts)}")
    return shared_login and accepted == 6 and all(code == 200 for _, code in counts)


DRILLS = {"pg_restart": pg_restart, "mail": mail, "redis": redis, "two_instances": two_instances}


def main(names: list[str]) -> int:
    names = names or list(DRILLS)
    unknown = set(names) - set(DRILLS)
    if unknown:
        sys.exit(f"unknown drill(s): {', '.join(sorted(unknown))}; choose from {', '.join(DRILLS)}")
    verdicts = {}
    with common.Deadline(600), PgCluster() as cluster:
        seed = common.prepare(common.app_environment(redis=False))
        for name in names:
            log(f"--- drill: {name}")
            verdicts[name] = DRILLS[name](cluster, seed)
    for name, passed in verdicts.items():
        log(f"{name}: {'PASS' if passed else 'FAIL'}")
    return 0 if all(verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
