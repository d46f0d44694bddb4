"""Delivering a playlist to a music platform: Spotify, Apple Music, YouTube Music, Subsonic servers.

One :class:`~aidj_service.delivery.platform.Platform` protocol, one registry
(:data:`~aidj_service.delivery.registry.PLATFORMS`), one request path shared by the clients
(:mod:`~aidj_service.delivery.transport`), one error tree (:mod:`~aidj_service.delivery.errors`)
and one idempotent delivery (:func:`~aidj_service.delivery.deliver.deliver`). Tracks are found
on platforms without shared ids by :mod:`aidj.matching`.
"""
