"""Gunicorn's settings for cluster: ``gunicorn -c gunicorn.conf.py`` (gunicorn also reads this
file by itself when it is started in this directory). Every number comes from the environment,
so a deployment changes none of this file.

- ``WEB_CONCURRENCY``: worker processes (default cores + 1, at most 8). Each is a Python
  process with its own app and its own PostgreSQL pool. The benchmark (``make bench``, with
  PostgreSQL on the same 2 cores) found cores + 1 best: with 2 × cores + 1 workers of 4 threads
  the processes only took turns on the CPU, and the 95th percentile of page times was four
  times worse. With PostgreSQL on a machine of its own, more may pay: measure.
- ``GUNICORN_THREADS``: threads per worker (default 2). A page waits for PostgreSQL for part of
  its time, when another thread of the process can run; more threads than that only queue for
  Python's interpreter lock. The SQLAlchemy
  pool is sized to match (``CLUSTER_DB_POOL_SIZE``), so that a thread never waits for a connection:
  PostgreSQL needs ``workers × (threads + CLUSTER_DB_MAX_OVERFLOW)`` connections, plus the scheduler's.
- ``PORT`` / ``GUNICORN_BIND``: where to listen (default ``127.0.0.1:8000``; in a container ``0.0.0.0:8000``).
- ``GUNICORN_TIMEOUT``: a worker silent this long is killed and replaced (default 30 s; the
  largest upload on a slow line is the longest request).
- ``FORWARDED_ALLOW_IPS``: the proxies whose X-Forwarded-Proto gunicorn believes (default
  127.0.0.1). The app itself trusts X-Forwarded-* only with ``CLUSTER_PROXY_FIX=<hops>``.
- ``GUNICORN_PRELOAD``: ``1`` loads the app once in the master before forking (less memory,
  faster worker restarts). Off by default: nothing may open a database connection before the
  fork, and reloading code on ``kill -HUP`` only works without it.
- ``GUNICORN_MAX_REQUESTS``: a worker is replaced after this many requests (default 50,000, with
  a jitter of 10%, so they are not all replaced at once): a bound on any slow leak. Each new
  worker compiles its templates and plans its statements afresh (a second or two of work), so
  not too often: calendar clients' polls alone are 30,000 requests an hour nationally.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "cluster:create_app()"
bind = os.environ.get("GUNICORN_BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{_int('PORT', 8000)}"
workers = _int("WEB_CONCURRENCY", min(multiprocessing.cpu_count() + 1, 8))
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 2)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Longer than a load balancer's idle timeout is wrong (it would reuse a closed connection); shorter is fine.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 50_000)
max_requests_jitter = max_requests // 10
preload_app = os.environ.get("GUNICORN_PRELOAD", "").strip().lower() in {"1", "true", "yes", "on"}
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Uploads are streamed to a temporary file by werkzeug; the request line and headers stay small.
limit_request_line = 8190

# One JSON object per request on stdout (paths with secret tokens redacted), errors on stderr.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
logger_class = "cluster.ops.accesslog.JsonAccessLogger"
# The app's own log (Flask's logger: job summaries, errors with tracebacks) goes to stderr too.
capture_output = False

# Each worker's pool holds one connection per thread (the app reads CLUSTER_DB_POOL_SIZE when it
# is created in the worker); set it explicitly to size the pool differently.
os.environ.setdefault("CLUSTER_DB_POOL_SIZE", str(threads))


def post_worker_init(worker):
    """The app is loaded: compile its templates before the first page asks (a page shown first
    in a new worker took up to a second longer), then freeze everything made so far (modules,
    SQLAlchemy's mappings, routes, compiled templates: about 200,000 objects) out of the garbage
    collector's sight. They live as long as the process, yet every full collection scanned them
    all: a pause of about 100 ms on the benchmark machine, now under 1 ms."""
    import gc

    from cluster.web import compile_templates

    compile_templates(worker.wsgi)
    gc.collect()
    gc.freeze()


def post_fork(server, worker):  # noqa: ARG001  (gunicorn's hook signature)
    """With ``GUNICORN_PRELOAD=1`` the app (and its engine) came from the master: drop any pooled
    connection inherited across the fork, so that two processes never share a socket."""
    if not preload_app:
        return
    from cluster.extensions import db

    flask_app = worker.app.wsgi()
    with flask_app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
