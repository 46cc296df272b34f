"""``make bench``: the national-scale benchmark. Not a test: it prints a table and writes
``bench/results.json`` (and ``bench/results-<scale>.json``).

1. Builds the dataset (:mod:`bench.generate`) in a fresh PostgreSQL database (or reuses it:
   ``--reuse``), migrated with the app's own migrations.
2. Counts the SQL statements of each page in-process (the query gate's measure), for a person in
   a big network and one in a small one.
3. Starts gunicorn (``gunicorn.conf.py``) on 127.0.0.1 and drives it with locust, each run bounded
   in time: the pages at 10 and 50 concurrent users (who think about a second between clicks),
   each page flat out, calendar feeds (full render and conditional 304) and a static file of the
   size of a feed (the physical limit of this stack on this machine); then the workers' peak memory.
4. Stops gunicorn and sends the Monday-morning digests of every person through the real job
   (``flask --app cluster jobs run send-digests --now ...``) to a local aiosmtpd server.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
SECRET_KEY = "bench-secret-key-not-for-production"
STATIC_NAME = "bench-feed-sized.ics"
TARGETS = {
    "pages_p95_ms_at_50": 100.0,
    "feed_full_rps": 200.0,
    "feed_304_vs_static": 0.5,
    "digests_seconds": 600.0,
}


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLUSTER_", "MAIL_", "GUNICORN_"))}
    env.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET_KEY,
            "CLUSTER_BASE_URL": "http://127.0.0.1",
            "CLUSTER_INSTANCE_PATH": str(Path(tempfile.gettempdir()) / "cluster-bench-instance"),
        }
    )
    env.update(extra)
    return env


def machine_load() -> dict:
    load1, load5, load15 = os.getloadavg()
    return {"loadavg_1_5_15": [round(load1, 2), round(load5, 2), round(load15, 2)], "cores": os.cpu_count()}


# 1. The dataset ---------------------------------------------------------------------------------------


def prepare_database(args) -> dict:
    from cluster.ops.database import ensure_database

    env = app_env(args.database_url)
    if args.reuse and not ensure_database(args.database_url):
        log("reusing the existing dataset (--reuse)")
        return {"reused": True}
    ensure_database(args.database_url, fresh=True)
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "flask"), "--app", "cluster", "db", "upgrade", "heads"],
        env=env,
        check=True,
        capture_output=True,
    )
    log(f"migrated in {time.perf_counter() - started:.1f} s; generating the {args.scale} dataset")
    os.environ.update(env)
    from bench.generate import SCALES, generate
    from cluster import create_app

    app = create_app()
    started = time.perf_counter()
    with app.app_context():
        world = generate(SCALES[args.scale], secret_key=SECRET_KEY, log=log)
    seconds = time.perf_counter() - started
    log(f"generated {sum(world.counts.values()):,} rows in {seconds:.0f} s")
    with app.app_context():
        import sqlalchemy as sa

        from cluster.extensions import db

        size = (
            db.session.scalar(sa.text("SELECT pg_database_size(current_database())"))
            if db.engine.dialect.name == "postgresql"
            else None
        )
    return {
        "reused": False,
        "seconds": round(seconds, 1),
        "rows": world.counts,
        "per_domain_seconds": world.timings,
        "database_mb": round(size / 1024 / 1024) if size else None,
    }


# 2. Who asks for what, and the statements per page --------------------------------------------------------


def page_urls(app, membership, network_id, meeting_id, poll_id, organiser: bool) -> dict[str, str]:
    from flask import url_for

    slug = membership.organisation.slug
    pages = {
        "home": url_for("org.home.index", org_slug=slug),
        "programme": url_for("org.meetings.programme", org_slug=slug, network_id=network_id),
        "poll": url_for("org.polls.show", org_slug=slug, network_id=network_id, poll_id=poll_id),
        "resource_search": url_for("org.resources.index", org_slug=slug, q="transition"),
    }
    if organiser and meeting_id:
        pages["agenda_builder"] = url_for("org.agenda.build", org_slug=slug, meeting_id=meeting_id)
    endpoint = moderation_list_endpoint(app)
    if endpoint:
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        kwargs = {"org_slug": slug}
        if "network_id" in rule.arguments:
            kwargs["network_id"] = network_id
        pages["moderation"] = url_for(endpoint, **kwargs)
    return pages


def moderation_list_endpoint(app) -> str | None:
    """The moderation cases list, if that domain's pages exist in this checkout."""
    for rule in app.url_map.iter_rules():
        if (
            rule.endpoint.startswith("org.moderation.")
            and "GET" in rule.methods
            and rule.arguments <= {"org_slug", "network_id"}
            and rule.endpoint.rsplit(".", 1)[1] in ("index", "cases", "list")
        ):
            return rule.endpoint
    return None


