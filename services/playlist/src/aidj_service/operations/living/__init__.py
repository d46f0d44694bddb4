"""Living playlists: versions and edits, schedules and their refresh, Spotify following, play now."""
