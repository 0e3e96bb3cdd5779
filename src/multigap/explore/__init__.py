"""multigap explore: the dome in the browser, live under the user's hands.

:class:`~multigap.explore.state.Explorer` is the logic (controls, the map, the readout,
the downloads) and has no web framework in it; :mod:`multigap.explore.app` is the Panel
view over it, started by ``multigap explore``. Both need the ``[explore]`` extra.
"""

from multigap.explore.state import GRIDS, Explorer, map_dataset, point_readout

__all__ = ["GRIDS", "Explorer", "map_dataset", "point_readout"]
