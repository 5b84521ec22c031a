"""The API's OpenAPI document, as checked into `docs/openapi.json` (a test keeps them equal)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from grid_router.settings import PROJECT_ROOT

DOCUMENT = PROJECT_ROOT / "docs" / "openapi.json"


def openapi_document() -> dict[str, Any]:
    """The document the API serves. The routes alone make it, so the API is built here on no
    database, Kafka or token store at all (nothing is called while the document is made)."""
    from grid_router.entrypoints.api.app import ApiParts, create_api

    nothing: Any = None
    parts = ApiParts(
        engine=nothing, org=nothing, tokens=nothing, reports=nothing, actions=nothing,
        photos=nothing, clock=nothing, max_body_bytes=1, max_photo_bytes=1, taxonomy=nothing,
    )  # fmt: skip
    return create_api(parts).openapi()


def write_openapi(path: Path = DOCUMENT) -> None:
    text = json.dumps(openapi_document(), ensure_ascii=False, indent=2, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
