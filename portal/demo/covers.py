"""Cover images for the demo cases, drawn with Pillow: a gradient in the sector's colours with
the sector's pattern over it. No text, so nothing in them needs translating.

The drawing is deterministic (the variation comes from a hash of the case's title), so every
run draws the same picture for the same case.
"""

import hashlib
import io
import math

from PIL import Image, ImageDraw

SIZE = (1200, 675)


def _rgb(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _numbers(key: str) -> list[float]:
    """Sixteen numbers in [0, 1) that depend only on `key`."""
    digest = hashlib.sha256(key.encode()).digest()
    return [int.from_bytes(digest[i : i + 2], "big") / 65536 for i in range(0, 32, 2)]


def _gradient(start: str, end: str, angle: float) -> Image.Image:
    # Rotated and cropped at a quarter of the size, then scaled up: a gradient loses nothing.
    width, height = SIZE[0] // 4, SIZE[1] // 4
    diagonal = int(math.hypot(width, height)) + 2
    mask = Image.linear_gradient("L").resize((diagonal, diagonal)).rotate(angle)
    left, top = (diagonal - width) // 2, (diagonal - height) // 2
    mask = mask.crop((left, top, left + width, top + height)).resize(SIZE, Image.BILINEAR)
    return Image.composite(
        Image.new("RGB", SIZE, _rgb(end)), Image.new("RGB", SIZE, _rgb(start)), mask
    )


def _waves(draw, ink, n):
    width, height = SIZE
    for row in range(9):
        base = 60 + row * 70 + n[0] * 30
        amplitude = 14 + 18 * n[(row % 8) + 1]
        points = [
            (x, base + amplitude * math.sin(x / (90 + 40 * n[2]) + row * 0.8 + n[3] * 6))
            for x in range(-10, width + 20, 12)
        ]
        draw.line(points, fill=ink, width=5)


def _rays(draw, ink, n):
    width, height = SIZE
    cx, cy = width * (0.65 + 0.25 * n[0]), height * (0.2 + 0.3 * n[1])
    for i in range(24):
        angle = i * math.pi / 12 + n[2]
        far = (cx + 1600 * math.cos(angle), cy + 1600 * math.sin(angle))
        draw.line([(cx, cy), far], fill=ink, width=6)
    for r in (70, 120):
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=ink, width=8)


def _lanes(draw, ink, n):
    width, height = SIZE
    step = 70 + int(40 * n[0])
    for x in range(-height, width + height, step):
        draw.line([(x, height), (x + height * 0.8, 0)], fill=ink, width=10)
        for y in range(0, height, 60):
            draw.line(
                [
                    (x + step / 2 + (height - y) * 0.8, y),
                    (x + step / 2 + (height - y - 30) * 0.8, y + 30),
                ],
                fill=ink,
                width=3,
            )


def _furrows(draw, ink, n):
    width, height = SIZE
    horizon = height * (0.25 + 0.2 * n[0])
    for i in range(-12, 13):
        draw.line(
            [(width / 2 + i * 25, horizon), (width / 2 + i * 160, height + 10)], fill=ink, width=4
        )
    draw.line([(0, horizon), (width, horizon)], fill=ink, width=4)


def _contours(draw, ink, n):
    width, height = SIZE
    cx, cy = width * (0.3 + 0.4 * n[0]), height * (0.3 + 0.4 * n[1])
    for i in range(1, 16):
        rx, ry = i * (45 + 10 * n[2]), i * (30 + 8 * n[3])
        draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], outline=ink, width=4)


def _rings(draw, ink, n):
    width, height = SIZE
    step = 110 + int(30 * n[0])
    for row, y in enumerate(range(-step // 2, height + step, step)):
        for x in range(-step // 2 + (row % 2) * step // 2, width + step, step):
            r = step * 0.36
            draw.arc([x - r, y - r, x + r, y + r], start=30, end=330, fill=ink, width=7)


def _grid(draw, ink, n):
    width, height = SIZE
    size = 60 + int(30 * n[0])
    h = size * math.sqrt(3) / 2
    for row in range(int(height / h) + 2):
        for col in range(int(width / (size * 1.5)) + 2):
            cx = col * size * 1.5
            cy = row * h * 2 + (col % 2) * h
            points = [
                (cx + size * math.cos(k * math.pi / 3), cy + size * math.sin(k * math.pi / 3))
                for k in range(7)
            ]
            draw.line(points, fill=ink, width=4)


def _blocks(draw, ink, n):
    width, height = SIZE
    x, i = -20.0, 0
    while x < width:
        w = 70 + 90 * n[i % 16]
        h = height * (0.25 + 0.5 * n[(i + 5) % 16])
        draw.rectangle([x, height - h, x + w - 12, height + 5], outline=ink, width=5)
        for wy in range(int(height - h) + 25, height - 20, 45):
            draw.line([(x + 15, wy), (x + w - 27, wy)], fill=ink, width=3)
        x += w
        i += 1


def _dots(draw, ink, n):
    width, height = SIZE
    step = 48 + int(20 * n[0])
    for row, y in enumerate(range(0, height + step, step)):
        for col, x in enumerate(range(0, width + step, step)):
            r = 6 + 10 * abs(math.sin((row + n[1] * 5) * 0.7 + (col + n[2] * 5) * 0.45))
            draw.ellipse([x - r, y - r, x + r, y + r], fill=ink)


def _mesh(draw, ink, n):
    width, height = SIZE
    cols, rows = 9, 6
    points = {}
    for r in range(rows + 1):
        for c in range(cols + 1):
            k = (r * 7 + c * 3) % 16
            points[r, c] = (
                c * width / cols + (n[k] - 0.5) * 60,
                r * height / rows + (n[(k + 4) % 16] - 0.5) * 60,
            )
    for (r, c), point in points.items():
        for dr, dc in ((0, 1), (1, 0), (1, 1)):
            other = points.get((r + dr, c + dc))
            if other:
                draw.line([point, other], fill=ink, width=3)
        draw.ellipse([point[0] - 7, point[1] - 7, point[0] + 7, point[1] + 7], fill=ink)


PATTERNS = {
    "waves": _waves,
    "rays": _rays,
    "lanes": _lanes,
    "furrows": _furrows,
    "contours": _contours,
    "rings": _rings,
    "grid": _grid,
    "blocks": _blocks,
    "dots": _dots,
    "mesh": _mesh,
}


def draw_cover(*, key: str, colours: list[str], pattern: str) -> bytes:
    """A JPEG: a gradient between `colours[0]` and `colours[1]`, `pattern` in `colours[2]`."""
    n = _numbers(key)
    start, end, ink = colours
    image = _gradient(start, end, angle=360 * n[15])
    overlay = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    PATTERNS[pattern](ImageDraw.Draw(overlay), (*_rgb(ink), 70), n)
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()
