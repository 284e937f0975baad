import pytest


@pytest.mark.django_db
def test_healthz_answers_200_when_database_and_cache_answer(client):
    response = client.get("/healthz", secure=True)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_answers_503_naming_what_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "shop.cache.SharedClientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }

    response = client.get("/healthz", secure=True)

    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["cache"]
    assert "refused" in body["checks"]["cache"].lower()
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # as in production
    assert client.get("/basket/").status_code == 301  # the rest of the shop is

    response = client.get("/healthz")

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["10.1.2.3:8000", "web.1.internal", "[::1]"])
def test_healthz_answers_whatever_the_host_header(client, settings, host):
    settings.ALLOWED_HOSTS = ["shop.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/", HTTP_HOST=host, secure=True).status_code == 400

    response = client.get("/healthz", HTTP_HOST=host)

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
