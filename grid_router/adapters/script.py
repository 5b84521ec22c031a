"""Traditional Chinese characters to simplified, before a report is classified.

Taiwanese residents (台胞), visitors from Hong Kong and Macau and returning overseas Chinese
write in traditional characters (繁體字); the lexicon, the grading cues and the model's
training reports are all simplified, so "著火了", "燒起來", "受傷" would find nothing. OpenCC
(Apache-2.0, a C++ library with Python wheels) converts character by character and phrase by
phrase with its `tw2s` configuration (Taiwan's variants first, so that 著火 and 燒著了 become
着火 and 烧着了, which plain `t2s` leaves as they are), in a few microseconds per report;
simplified text passes through unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

import opencc


def to_simplified() -> Callable[[str], str]:
    """A converter from traditional to simplified Chinese (anything else is left as it is)."""
    converter = opencc.OpenCC("tw2s")
    convert: Callable[[str], str] = converter.convert
    return convert