def build_targets(args, port: int, people: int = 120) -> dict:
    """Signed-in people (organisers and SENCOs of networks big and small) with their pages' URLs,
    session cookies made with the app's key, and feed URLs. Also counts each page's statements."""
    import sqlalchemy as sa

    from bench.generate import feed_token_for
    from cluster import create_app
    from cluster.extensions import db
    from cluster.feeds.models import FeedSubscription
    from cluster.meetings.models import Meeting
    from cluster.networks.models import NetworkRole, NetworkSchool
    from cluster.polls.models import DatePoll
    from cluster.tenancy.models import Membership

    os.environ.update(app_env(args.database_url, CLUSTER_BASE_URL=f"http://127.0.0.1:{port}"))
    app = create_app()
    serializer = app.session_interface.get_signing_serializer(app)
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    targets: dict = {"people": [], "feeds": [], "queries": {}}
    with app.app_context(), app.test_request_context(base_url=f"http://127.0.0.1:{port}"):
        sizes = db.session.execute(
            sa.select(NetworkSchool.network_id, sa.func.count())
            .group_by(NetworkSchool.network_id)
            .order_by(sa.func.count().desc(), NetworkSchool.network_id)
        ).all()
        step = max(len(sizes) // (people // 2), 1)
        chosen = [nid for nid, _ in sizes[::step]][: people // 2]
        for network_id in chosen:
            poll_id = db.session.scalar(
                sa.select(DatePoll.id).where(DatePoll.network_id == network_id).limit(1)
            )
            meeting_id = db.session.scalar(
                sa.select(Meeting.id)
                .where(Meeting.network_id == network_id, Meeting.status == "scheduled")
                .order_by(Meeting.starts_at)
                .limit(1)
            )
            organiser = db.session.scalar(
                sa.select(NetworkRole.user_id)
                .where(NetworkRole.network_id == network_id, NetworkRole.role == "organiser")
                .limit(1)
            )
            member = db.session.scalar(
                sa.select(Membership.user_id)
                .join(NetworkSchool, NetworkSchool.school_id == Membership.school_id)
                .where(NetworkSchool.network_id == network_id)
                .order_by(Membership.user_id)
                .limit(1)
            )
            for user_id, is_organiser in ((organiser, True), (member, False)):
                if user_id is None:
                    continue
                membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == user_id))
                cookie = f"{cookie_name}={serializer.dumps({'_user_id': str(user_id), '_fresh': True})}"
                targets["people"].append(
                    {
                        "user_id": user_id,
                        "role": "organiser" if is_organiser else "member",
                        "network_id": network_id,
                        "cookie": cookie,
                        "pages": page_urls(app, membership, network_id, meeting_id, poll_id, is_organiser),
                    }
                )
        subscriptions = db.session.execute(
            sa.select(FeedSubscription.user_id, FeedSubscription.nonce).order_by(FeedSubscription.user_id)
        ).all()
        for user_id, nonce in subscriptions:
            targets["feeds"].append(
                {"user_id": user_id, "url": f"/feeds/{feed_token_for(SECRET_KEY, nonce)}.ics"}
            )
    # Outside any pushed context: each test-client request then gets a fresh ``g`` (and user).
    targets["queries"] = count_statements(app, targets["people"])
    return targets


