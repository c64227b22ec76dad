"""A multipart upload with the official Python client, clarifai-grpc
12.2.11, unchanged: run by the reference environment's interpreter, never
imported by the test process.

    python scenario_uploads_grpc.py grpc|json ADDRESS USER_ID PAT APP_ID

Announces a 3 MB content, sends it in 1 MB parts, the last first and one
twice, then reads, lists and deletes the upload. Prints one JSON object:
every response as the client parsed it, keyed by step, and the content's
sha256.
"""

from __future__ import annotations

import hashlib
import json
import sys

from clarifai_grpc.grpc.api import resources_pb2 as r
from clarifai_grpc.grpc.api import service_pb2 as s
from scenario_steps import Steps

mode, address, user_id, pat, app_id = sys.argv[1:6]
steps = Steps(mode, address, pat)
out, step = steps.out, steps.step
mine = r.UserAppIDSet(user_id=user_id, app_id=app_id)

PART = 1024 * 1024
content = bytes((i * 7 + i // 251) % 256 for i in range(3 * PART))
out["sha256"] = hashlib.sha256(content).hexdigest()


def part(n: int) -> r.UploadContentPart:
    start = (n - 1) * PART
    return r.UploadContentPart(part_number=n, range_start=start, data=content[start : start + PART])


made = step(
    "PostUploads",
    "PostUploads",
    s.PostUploadsRequest(
        user_app_id=mine,
        uploads=[r.Upload(content_name="blob.bin", content_length=len(content))],
    ),
)
upload_id = made.uploads[0].id
for name, parts in (("part3", [part(3)]), ("part1", [part(1)]), ("part1.again", [part(1)])):
    step(
        name,
        "PutUploadContentParts",
        s.PutUploadContentPartsRequest(user_app_id=mine, upload_id=upload_id, content_parts=parts),
    )
step(
    "part2",
    "PutUploadContentParts",
    s.PutUploadContentPartsRequest(user_app_id=mine, upload_id=upload_id, content_parts=[part(2)]),
)
step("GetUpload", "GetUpload", s.GetUploadRequest(user_app_id=mine, upload_id=upload_id))
step("ListUploads", "ListUploads", s.ListUploadsRequest(user_app_id=mine))
step("DeleteUploads", "DeleteUploads", s.DeleteUploadsRequest(user_app_id=mine, ids=[upload_id]))
step("GetUpload.deleted", "GetUpload", s.GetUploadRequest(user_app_id=mine, upload_id=upload_id))
print(json.dumps(out))
