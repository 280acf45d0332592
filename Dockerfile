# sikumuh in a container: `docker compose up` (compose.yaml) runs it with PostgreSQL, a web
# server and a job worker. The image holds the code; the data live in PostgreSQL and in the
# volume mounted at /var/lib/sikumuh (uploaded files, collected static files).

# 1. Front-end libraries from npm, copied where the application serves them (as `make vendor`).
FROM node:20-bookworm-slim AS assets
RUN apt-get update && apt-get install -y --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile ./
COPY frontend/package.json frontend/package-lock.json frontend/
RUN make vendor

# 2. The application.
FROM python:3.11-slim-bookworm
# Pango and HarfBuzz for WeasyPrint's PDF reports; fonts for their text.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --create-home --home-dir /home/sikumuh --uid 10001 sikumuh \
    && mkdir -p /var/lib/sikumuh && chown sikumuh:sikumuh /var/lib/sikumuh
WORKDIR /app
COPY pyproject.toml README.md manage.py ./
COPY config config
COPY sikumuh sikumuh
COPY --from=assets /src/sikumuh/web/static/vendor sikumuh/web/static/vendor
RUN pip install --no-cache-dir --disable-pip-version-check .

ENV SIKUMUH_ENV=production \
    SIKUMUH_VAR_DIR=/var/lib/sikumuh \
    PYTHONUNBUFFERED=1
USER sikumuh
VOLUME /var/lib/sikumuh
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD python -c "import urllib.request, os; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': os.environ['ALLOWED_HOSTS'].split(',')[0]}), timeout=4)"
# `sikumuh migrate` first (compose.yaml runs it once before the web and worker start).
CMD ["sikumuh", "serve", "--host", "0.0.0.0", "--port", "8000"]
