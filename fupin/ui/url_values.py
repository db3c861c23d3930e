"""Values that arrive in a URL, checked before anything uses them: a bad one is ignored, never a traceback."""

import re

# Record pages a link may ask for (50 rows a page: 50 million rows).
MAX_PAGE = 1_000_000
ASCII_NUMBER = re.compile(r"[0-9]{1,7}")


def page_number(text: str | None, pages: int = MAX_PAGE) -> int | None:
    """A record page number from a URL (1 to `pages`), or None when the text is not one.

    Only ASCII digits count: "²" and "١" pass str.isdigit() but int() refuses them, and a number of 20 digits
    would overflow the database's integers.
    """
    if text is None or not ASCII_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= min(pages, MAX_PAGE) else None
