"""The API keeps its published contract: schemathesis generates requests from the OpenAPI
document and checks every answer — no server errors, only documented status codes and media
types, bodies that match their schemas — on data from the committed region extract."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from yiwang.api.root import api
from yiwang.regions import services
from yiwang.regions.division import read_extract

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
app = get_wsgi_application()

# "Positive data acceptance" is left out on purpose: the schema types region codes as strings so
# that a malformed code gets the validator's precise 400 message instead of a generic 422.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def regions(db):
    services.import_regions(read_extract())
    # Like Django's test client: a finished request must not close the connection that holds
    # the test's transaction.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_the_contract(case, regions):
    response = case.call(app=app)
    case.validate_response(response, checks=CHECKS)
