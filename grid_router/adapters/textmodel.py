"""The learned reading of a report: a linear model over character n-grams and the lexicon's
evidence, loaded from a versioned artefact next to the policy (`grid-router model train`).

The domain sees only `domain.classify.CategoryModel`; this module is the adapter. Inference is
a dot product written with numpy (no scikit-learn at run time): the features present in a report
index rows of the weight matrix, their sum plus the intercept are the logits, and a softmax at
the calibrated temperature gives probabilities that mean what they say. The same `featurize`
serves training (`adapters.textmodel_train`) and inference, so the two cannot drift apart.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import operator
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from grid_router.domain.classify import ModelReading
from grid_router.exceptions import ConfigurationError

FORMAT: Final = "grid-router/category-model/4"
NGRAM_SIZES: Final = (1, 2, 3)
EXPLAIN_FEATURES: Final = 4
READ_CHUNK: Final = 256
"""Reports whose weights are gathered at once: a larger batch is read in chunks of this many, so
that the gathered rows stay small (about 3 MB)."""
# Characters that end a run: n-grams do not cross punctuation, spaces or masked place names.
_BREAKS: Final = frozenset("，,。.；;：:！!？?、\n\t …~（）()【】[]“”\"'‘’《》<>/\\|-_=+*#@□ ")


class ModelError(ConfigurationError):
    """A model artefact that cannot be read or does not fit the taxonomy; says what to do."""


_SPLIT: Final = re.compile("[" + re.escape("".join(sorted(_BREAKS))) + r"\s]+")
_DIGITS: Final = str.maketrans("123456789", "000000000")


def _normal(text: str) -> str:
    """NFKC, lower case, every digit a 0: "３楼" and "5楼" read alike."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower().translate(_DIGITS)


def _runs(text: str) -> list[str]:
    """The text's normalised runs of characters between punctuation, spaces and masks."""
    return [run for run in _SPLIT.split(_normal(text)) if run]


def _all_grams(normal: str) -> set[str]:
    """Every 1-, 2- and 3-gram of a normalised text, across breaks too (see `read`)."""
    pairs = list(map(operator.add, normal, normal[1:]))
    grams = set(normal)
    grams.update(pairs)
    grams.update(map(operator.add, pairs, normal[2:]))
    return grams


def ngrams(text: str) -> set[str]:
    """The character 1-, 2- and 3-grams of a text's runs (n-grams never cross a break)."""
    grams: set[str] = set()
    for run in _runs(text):
        grams.update(run)
        pairs = list(map(operator.add, run, run[1:]))  # map in C: the hot path of reading
        grams.update(pairs)
        grams.update(map(operator.add, pairs, run[2:]))
    return grams


def featurize(text: str, lexicon: Mapping[str, float]) -> dict[str, float]:
    """A report's features: its character 1-3-grams (present or not; their names are the
    n-grams themselves) and, per category, the lexicon's evidence (log-scaled, `lex:`) with a
    flag on the lexicon's own favourite (`top:`). Names with a colon cannot be n-grams (a colon
    breaks a run)."""
    features = dict.fromkeys(ngrams(text), 1.0)
    features.update(lexicon_features(lexicon))
    return features


def lexicon_features(lexicon: Mapping[str, float]) -> dict[str, float]:
    out = {"lex:" + code: math.log1p(score) for code, score in lexicon.items() if score > 0}
    if out:
        best = max(lexicon, key=lexicon.__getitem__)
        out["top:" + best] = 1.0
    return out


