"""The baseline: a bare Flask endpoint making the autosave's one-row update.

It has none of the app's sessions, CSRF, templates or version checks: it
reads one PlanContact row and writes one field through Peewee, on the
same database, so the autosave's p95 can be compared with it.
Serve with `gunicorn bench.bare_app:app` and AIP_DATABASE_URL set.
"""

import os

from flask import Flask, request

from aip.db import database, open_database
from aip.models import PlanContact

app = Flask(__name__)
database.initialize(open_database(os.environ["AIP_DATABASE_URL"]))


@app.before_request
def connect():
    database.connect(reuse_if_open=True)


@app.teardown_request
def close(exc):
    if not database.is_closed():
        database.close()


@app.post("/bare/contact/<int:contact_id>")
def save_title(contact_id):
    with database.atomic():
        contact = PlanContact.get_by_id(contact_id)
        contact.title = request.form["value"]
        contact.save()
    return "saved"
