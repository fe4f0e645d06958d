"""The two families of errors the toolkit raises.

``UserInputError`` means the input needs a change: the command line prints its message
as one line and exits with code 2. Anything else is a bug in the toolkit and gets a
traceback under ``--verbose``.
"""


class UserInputError(Exception):
    """Bad input or usage: one line saying what was found, expected, and what to try.

    Build the message with :func:`explain` so every error reads the same way.
    """


def explain(found: str, expected: str, try_: str | None = None) -> str:
    """Compose a one-line error message.

    Args:
        found: What the toolkit found (never a raw PII value).
        expected: What it expected instead.
        try_: What the user can do next.

    Returns:
        A single line, e.g. ``found X; expected Y; try Z``.
    """
    parts = [found, f"expected {expected}"]
    if try_:
        parts.append(f"try {try_}")
    return "; ".join(part.replace("\n", " ") for part in parts)
