# Production-like image: gunicorn serving the app, WhiteNoise serving static files.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY . .
RUN pip install --no-cache-dir . \
    && DEBUG=1 python manage.py compile_catalogues \
    && DEBUG=0 SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(60))') \
       DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 python manage.py collectstatic --noinput \
    && useradd --system --home /app mifos && mkdir -p /app/var && chown mifos /app/var
USER mifos
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && gunicorn mifos.wsgi --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
