"""The synthetic, calibrated Essex demo data set.

``write_demo_data(directory, seed=2024)`` writes a deterministic, clearly labelled synthetic data
set: three years of recorded crime and incidents in a force-extract layout with their mapping
files, the report's aggregate figures and the ground truth of what was planted. The counts that
Essex Police's published 2023/24 crime prevention strategy report gives are reproduced exactly.
"""

from crimeprev.demo.files import DEMO_PSEUDONYM_KEY, DemoFiles, NationalFiles, write_demo_data, write_national_data

__all__ = ["DEMO_PSEUDONYM_KEY", "DemoFiles", "NationalFiles", "write_demo_data", "write_national_data"]
