"""WSGI entry point: gunicorn -w 2 -b 127.0.0.1:8000 wsgi:app.

Production settings come from the environment: AIP_ENV=production,
AIP_SECRET_KEY, AIP_DATABASE_URL and AIP_SMTP_*. Every server behind a
proxy must share the same key and database; README.md has the list.
"""

from aip import create_app

app = create_app()
