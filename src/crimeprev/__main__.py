"""``python -m crimeprev``: the same as the ``crimeprev`` command."""

from crimeprev.cli.app import main

if __name__ == "__main__":  # not when a worker process (spawn) imports this module
    main()
