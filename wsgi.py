"""WSGI entry point: gunicorn wsgi:app."""

from aip import create_app

app = create_app()
