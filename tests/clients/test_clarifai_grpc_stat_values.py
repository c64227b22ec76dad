"""The unchanged official Python client (clarifai-grpc 12.2.11, its own
virtual environment) posting tagged stat values and reading them back
aggregated per day and per tag group."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.reference_env import run_reference

pytestmark = pytest.mark.clients

SCRIPT = r"""
import json, sys
from datetime import datetime, timezone
from google.protobuf.timestamp_pb2 import Timestamp
from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2 as r, service_pb2 as s, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2 as sc

port, pat, user_id = int(sys.argv[1]), sys.argv[2], sys.argv[3]
md = (("authorization", "Key " + pat),)
channel = ClarifaiChannel.get_insecure_grpc_channel(base="127.0.0.1", port=port)
stub = service_pb2_grpc.V2Stub(channel)
app = r.UserAppIDSet(user_id=user_id, app_id="main")

def at(text):
    t = Timestamp()
    t.FromDatetime(datetime.fromisoformat(text).replace(tzinfo=timezone.utc))
    return t

values = [
    r.StatValue(time=at("2026-03-01T08:00:00"), value=3.0, tags=["worker:ann", "task:t1"]),
    r.StatValue(time=at("2026-03-01T17:30:00"), value=5.0, tags=["worker:bob", "task:t1"]),
    r.StatValue(time=at("2026-03-02T09:00:00"), value=9.0, tags=["worker:ann", "task:t2"]),
]
posted = stub.PostStatValues(
    s.PostStatValuesRequest(user_app_id=app, stat_values=values), metadata=md
)
res = stub.PostStatValuesAggregate(
    s.PostStatValuesAggregateRequest(
        user_app_id=app,
        stat_value_aggregate_queries=[
            r.StatValueAggregateQuery(
                tag_groups=["worker"],
                stat_value_agg_type=r.StatValueAggType.Value("AVG"),
                stat_time_agg_type=r.StatTimeAggType.Value("NO_TIME_AGG"),
            ),
            r.StatValueAggregateQuery(
                tags=["task:t1"], stat_time_agg_type=r.StatTimeAggType.Value("DAY")
            ),
        ],
    ),
    metadata=md,
)
out = {
    "posted": [sc.StatusCode.Name(posted.status.code), len(posted.stat_values)],
    "aggregate": sc.StatusCode.Name(res.status.code),
    "results": [
        sorted(
            [a.time.ToDatetime().date().isoformat() if a.HasField("time") else None,
             a.aggregate_value, a.count, sorted(a.tags)]
            for a in result.stat_value_aggregates
        )
        for result in res.stat_value_aggregate_results
    ],
}
print(json.dumps(out))
"""


async def test_post_and_aggregate(server, account, reference):
    proc = await asyncio.to_thread(
        run_reference, SCRIPT, str(server.grpc_port), account.pat, account.user_id
    )
    out = json.loads(proc.stdout)
    assert out["posted"] == ["SUCCESS", 3]
    assert out["aggregate"] == "SUCCESS"
    by_worker, t1_by_day = out["results"]
    # ann: (3 + 9) / 2 over 2 values; bob: 5 over 1.
    assert sorted(by_worker, key=lambda row: row[3]) == [
        [None, 6.0, 2, ["worker:ann"]],
        [None, 5.0, 1, ["worker:bob"]],
    ]
    # t1's values both fall on 1 March: summed.
    assert t1_by_day == [["2026-03-01", 8.0, 2, []]]