def taxonomy_fingerprint(taxonomy_path: Path) -> str:
    """What the model depends on in the taxonomy (its codes and phrases feed the features)."""
    return hashlib.sha256(taxonomy_path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class LinearTextModel:  # not slots: `_terms` is a cached property
    """A fitted model: vocabulary, weights, temperature and the triage threshold from data."""

    categories: tuple[str, ...]
    vocabulary: dict[str, int]
    weights: npt.NDArray[np.float64]  # features × categories
    intercept: npt.NDArray[np.float64]
    temperature: float
    triage_below: float
    # Harm or danger (grade I/II) against the rest: a logistic model on the same features.
    grave_weights: npt.NDArray[np.float64]
    grave_intercept: float
    grave_at: float
    # Grade III or above against IV, the same way.
    serious_weights: npt.NDArray[np.float64]
    serious_intercept: float
    serious_at: float
    version: str
    taxonomy_sha256: str
    card: dict[str, Any]

    # --- the CategoryModel port ----------------------------------------------------------

    def read(self, text: str, lexicon: Mapping[str, float]) -> ModelReading:
        return self.read_many(((text, lexicon),))[0]

    def read_many(self, reports: Sequence[tuple[str, Mapping[str, float]]]) -> list[ModelReading]:
        readings: list[ModelReading] = []
        for at in range(0, len(reports), READ_CHUNK):
            readings.extend(self._read_chunk(reports[at : at + READ_CHUNK]))
        return readings

    def _read_chunk(self, reports: Sequence[tuple[str, Mapping[str, float]]]) -> list[ModelReading]:
        # Every 1-3-gram of the whole normalised text, breaks and all: a gram that holds a break
        # is never in the vocabulary (training splits at breaks), so the intersection with the
        # vocabulary drops it. Set operations and `map` run in C; numpy's fromiter is slower here.
        vocab, terms = self.vocabulary, self._terms
        names_of: list[list[str]] = []
        rows: list[int] = []
        scaled: list[int] = []  # where in `rows` a lexicon feature is (it counts its value)
        values: list[float] = []
        for text, lexicon in reports:
            # Sorted: the sum and the ranking of ties must not follow a set's (hash-seeded) order.
            grams = sorted(_all_grams(_normal(text)) & terms)
            lex = {f: v for f, v in lexicon_features(lexicon).items() if f in vocab}
            names = grams + list(lex)
            start = len(rows)
            rows.extend(map(vocab.__getitem__, names))
            scaled.extend(range(start + len(grams), len(rows)))
            values.extend(lex.values())
            names_of.append(names)
        # One gather of every column (categories, then harm-or-danger, then grade III+) for the
        # whole batch; an n-gram counts 1, a lexicon feature its value.
        block = self._all_weights[np.array(rows, dtype=np.intp)]
        if values:
            block[scaled] *= np.array(values, dtype=np.float64)[:, None]
        # Each report's rows summed row after row, all reports in one call (`reduceat`; a zero
        # row at the end gives a report without features its own empty segment).
        sizes = [len(names) for names in names_of]
        starts = np.cumsum([0, *sizes[:-1]], dtype=np.intp)
        padded = np.vstack([block, np.zeros((1, block.shape[1]))])
        sums = np.add.reduceat(padded, starts, axis=0)
        sums[np.array(sizes) == 0] = 0.0
        logits_of = (sums + self._all_intercepts).tolist()
        readings: list[ModelReading] = []
        start = 0
        for names, logits in zip(names_of, logits_of, strict=True):
            end = start + len(names)
            readings.append(self._reading(names, block[start:end], logits))
            start = end
        return readings

    def _reading(
        self, names: list[str], block: npt.NDArray[np.float64], logits: list[float]
    ) -> ModelReading:
        """One report's reading from its features' rows of the weights (`block`) and their sum
        with the intercepts (`logits`)."""
        k = len(self.categories)
        # Nine numbers: plain Python is quicker than numpy's per-call cost here.
        scaled = [z / self.temperature for z in logits[:k]]
        top_z = max(scaled)
        exp = [math.exp(z - top_z) for z in scaled]
        total = sum(exp)
        probs = [e / total for e in exp]
        best = probs.index(max(probs))
        return ModelReading(
            probabilities=dict(zip(self.categories, probs, strict=True)),
            features=tuple(_readable(names[i]) for i in _strongest(block[:, best])),
            grave=_sigmoid(logits[k]),
            serious=_sigmoid(logits[k + 1]),
        )

    @functools.cached_property
    def _terms(self) -> frozenset[str]:
        return frozenset(self.vocabulary)

    @functools.cached_property
    def _all_weights(self) -> npt.NDArray[np.float64]:
        columns = (self.weights, self.grave_weights[:, None], self.serious_weights[:, None])
        return np.ascontiguousarray(np.hstack(columns))

    @functools.cached_property
    def _all_intercepts(self) -> npt.NDArray[np.float64]:
        return np.concatenate([self.intercept, [self.grave_intercept, self.serious_intercept]])

    # --- persistence ---------------------------------------------------------------------

    def save(self, path: Path) -> None:
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        meta = {
            "format": FORMAT,
            "version": self.version,
            "categories": list(self.categories),
            "temperature": self.temperature,
            "triage_below": self.triage_below,
            "grave_intercept": self.grave_intercept,
            "grave_at": self.grave_at,
            "serious_intercept": self.serious_intercept,
            "serious_at": self.serious_at,
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
                grave_weights=self.grave_weights.astype(np.float32),
                serious_weights=self.serious_weights.astype(np.float32),
            )

    @classmethod
    def load(cls, path: Path) -> LinearTextModel:
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                terms = [str(t) for t in data["terms"]]
                weights = data["weights"].astype(np.float64)
                intercept = data["intercept"].astype(np.float64)
                grave_weights = data["grave_weights"].astype(np.float64)
                serious_weights = data["serious_weights"].astype(np.float64)
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
            grave_weights=grave_weights,
            grave_intercept=float(meta["grave_intercept"]),
            grave_at=float(meta["grave_at"]),
            serious_weights=serious_weights,
            serious_intercept=float(meta["serious_intercept"]),
            serious_at=float(meta["serious_at"]),
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


def _strongest(push: npt.NDArray[np.float64]) -> list[int]:
    """Where the EXPLAIN_FEATURES largest positive pushes are, largest first; equal pushes in
    the order of their features (sorted by name), so that every process explains alike."""
    top = np.argsort(-push, kind="stable")[:EXPLAIN_FEATURES].tolist()
    return [i for i in top if push[i] > 0]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def _readable(feature: str) -> str:
    kind, colon, value = feature.partition(":")
    if not colon:
        return feature  # an n-gram
    if kind == "lex":
        return f"lexicon {value}"
    return f"lexicon's pick {value}"
