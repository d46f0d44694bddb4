"""The `aidj` CLI with the genre-free sampled path forced at any catalog size.

The shared checker holds its catalog CSV in memory, so it runs on the 1M catalog, under the
2M tracks where the engine samples; this runs the same CLI with the threshold at 0:

    AIDJ_CATALOG=.aidj/artifact_1m python3 ../shared/eval/check_playlists.py \\
        --cmd "uv run python benchmarks/sampled_cli.py playlist --batch -" \\
        --prompts ../shared/eval/dev_prompts.jsonl --catalog /work/synth/synthetic_1m.csv
"""

from __future__ import annotations

import sys

from aidj import sampled_region
from aidj_service.cli.main import main

if __name__ == "__main__":
    sampled_region.SAMPLE_MIN_TRACKS = 0
    sys.exit(main())
