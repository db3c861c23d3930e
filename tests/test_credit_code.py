"""GB 32100-2015 unified social credit codes."""

import pytest

from fupin.store import credit_code


@pytest.mark.parametrize("code, valid", [
    ("91350100M000100Y43", True),      # published example
    ("91110000600037341L", True),
    ("91350100M000100Y44", False),     # wrong check character
    ("91350100M000100Y4", False),      # 17 characters
    ("91350100M000100Y43X", False),    # 19 characters
    ("91350100I000100Y43", False),     # I is not in the alphabet
    ("91350100m000100Y43", False),     # lower case
    ("", False),
    (None, False),
])
def test_is_valid(code, valid):
    assert credit_code.is_valid(code) is valid


def test_make_cooperative_code_is_valid_and_starts_with_93():
    code = credit_code.make_cooperative_code("140827", "MA0C12345")
    assert len(code) == 18 and code.startswith("93")
    assert credit_code.is_cooperative_code(code)


def test_company_code_is_not_a_cooperative():
    assert credit_code.is_valid("91110000600037341L")
    assert not credit_code.is_cooperative_code("91110000600037341L")


def test_every_single_character_change_is_detected():
    code = credit_code.make_cooperative_code("140827", "MA0C12345")
    for i in range(17):
        for c in credit_code.ALPHABET:
            if c != code[i]:
                changed = code[:i] + c + code[i + 1:]
                assert not credit_code.is_valid(changed)
