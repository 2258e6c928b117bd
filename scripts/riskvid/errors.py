"""One error hierarchy: what the command line reports in one line, and with which exit status.

Anything else that escapes is a bug and shows its traceback.
"""


class RiskvidError(Exception):
    """A problem the person running riskvid can fix; the message is one line, ready to print."""

    exit_status = 1


class InputError(RiskvidError):
    """Bad input: a config, a command-line option or a recorded take. Exit status 2."""

    exit_status = 2


class RunError(RiskvidError):
    """The run cannot finish: a missing program, a failed render, a busy or unsafe folder. Exit status 1.

    Whatever finished before it stays valid.
    """
