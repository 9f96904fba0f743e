"""Draw the app icons (static/img/): a white speech bubble with an exclamation mark on the brand
blue. Run it after changing the design: `.venv/bin/python scripts/make_icons.py`.

One drawing, three outputs: the SVG (favicon, any size), 192 and 512 px PNGs (Android, iOS
home screen) and a maskable 512 px PNG whose drawing sits inside the central safe circle
(Android crops maskable icons to a circle, squircle or rounded square).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = "#0b5394"  # --brand in static/css/aduan.css
WHITE = "#ffffff"
OUT = Path(__file__).resolve().parent.parent / "static" / "img"
SUPERSAMPLE = 4

# The drawing on a 512-unit canvas: (x0, y0, x1, y1) boxes, radii, one tail triangle.
CORNER = 96
BUBBLE = (104, 120, 408, 344)
BUBBLE_RADIUS = 56
TAIL = ((168, 330), (168, 412), (250, 330))
BAR = (234, 160, 278, 262)
DOT = (256, 296, 24)  # centre x, centre y, radius


def svg() -> str:
    x0, y0, x1, y1 = BUBBLE
    bx0, by0, bx1, by1 = BAR
    cx, cy, r = DOT
    tail = " ".join(f"{x},{y}" for x, y in TAIL)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" role="img" '
        'aria-label="Aduan">\n'
        f'  <rect width="512" height="512" rx="{CORNER}" fill="{BRAND}"/>\n'
        f'  <rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="{BUBBLE_RADIUS}" '
        f'fill="{WHITE}"/>\n'
        f'  <polygon points="{tail}" fill="{WHITE}"/>\n'
        f'  <rect x="{bx0}" y="{by0}" width="{bx1 - bx0}" height="{by1 - by0}" '
        f'rx="{(bx1 - bx0) // 2}" fill="{BRAND}"/>\n'
        f'  <circle cx="{cx}" cy="{cy}" r="{r}" fill="{BRAND}"/>\n'
        "</svg>\n"
    )


def png(size: int, *, maskable: bool = False) -> Image.Image:
    """The icon at `size` px; maskable: full-bleed background, drawing shrunk into the safe zone."""
    big = size * SUPERSAMPLE
    unit = big / 512
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=BRAND)
        scale = 0.72  # the safe zone is the central circle of radius 40%
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=CORNER * unit, fill=BRAND)
        scale = 1.0

    def p(x: float, y: float) -> tuple[float, float]:
        return ((256 + (x - 256) * scale) * unit, (256 + (y - 256) * scale) * unit)

    def box(b: tuple[int, int, int, int]) -> tuple[float, float, float, float]:
        (x0, y0), (x1, y1) = p(b[0], b[1]), p(b[2], b[3])
        return (x0, y0, x1, y1)

    draw.rounded_rectangle(box(BUBBLE), radius=BUBBLE_RADIUS * scale * unit, fill=WHITE)
    draw.polygon([p(x, y) for x, y in TAIL], fill=WHITE)
    draw.rounded_rectangle(box(BAR), radius=(BAR[2] - BAR[0]) / 2 * scale * unit, fill=BRAND)
    cx, cy, r = DOT
    draw.ellipse(box((cx - r, cy - r, cx + r, cy + r)), fill=BRAND)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon.svg").write_text(svg(), encoding="utf-8")
    # A 64-colour palette keeps the antialiased edges and makes the files several times smaller.
    for name, image in (
        ("icon-192.png", png(192)),
        ("icon-512.png", png(512)),
        ("icon-maskable-512.png", png(512, maskable=True)),
    ):
        palette = image.quantize(colors=64, method=Image.Quantize.FASTOCTREE)
        palette.save(OUT / name, optimize=True)
    for name in ("icon.svg", "icon-192.png", "icon-512.png", "icon-maskable-512.png"):
        print(f"{OUT / name}: {(OUT / name).stat().st_size} bytes")


if __name__ == "__main__":
    main()
