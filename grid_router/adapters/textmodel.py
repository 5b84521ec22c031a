"""The learned reading of a report: a linear model over character n-grams and the lexicon's
evidence, loaded from a versioned artefact next to the policy (`grid-router model train`).

The domain sees only `domain.classify.CategoryModel`; this module is the adapter. Inference is
a dot product written with numpy (no scikit-learn at run time): the features present in a report
index rows of the weight matrix, their sum plus the intercept are the logits, and a softmax at
the calibrated temperature gives probabilities that mean what they say. The same `featurize`
serves training (`adapters.textmodel_train`) and inference, so the two cannot drift apart.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from grid_router.domain.classify import ModelReading
from grid_router.exceptions import ConfigurationError

FORMAT: Final = "grid-router/category-model/1"
NGRAM_SIZES: Final = (1, 2, 3)
EXPLAIN_FEATURES: Final = 4
# Characters that end a run: n-grams do not cross punctuation, spaces or masked place names.
_BREAKS: Final = frozenset("，,。.；;：:！!？?、\n\t …~（）()【】[]“”\"'‘’《》<>/\\|-_=+*#@□ ")


class ModelError(ConfigurationError):
    """A model artefact that cannot be read or does not fit the taxonomy; says what to do."""


def _runs(text: str) -> list[str]:
    runs: list[str] = []
    current: list[str] = []
    for ch in unicodedata.normalize("NFKC", text).lower():
        if ch in _BREAKS or ch.isspace():
            if current:
                runs.append("".join(current))
                current = []
        else:
            current.append("0" if ch.isdigit() else ch)
    if current:
        runs.append("".join(current))
    return runs


def featurize(text: str, lexicon: Mapping[str, float]) -> dict[str, float]:
    """A report's features: its character 1-3-grams (present or not) and, per category, the
    lexicon's evidence (log-scaled) with a flag on the lexicon's own favourite."""
    features: dict[str, float] = {}
    for run in _runs(text):
        for n in NGRAM_SIZES:
            for i in range(len(run) - n + 1):
                features["c:" + run[i : i + n]] = 1.0
    if lexicon:
        best = max(lexicon, key=lambda k: lexicon[k])
        for code, score in lexicon.items():
            if score > 0:
                features["lex:" + code] = float(np.log1p(score))
        if lexicon[best] > 0:
            features["top:" + best] = 1.0
    return features


def taxonomy_fingerprint(taxonomy_path: Path) -> str:
    """What the model depends on in the taxonomy (its codes and phrases feed the features)."""
    return hashlib.sha256(taxonomy_path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class LinearTextModel:
    """A fitted model: vocabulary, weights, temperature and the triage threshold from data."""

    categories: tuple[str, ...]
    vocabulary: dict[str, int]
    weights: npt.NDArray[np.float64]  # features × categories
    intercept: npt.NDArray[np.float64]
    temperature: float
    triage_below: float
    version: str
    taxonomy_sha256: str
    card: dict[str, Any]

    # --- the CategoryModel port ----------------------------------------------------------

    def read(self, text: str, lexicon: Mapping[str, float]) -> ModelReading:
        features = featurize(text, lexicon)
        vocab = self.vocabulary
        present = [f for f in features if f in vocab]
        index = [vocab[f] for f in present]
        values = np.fromiter((features[f] for f in present), dtype=np.float64, count=len(index))
        contributions = self.weights[index] * values[:, None]
        logits = contributions.sum(axis=0) + self.intercept
        scaled = logits / self.temperature
        scaled -= scaled.max()
        exp = np.exp(scaled)
        probs = exp / exp.sum()
        best = int(probs.argmax())
        order = np.argsort(-contributions[:, best])[:EXPLAIN_FEATURES]
        return ModelReading(
            probabilities={c: float(p) for c, p in zip(self.categories, probs, strict=True)},
            features=tuple(_readable(present[i]) for i in order if contributions[i, best] > 0),
        )

    # --- persistence ---------------------------------------------------------------------

    def save(self, path: Path) -> None:
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        meta = {
            "format": FORMAT,
            "version": self.version,
            "categories": list(self.categories),
            "temperature": self.temperature,
            "triage_below": self.triage_below,
            "taxonomy_sha256": self.taxonomy_sha256,
            "card": self.card,
        }
        with path.open("wb") as f:
            np.savez_compressed(
                f,
                meta=np.array(json.dumps(meta, ensure_ascii=False)),
                terms=np.array(terms),
                weights=self.weights.astype(np.float32),
                intercept=self.intercept,
            )

    @classmethod
    def load(cls, path: Path) -> LinearTextModel:
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                terms = [str(t) for t in data["terms"]]
                weights = data["weights"].astype(np.float64)
                intercept = data["intercept"].astype(np.float64)
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(
                f"cannot read the category model {path}: {exc}; rebuild it with "
                "`grid-router model train`"
            ) from exc
        if meta.get("format") != FORMAT:
            raise ModelError(
                f"{path} is not a category model of format {FORMAT} (found "
                f"{meta.get('format')!r}); rebuild it with `grid-router model train`"
            )
        return cls(
            categories=tuple(meta["categories"]),
            vocabulary={t: i for i, t in enumerate(terms)},
            weights=weights,
            intercept=intercept,
            temperature=float(meta["temperature"]),
            triage_below=float(meta["triage_below"]),
            version=str(meta["version"]),
            taxonomy_sha256=str(meta["taxonomy_sha256"]),
            card=dict(meta.get("card", {})),
        )

    def check_taxonomy(self, categories: tuple[str, ...], taxonomy_path: Path) -> list[str]:
        """What does not match between this model and the taxonomy it will read with."""
        problems: list[str] = []
        if tuple(self.categories) != tuple(categories):
            problems.append(
                f"the model knows categories {', '.join(self.categories)}; the taxonomy has "
                f"{', '.join(categories)}"
            )
        if self.taxonomy_sha256 != taxonomy_fingerprint(taxonomy_path):
            problems.append(
                f"the model was trained with another version of {taxonomy_path.name} (its "
                "phrases are features of the model)"
            )
        return problems


def _readable(feature: str) -> str:
    kind, _, value = feature.partition(":")
    if kind == "c":
        return value
    if kind == "lex":
        return f"lexicon {value}"
    return f"lexicon's pick {value}"
