"""The rules a labeling task's settings must follow, checked before the task
is stored: enum values, the worker strategy (FULL, PARTITIONED, DYNAMIC), the
review strategy (NONE, MANUAL, CONSENSUS), the input source and the status.

A task's workers are users (worker.type WORKER_HUMAN) or one model or
workflow (WORKER_AUTO: an auto-annotating task, server/auto_annotation.py).
A type left unset is read from the workers, as the docs' auto-annotation
example sends a model worker without one; the task is stored with it set.
An auto-annotating task takes what the docs' example uses: strategy FULL,
review NONE, and each concept's auto_annotation_config (which predictions
become annotations, of which kinds, with which status).

`check_task` returns what the task refers to (users, concepts, a dataset or
input) so the caller can check those against the app; nothing here reads
the database. Several lists have deprecated names besides their current
field (worker.user_ids and users for workers[].user, review.user_ids for
users, concept_ids for concepts) and the consensus threshold one
(approval_threshold for approval_threshold_labelers): each is accepted,
stored under the current name (`stored_form`) and read back under all of
them (`fill_every_name`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from clarifai.api import resources_pb2
from clarifai.api.status import status_code_pb2
from google.protobuf import struct_pb2
from google.protobuf.message import Message

from server.status import ApiError, Code

Task = resources_pb2.Task
Worker = resources_pb2.TaskWorker
Review = resources_pb2.TaskReview
Partitioned = resources_pb2.TaskWorkerPartitionedStrategyInfo
Source = resources_pb2.TaskInputSource
StatusCode = status_code_pb2.StatusCode

# The codes a task itself can carry (its life cycle), as opposed to the
# codes of responses about tasks.
TASK_STATUSES = frozenset(
    {
        StatusCode.TASK_IN_PROGRESS,
        StatusCode.TASK_DONE,
        StatusCode.TASK_WONT_DO,
        StatusCode.TASK_FAILED,
        StatusCode.TASK_IDLE,
    }
)
DEFAULT_STATUS = StatusCode.TASK_IN_PROGRESS

# The statuses an auto-annotating task may write its annotations with
# (TaskConceptAutoAnnotationConfig.status_code; SUCCESS when unset).
AUTO_ANNOTATION_STATUSES = (
    StatusCode.ANNOTATION_SUCCESS,
    StatusCode.ANNOTATION_PENDING,
    StatusCode.ANNOTATION_AWAITING_REVIEW,
    StatusCode.ANNOTATION_AWAITING_CONSENSUS_REVIEW,
)
# annotation_data_types: a bit mask of these kinds.
TAG, BOUNDING_BOX, POLYGON, POINT, SPAN, MASK = 1, 2, 4, 8, 16, 32
ALL_KINDS = 63

# Input sources that name one object by id.
SOURCES_WITH_ID = {Source.SAVED_SEARCH, Source.DATASET, Source.INPUT}


@dataclass(frozen=True)
class AutoWorker:
    """An auto-annotating task's worker: a model or a workflow (`kind`), by
    id, with its version when one is named; `where` names it in details."""

    where: str
    kind: str
    id: str
    version_id: str = ""
    user_id: str = ""
    app_id: str = ""


@dataclass
class TaskRefs:
    """What a task names, each with the field that names it (for details)."""

    path: str
    workers: list[tuple[str, str]] = field(default_factory=list)
    # An auto-annotating task's model or workflow (None for a human task).
    auto: AutoWorker | None = None
    reviewers: list[tuple[str, str]] = field(default_factory=list)
    concepts: list[tuple[str, str]] = field(default_factory=list)
    input_source_type: int = 0
    input_source_id: str = ""

    @property
    def worker_ids(self) -> list[str]:
        return [u for _, u in self.workers]

    @property
    def reviewer_ids(self) -> list[str]:
        return [u for _, u in self.reviewers]


def invalid(details: str) -> ApiError:
    return ApiError(Code.CONN_INVALID_REQUEST, details)


def check_enums(msg: Message, path: str) -> None:
    """Every enum field set in `msg` (at any depth) holds a value its enum
    declares: a gRPC client can send any number. `path` names `msg` in
    details ("" for a request's own fields)."""
    for fd, value in msg.ListFields():
        name = f"{path}.{fd.name}" if path else fd.name
        repeated = fd.is_repeated
        if fd.enum_type is not None:
            for n, v in enumerate(value if repeated else [value]):
                if fd.enum_type.values_by_number.get(v) is None:
                    where = f"{name}[{n}]" if repeated else name
                    raise invalid(f"{where} {v} is not a {fd.enum_type.name} value")
        elif fd.message_type is not None and not fd.message_type.full_name.startswith(
            "google.protobuf."
        ):
            if fd.message_type.GetOptions().map_entry:
                continue
            for n, sub in enumerate(value if repeated else [value]):
                check_enums(sub, f"{name}[{n}]" if repeated else name)


def check_status(task: Task, path: str) -> int:
    """The task's status code, or 0 when none is given."""
    code = task.status.code
    if code and code not in TASK_STATUSES:
        names = ", ".join(StatusCode.Name(c) for c in sorted(TASK_STATUSES))
        raise invalid(f"{path}.status.code {code} is not a task status; use one of {names}")
    return code


def _users(pairs: list[tuple[str, str]], what: str) -> list[tuple[str, str]]:
    seen: set[str] = set()
    for where, user_id in pairs:
        if not user_id:
            raise invalid(f"{where} is required ({what} are named by user id)")
        if user_id in seen:
            raise invalid(f"{where} '{user_id}' is repeated")
        seen.add(user_id)
    return pairs


def one_list(
    forms: list[tuple[str, list[tuple[str, str]]]], what: str, path: str
) -> list[tuple[str, str]]:
    """One list sent under several names: the current field and the
    deprecated ones (`forms`, current first, each (field, [(where, id)])).
    Any of them may carry it, and a task read back carries it in all of them,
    so sending one back unchanged works; the names given must then agree
    (same ids), since one silently winning would drop the others. The
    current field's entries are the list (and name the places in details)."""
    given = [(name, pairs) for name, pairs in forms if pairs]
    if not given:
        return []
    name, chosen = given[0]
    ids = {v for _, v in chosen}
    for other, pairs in given[1:]:
        if {v for _, v in pairs} != ids:
            raise invalid(
                f"{path}.{other} and {path}.{name} name different {what}; {other} is a "
                f"deprecated name of {name}: send one of them, or both alike"
            )
    return chosen


def is_auto(worker: Worker) -> bool:
    """Whether the task auto-annotates: its type says so, or, left unset,
    its workers are models or workflows."""
    if worker.type != Worker.WORKER_TYPE_NOT_SET:
        return worker.type == Worker.WORKER_AUTO
    return any(w.WhichOneof("worker") in ("model", "workflow") for w in worker.workers)


def worker_users(worker: Worker, path: str) -> list[tuple[str, str]]:
    """The workers: workers[].user, or by the deprecated users[] or user_ids."""
    current = []
    for n, w in enumerate(worker.workers):
        kind = w.WhichOneof("worker")
        if kind in ("model", "workflow"):
            raise invalid(
                f"{path}.workers[{n}].{kind}: a {kind} worker auto-annotates; it needs "
                f"{path}.type WORKER_AUTO (a WORKER_HUMAN task takes users)"
            )
        if kind is None:
            raise invalid(f"{path}.workers[{n}].user is required")
        current.append((f"{path}.workers[{n}].user.id", w.user.id))
    forms = [
        ("workers", current),
        ("users", [(f"{path}.users[{n}].id", u.id) for n, u in enumerate(worker.users)]),
        ("user_ids", [(f"{path}.user_ids[{n}]", u) for n, u in enumerate(worker.user_ids)]),
    ]
    return one_list([(name, _users(pairs, "workers")) for name, pairs in forms], "workers", path)


def review_users(review: Review, path: str) -> list[tuple[str, str]]:
    """The reviewers: users[], or by the deprecated user_ids."""
    forms = [
        ("users", [(f"{path}.users[{n}].id", u.id) for n, u in enumerate(review.users)]),
        ("user_ids", [(f"{path}.user_ids[{n}]", u) for n, u in enumerate(review.user_ids)]),
    ]
    return one_list(
        [(name, _users(pairs, "reviewers")) for name, pairs in forms], "reviewers", path
    )


def check_partitioned(info: Partitioned, workers: list[str], path: str) -> None:
    """PARTITIONED splits the inputs among the workers: each input goes to
    workers_per_input of them, EVENLY or by WEIGHTED shares."""
    if info.type == Partitioned.PARTITIONED_WORKER_STRATEGY_NOT_SET:
        raise invalid(f"{path}.type is required: EVENLY or WEIGHTED")
    per_input = info.workers_per_input
    if not 1 <= per_input <= len(workers):
        raise invalid(
            f"{path}.workers_per_input {per_input} must be between 1 and the number of "
            f"workers ({len(workers)})"
        )
    weights = info.weights.fields
    if info.type == Partitioned.EVENLY:
        if weights:
            raise invalid(f"{path}.weights are only for type WEIGHTED")
        return
    check_weights(weights, workers, per_input, f"{path}.weights")


def check_weights(
    weights: Mapping[str, struct_pb2.Value], workers: list[str], per_input: int, path: str
) -> None:
    """WEIGHTED: one weight per worker, relative (9 and 1 mean 90% and 10%);
    since a worker labels an input at most once, no share may exceed
    1/workers_per_input."""
    _check_weight_values(weights, set(workers), path)
    for user_id in workers:
        if user_id not in weights:
            raise invalid(f"{path} has no weight for worker '{user_id}'")
    total = sum(v.number_value for v in weights.values())
    if total <= 0:
        raise invalid(f"{path}: at least one weight must be above 0")
    for user_id in workers:
        share = weights[user_id].number_value / total
        if share * per_input > 1 + 1e-9:
            raise invalid(
                f"{path}.{user_id}: a share of {share:.0%} is above "
                f"1/workers_per_input ({1 / per_input:.0%}); a worker labels an input once"
            )


def _check_weight_values(
    weights: Mapping[str, struct_pb2.Value], workers: set[str], path: str
) -> None:
    """Each weight names one of the workers and is a number, 0 or more."""
    for user_id, value in weights.items():
        where = f"{path}.{user_id}"
        if user_id not in workers:
            raise invalid(f"{where}: '{user_id}' is not one of the task's workers")
        if value.WhichOneof("kind") != "number_value":
            raise invalid(f"{where} must be a number")
        if value.number_value < 0:
            raise invalid(f"{where} {value.number_value:g} is negative")


def auto_worker(worker: Worker, path: str) -> AutoWorker:
    """An auto-annotating task's one worker, a model or a workflow, which
    annotates every input of the source (strategy FULL)."""
    if worker.strategy != Worker.FULL:
        raise invalid(
            f"{path}.strategy: an auto-annotating task's one worker annotates every input; use FULL"
        )
    for name in ("users", "user_ids"):
        if getattr(worker, name):
            raise invalid(
                f"{path}.{name}: an auto-annotating task takes a model or a workflow, not users"
            )
    if len(worker.workers) != 1:
        raise invalid(
            f"{path}.workers: an auto-annotating task takes exactly one worker, a model or a "
            f"workflow ({len(worker.workers)} given)"
        )
    where = f"{path}.workers[0]"
    kind = worker.workers[0].WhichOneof("worker")
    if kind not in ("model", "workflow"):
        raise invalid(
            f"{where}.model or {where}.workflow is required: an auto-annotating task "
            "(type WORKER_AUTO) takes no users"
        )
    sent = getattr(worker.workers[0], kind)
    if not sent.id:
        raise invalid(f"{where}.{kind}.id is required")
    version = sent.model_version.id if kind == "model" else sent.version.id
    return AutoWorker(f"{where}.{kind}", kind, sent.id, version, sent.user_id, sent.app_id)


def check_worker(worker: Worker, path: str) -> tuple[list[tuple[str, str]], AutoWorker | None]:
    """The task's users, or its auto-annotating worker."""
    strategy = worker.strategy
    if strategy == Worker.WORKER_STRATEGY_NOT_SET:
        raise invalid(f"{path}.strategy is required: FULL, PARTITIONED or DYNAMIC")
    has_info = worker.HasField("partitioned_strategy_info")
    if has_info and strategy != Worker.PARTITIONED:
        raise invalid(f"{path}.partitioned_strategy_info is only for strategy PARTITIONED")
    if is_auto(worker):
        return [], auto_worker(worker, path)
    users = worker_users(worker, path)
    if strategy == Worker.PARTITIONED:
        if not has_info:
            raise invalid(f"{path}.partitioned_strategy_info is required for PARTITIONED")
        check_partitioned(
            worker.partitioned_strategy_info,
            [u for _, u in users],
            f"{path}.partitioned_strategy_info",
        )
    return users, None


def check_review(review: Review, workers: int, path: str) -> list[tuple[str, str]]:
    """NONE approves labels at once; MANUAL has reviewers approve them;
    CONSENSUS approves when enough labelers agree and leaves the rest to the
    reviewers. MANUAL and CONSENSUS therefore need reviewers."""
    strategy = review.strategy
    if strategy == Review.TASK_REVIEW_STRATEGY_NOT_SET:
        raise invalid(f"{path}.strategy is required: NONE, MANUAL or CONSENSUS")
    users = review_users(review, path)
    info = review.WhichOneof("strategy_info")
    name = Review.TaskReviewStrategy.Name(strategy)
    wanted = {
        Review.NONE: None,
        Review.MANUAL: "manual_strategy_info",
        Review.CONSENSUS: "consensus_strategy_info",
    }[strategy]
    if info and info != wanted:
        raise invalid(f"{path}.{info} does not go with strategy {name}")
    if strategy == Review.NONE:
        return users
    if not users:
        raise invalid(f"{path}.users: strategy {name} needs at least one reviewer")
    if strategy == Review.MANUAL:
        if info:
            check_manual(review.manual_strategy_info, len(users), f"{path}.{info}")
        return users
    if not info:
        raise invalid(f"{path}.consensus_strategy_info is required for CONSENSUS")
    check_consensus(review.consensus_strategy_info, workers, len(users), f"{path}.{info}")
    return users


def check_manual(info: resources_pb2.TaskReviewManualStrategyInfo, reviewers: int, path: str):
    """Both fields are deprecated and kept as sent. sample_percentage: the
    share of inputs reviewed, above 0 and at most 1 (0 is unset).
    approval_threshold: how many reviewers approve an input, as
    approval_threshold_reviewers counts them for CONSENSUS (its named
    successor, which a MANUAL task cannot carry): -1 all, 0 or 1 one, N that
    many."""
    share = info.sample_percentage
    if share and not 0 < share <= 1:
        raise invalid(f"{path}.sample_percentage {share:g} must be above 0 and at most 1")
    check_reviewer_threshold(info.approval_threshold, reviewers, f"{path}.approval_threshold")


def check_reviewer_threshold(value: int, reviewers: int, where: str) -> None:
    if value < -1 or value > reviewers:
        raise invalid(
            f"{where} {value} must be -1 (all reviewers) or between 0 and the number of "
            f"reviewers ({reviewers})"
        )


def check_consensus(
    info: resources_pb2.TaskReviewConsensusStrategyInfo, workers: int, reviewers: int, path: str
) -> None:
    """approval_threshold (deprecated) and approval_threshold_labelers are
    one setting: how many labelers must agree. It is required and at most the
    number of workers. approval_threshold_reviewers: -1 all reviewers, 0 or
    1 one reviewer, N that many (at most the number of reviewers)."""
    legacy, labelers = info.approval_threshold, info.approval_threshold_labelers
    if legacy and labelers and legacy != labelers:
        raise invalid(
            f"{path}.approval_threshold {legacy} and approval_threshold_labelers {labelers} "
            "disagree; the first is the deprecated name of the second"
        )
    threshold = labelers or legacy
    name = "approval_threshold_labelers" if labelers else "approval_threshold"
    if threshold < 1:
        raise invalid(f"{path}.approval_threshold_labelers is required for CONSENSUS (1 or more)")
    if threshold > workers:
        raise invalid(
            f"{path}.{name} {threshold} must be between 1 and the number of workers ({workers})"
        )
    check_reviewer_threshold(
        info.approval_threshold_reviewers, reviewers, f"{path}.approval_threshold_reviewers"
    )


def check_input_source(source: Source, path: str) -> None:
    if source.type == Source.INPUT_SOURCE_TYPE_NOT_SET:
        raise invalid(f"{path}.type is required: ALL_INPUTS, SAVED_SEARCH, DATASET or INPUT")
    name = Source.TaskInputSourceType.Name(source.type)
    if source.type in SOURCES_WITH_ID and not source.id:
        raise invalid(f"{path}.id is required for type {name}")
    if source.type not in SOURCES_WITH_ID and source.id:
        raise invalid(f"{path}.id is only for SAVED_SEARCH, DATASET or INPUT, not {name}")


def concept_refs(task: Task, path: str) -> list[tuple[str, str]]:
    """The concepts: concepts[].concept, or by the deprecated concept_ids."""
    forms = [
        (
            "concepts",
            [
                (f"{path}.concepts[{n}].concept.id", c.concept.id)
                for n, c in enumerate(task.concepts)
            ],
        ),
        ("concept_ids", [(f"{path}.concept_ids[{n}]", c) for n, c in enumerate(task.concept_ids)]),
    ]
    for _, refs in forms:
        for where, concept_id in refs:
            if not concept_id:
                raise invalid(f"{where} is required")
    return one_list(forms, "concepts", path)


def check_auto_config(config: resources_pb2.TaskConceptAutoAnnotationConfig, path: str) -> None:
    """Which predictions of the concept become annotations: those whose
    value is in threshold_range (any value without one), as the kinds the
    annotation_data_types mask names, with status_code's status."""
    kinds = config.annotation_data_types
    if not 1 <= kinds <= ALL_KINDS:
        raise invalid(
            f"{path}.annotation_data_types {kinds} must be a mask of TAG 1, BOUNDING_BOX 2, "
            f"POLYGON 4, POINT 8, SPAN 16 and MASK 32 (1 to {ALL_KINDS})"
        )
    bounds = config.threshold_range
    for name in ("lower", "upper"):
        value = getattr(bounds, name)
        if not 0 <= value <= 1:  # NaN too
            raise invalid(f"{path}.threshold_range.{name} {value:g} must be between 0 and 1")
    if bounds.lower > bounds.upper:
        raise invalid(
            f"{path}.threshold_range: lower {bounds.lower:g} is above upper {bounds.upper:g}"
        )
    code = config.status_code
    if code and code not in AUTO_ANNOTATION_STATUSES:
        names = ", ".join(StatusCode.Name(c) for c in AUTO_ANNOTATION_STATUSES)
        raise invalid(f"{path}.status_code {code} is not one of {names}")


def check_concept_configs(task: Task, auto: bool, path: str) -> None:
    """An auto-annotating task names its concepts in concepts[], each with
    its auto_annotation_config; a human task carries none."""
    if auto and not task.concepts:
        raise invalid(
            f"{path}.concepts: an auto-annotating task needs at least one concept, each with "
            "its auto_annotation_config"
        )
    for n, concept in enumerate(task.concepts):
        where = f"{path}.concepts[{n}].auto_annotation_config"
        if not auto and concept.HasField("auto_annotation_config"):
            raise invalid(f"{where} is only for auto-annotating tasks (worker.type WORKER_AUTO)")
        if auto and not concept.HasField("auto_annotation_config"):
            raise invalid(f"{where} is required for an auto-annotating task")
        if auto:
            check_auto_config(concept.auto_annotation_config, where)


def check_task(task: Task, path: str) -> TaskRefs:
    """Checks a whole task (as PostTasks and an overwrite PatchTasks send it)
    and returns what it names."""
    check_enums(task, path)
    check_status(task, path)
    workers, auto = check_worker(task.worker, f"{path}.worker")
    if auto is not None and task.review.strategy != Review.NONE:
        raise invalid(
            f"{path}.review.strategy: an auto-annotating task takes NONE (its annotations "
            "get the status of each concept's auto_annotation_config.status_code)"
        )
    reviewers = check_review(task.review, len(workers), f"{path}.review")
    check_input_source(task.input_source, f"{path}.input_source")
    concepts = concept_refs(task, path)
    check_concept_configs(task, auto is not None, path)
    return TaskRefs(
        path=path,
        workers=workers,
        auto=auto,
        reviewers=reviewers,
        concepts=concepts,
        input_source_type=task.input_source.type,
        input_source_id=task.input_source.id,
    )


def check_status_change(task: Task, path: str) -> int:
    """A merge PatchTasks changes the status only: it carries the id and a
    status code, nothing else."""
    check_enums(task, path)
    others = sorted(fd.name for fd, _ in task.ListFields() if fd.name not in ("id", "status"))
    if others:
        raise invalid(
            f"{path}: action 'merge' changes only the status; {', '.join(others)} "
            "need action 'overwrite' (send the whole task)"
        )
    code = check_status(task, path)
    if not code:
        raise invalid(f"{path}.status.code is required for action 'merge'")
    return code


# ---- the deprecated names, in and out ----
# A task is stored in its current fields only: workers[].user, review.users,
# concepts, consensus approval_threshold_labelers. It is read back with each
# deprecated name filled from them as well (worker.users and user_ids,
# review.user_ids, concept_ids, consensus approval_threshold): the reference
# fills worker.users and review.users on reads (only the ids, unless more is
# asked for), and a client written against the docs' older examples reads the
# names it sent. Sending a read task back (PatchTasks overwrite) then names
# each list alike under every name, which one_list accepts.


def stored_form(task: Task, refs: TaskRefs) -> Task:
    """The checked task (naming `refs`) in its current fields only. Users
    are kept by id, as the reference shows them."""
    out = Task()
    out.CopyFrom(task)
    if refs.auto is not None:
        out.worker.type = Worker.WORKER_AUTO
    _set_users(out, refs.worker_ids, refs.reviewer_ids, every_name=False)
    if not out.concepts:
        _add_concepts(out, [c for _, c in refs.concepts])
    out.ClearField("concept_ids")
    if out.review.HasField("consensus_strategy_info"):
        info = out.review.consensus_strategy_info
        info.approval_threshold_labelers = (
            info.approval_threshold_labelers or info.approval_threshold
        )
        info.approval_threshold = 0
    return out


def fill_every_name(task: Task) -> None:
    """A stored task as it is read: each list under its current and its
    deprecated names. A task stored before tasks were kept in their current
    fields only may carry a deprecated name alone; it fills the others."""
    worker, review = task.worker, task.review
    workers = _first_filled(
        [w.user.id for w in worker.workers], [u.id for u in worker.users], list(worker.user_ids)
    )
    reviewers = _first_filled([u.id for u in review.users], list(review.user_ids))
    _set_users(task, workers, reviewers, every_name=True)
    if not task.concepts:
        _add_concepts(task, list(task.concept_ids))
    task.ClearField("concept_ids")
    task.concept_ids.extend(c.concept.id for c in task.concepts)
    if review.HasField("consensus_strategy_info"):
        info = review.consensus_strategy_info
        info.approval_threshold_labelers = (
            info.approval_threshold_labelers or info.approval_threshold
        )
        info.approval_threshold = info.approval_threshold_labelers


def _set_users(task: Task, workers: list[str], reviewers: list[str], *, every_name: bool) -> None:
    """The users in each of their fields; an auto-annotating task's model
    or workflow worker stays as it is."""
    worker, review = task.worker, task.review
    for name in ("users", "user_ids"):
        review.ClearField(name)
    review.users.extend(resources_pb2.User(id=u) for u in reviewers)
    if every_name:
        review.user_ids.extend(reviewers)
    if worker.type == Worker.WORKER_AUTO:
        return
    for name in ("workers", "users", "user_ids"):
        worker.ClearField(name)
    worker.workers.extend(resources_pb2.Worker(user=resources_pb2.User(id=u)) for u in workers)
    if every_name:
        worker.users.extend(resources_pb2.User(id=u) for u in workers)
        worker.user_ids.extend(workers)


def _add_concepts(task: Task, ids: list[str]) -> None:
    task.concepts.extend(
        resources_pb2.TaskConcept(concept=resources_pb2.Concept(id=c)) for c in ids
    )


def _first_filled(*lists: list[str]) -> list[str]:
    return next((ids for ids in lists if ids), [])
