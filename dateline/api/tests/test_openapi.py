def test_the_openapi_document_describes_every_route(client, edition):
    document = client.get("/api/openapi.json").json()
    assert document["info"]["title"] == "Dateline read API"
    paths = set(document["paths"])
    assert {
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/stories/{story_id}.ninjs.json",
        "/api/stories/{story_id}.ninjs3.json",
        "/api/stories/{story_id}.newsml.xml",
        "/api/editions/{lang}/newsfeed",
        "/api/photos",
        "/api/photos/{photo_id}",
    } <= paths
    parameters = {p["name"] for p in document["paths"]["/api/stories"]["get"]["parameters"]}
    assert {"edition", "section", "tag", "author", "since", "until", "q", "cursor"} <= parameters


def test_the_docs_load_swagger_ui_from_this_site_under_its_csp(client, edition):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    scripts = ["/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js"]
    for asset in [*scripts, "/static/ninja/swagger-ui.css"]:
        assert f'"{asset}"' in html
        assert client.get(asset).status_code == 200
    # Only external scripts run: the one inline <script> is a JSON data block.
    assert html.count("<script") == 3 and 'type="application/json"' in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert '"/api/openapi.json"' in html
