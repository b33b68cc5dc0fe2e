# 区人大常委会履职服务平台 — one image for web (gunicorn), the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# CJK fonts and Pango for WeasyPrint's Chinese PDFs; gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock pyproject.toml ./
RUN pip install -r requirements.lock

# The project, folder by folder (no .venv, var/ or .git in the image); tests/test_deployment.py checks
# that every local app in INSTALLED_APPS is copied.
COPY manage.py ./
COPY congress ./congress
COPY deputies ./deputies
COPY stations ./stations
COPY proposals ./proposals
COPY supervision ./supervision
COPY templates ./templates
COPY static ./static
COPY locale ./locale

# compilemessages only reads settings: a throwaway key and SQLite are enough at build time.
RUN DEBUG=0 SECRET_KEY=build-only DATABASE_URL=sqlite:///:memory: \
        python manage.py compilemessages --ignore=var -v 0 \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin renda \
    && mkdir -p /app/var/media /app/var/staticfiles \
    && chown -R renda:renda /app/var

USER renda
EXPOSE 8000
CMD ["gunicorn", "congress.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
