"""The API root: schema and documentation served by the app itself, no CDN."""

import json


def test_openapi_schema_is_served_with_the_chinese_title(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "一网 yiwang API"
    assert schema["openapi"].startswith("3.")


def test_docs_page_loads_swagger_from_the_app_not_a_cdn(client):
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui" in html
    assert "cdn." not in html
