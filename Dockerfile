# Kom Videre: one stateless image serving the WSGI app with gunicorn; whitenoise serves the
# compressed, hashed static files collected at build time. Configure it with environment
# variables (README.md). Build: docker build -t komvidere .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home app

WORKDIR /app

# Dependencies first, so code changes reuse this layer. All locked packages ship wheels for
# linux/amd64 and arm64 (psycopg[binary] bundles libpq), so no compiler or apt packages.
COPY requirements.txt ./
RUN pip install --no-cache-dir --require-hashes -r requirements.txt

# The code stays owned by root (read-only for the app user); only media/ is writable.
COPY . .
RUN chmod 0755 deploy/docker-entrypoint.sh \
    && mkdir -p /app/media \
    && chown app:app /app/media

# The secret key here exists only for this build step (collectstatic needs settings to load);
# it is not stored in the image's environment.
RUN DJANGO_SECRET_KEY=collectstatic-build-step-only \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput -v 0

USER app
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "/app/deploy/healthcheck.py"]

ENTRYPOINT ["/app/deploy/docker-entrypoint.sh"]
