"""The command line's exit statuses and the errors that choose them (README: 0 done, 1 input rejected, 2 usage,
3 I/O failure or a damaged store)."""

import functools

OK, REJECTED, USAGE, BROKEN = 0, 1, 2, 3


class UsageError(Exception):
    """Bad input on the command line: reported in one line with exit status 2."""


class Rejected(Exception):
    """A request refused given the present state (an account name taken, a weak password): exit status 1."""


class WriteError(Exception):
    """An output file could not be written: reported in one line with exit status 3."""


def rejecting(*refusals: type[Exception]):
    """A command whose refusals (an account name taken, a subscription unknown) are exit status 1 with their
    sentence."""
    def decorate(command):
        @functools.wraps(command)
        def run(args) -> int:
            try:
                return command(args)
            except refusals as e:
                raise Rejected(str(e)) from None
        return run
    return decorate
