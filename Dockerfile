# syntax=docker/dockerfile:1
#
# One image for every grid_router process: `grid-router run` (the default), `api`,
# `bridges serve-reference`, `db upgrade`, `topics create` and the operator commands
# (`tokens`, `dlq`, `outbox`, `policy check`, `routes diff` …). The entrypoint is `grid-router`,
# so the command is only the subcommand:
#
#   docker build -t grid-router:0.1.0 .
#   docker run --rm grid-router:0.1.0 --help
#   docker run --rm -e GRID_DATABASE_URL=postgresql://… grid-router:0.1.0 db upgrade
#
# deploy/docker-compose.yml and deploy/k8s/ run it; docs/operations.md is the runbook.

ARG PYTHON_IMAGE=python:3.11-slim

# --- build: the release wheel, installed with its dependencies in a virtual environment ------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN python -m venv /opt/venv && python -m pip install build
WORKDIR /src
# What `python -m build` reads: the project files, the package, and the files setup.py ships
# inside the wheel (the Avro schemas and the local broker's Maven project).
COPY pyproject.toml setup.py MANIFEST.in README.md LICENSE ./
COPY grid_router ./grid_router
COPY schemas ./schemas
COPY deploy/kafka ./deploy/kafka
# Every dependency ships manylinux wheels for CPython 3.11 (psycopg[binary], fastavro, crc32c,
# uvloop …), so no compiler is needed. pip compiles the .pyc files here, so the read-only
# runtime never has to write them. The image runs what a release installs: the wheel.
RUN python -m build --wheel --outdir /dist . \
    && /opt/venv/bin/pip install /dist/grid_router-*.whl \
    && cd / && /opt/venv/bin/grid-router --version \
    && /opt/venv/bin/grid-router policy check > /dev/null

# --- runtime -------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="grid-router" \
      org.opencontainers.image.description="Event routing engine for city grid management (Xiamen), on Apache Kafka" \
      org.opencontainers.image.licenses="Apache-2.0"

# The wheel carries the Avro schemas and everything else it reads. The API listens on every
# interface inside a container. SQLite (for a one-container trial) and uploaded photos go under
# /var/lib/grid-router, the one directory the user may write; production sets GRID_DATABASE_URL
# to PostgreSQL and mounts a volume for the photos.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    GRID_API_HOST=0.0.0.0 \
    GRID_DATABASE_URL=sqlite:////var/lib/grid-router/grid_router.db \
    GRID_PHOTO_DIR=/var/lib/grid-router/photos

RUN groupadd --system --gid 10001 grid \
    && useradd --system --uid 10001 --gid grid --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin grid \
    && mkdir -p /var/lib/grid-router/photos \
    && chown -R grid:grid /var/lib/grid-router

COPY --from=build /opt/venv /opt/venv

# The working directory is where relative paths (a policy copy, say) are read from; the image
# needs nothing else from the checkout. `grid-router kafka start` needs Java and Maven, which
# this image does not have: use a real broker.
WORKDIR /app

USER 10001:10001

# 8080: the HTTP API (`grid-router api`); 9464: Prometheus metrics of `run` and `api`.
EXPOSE 8080 9464

# No HEALTHCHECK here: one image plays several roles with different ports (the router serves
# only metrics, the API also HTTP, `db upgrade` nothing). docker-compose.yml and the Kubernetes
# manifests give each role its own check.
ENTRYPOINT ["grid-router"]
CMD ["run"]
