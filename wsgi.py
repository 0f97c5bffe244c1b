"""WSGI entry point: gunicorn -w 2 -b 127.0.0.1:8000 wsgi:app.

Production settings come from the environment: AIP_ENV=production,
AIP_SECRET_KEY, AIP_DATABASE_URL and AIP_SMTP_*. Every server behind a
proxy must share the same key and database; README.md has the list.
"""

import os

from werkzeug.middleware.proxy_fix import ProxyFix

from aip import create_app


def create_wsgi_app():
    """Create the app, trusting X-Forwarded-* from AIP_PROXY_COUNT proxies.

    Behind a proxy every request comes from the proxy's address, so the
    per-address sign-in limits would count all users together unless the
    app reads the client address from X-Forwarded-For.
    """
    app = create_app()
    count = int(os.environ.get("AIP_PROXY_COUNT") or 0)
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count,
                                x_host=count)
    return app


app = create_wsgi_app()
