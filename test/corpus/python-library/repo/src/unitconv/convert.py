_FACTORS = {
    "m": 1.0,
    "km": 1000.0,
    "mi": 1609.344,
    "ft": 0.3048,
    "kg": 1.0,
    "g": 0.001,
    "lb": 0.45359237,
}
_KIND = {"m": "length", "km": "length", "mi": "length", "ft": "length", "kg": "mass", "g": "mass", "lb": "mass"}


def convert(value: float, src: str, dst: str) -> float:
    """`value` in unit `src` expressed in unit `dst` (C, F and K for temperatures)."""
    if {src, dst} <= {"C", "F", "K"}:
        kelvin = {"C": value + 273.15, "F": (value - 32) * 5 / 9 + 273.15, "K": value}[src]
        return {"C": kelvin - 273.15, "F": (kelvin - 273.15) * 9 / 5 + 32, "K": kelvin}[dst]
    if _KIND.get(src) is None or _KIND.get(src) != _KIND.get(dst):
        raise ValueError(f"cannot convert {src} to {dst}")
    return value * _FACTORS[src] / _FACTORS[dst]
