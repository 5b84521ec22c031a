"""The learned reading of a report: a linear model over character n-grams and the lexicon's
evidence, loaded from a versioned artefact next to the policy (`grid-router model train`).

The domain sees only `domain.classify.CategoryModel`; this module is the adapter. Inference is
a dot product written with numpy (no scikit-learn at run time): the features present in a report
index rows of the weight matrix, their sum plus the intercept are the logits, and a softmax at
the calibrated temperature gives probabilities that mean what they say. Training
(`adapters.textmodel_train`) takes its features from `featurize`; reading finds the same ones
for a whole batch at once in numpy (`LinearTextModel._gram_rows`), and a unit test holds the
two to the same features and the same readings to the last bit.
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
    return _folded(text).translate(_DIGITS)


# The full-width marks most reports hold ("，" in nine of ten), each one ASCII character in NFKC.
_WIDE_MARKS: Final = tuple((wide, unicodedata.normalize("NFKC", wide)) for wide in "，：！？（）；")


def _folded(text: str) -> str:
    """`_normal` but for the digits (reading turns them to 0 in numpy, `_codes`).

    NFKC decomposes each full-width mark into its one ASCII character (a starter, as the mark
    is), so replacing the marks first leaves the text's NFKC as it was; and a text that is then
    normal is its own NFKC. That spares most reports `unicodedata.normalize`, which takes
    several times as long as the replacements (`tests/unit/test_textmodel.py` checks the two
    agree)."""
    if not unicodedata.is_normalized("NFKC", text):
        for wide, narrow in _WIDE_MARKS:
            if wide in text:
                text = text.replace(wide, narrow)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return text.lower()


def _runs(text: str) -> list[str]:
    """The text's normalised runs of characters between punctuation, spaces and masks."""
    return [run for run in _SPLIT.split(_normal(text)) if run]


_BITS: Final = 21
"""Bits of one character in a packed n-gram (`_packed`): every code point is below 2**21."""
_NO_GRAM: Final = 2**64 - 1  # above every packed n-gram (those of three characters are < 2**63)


def _codes(folded: str) -> npt.NDArray[np.uint64]:
    """The code points of a `_folded` text with every digit a 0 (as `_normal` has them), each
    plus one, so that no packed n-gram equals a shorter one."""
    raw = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    codes = raw.astype(np.uint64)
    codes[(codes >= ord("1")) & (codes <= ord("9"))] = ord("0")
    return codes + 1


def _pack(gram: str) -> int:
    """One n-gram packed as `_packed` packs each of a text's."""
    key = 0
    for ch in gram:
        key = key << _BITS | (ord(ch) + 1)
    return key


def _packed(codes: npt.NDArray[np.uint64], n: int) -> npt.NDArray[np.uint64]:
    """The n characters from each position of `codes` (where n are left) as one integer, the
    first character in the highest bits: the n-gram as a key for `np.searchsorted`."""
    count = max(len(codes) - n + 1, 0)
    keys = codes[:count].copy()
    for j in range(1, n):
        keys <<= np.uint64(_BITS)
        keys |= codes[j : j + count]
    return keys


