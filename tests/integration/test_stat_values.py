"""PostStatValues and PostStatValuesAggregate: a caller's tagged values,
stored per app and aggregated (SUM or AVG, with counts) over time buckets
and tag groups as the reference's proto describes. Expected aggregates are
worked out by hand. Over gRPC and REST."""

from __future__ import annotations

from datetime import UTC, datetime

from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf.timestamp_pb2 import Timestamp

from tests.helpers import app_of, assert_status


def at(text: str) -> Timestamp:
    t = Timestamp()
    t.FromDatetime(datetime.fromisoformat(text).replace(tzinfo=UTC))
    return t


def value(time: str, v: float, *tags: str) -> r.StatValue:
    return r.StatValue(time=at(time), value=v, tags=list(tags))


VALUES = [
    value("2026-01-05T10:15:00", 1.0, "task_id:a", "worker_id:1"),
    value("2026-01-05T10:45:00", 2.0, "task_id:a", "worker_id:2"),
    value("2026-01-05T11:05:00", 4.0, "task_id:b", "worker_id:1"),
    value("2026-01-06T09:00:00", 8.0, "task_id:b", "worker_id:2"),
    value("2026-02-01T00:00:00", 16.0, "task_id:a"),
]


async def post(transport, account, *values: r.StatValue):
    req = s.PostStatValuesRequest(user_app_id=app_of(account), stat_values=values)
    return await transport.call("PostStatValues", req, account.md())


async def aggregate(transport, account, *queries: r.StatValueAggregateQuery):
    req = s.PostStatValuesAggregateRequest(
        user_app_id=app_of(account), stat_value_aggregate_queries=queries
    )
    return await transport.call("PostStatValuesAggregate", req, account.md())


def rows(result: r.StatValueAggregateResult) -> list[tuple]:
    return [
        (
            a.time.ToDatetime().isoformat() if a.HasField("time") else None,
            round(a.aggregate_value, 4),
            a.count,
            list(a.tags),
        )
        for a in result.stat_value_aggregates
    ]


async def test_posted_values_come_back(transport, account):
    res = await post(transport, account, *VALUES, r.StatValue(value=0.5, tags=["x:y"]))
    assert res.status.code == sc.SUCCESS, res.status
    assert [v.value for v in res.stat_values] == [1.0, 2.0, 4.0, 8.0, 16.0, 0.5]
    assert list(res.stat_values[0].tags) == ["task_id:a", "worker_id:1"]
    assert res.stat_values[0].time == VALUES[0].time
    # No time sent: now.
    assert res.stat_values[5].time.seconds > at("2026-01-01T00:00:00").seconds


async def test_aggregates(transport, account):
    res = await post(transport, account, *VALUES)
    assert res.status.code == sc.SUCCESS, res.status
    agg, time = r.StatValueAggType, r.StatTimeAggType
    res = await aggregate(
        transport,
        account,
        r.StatValueAggregateQuery(),  # everything summed
        r.StatValueAggregateQuery(tag_groups=["task_id"], stat_value_agg_type=agg.Value("AVG")),
        r.StatValueAggregateQuery(tags=["task_id:a"], stat_time_agg_type=time.Value("MONTH")),
        r.StatValueAggregateQuery(
            tag_groups=["task_id", "worker_id"],
            stat_time_agg_type=time.Value("DAY"),
            end_time=at("2026-01-31T00:00:00"),
        ),
        r.StatValueAggregateQuery(
            stat_time_agg_type=time.Value("HOUR"),
            start_time=at("2026-01-05T10:30:00"),
            end_time=at("2026-01-05T11:05:00"),
        ),
    )
    assert res.status.code == sc.SUCCESS, res.status
    results = res.stat_value_aggregate_results
    assert [rows(x) for x in results] == [
        [(None, 31.0, 5, [])],
        [(None, round(19 / 3, 4), 3, ["task_id:a"]), (None, 6.0, 2, ["task_id:b"])],
        [("2026-01-01T00:00:00", 3.0, 2, []), ("2026-02-01T00:00:00", 16.0, 1, [])],
        rows(results[3]),  # checked below, in any order
        [("2026-01-05T10:00:00", 2.0, 1, []), ("2026-01-05T11:00:00", 4.0, 1, [])],
    ]
    day = sorted(rows(results[3]))
    assert day == [
        ("2026-01-05T00:00:00", 1.0, 1, ["task_id:a", "worker_id:1"]),
        ("2026-01-05T00:00:00", 2.0, 1, ["task_id:a", "worker_id:2"]),
        ("2026-01-05T00:00:00", 4.0, 1, ["task_id:b", "worker_id:1"]),
        ("2026-01-06T00:00:00", 8.0, 1, ["task_id:b", "worker_id:2"]),
    ]
    # The query comes back with its results.
    assert list(results[1].stat_value_aggregate_query.tag_groups) == ["task_id"]


async def test_another_apps_values_stay_out(transport, account, new_account):
    other = await new_account()
    assert (await post(transport, other, *VALUES)).status.code == sc.SUCCESS
    res = await aggregate(transport, account, r.StatValueAggregateQuery())
    assert res.status.code == sc.SUCCESS, res.status
    assert list(res.stat_value_aggregate_results[0].stat_value_aggregates) == []


async def test_refusals_name_the_field(transport, account):
    res = await post(transport, account, value("2026-01-01T00:00:00", 1.0, "no-colon"))
    assert_status(res, sc.STATS_INVALID_REQUEST, "stat_values[0].tags[0]", "group:tag")
    res = await post(transport, account, r.StatValue(value=1, tags=["a:b:c"]))
    assert_status(res, sc.STATS_INVALID_REQUEST, "stat_values[0].tags[0]")
    res = await post(transport, account, r.StatValue(value=float("inf"), tags=["a:b"]))
    assert_status(res, sc.STATS_INVALID_REQUEST, "stat_values[0].value")
    res = await aggregate(transport, account, r.StatValueAggregateQuery(tag_groups=["task_id:a"]))
    assert_status(res, sc.STATS_INVALID_REQUEST, "stat_value_aggregate_queries[0].tag_groups[0]")
    res = await aggregate(
        transport,
        account,
        r.StatValueAggregateQuery(
            start_time=at("2026-02-01T00:00:00"), end_time=at("2026-01-01T00:00:00")
        ),
    )
    assert_status(res, sc.STATS_INVALID_REQUEST, "start_time is after")
    res = await aggregate(transport, account)
    assert_status(res, sc.STATS_INVALID_REQUEST, "stat_value_aggregate_queries")
    # Nothing was stored by the refused posts.
    res = await aggregate(transport, account, r.StatValueAggregateQuery())
    assert list(res.stat_value_aggregate_results[0].stat_value_aggregates) == []
