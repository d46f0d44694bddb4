"""What the service does, one module per capability; each route's handler is a method here.

Operations read the caller through :mod:`aidj_service.identity`, state through
:mod:`aidj_service.stores` and Spotify through :mod:`aidj_service.clients`; they share helpers
only through public functions (never another module's ``_names``).
"""
