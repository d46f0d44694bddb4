"""`aidj taste`: see, steer and erase the local listener's taste from the terminal."""

from __future__ import annotations

import json
from pathlib import Path

from tests.service.test_living_cli import aidj


def test_the_cli_steers_shows_and_forgets_a_taste(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    steered = aidj(db, "taste", "--more", "Portishead", "--never-genre", "country")
    assert steered.returncode == 0, steered.stderr
    assert steered.stdout.startswith("You play a lot of Portishead")
    assert "+0.67  Portishead  (more)" in steered.stdout and "never: country" in steered.stdout

    shown = json.loads(aidj(db, "taste", "--format", "json", "--language", "fr").stdout)
    assert shown["summary"].startswith("Vous écoutez beaucoup Portishead")
    assert shown["never"] == {"artists": [], "genres": ["country"]}

    off = aidj(db, "taste", "--off")
    assert "switched off" in off.stdout

    forgot = aidj(db, "taste", "--forget")
    assert forgot.returncode == 0 and "Forgot" in forgot.stdout
    assert json.loads(aidj(db, "taste", "--format", "json").stdout)["artists"] == []


def test_an_unknown_genre_is_one_line_saying_what_to_use(tmp_path: Path) -> None:
    refused = aidj(tmp_path / "history.sqlite3", "taste", "--never-genre", "polka-metal")
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        "error: never[0].genre: 'polka-metal' is not a catalog genre; use a genre slug such as "
        "'country', 'trip-hop' or 'deep-house'"
    ]