def count_statements(app, people: list[dict]) -> dict:
    """Statements per page for the person of the biggest network and of the smallest (the
    query gate's measure: equal means no N+1), and the status each page answered with."""
    import sqlalchemy as sa

    from cluster.extensions import db

    with app.app_context():
        engine = db.engine
    biggest = {p["role"]: p for p in people if p["network_id"] == people[0]["network_id"]}
    smallest = {p["role"]: p for p in people if p["network_id"] == people[-1]["network_id"]}
    found: dict = {}
    client = app.test_client()
    for label, group in (("big_network", biggest), ("small_network", smallest)):
        for role, person in group.items():
            for page, url in person["pages"].items():
                statements = []

                def record(conn, cursor, statement, *rest, statements=statements):
                    statements.append(statement)

                name, value = person["cookie"].split("=", 1)
                client.set_cookie(name, value)
                client.get(url)  # the first request of a process compiles templates and warms caches
                sa.event.listen(engine, "before_cursor_execute", record)
                try:
                    response = client.get(url)
                finally:
                    sa.event.remove(engine, "before_cursor_execute", record)
                found.setdefault(page, {})[f"{role}_{label}"] = {
                    "statements": len(statements),
                    "status": response.status_code,
                }
    return found


# 3. gunicorn and locust ------------------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, args, port: int):
        self.args, self.port = args, port
        self.log = open(Path(tempfile.gettempdir()) / "cluster-bench-gunicorn.log", "w")
        env = app_env(
            args.database_url,
            PORT=str(port),
            CLUSTER_BASE_URL=f"http://127.0.0.1:{port}",
            GUNICORN_ACCESSLOG=str(Path(tempfile.gettempdir()) / "cluster-bench-access.log"),
            GUNICORN_LOGLEVEL="warning",
        )
        if args.workers:
            env["WEB_CONCURRENCY"] = str(args.workers)
        if args.threads:
            env["GUNICORN_THREADS"] = str(args.threads)
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s; see " + self.log.name)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        import psutil

        return [child.pid for child in psutil.Process(self.process.pid).children()]

    def peak_rss_mb(self) -> dict[str, float]:
        peaks = {}
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[str(pid)] = round(int(line.split()[1]) / 1024, 1)
        return peaks

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def locust(base: str, targets_path: Path, mode: str, users: int, seconds: int, think: float) -> dict:
    """One headless locust run; locust's own summary of every request name."""
    prefix = Path(tempfile.mkdtemp(prefix="bench-locust-")) / "run"
    env = dict(os.environ, BENCH_TARGETS=str(targets_path), BENCH_MODE=mode, BENCH_THINK=str(think))
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(BENCH / "locustfile.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(max(users, 10)),
            "-t",
            f"{seconds}s",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "ERROR",
            "--stop-timeout",
            "5",
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=BENCH,
    )
    stats = {}
    with open(f"{prefix}_stats.csv") as f:
        for row in csv.DictReader(f):
            count = int(row["Request Count"])
            stats[row["Name"]] = {
                "requests": count,
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": _ms(row["50%"]),
                "p95_ms": _ms(row["95%"]),
                "p99_ms": _ms(row["99%"]),
                "mean_ms": round(float(row["Average Response Time"] or 0), 1),
                "bytes": round(float(row["Average Content Size"] or 0)),
            }
    shutil.rmtree(prefix.parent, ignore_errors=True)
    return stats


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def feed_etags(base: str, feeds: list[dict], count: int) -> tuple[list[dict], list[int]]:
    """The current ETag of ``count`` feeds (fetched through gunicorn), and their sizes."""
    chosen, sizes = [], []
    for feed in feeds[:: max(len(feeds) // count, 1)][:count]:
        with urllib.request.urlopen(base + feed["url"], timeout=30) as response:
            body = response.read()
            chosen.append({**feed, "etag": response.headers["ETag"]})
            sizes.append(len(body))
    return chosen, sizes


# 4. Digests ----------------------------------------------------------------------------------------------------


class CountingSMTP:
    """An aiosmtpd server on 127.0.0.1 that counts what it is handed (and keeps nothing)."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.count, self.bytes, self.lock = 0, 0, threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            self.bytes += len(envelope.content)
        return "250 Message accepted for delivery"

    def stop(self):
        self.controller.stop()


def next_monday_morning(now: datetime) -> datetime:
    """Monday 07:05 Europe/London after ``now`` (every generated person's default digest slot), in UTC."""
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    local = now.astimezone(london)
    days = (7 - local.weekday()) % 7 or 7
    monday = (local + timedelta(days=days)).date()
    return datetime(monday.year, monday.month, monday.day, 7, 5, tzinfo=london).astimezone(UTC)


def run_digests(args) -> dict:
    """The real digest job, as the scheduler runs it on a Monday morning, timed."""
    import sqlalchemy as sa

    url = args.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM digest_delivery"))
        people = conn.execute(sa.text('SELECT count(*) FROM "user" WHERE active')).scalar_one()
    smtp = CountingSMTP()
    at = next_monday_morning(datetime.now(UTC))
    env = app_env(args.database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp.port))
    log(
        f"sending the digests due at {at:%Y-%m-%d %H:%M} UTC to {people:,} people (at most {args.digest_seconds} s)"
    )
    started = time.perf_counter()
    job = subprocess.Popen(
        [
            str(BIN / "flask"),
            "--app",
            "cluster",
            "jobs",
            "run",
            "send-digests",
            "--now",
            at.strftime("%Y-%m-%dT%H:%M"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        output, errors = job.communicate(timeout=args.digest_seconds)
        completed = job.returncode == 0
    except subprocess.TimeoutExpired:
        # Bounded in time: stop the run (safe: every digest is claimed before it is sent, and the
        # next run takes up what this one left) and extrapolate from its rate.
        job.terminate()
        output, errors = job.communicate(timeout=30)
        completed = False
    seconds = time.perf_counter() - started
    smtp.stop()
    with engine.begin() as conn:
        statuses = dict(
            conn.execute(sa.text("SELECT status, count(*) FROM digest_delivery GROUP BY status")).all()
        )
    engine.dispose()
    if job.returncode not in (0, -signal.SIGTERM):
        log("send-digests failed: " + errors[-2000:])
    rate = smtp.count / seconds if seconds else 0
    wanted = people - statuses.get("empty", 0) - statuses.get("paused", 0)
    return {
        "people": people,
        "seconds": round(seconds, 1),
        "handed_to_smtp": smtp.count,
        "completed": completed,
        "digests_per_second": round(rate, 1),
        "seconds_for_all": round(seconds if completed else wanted / rate, 1) if rate else None,
        "mean_message_kb": round(smtp.bytes / smtp.count / 1024, 1) if smtp.count else None,
        "deliveries_by_status": statuses,
        "job_output": (output or "").strip()[-300:],
        "ok": job.returncode == 0 or not completed,
    }


# The whole run -----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1/cluster_bench")
    parser.add_argument("--scale", choices=["la", "national"], default="national")
    parser.add_argument("--reuse", action="store_true", help="Keep the dataset if the database exists.")
    parser.add_argument(
        "--seconds", type=int, default=0, help="Length of each locust run (default: 40 paced, 10 saturated)."
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="gunicorn workers (default: gunicorn.conf.py's)."
    )
    parser.add_argument(
        "--threads", type=int, default=0, help="Threads per worker (default: gunicorn.conf.py's)."
    )
    parser.add_argument("--skip", action="append", default=[], choices=["pages", "feeds", "digests"])
    parser.add_argument(
        "--digest-seconds",
        type=int,
        default=540,
        help="Stop the digest run after this long and extrapolate (keeps make bench under 15 minutes).",
    )
    parser.add_argument("--generate-only", action="store_true", help="Build the dataset, then stop.")
    parser.add_argument(
        "--note", default="", help="Said in the results (e.g. what else the machine was doing)."
    )
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    # The paced runs are longer: their 95th percentiles are of a few hundred requests per page.
    mixed_seconds, flat_seconds = args.seconds or 40, args.seconds or 10
    begun = time.perf_counter()
    results: dict = {
        "scale": args.scale,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu": _cpu_model(),
            "cores": os.cpu_count(),
            "memory_gb": _memory_gb(),
            "python": platform.python_version(),
            "postgresql": _postgres_version(args.database_url),
        },
        "load_before": machine_load(),
        "note": args.note,
        "targets": TARGETS,
    }
    results["dataset"] = prepare_database(args)
    if args.generate_only:
        print(json.dumps(results["dataset"], indent=2))
        return 0
    port = free_port()
    log("building the request targets and counting statements per page")
    targets = build_targets(args, port)
    results["queries_per_page"] = targets.pop("queries")
    static_path = ROOT / "static" / STATIC_NAME
    server = Gunicorn(args, port)
    results["gunicorn"] = {
        "workers": len(server.workers()),
        "threads": args.threads or int(os.environ.get("GUNICORN_THREADS", 2)),
    }
    try:
        with_etags, sizes = feed_etags(server.base, targets["feeds"], 400)
        feed_size = int(statistics.median(sizes))
        static_path.write_bytes((b"BEGIN:VCALENDAR\r\n" + b"X" * feed_size)[:feed_size])
        targets.update(
            feeds_with_etags=with_etags, static_url=f"/static/{STATIC_NAME}", feed_median_bytes=feed_size
        )
        targets_path = Path(tempfile.gettempdir()) / "cluster-bench-targets.json"
        targets_path.write_text(json.dumps(targets))
        results["feed_median_bytes"] = feed_size
        log(f"gunicorn on {server.base}: {len(server.workers())} workers; a feed is {feed_size:,} bytes")
        # Every worker compiles its templates and fills its caches on first use, and PostgreSQL plans
        # each statement afresh for its first several runs on a connection: not what is measured.
        locust(server.base, targets_path, "mixed", 20, 20, think=0)
        locust(server.base, targets_path, "feed_304", 10, 3, think=0)
        throughput = {}
        throughput["static"] = locust(server.base, targets_path, "static", 50, flat_seconds, 0)["static"]
        log(f"static file: {throughput['static']['rps']} req/s")
        if "feeds" not in args.skip:
            throughput["feed 304"] = locust(server.base, targets_path, "feed_304", 50, flat_seconds, 0)[
                "feed 304"
            ]
            throughput["feed full"] = locust(server.base, targets_path, "feed_full", 50, flat_seconds, 0)[
                "feed full"
            ]
            log(
                f"feeds: 304 {throughput['feed 304']['rps']} req/s, full {throughput['feed full']['rps']} req/s"
            )
        if "pages" not in args.skip:
            results["pages_paced"] = {}
            for users in (10, 50):
                stats = locust(server.base, targets_path, "mixed", users, mixed_seconds, think=1.0)
                results["pages_paced"][str(users)] = stats
                log(
                    f"pages, {users} users: "
                    + ", ".join(f"{k} p95 {v['p95_ms']} ms" for k, v in stats.items() if k != "Aggregated")
                )
            pages = sorted({page for person in targets["people"] for page in person["pages"]})
            for page in pages:
                throughput[page] = locust(server.base, targets_path, f"page:{page}", 50, flat_seconds, 0).get(
                    page, {}
                )
                log(f"{page} flat out: {throughput[page].get('rps')} req/s")
        static_rps = throughput["static"]["rps"] or 1
        for stats in throughput.values():
            stats["ratio_to_static"] = round((stats.get("rps") or 0) / static_rps, 3)
        results["throughput_50_users_no_think"] = throughput
        results["peak_rss_mb_per_worker"] = server.peak_rss_mb()
        results["load_during"] = machine_load()
    finally:
        server.stop()
        static_path.unlink(missing_ok=True)
    if "digests" not in args.skip:
        results["digests"] = run_digests(args)
        log(f"digests: {results['digests']['handed_to_smtp']:,} in {results['digests']['seconds']} s")
    results["total_seconds"] = round(time.perf_counter() - begun, 1)
    results["verdicts"] = verdicts(results)
    args.out.write_text(json.dumps(results, indent=2, default=str))
    if not args.skip:  # a complete run is the one kept per scale
        (BENCH / f"results-{args.scale}.json").write_text(json.dumps(results, indent=2, default=str))
    print(table(results))
    return 0


def verdicts(results: dict) -> dict:
    out = {}
    throughput = results.get("throughput_50_users_no_think", {})
    if "feed 304" in throughput:
        out["feed 304 >= 50% of static"] = (
            throughput["feed 304"]["ratio_to_static"] >= TARGETS["feed_304_vs_static"]
        )
        out["feed full >= 200/s"] = throughput["feed full"]["rps"] >= TARGETS["feed_full_rps"]
    paced = results.get("pages_paced", {}).get("50")
    if paced:
        out["pages p95 <= 100 ms at 50 users"] = all(
            (v["p95_ms"] or 0) <= TARGETS["pages_p95_ms_at_50"] for k, v in paced.items() if k != "Aggregated"
        )
    if "digests" in results and results["scale"] == "national":  # a few hundred are all start-up time
        d = results["digests"]
        out["30,000 digests <= 10 min"] = bool(
            d["ok"]
            and d["seconds_for_all"]
            and d["seconds_for_all"] <= TARGETS["digests_seconds"] * d["people"] / 30_000
        )
    queries = results.get("queries_per_page", {})
    out["every page answered 200"] = all(
        v["status"] == 200 for counts in queries.values() for v in counts.values()
    )
    out["constant queries per page"] = all(
        len({v["statements"] for k, v in counts.items() if k.startswith(role) and v["status"] == 200}) <= 1
        for counts in queries.values()
        for role in ("organiser", "member")
    )
    other = BENCH / f"results-{'la' if results['scale'] == 'national' else 'national'}.json"
    if other.exists() and queries:
        theirs = json.loads(other.read_text()).get("queries_per_page", {})
        same = [
            page
            for page in queries
            if page in theirs and _role_counts(queries[page]) == _role_counts(theirs[page])
        ]
        out[f"same statements per page as the {other.stem.split('-')[1]} run"] = len(same) == len(queries)
    return out


def _role_counts(counts: dict) -> dict:
    return {key.split("_")[0]: value["statements"] for key, value in counts.items() if value["status"] == 200}


def table(results: dict) -> str:
    lines = [
        f"\ncluster benchmark: {results['scale']} scale on {results['machine']['cpu']} "
        f"({results['machine']['cores']} cores, {results['machine']['memory_gb']} GB), "
        f"PostgreSQL {results['machine']['postgresql']}; gunicorn {results.get('gunicorn')}"
    ]
    dataset = results["dataset"]
    if dataset.get("rows"):
        lines.append(f"dataset: {sum(dataset['rows'].values()):,} rows in {dataset['seconds']} s")
    paced = results.get("pages_paced", {})
    throughput = results.get("throughput_50_users_no_think", {})
    queries = results.get("queries_per_page", {})
    if paced:
        lines.append(
            "\n| Page | 10 users: req/s, p50 / p95 / p99 ms | 50 users: req/s, p50 / p95 / p99 ms | flat out req/s (× static) | statements |"
        )
        lines.append("|---|---|---|---|---|")
        for page in sorted(k for k in paced.get("50", {}) if k != "Aggregated"):
            cells = []
            for users in ("10", "50"):
                s = paced.get(users, {}).get(page)
                cells.append(
                    f"{s['rps']}, {s['p50_ms']:.0f} / {s['p95_ms']:.0f} / {s['p99_ms']:.0f}" if s else "–"
                )
            t = throughput.get(page, {})
            counts = sorted({v["statements"] for v in queries.get(page, {}).values()})
            lines.append(
                f"| {page} | {cells[0]} | {cells[1]} | {t.get('rps', '–')} ({t.get('ratio_to_static', 0):.2f}) | "
                f"{' / '.join(map(str, counts))} |"
            )
    lines.append("\n| Flat out, 50 connections | req/s | p50 / p95 ms | × static |")
    lines.append("|---|---|---|---|")
    for name in ("static", "feed 304", "feed full"):
        if name in throughput:
            t = throughput[name]
            lines.append(
                f"| {name} | {t['rps']} | {t['p50_ms']:.0f} / {t['p95_ms']:.0f} | {t['ratio_to_static']:.2f} |"
            )
    if "digests" in results:
        d = results["digests"]
        how = "all" if d["completed"] else f"stopped after {d['seconds']} s; all of them would take"
        lines.append(
            f"\ndigests: {d['handed_to_smtp']:,} handed to SMTP for {d['people']:,} people in {d['seconds']} s "
            f"({d['digests_per_second']}/s; {how} {d['seconds_for_all']} s); {d['deliveries_by_status']}"
        )
    if results.get("peak_rss_mb_per_worker"):
        lines.append(f"peak RSS per worker (MB): {sorted(results['peak_rss_mb_per_worker'].values())}")
    lines.append(
        f"load average before / during: {results['load_before']['loadavg_1_5_15']} / "
        f"{results.get('load_during', {}).get('loadavg_1_5_15')}"
    )
    lines.append(
        "targets: " + ", ".join(f"{k}: {'met' if v else 'MISSED'}" for k, v in results["verdicts"].items())
    )
    lines.append(f"total {results['total_seconds']:.0f} s")
    return "\n".join(lines)


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gb() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024)
    return 0


def _postgres_version(url: str) -> str:
    if not url.startswith("postgres"):
        return "-"
    try:
        done = subprocess.run(
            ["psql", "-d", url, "-tAc", "SHOW server_version"], capture_output=True, text=True, timeout=10
        )
        return done.stdout.strip().split()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "?"


if __name__ == "__main__":
    sys.exit(main())
