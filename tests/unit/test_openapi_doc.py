"""docs/openapi.json is the document the API serves: app developers read the file, so it must
not fall behind the code."""

from __future__ import annotations

import json

from grid_router.entrypoints.api.openapi import DOCUMENT, openapi_document

REGENERATE = "run `grid-router api --openapi docs/openapi.json` and commit the result"


def test_docs_openapi_json_is_the_served_document() -> None:
    assert DOCUMENT.exists(), f"{DOCUMENT} is missing: {REGENERATE}"
    committed = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    # Through JSON, as it is served: integer status keys become strings, tuples lists.
    served = json.loads(json.dumps(openapi_document()))
    assert committed == served, f"{DOCUMENT} differs from the document the API serves: {REGENERATE}"


def test_every_operation_documents_its_errors_in_the_one_error_shape() -> None:
    document = openapi_document()
    for path, item in document["paths"].items():
        if not path.startswith("/api/v1/"):
            continue  # Open311 and the bridges answer in their own formats
        for method, operation in item.items():
            responses = operation["responses"]
            for status in ("400", "401", "403", "413", "422", "429", "500", "503"):
                assert status in responses, f"{method.upper()} {path} does not document {status}"
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)
