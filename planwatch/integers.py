"""Whole numbers read from text a visitor typed or a link carried (a year, a slide, a page, a query parameter):
ASCII digits only, at most MAX_DIGITS of them. str.isdigit() also accepts '²' or '٣' and any number of digits, which
int() then refuses (or, past 4,300 digits, refuses with a limit error): such text is simply not a number here."""
import re

MAX_DIGITS = 9
_WHOLE = re.compile(rf"-?[0-9]{{1,{MAX_DIGITS}}}")


def whole_number(text, negative: bool = False) -> int | None:
    """The integer `text` spells (surrounding spaces allowed; a minus sign only if `negative`), else None."""
    text = str(text).strip()
    if _WHOLE.fullmatch(text) and (negative or not text.startswith("-")):
        return int(text)
    return None
