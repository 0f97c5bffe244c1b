import pytest

from aip import create_app


def test_testing_config(app):
    assert app.testing
    assert not create_app({"TESTING": False, "DATABASE_URL": "sqlite://",
                           "SECRET_KEY": "x"}).testing


def test_production_requires_secret_key(monkeypatch):
    from aip.config import Config
    monkeypatch.setattr(Config, "ENV_NAME", "production")
    monkeypatch.setattr(Config, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="AIP_SECRET_KEY"):
        create_app({"DATABASE_URL": "sqlite://"})


def test_security_headers(client):
    response = client.get("/dev/components")
    assert response.status_code == 200
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "HX-Request" in response.headers["Vary"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_components_page_hidden_in_production(app):
    app.testing = False
    app.debug = False
    assert app.test_client().get("/dev/components").status_code == 404
