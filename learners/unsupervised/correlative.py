"""Correlative microscopy: phase and grain boundaries seen in a micrograph registered to the
indent grid, and the indents whose zone of influence crosses one.

An indent near a boundary measures a mixture of the two sides (Constantinides et al. 2006;
Trtik, Muench & Lura 2009). Such "composite" indents form a bridge of intermediate H and E
between the phase clouds, and a Gaussian mixture scored by BIC adds a component for them.
With a micrograph of the indented area, a user can leave out every indent whose zone of
influence (a few contact radii; the elastic field reaches furthest) holds a boundary, and
count the phases on the rest, as correlative grid-indentation studies do when they sort
indents by what the micrograph shows under them.

Boundaries are where the grey level changes faster than noise can make it change: the
gradient magnitude of the lightly smoothed image (Sobel) above ``threshold_sd`` times the
gradient that pixel noise alone gives. The pixel noise is estimated from the image itself
with Immerkaer's (1996) Laplacian-difference estimator, made robust with a median.

References
----------
.. [1] G. Constantinides, K. S. Ravi Chandran, F.-J. Ulm, K. J. Van Vliet, Mater. Sci.
   Eng. A 430 (2006) 189. doi:10.1016/j.msea.2006.05.125
.. [2] P. Trtik, B. Muench, P. Lura, Cem. Concr. Compos. 31 (2009) 705.
   doi:10.1016/j.cemconcomp.2009.07.001
.. [3] J. Immerkaer, Comput. Vis. Image Underst. 64 (1996) 300 (fast noise variance
   estimation). doi:10.1006/cviu.1996.0060
.. [4] K. L. Johnson, Contact Mechanics, Cambridge University Press (1985), ch. 6 (the
   plastic zone reaches 2-3 contact radii, the elastic field further).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import ndimage

#: Default zone of influence, in contact radii: the modulus zone of an indent (the elastic
#: field reaches further than the 2-3 contact radii of the plastic zone, Johnson 1985).
ZONE_RADII = 4.0
#: Default boundary threshold: gradient above this many noise-only gradient sds. For
#: Rayleigh-distributed noise gradients, 5 sds flag about 4e-6 of noise-only pixels.
THRESHOLD_SD = 5.0
#: Median of |N(0, 1)|.
_MEDIAN_ABS_NORMAL = 0.6744897501960817
#: Immerkaer's mask: the difference of two Laplacians; for white noise of sd s its response
#: has sd 6 s (the square root of the sum of its squared weights).
_IMMERKAER = np.array([[1.0, -2.0, 1.0], [-2.0, 4.0, -2.0], [1.0, -2.0, 1.0]])


def image_noise_sd(image: npt.ArrayLike) -> float:
    """Standard deviation of the white pixel noise of a grey-level image.

    Immerkaer's (1996) mask cancels smooth image content (up to second order) and keeps the
    noise; the median absolute response divided by 6 x 0.6745 is robust to the few pixels
    on edges.
    """
    image = _as_image(image)
    response = ndimage.convolve(image, _IMMERKAER, mode="reflect")[1:-1, 1:-1]
    return float(np.median(np.abs(response)) / (6.0 * _MEDIAN_ABS_NORMAL))


def micrograph_boundaries(
    image: npt.ArrayLike, *, smooth_px: float = 1.0, threshold_sd: float = THRESHOLD_SD
) -> np.ndarray:
    """Boolean mask of the boundary pixels of a micrograph (phase and grain boundaries).

    Parameters
    ----------
    image : array_like, shape (ny_px, nx_px)
        Grey levels (any scale), row 0 at y = 0.
    smooth_px : float, default 1.0
        Gaussian smoothing before the Sobel gradient [pixels].
    threshold_sd : float, default :data:`THRESHOLD_SD`
        A pixel is on a boundary when its gradient magnitude exceeds this many times the
        sd of the gradient that the image's own pixel noise gives.
    """
    image = _as_image(image)
    if not (np.isfinite(smooth_px) and 0 <= smooth_px <= 20):
        raise ValueError(f"smooth_px must lie in [0, 20]. Got {smooth_px!r}.")
    if not (np.isfinite(threshold_sd) and threshold_sd > 0):
        raise ValueError(f"threshold_sd must be > 0. Got {threshold_sd!r}.")
    gx, gy = _gradient(image, smooth_px)
    # The sd of one gradient component for unit white noise is the norm of the filter's
    # impulse response (smoothing, then Sobel).
    delta = np.zeros((8 * int(np.ceil(smooth_px)) + 9,) * 2)
    delta[delta.shape[0] // 2, delta.shape[1] // 2] = 1.0
    gain = float(np.sqrt(np.sum(_gradient(delta, smooth_px)[0] ** 2)))
    noise_gradient_sd = image_noise_sd(image) * gain
    return np.hypot(gx, gy) > threshold_sd * max(noise_gradient_sd, np.finfo(float).tiny)


def boundary_distance_um(
    boundaries: npt.ArrayLike, pixel_um: float, x_um: npt.ArrayLike, y_um: npt.ArrayLike
) -> np.ndarray:
    """Distance from each indent position to the nearest boundary pixel [um].

    Parameters
    ----------
    boundaries : array_like of bool, shape (ny_px, nx_px)
        From :func:`micrograph_boundaries`.
    pixel_um : float
        Pixel size of the micrograph [um].
    x_um, y_um : array_like, shape (n_indents,)
        Indent positions in the micrograph's frame [um], as the instrument reports them
        (a registration offset between stage and image shifts every distance).

    Returns
    -------
    ndarray, shape (n_indents,)
        Distance [um]; NaN for positions outside the image; inf when the image has no
        boundary at all.
    """
    edges = np.asarray(boundaries, dtype=bool)
    if edges.ndim != 2 or min(edges.shape) < 1:
        raise ValueError(f"boundaries must be a 2-D mask. Got shape {edges.shape}.")
    if not (np.isfinite(pixel_um) and pixel_um > 0):
        raise ValueError(f"pixel_um must be > 0. Got {pixel_um!r}.")
    x, y = (np.asarray(v, dtype=float).ravel() for v in (x_um, y_um))
    if x.shape != y.shape:
        raise ValueError(f"x_um and y_um must have the same length. Got {x.size}, {y.size}.")
    if edges.any():
        distance = ndimage.distance_transform_edt(~edges) * float(pixel_um)
    else:
        distance = np.full(edges.shape, np.inf)
    col, row = np.floor(x / pixel_um), np.floor(y / pixel_um)
    inside = (col >= 0) & (row >= 0) & (col < edges.shape[1]) & (row < edges.shape[0])
    inside &= np.isfinite(x) & np.isfinite(y)
    out = np.full(x.shape, np.nan)
    out[inside] = distance[row[inside].astype(int), col[inside].astype(int)]
    return out


def interior_indents(
    distance_um: npt.ArrayLike, contact_area_nm2: npt.ArrayLike, zone_radii: float = ZONE_RADII
) -> np.ndarray:
    """Indents whose zone of influence holds no boundary of the micrograph.

    Parameters
    ----------
    distance_um : array_like, shape (n_indents,)
        From :func:`boundary_distance_um` [um].
    contact_area_nm2 : array_like, shape (n_indents,)
        Projected contact area of each indent from its own Oliver-Pharr analysis [nm^2];
        the contact radius is sqrt(A / pi).
    zone_radii : float, default :data:`ZONE_RADII`
        Radius of the zone of influence in contact radii.

    Returns
    -------
    ndarray of bool, shape (n_indents,)
        True where distance > zone_radii x contact radius. NaN distances or areas give False.
    """
    d = np.asarray(distance_um, dtype=float)
    area = np.asarray(contact_area_nm2, dtype=float)
    if d.shape != area.shape:
        raise ValueError(
            f"distance_um and contact_area_nm2 differ in shape: {d.shape}, {area.shape}."
        )
    if not (np.isfinite(zone_radii) and zone_radii > 0):
        raise ValueError(f"zone_radii must be > 0. Got {zone_radii!r}.")
    with np.errstate(invalid="ignore"):
        radius_um = np.sqrt(area / np.pi) / 1000.0
        return np.isfinite(radius_um) & (d > zone_radii * radius_um)


def _as_image(image) -> np.ndarray:
    image = np.asarray(image, dtype=float)
    if image.ndim != 2 or min(image.shape) < 3 or not np.all(np.isfinite(image)):
        raise ValueError(
            f"image must be a 2-D array of finite grey levels, at least 3 x 3. Got shape "
            f"{image.shape}."
        )
    return image


def _gradient(image: np.ndarray, smooth_px: float) -> tuple[np.ndarray, np.ndarray]:
    smooth = ndimage.gaussian_filter(image, smooth_px) if smooth_px > 0 else image
    return ndimage.sobel(smooth, axis=1), ndimage.sobel(smooth, axis=0)


__all__ = [
    "THRESHOLD_SD",
    "ZONE_RADII",
    "boundary_distance_um",
    "image_noise_sd",
    "interior_indents",
    "micrograph_boundaries",
]
