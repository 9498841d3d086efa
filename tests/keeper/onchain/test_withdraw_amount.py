"""`ape run withdraw --amount`: a positive number the token can represent exactly, or one line."""

from __future__ import annotations

import pytest

from keeper.errors import ConfigError
from keeper.onchain.withdraw import parse_amount


@pytest.mark.parametrize(("text", "units"), [("1.5", 1_500_000), ("1e3", 10**9),
                                              ("0.000001", 1), (" 2 ", 2_000_000)])
def test_parse_amount__representable__exact_units(text, units):
    assert parse_amount(text, 6) == units


@pytest.mark.parametrize(("text", "error"), [
    ("abc", "is not a number"), ("NaN", "is not a number"), ("sNaN", "is not a number"),
    ("Infinity", "is not a number"), ("-1", "not a positive amount"),
    ("0", "not a positive amount"), ("0.0000001", "at most 6 decimals"),
])
def test_parse_amount__bad__one_line(text, error):
    with pytest.raises(ConfigError, match=error):
        parse_amount(text, 6)
