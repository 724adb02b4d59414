"""The ``crimeprev`` command (and ``python -m crimeprev``): the command line's entry point.

Ctrl-C stops a command once: the first press raises ``KeyboardInterrupt`` (the store undoes
whatever it had not committed, and the command says so in one line); later presses are ignored,
so that they cannot cut that clean-up short or turn the exit into a traceback. The command line
is imported inside the guard, so a Ctrl-C while the libraries load is an exit like any other.
"""

import signal
import sys
from types import FrameType


def _interrupt_once(signum: int, frame: FrameType | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def main() -> None:
    """Entry point of the ``crimeprev`` script."""
    signal.signal(signal.SIGINT, _interrupt_once)
    try:
        from crimeprev.cli.app import app

        app()
    except KeyboardInterrupt:  # while starting, or a second Ctrl-C while exiting: nothing left to undo
        sys.exit(130)
    finally:
        # On the way out, a Ctrl-C would only kill the exit half-way, with Python's default handler
        # (which its shut-down puts back, though it leaves an ignored signal ignored).
        signal.signal(signal.SIGINT, signal.SIG_IGN)


if __name__ == "__main__":  # not when a worker process (spawn) imports this module
    main()
