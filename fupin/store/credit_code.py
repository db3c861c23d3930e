"""Unified social credit codes (统一社会信用代码, GB 32100-2015): check character and validation."""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
COOPERATIVE_PREFIX = "93"


def check_character(first17: str) -> str:
    """The 18th character that GB 32100-2015 computes from the first 17."""
    if len(first17) != 17 or any(c not in ALPHABET for c in first17):
        raise ValueError(f"需要17位有效字符: {first17!r}")
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """Whether a code has 18 valid characters and a correct check character."""
    if not isinstance(code, str) or len(code) != 18 or any(c not in ALPHABET for c in code):
        return False
    return check_character(code[:17]) == code[17]


def is_cooperative_code(code: str) -> bool:
    """Whether a code is valid and registered to a farmer cooperative (prefix 93)."""
    return is_valid(code) and code.startswith(COOPERATIVE_PREFIX)


def make_cooperative_code(region_code: str, serial: str) -> str:
    """Build a valid cooperative code from a 6-digit region and a 9-character organisation serial."""
    body = COOPERATIVE_PREFIX + region_code + serial
    return body + check_character(body)
