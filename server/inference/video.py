"""Frames of a video, one every sample_ms, decoded by OpenCV (its bundled FFmpeg)."""

from __future__ import annotations

import os
import tempfile

from server.inference.types import Frame, MediaError

# At most this many frames from one video, so one request cannot flood the models
# (1000 frames = 16 min 40 s at Clarifai's default of one frame a second).
MAX_FRAMES = 1000
JPEG_QUALITY = 90


def sample_video(video: bytes, sample_ms: int) -> list[Frame]:
    """The frames at 0, sample_ms, 2 * sample_ms, ... (the first frame at or after each)."""
    import cv2

    if sample_ms <= 0:
        raise ValueError("sample_ms must be positive")
    # VideoCapture reads only from a path or a device; the temp file lives for this call.
    handle, path = tempfile.mkstemp(prefix="clarifai-local-video-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(video)
        capture = cv2.VideoCapture(path)
        try:
            frames = _sample(cv2, capture, sample_ms)
        finally:
            capture.release()
    finally:
        os.unlink(path)
    if not frames:
        raise MediaError("the bytes are not a decodable video")
    return frames


def _sample(cv2, capture, sample_ms: int) -> list[Frame]:
    if not capture.isOpened():
        return []
    fps = capture.get(cv2.CAP_PROP_FPS)
    frames: list[Frame] = []
    index = 0
    while len(frames) < MAX_FRAMES and capture.grab():
        # Frame time from its index when the container states a rate, else the decoder's clock.
        time_ms = index * 1000.0 / fps if fps > 0 else capture.get(cv2.CAP_PROP_POS_MSEC)
        index += 1
        if time_ms + 0.5 < len(frames) * sample_ms:
            continue  # grab() without retrieve(): skipped frames are never converted
        ok, pixels = capture.retrieve()
        encoded, jpeg = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        if ok and encoded:
            frames.append(Frame(round(time_ms), jpeg.tobytes()))
    return frames
