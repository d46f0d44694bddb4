"""A listener's taste: built from signals, shown and steered by them, applied by the engine.

``profile`` (the data), ``signals`` (what feeds it), ``build`` (folding signals in),
``neighbours`` (artists near an artist, from the catalog), ``asks`` ("my favourites" in any
pack's language), ``steer`` (what the engine does with it), ``explain`` (its sentences).
"""
