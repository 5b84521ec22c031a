"""Load the incident taxonomy (categories, subcategories, keywords, severity cues) from YAML.

Strict: unknown keys and bad values are errors naming their path in the file, e.g.
``taxonomy.yaml: categories[3].subcategories[2].keywords: expected a list of strings``.
The shape is checked by `grid_router.domain.classify.Taxonomy.from_data`; this module only reads
the file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from grid_router.domain.classify import Classifier
from grid_router.domain.taxonomy import Taxonomy, TaxonomyError

DEFAULT_TAXONOMY_PATH = Path(__file__).with_name("taxonomy.yaml")


def parse_taxonomy(text: str, source: str = "<taxonomy>") -> Taxonomy:
    """Parse YAML text into a `Taxonomy`; every error message starts with `source`."""
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{source}: not valid YAML: {exc}") from exc
    try:
        return Taxonomy.from_data(data)
    except TaxonomyError as exc:
        raise TaxonomyError(f"{source}: {exc}") from exc


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Read and parse a taxonomy file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return parse_taxonomy(text, path.name)


@lru_cache(maxsize=1)
def load_default_taxonomy() -> Taxonomy:
    """The bundled Xiamen taxonomy, read once per process."""
    return load_taxonomy(DEFAULT_TAXONOMY_PATH)


@lru_cache(maxsize=1)
def default_classifier() -> Classifier:
    """A classifier compiled once from the bundled taxonomy."""
    return Classifier(load_default_taxonomy())
