"""``python -m aidj_service.cli``: the same as the ``aidj`` command."""

from aidj_service.cli.main import main

main()
