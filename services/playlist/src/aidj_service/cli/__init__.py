"""The ``aidj`` command (entry point :func:`aidj_service.cli.main.main`): playlists in the terminal, batch mode for evaluation, and the server.

Plain argparse and a hand-drawn table: a playlist in the terminal should start about as fast as
``import numpy`` (see benchmarks/cli_startup.py), and a CLI framework plus a rich-text library
cost more to import than the catalog costs to load. Everything heavy is imported inside the
command that needs it.

Exit status: 0 done, 1 a batch line (or the build) failed, 2 a usage error (bad option, prompt,
path or catalog), always with one line on stderr that says what to do.
"""
