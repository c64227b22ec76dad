"""Sized copies of images (server.media.resize): the modes and formats a
browser shows, in the reference's square sizes."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from server import media


def encode(img: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **options)
    return out.getvalue()


def opened(data: bytes) -> tuple[str, tuple[int, int], str]:
    with Image.open(io.BytesIO(data)) as img:
        return img.format, img.size, img.mode


@pytest.mark.parametrize(
    ("stored", "copy"),
    [
        ("1/ab.jpg", "small.jpg"),
        ("1/ab.jpeg", "small.jpeg"),
        ("1/ab.png", "small.png"),
        ("1/ab.webp", "small.webp"),
        ("1/ab.gif", "small.png"),
        ("1/ab.tiff", "small.png"),
        ("1/ab.bmp", "small.png"),
    ],
)
def test_a_copy_is_named_for_its_format(stored, copy):
    assert media.sized_name(stored, "small") == copy


def test_cmyk_jpeg_becomes_rgb():
    data = encode(Image.new("CMYK", (1000, 800)), "JPEG")
    assert opened(media.resize(data, 128, "tiny.jpg")) == ("JPEG", (128, 102), "RGB")


def test_palette_png_keeps_its_transparency():
    img = Image.new("P", (300, 600))
    data = encode(img, "PNG", transparency=0)
    assert opened(media.resize(data, 128, "tiny.png")) == ("PNG", (64, 128), "RGBA")


def test_an_animation_keeps_its_first_frame():
    frames = [Image.new("P", (400, 200), color) for color in (1, 2, 3)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    fmt, size, _ = opened(media.resize(data, 128, "tiny.png"))
    assert (fmt, size) == ("PNG", (128, 64))


def test_sixteen_bit_grey_is_scaled_to_eight():
    data = encode(Image.new("I;16", (512, 256), 32768), "PNG")
    copy = media.resize(data, 128, "tiny.png")
    assert opened(copy)[1:] == ((128, 64), "L")
    assert Image.open(io.BytesIO(copy)).getpixel((10, 10)) == 128


def test_a_fitting_image_of_another_format_is_converted_but_not_enlarged():
    data = encode(Image.new("RGB", (40, 30)), "BMP")
    assert opened(media.resize(data, 128, "tiny.png")) == ("PNG", (40, 30), "RGB")


def test_a_fitting_image_in_a_kept_format_is_served_as_stored():
    data = encode(Image.new("RGB", (40, 30)), "JPEG")
    assert media.resize(data, 128, "tiny.jpg") is data


def test_a_long_thin_image_keeps_at_least_a_pixel():
    data = encode(Image.new("L", (5000, 2)), "PNG")
    assert opened(media.resize(data, 128, "tiny.png")) == ("PNG", (128, 1), "L")