def ngrams(text: str) -> set[str]:
    """The character 1-, 2- and 3-grams of a text's runs (n-grams never cross a break)."""
    grams: set[str] = set()
    for run in _runs(text):
        grams.update(run)
        pairs = list(map(operator.add, run, run[1:]))  # map runs in C
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
class LinearTextModel:  # not slots: the lookup tables are cached properties
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
        # One report: the batch path's many numpy calls would cost more than they save.
        vocab = self.vocabulary
        normal = _normal(text)
        grams = {normal[i : i + n] for n in NGRAM_SIZES for i in range(len(normal) - n + 1)}
        # Sorted: the sum and the ranking of ties follow the features' names, as in a batch.
        names = sorted(grams & self._terms)
        lex = {f: v for f, v in lexicon_features(lexicon).items() if f in vocab}
        block = self._all_weights[np.array([vocab[g] for g in names + list(lex)], dtype=np.intp)]
        if lex:
            block[len(names) :] *= np.array(list(lex.values()), dtype=np.float64)[:, None]
        names += lex
        sums = np.add.reduceat(block, [0], axis=0)[0] if names else np.zeros(block.shape[1])
        logits = (sums + self._all_intercepts).tolist()
        k = len(self.categories)
        probs = _softmax(logits[:k], self.temperature)
        push = block[:, probs.index(max(probs))]
        top = np.argsort(-push, kind="stable")[:EXPLAIN_FEATURES].tolist()
        return self._reading(probs, [names[i] for i in top if push[i] > 0], logits)

    def read_many(self, reports: Sequence[tuple[str, Mapping[str, float]]]) -> list[ModelReading]:
        readings: list[ModelReading] = []
        for at in range(0, len(reports), READ_CHUNK):
            readings.extend(self._read_chunk(reports[at : at + READ_CHUNK]))
        return readings

    def _read_chunk(self, reports: Sequence[tuple[str, Mapping[str, float]]]) -> list[ModelReading]:
        gram_owner, gram_rows = self._gram_rows([_folded(text) for text, _ in reports])
        vocab = self.vocabulary
        lex_owner: list[int] = []
        lex_rows: list[int] = []
        values: list[float] = []
        for r, (_, lexicon) in enumerate(reports):
            for name, value in lexicon_features(lexicon).items():
                row = vocab.get(name)
                if row is not None:
                    lex_owner.append(r)
                    lex_rows.append(row)
                    values.append(value)
        # Each report's n-grams (in name order), then its lexicon features: the sum and the
        # ranking of ties must follow the features' names, never a set's (hash-seeded) order.
        # The sort is stable, so both keep their order within a report.
        owner_of = np.concatenate([gram_owner, np.array(lex_owner, dtype=np.intp)])
        order = np.argsort(owner_of, kind="stable")
        rows = np.concatenate([gram_rows, np.array(lex_rows, dtype=np.intp)])[order]
        owner = owner_of[order]
        # One gather of every column (categories, then harm-or-danger, then grade III+) for the
        # whole batch; an n-gram counts 1, a lexicon feature its value.
        block = self._all_weights[rows]
        if values:
            scaled = np.flatnonzero(order >= len(gram_rows))
            block[scaled] *= np.array(values, dtype=np.float64)[:, None]
        # Each report's rows summed, all reports in one call (`reduceat`), over exactly the
        # rows `read` sums for it alone: numpy adds in blocks whose grouping follows the count
        # of rows, so one row more (even a zero) could change the last bit. Reports without
        # features get no segment and sum to zero.
        sizes = np.bincount(owner, minlength=len(reports))
        starts = np.cumsum([0, *sizes[:-1].tolist()], dtype=np.intp)
        sums = np.zeros((len(reports), block.shape[1]))
        if len(rows):
            sums[sizes > 0] = np.add.reduceat(block, starts[sizes > 0], axis=0)
        logits_of = (sums + self._all_intercepts).tolist()
        k = len(self.categories)
        probs_of = [_softmax(logits[:k], self.temperature) for logits in logits_of]
        best = np.array([probs.index(max(probs)) for probs in probs_of], dtype=np.intp)
        # The features that pushed each report's favourite most: the positive pushes by report,
        # largest first, equal ones in the features' order. One stable sort of complex keys
        # (they sort by the real part, then the imaginary): quicker than `np.lexsort` here.
        push = block[np.arange(len(rows)), best[owner]]
        positive = np.flatnonzero(push > 0)
        key = np.empty(len(positive), dtype=np.complex128)
        key.real, key.imag = owner[positive], -push[positive]
        ranked = rows[positive[np.argsort(key, kind="stable")]].tolist()
        pushing = np.bincount(owner[positive], minlength=len(reports)).tolist()
        names = self._names
        readings: list[ModelReading] = []
        first = 0
        for count, probs, logits in zip(pushing, probs_of, logits_of, strict=True):
            top = ranked[first : first + min(count, EXPLAIN_FEATURES)]
            first += count
            readings.append(self._reading(probs, [names[row] for row in top], logits))
        return readings

    def _reading(self, probs: list[float], pushing: list[str], logits: list[float]) -> ModelReading:
        """A reading from the category probabilities, the names of the features that pushed the
        favourite most (strongest first) and the logits (categories, harm-or-danger, grade III)."""
        k = len(self.categories)
        return ModelReading(
            probabilities=dict(zip(self.categories, probs, strict=True)),
            features=tuple(_readable(name) for name in pushing),
            grave=_sigmoid(logits[k]),
            serious=_sigmoid(logits[k + 1]),
        )

    def _gram_rows(self, texts: Sequence[str]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """Every 1-3-gram of the vocabulary found in each `_folded` text, once: (the text's
        index, the gram's row of the weights), by text and then by the gram's name.

        Found for the whole batch at once in numpy: each n-gram packed into one integer (see
        `_packed`) and looked up in the vocabulary's grams packed alike. An n-gram that holds a
        break is never in the vocabulary (training splits at breaks), so breaks need no care
        here; one that runs from one text into the next is dropped."""
        keys, rank_at, row_of_rank = self._gram_index
        lengths = np.array([len(text) for text in texts], dtype=np.intp)
        codes = _codes("".join(texts))
        owner = np.repeat(np.arange(len(texts), dtype=np.intp), lengths)
        text_end = np.repeat(np.cumsum(lengths), lengths)  # of each character's text
        grams: list[npt.NDArray[np.uint64]] = []
        owners: list[npt.NDArray[np.intp]] = []
        for n in NGRAM_SIZES:
            packed = _packed(codes, n)
            inside = np.arange(n, len(packed) + n) <= text_end[: len(packed)]
            grams.append(packed[inside])
            owners.append(owner[: len(packed)][inside])
        gram, owner = np.concatenate(grams), np.concatenate(owners)
        # Looked up in sorted order: several times quicker than scattered look-ups.
        order = np.argsort(gram)
        gram = gram[order]
        at = np.searchsorted(keys, gram)
        hit = keys[at] == gram
        # Sorted by text and then by name, and each gram of a text once.
        pairs = np.sort(owner[order[hit]] * len(row_of_rank) + rank_at[at[hit]])
        pairs = pairs[np.diff(pairs, prepend=-1) != 0]
        return pairs // len(row_of_rank), row_of_rank[pairs % len(row_of_rank)]

    @functools.cached_property
    def _terms(self) -> frozenset[str]:
        return frozenset(self.vocabulary)

    @functools.cached_property
    def _names(self) -> list[str]:
        names = [""] * len(self.vocabulary)
        for name, row in self.vocabulary.items():
            names[row] = name
        return names

    @functools.cached_property
    def _gram_index(
        self,
    ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """The vocabulary's n-grams packed (`_packed`) and sorted for `np.searchsorted`, with
        each one's rank in name order; and the row of the weights of each rank."""
        grams = sorted(t for t in self.vocabulary if len(t) in NGRAM_SIZES)
        packed = [_pack(gram) for gram in grams]
        # A last key above every packed n-gram: every look-up lands on a key, no bounds check.
        packed.append(_NO_GRAM)
        keys = np.array(packed, dtype=np.uint64)
        order = np.argsort(keys, kind="stable").astype(np.intp)
        row_of_rank = np.array([self.vocabulary[t] for t in grams], dtype=np.intp)
        return keys[order], order, row_of_rank

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


def _softmax(logits: Sequence[float], temperature: float) -> list[float]:
    # Nine numbers: plain Python is quicker than numpy's per-call cost here.
    scaled = [z / temperature for z in logits]
    top_z = max(scaled)
    exp = [math.exp(z - top_z) for z in scaled]
    total = sum(exp)
    return [e / total for e in exp]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def _readable(feature: str) -> str:
    kind, colon, value = feature.partition(":")
    if not colon:
        return feature  # an n-gram
    if kind == "lex":
        return f"lexicon {value}"
    return f"lexicon's pick {value}"
