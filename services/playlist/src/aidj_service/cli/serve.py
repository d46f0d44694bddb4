"""``aidj serve``: the HTTP API and web page on this machine."""

from __future__ import annotations

import argparse
import os
import sys

from aidj_service.cli.usage import fail


def cmd_serve(args: argparse.Namespace) -> int:
    if args.refresh_every:
        os.environ["AIDJ_REFRESH_EVERY_MINUTES"] = str(args.refresh_every)
    from aidj.catalog import CatalogError, load_catalog
    from aidj_service.cli.progress_view import ProgressView
    from aidj_service.config import Settings, SettingsError
    from aidj_service.edge.server import serve as run_server

    if args.catalog is not None:
        os.environ["AIDJ_CATALOG"] = str(args.catalog)
    try:
        settings = Settings.from_env()
        # fail fast with one clear line (and compile the cache once, before workers start)
        load_catalog(
            settings.catalog, cache_dir=settings.cache_dir, progress=ProgressView(sys.stderr)
        )
        run_server(args.host, args.port, args.workers, settings)
    except (SettingsError, CatalogError) as exc:
        fail(str(exc))
    return 0
