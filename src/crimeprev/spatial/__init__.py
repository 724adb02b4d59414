"""Places: spatial units, hotspot statistics and zones (pure computation on arrays).

- :mod:`~crimeprev.spatial.units`: British National Grid squares, H3 hexagons, LSOAs and districts;
  which cell each record falls in and which cells neighbour each other;
- :mod:`~crimeprev.spatial.getis_ord`: the Getis-Ord Gi* statistic;
- :mod:`~crimeprev.spatial.hotspots`: hotspot cells with false-discovery-rate control;
- :mod:`~crimeprev.spatial.emerging`: how cells' hotspot status changed over periods;
- :mod:`~crimeprev.spatial.density`: quartic kernel density;
- :mod:`~crimeprev.spatial.outlines`: area outlines from the records' own points.
"""
