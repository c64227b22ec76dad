"""Faces with OpenCV's frontal Haar cascade (opencv-python-headless < 5 still ships the XMLs).

Haar gives no score. detectMultiScale3 reports, per face, the weight of the cascade's last
stage (how far past its threshold the window scored; about 7 on a clear face). The value we
report is sigmoid(weight / 2): 0.5 for a window that barely passed, near 1 for a clear face.
It orders faces by how face-like the detector found them; it is not a calibrated probability.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence

import numpy as np

from server.inference.images import decode
from server.inference.types import Box, Concept, Region

SCALE_FACTOR = 1.1
MIN_NEIGHBORS = 5
MIN_SIZE = 24  # pixels, the cascade's window
MAX_SIDE = 1024  # larger images are scaled down first: faces stay found, time stays bounded


class FaceDetector:
    def __init__(self) -> None:
        import cv2

        self._cv2 = cv2
        self._cascade = cv2.CascadeClassifier(
            cv2.data.haarcascades + "haarcascade_frontalface_default.xml"
        )
        if self._cascade.empty():
            raise RuntimeError("OpenCV's haarcascade_frontalface_default.xml did not load")
        # A CascadeClassifier is not documented as safe to share between threads.
        self._lock = threading.Lock()

    def detect(self, images: Sequence[bytes]) -> list[list[Region]]:
        decoded = [decode(data) for data in images]
        return [self._detect(image) for image in decoded]

    def _detect(self, image) -> list[Region]:
        cv2 = self._cv2
        scale = min(1.0, MAX_SIDE / max(image.size))
        if scale < 1.0:
            image = image.resize((round(image.width * scale), round(image.height * scale)))
        gray = cv2.equalizeHist(np.asarray(image.convert("L")))
        with self._lock:
            found = self._cascade.detectMultiScale3(
                gray,
                scaleFactor=SCALE_FACTOR,
                minNeighbors=MIN_NEIGHBORS,
                minSize=(MIN_SIZE, MIN_SIZE),
                outputRejectLevels=True,
            )
        rects, _, weights = found
        height, width = gray.shape
        regions = []
        for rect, weight in zip(rects, weights, strict=True):
            x, y, w, h = (int(v) for v in rect)
            value = 1.0 / (1.0 + math.exp(-float(weight) / 2.0))
            box = Box(y / height, x / width, min(1.0, (y + h) / height), min(1.0, (x + w) / width))
            regions.append(Region(box, value, (Concept("face", "face", value),)))
        return sorted(regions, key=lambda region: -region.value)
