"""Convert between units of length, mass and temperature."""

from .convert import convert

__all__ = ["convert"]
