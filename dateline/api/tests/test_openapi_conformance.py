"""The read API checked against its own OpenAPI document (/api/openapi.json) with schemathesis:
no 5xx, and every answer (status, content type, headers, body) as the document says.

Requests go through Django's real WSGI handler, middleware and all, in the test's database
transaction. Schemathesis' pytest plugin (``from_fixture``) reaches into pytest internals that
pytest 9.2 changed, so the operations are walked here with schemathesis' strategies and
Hypothesis' ``@given``, which need no plugin."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dateline.api.actions import issue_api_key

# Per operation and mode: enough to reach every parameter, few enough for a quick run.
EXAMPLES = 25
# Not positive_data_acceptance: a filter naming something that does not exist (an edition, a
# tag, an author, a cursor this API did not give out) is a 400 by design, though the string
# fits the schema.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def wsgi_app():
    # As Django's test client does: the request must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def failures_of(schema, headers: dict) -> dict[str, str]:
    """Return, per operation and generation mode, what schemathesis found wrong."""
    found = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                pass  # nothing to make invalid (no parameters, or only free text)
            except BaseException as error:  # schemathesis' FailureGroup is a BaseExceptionGroup
                if not isinstance(error, Exception | BaseExceptionGroup):
                    raise
                found[f"{operation.label} ({mode.value})"] = str(error)
    return found


def test_the_api_answers_as_its_openapi_document_says(wsgi_app, make_story, make_photo):
    make_story(
        "Ferry Resumes",
        tags=["Ferries"],
        bylines=["Aiko Sato", "Tom Reed"],
        place=("Tokyo", "JP"),
        body=[
            {"type": "paragraph", "value": "<p>Boats sail again.</p>"},
            {"type": "image", "value": {"photo": make_photo(caption="The quay").pk}},
        ],
    )
    make_story("Words Only", photo=False, section="asia")
    _api_key, key = issue_api_key(name="Fuzzing", partner="Tests", requests_per_minute=100_000)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    assert len(list(schema.get_all_operations())) >= 12
    failures = failures_of(schema, {"X-Api-Key": key})
    assert not failures, "\n\n".join(f"{name}:\n{text}" for name, text in failures.items())
