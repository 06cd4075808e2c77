# slipway in a container: `docker build -t slipway .`, then, from a project folder,
#   docker run --rm -v "$PWD:/work" -e DATABASE_URL slipway up
# The database comes from DATABASE_URL or libpq's PG* variables (-e PGHOST -e PGUSER ...), as
# outside a container (README.md); nothing about it is baked into the image. docs/ci.md has more.
ARG PYTHON_IMAGE=python:3.11-slim

# Build slipway and its dependencies into a virtualenv; only the virtualenv goes on.
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/slipway
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN /opt/slipway/bin/pip install --no-cache-dir .

FROM ${PYTHON_IMAGE}
# An unprivileged user: slipway needs no root, and the embedded PostgreSQL (used only when no
# database is configured) refuses to run as root.
RUN useradd --create-home --uid 10001 --user-group slipway \
    && install -d -o slipway -g slipway /work
COPY --from=build /opt/slipway /opt/slipway
ENV PATH=/opt/slipway/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
USER slipway
# The project (migrations/, slipway.toml) is mounted here.
WORKDIR /work
ENTRYPOINT ["slipway"]
CMD ["--help"]
