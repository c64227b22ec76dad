"""PostStatValues, PostStatValuesAggregate: a caller's own metrics, stored
per app as the reference's proto describes them.

A value has a time (now when not sent), a float value and tags, each
"group:tag" with exactly one colon, the group before it. An aggregate query
keeps the values holding every tag it lists and lying within [start_time,
end_time] (either end open when unset), and sums them (SUM, the default)
or averages them (AVG) per time bucket (YEAR ... MINUTE; NO_TIME_AGG: one
bucket, no time shown) and per combination of the tags the values have in
each of its tag_groups. Every aggregate carries its count. A value with
several tags of one group counts under each; a value with none of a group
is left out of that query. Buckets are UTC; weeks start on Monday.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from clarifai.api import resources_pb2, service_pb2

from server.checks import Checks
from server.convert import ts
from server.dispatch import Call
from server.services import rpc
from server.status import Code
from storage.stat_values import TIME_BUCKETS, Query

check = Checks(Code.STATS_INVALID_REQUEST)


def _tag(value: str, field: str) -> str:
    group, colon, tag = value.partition(":")
    if not colon or not group or not tag or ":" in tag:
        raise check.invalid(f"{field} '{value}' is not of the form 'group:tag' (one colon)")
    return value


def _finite(value: float, field: str) -> float:
    if not math.isfinite(value):
        raise check.invalid(f"{field} {value} is not a finite number")
    return value


@rpc
async def PostStatValues(call: Call, request: service_pb2.PostStatValuesRequest):
    check.batch(request.stat_values, "stat_values")
    now = datetime.now(UTC)
    values = []
    for n, sent in enumerate(request.stat_values):
        at = f"stat_values[{n}]"
        values.append(
            {
                "time": check.time(sent.time, f"{at}.time") if sent.HasField("time") else now,
                "value": _finite(sent.value, f"{at}.value"),
                "tags": [_tag(t, f"{at}.tags[{k}]") for k, t in enumerate(sent.tags)],
            }
        )
    rows = await call.store.stat_values.add(values)
    return service_pb2.MultiStatValueResponse(
        stat_values=[
            resources_pb2.StatValue(time=ts(r.time), value=r.value, tags=r.tags) for r in rows
        ]
    )


def _query(sent: resources_pb2.StatValueAggregateQuery, at: str) -> Query:
    groups = list(sent.tag_groups)
    for k, group in enumerate(groups):
        check.required(group, f"{at}.tag_groups[{k}]")
        if ":" in group:
            raise check.invalid(f"{at}.tag_groups[{k}] '{group}' is a group: no colon")
    check.each_once(groups, at + ".tag_groups[{n}]")
    agg = check.one_of(
        sent.stat_value_agg_type,
        resources_pb2.StatValueAggType.values(),
        f"{at}.stat_value_agg_type",
    )
    time_agg = check.one_of(
        sent.stat_time_agg_type,
        resources_pb2.StatTimeAggType.values(),
        f"{at}.stat_time_agg_type",
    )
    start = check.time(sent.start_time, f"{at}.start_time") if sent.HasField("start_time") else None
    end = check.time(sent.end_time, f"{at}.end_time") if sent.HasField("end_time") else None
    if start is not None and end is not None and start > end:
        raise check.invalid(f"{at}.start_time is after {at}.end_time")
    return Query(
        tags=[_tag(t, f"{at}.tags[{k}]") for k, t in enumerate(sent.tags)],
        groups=groups,
        agg=agg,
        bucket=TIME_BUCKETS.get(time_agg),
        start=start,
        end=end,
    )


@rpc
async def PostStatValuesAggregate(call: Call, request: service_pb2.PostStatValuesAggregateRequest):
    check.batch(request.stat_value_aggregate_queries, "stat_value_aggregate_queries")
    queries = [
        _query(q, f"stat_value_aggregate_queries[{n}]")
        for n, q in enumerate(request.stat_value_aggregate_queries)
    ]
    results = []
    for sent, query in zip(request.stat_value_aggregate_queries, queries, strict=True):
        found = await call.store.stat_values.aggregate(query)
        results.append(
            resources_pb2.StatValueAggregateResult(
                stat_value_aggregate_query=sent,
                stat_value_aggregates=[
                    resources_pb2.StatValueAggregate(
                        time=ts(a.time), aggregate_value=a.value, count=a.count, tags=a.tags
                    )
                    for a in found
                ],
            )
        )
    return service_pb2.MultiStatValueAggregateResponse(stat_value_aggregate_results=results)
