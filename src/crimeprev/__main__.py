"""``python -m crimeprev``: the same as the ``crimeprev`` command."""

from crimeprev.cli.app import main

main()
