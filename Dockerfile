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

# --- build: the project and its dependencies in a virtual environment ------------------------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN python -m venv /opt/venv
WORKDIR /src
# README.md is the project's `readme` in pyproject.toml: building the wheel needs it.
COPY pyproject.toml README.md ./
COPY grid_router ./grid_router
# Every dependency ships manylinux wheels for CPython 3.11 (psycopg[binary], fastavro, crc32c,
# uvloop …), so no compiler is needed. pip compiles the .pyc files here, so the read-only
# runtime never has to write them.
RUN /opt/venv/bin/pip install . \
    && /opt/venv/bin/grid-router --help > /dev/null

# --- runtime -------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="grid-router" \
      org.opencontainers.image.description="Event routing engine for city grid management (Xiamen), on Apache Kafka" \
      org.opencontainers.image.licenses="Apache-2.0"

# The Avro schemas (schemas/) are read from the checkout, not from the installed package:
# Settings.schemas_dir defaults to a path beside the package, which in an installed wheel is
# site-packages/, so GRID_SCHEMAS_DIR names the copy in /app explicitly. The API listens on every
# interface inside a container. SQLite (for a one-container trial) and uploaded photos go under
# /var/lib/grid-router, the one directory the user may write; production sets GRID_DATABASE_URL
# to PostgreSQL and mounts a volume for the photos.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    GRID_SCHEMAS_DIR=/app/schemas \
    GRID_API_HOST=0.0.0.0 \
    GRID_DATABASE_URL=sqlite:////var/lib/grid-router/grid_router.db \
    GRID_PHOTO_DIR=/var/lib/grid-router/photos

RUN groupadd --system --gid 10001 grid \
    && useradd --system --uid 10001 --gid grid --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin grid \
    && mkdir -p /var/lib/grid-router/photos \
    && chown -R grid:grid /var/lib/grid-router

COPY --from=build /opt/venv /opt/venv

# The working directory is the app directory: a copy of the parts of the checkout that are read
# at run time (schemas/, and deploy/kafka/, the Maven project of the local development broker,
# kept so the image is a faithful "image of the checkout"; `grid-router kafka start` needs Java
# and Maven, which this image does not have: use a real broker).
WORKDIR /app
COPY schemas ./schemas
COPY deploy/kafka ./deploy/kafka

USER 10001:10001

# 8080: the HTTP API (`grid-router api`); 9464: Prometheus metrics of `run` and `api`.
EXPOSE 8080 9464

# No HEALTHCHECK here: one image plays several roles with different ports (the router serves
# only metrics, the API also HTTP, `db upgrade` nothing). docker-compose.yml and the Kubernetes
# manifests give each role its own check.
ENTRYPOINT ["grid-router"]
CMD ["run"]
