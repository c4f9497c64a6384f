"""A synthetic correlative micrograph ("SEM/EBSD-like") of a microstructure.

Phase contrast (grey level per phase, harder phases brighter as in backscatter or etched
optical contrast), grain-orientation shading (a random brightness per grain, as channelling
or EBSD band contrast gives), a slight blur (the probe size) and Gaussian noise.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter

from .microstructure import PORE, Microstructure


def correlative_image(
    microstructure: Microstructure,
    *,
    orientation_shading: float = 0.12,
    noise: float = 0.04,
    blur_px: float = 0.8,
    seed: int | None = 0,
) -> np.ndarray:
    """Grey-level image [0, 1] of shape ``microstructure.labels.shape`` (row 0 at y = 0).

    Parameters
    ----------
    orientation_shading : float
        Half-range of the random brightness added per grain.
    noise : float
        Standard deviation of pixel noise.
    blur_px : float
        Gaussian blur in pixels (probe size).
    seed : int or None
    """
    for name, value in (("orientation_shading", orientation_shading), ("noise", noise)):
        if not (np.isfinite(value) and 0 <= value <= 1):
            raise ValueError(f"{name} must lie in [0, 1]. Got {value!r}.")
    if not (np.isfinite(blur_px) and 0 <= blur_px <= 20):
        raise ValueError(f"blur_px must lie in [0, 20]. Got {blur_px!r}.")
    ms = microstructure
    rng = np.random.default_rng(seed)
    hardness = ms.phases["H_GPa"].to_numpy(float)
    rank = np.argsort(np.argsort(hardness))
    grey = 0.3 + 0.5 * rank / max(len(rank) - 1, 1)
    grey = np.where(ms.phases["name"].to_numpy() == PORE, 0.05, grey)
    grains = ms.grains - ms.grains.min()
    shade = rng.uniform(-orientation_shading, orientation_shading, grains.max() + 1)
    image = grey[ms.labels] + shade[grains]
    if blur_px > 0:
        image = gaussian_filter(image, blur_px)
    image = image + noise * rng.standard_normal(image.shape)
    return np.clip(image, 0.0, 1.0)
