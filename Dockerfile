# One image for the app servers and the scheduler (see README, "Deploying"; compose.yaml runs both).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    CLUSTER_INSTANCE_PATH=/var/lib/cluster \
    CLUSTER_UPLOADS=/var/lib/cluster/uploads \
    PYTHONPATH=/app

# pg_dump/pg_restore for `flask --app cluster backup` (the client must not be older than the server).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY cluster ./cluster
RUN pip install .
# The app reads its templates, static files and migrations beside the package: it runs from /app
# (PYTHONPATH), the installed copy provides the dependencies and the console scripts.
COPY templates ./templates
COPY static ./static
COPY migrations ./migrations
COPY gunicorn.conf.py ./

RUN useradd --system --uid 10001 --home-dir /var/lib/cluster cluster \
    && mkdir -p /var/lib/cluster/uploads \
    && chown -R cluster:cluster /var/lib/cluster
USER cluster
VOLUME ["/var/lib/cluster/uploads"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD python -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"

CMD ["gunicorn", "-c", "/app/gunicorn.conf.py"]
