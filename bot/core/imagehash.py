"""A perceptual hash of a picture (dHash), so the same image is known again after a resize or a recompression.

Adapters that can read a picture's bytes put ``dhash:<16 hex>`` in ``MessagePosted.images``; the
spam filter compares hashes by how many of their 64 bits differ. Pillow (already installed with
matplotlib) decodes; the hash itself is the classic difference hash: the picture in grey, shrunk to
9x8, each bit saying whether a pixel is brighter than its right-hand neighbour. ``imagehash`` does the
same and more, but brings SciPy and PyWavelets for hashes this bot does not use.
"""

from __future__ import annotations

import io

PREFIX = "dhash:"
MAX_PIXELS = 40_000_000  # a decompression bomb is refused, not hashed


def dhash(data: bytes) -> str | None:
    """``dhash:<16 hex>`` of an image's bytes, or ``None`` when they are no picture Pillow can read."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > MAX_PIXELS:
                return None
            img.draft("L", (64, 64))  # JPEG: decode at a fraction of the size, much faster
            small = img.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    px = small.tobytes()  # one byte per pixel in mode "L"
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = (bits << 1) | (px[row * 9 + col] > px[row * 9 + col + 1])
    return f"{PREFIX}{bits:016x}"


def distance(a: str, b: str) -> int:
    """Bits that differ between two ``dhash:`` keys (64 when either is not one)."""
    if not (a.startswith(PREFIX) and b.startswith(PREFIX)):
        return 64
    return (int(a[len(PREFIX) :], 16) ^ int(b[len(PREFIX) :], 16)).bit_count()
