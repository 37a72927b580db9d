FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=greenmfg.settings.production \
    GREENMFG_VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles

# WeasyPrint's libraries and a CJK font, so PDFs show Chinese rather than empty boxes;
# PostgreSQL 15's client tools for manage.py backup and restore (pg_dump, pg_restore).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-noto-cjk postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 greenmfg

WORKDIR /app
COPY . .
RUN pip install --no-cache-dir . \
 && SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
 && mkdir -p /app/var && chown -R greenmfg /app/var

USER greenmfg
EXPOSE 8000
CMD ["gunicorn", "greenmfg.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
