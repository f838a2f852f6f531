import pytest

from unitconv import convert


def test_length():
    assert convert(1, "mi", "km") == pytest.approx(1.609344)


def test_temperature():
    assert convert(100, "C", "F") == pytest.approx(212)


def test_mismatch():
    with pytest.raises(ValueError):
        convert(1, "kg", "m")
