"""The model types this server knows (ListModelTypes, GetModelType), shaped as
the reference shapes them: what a model of the type takes and gives (Data
field names, so workflows can check a chain), whether users may create and
train one, and the fields (ModelTypeField) its output_info and train_info are
configured by.

Three kinds: built-in types (clarifai/main's models run them; PostModels
refuses them), operators (created by PostModels, configured by
output_info.params, run by server/runtimes.py under `operator:<id>`) and
trainable classifiers (a logistic-regression head fitted by server/training.py
over the embeddings of the app's annotated inputs). The train_info.params
below are the names server/training.py reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clarifai.api import resources_pb2
from google.protobuf import struct_pb2

FieldType = resources_pb2.ModelTypeField.ModelTypeFieldType

# The classifier head the trainer fits: the one option of train_info.params.template.
TEMPLATE = "logistic-regression"


@dataclass(frozen=True)
class Option:
    """One choice of an ENUM field (ModelTypeEnumOption); `numbers` are the
    integer aliases a client may send instead of the id."""

    id: str
    description: str = ""
    numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class FieldSpec:
    path: str
    field_type: int
    description: str
    default: Any = None
    placeholder: str = ""
    options: tuple[Option, ...] = ()
    # (min, max, step) of a RANGE or NUMBER field.
    range: tuple[float, float, float] | None = None
    required: bool = False

    def to_proto(self) -> resources_pb2.ModelTypeField:
        out = resources_pb2.ModelTypeField(
            path=self.path,
            field_type=self.field_type,
            description=self.description,
            placeholder=self.placeholder or self.path.rsplit(".", 1)[-1],
            required=self.required,
            model_type_enum_options=[
                resources_pb2.ModelTypeEnumOption(
                    id=o.id,
                    description=o.description,
                    aliases=[resources_pb2.ModelTypeEnumOptionAlias(id_int=n) for n in o.numbers],
                )
                for o in self.options
            ],
        )
        if self.default is not None:
            out.default_value.CopyFrom(_value(self.default))
        if self.range is not None:
            low, high, step = self.range
            out.model_type_range_info.CopyFrom(
                resources_pb2.ModelTypeRangeInfo(min=low, max=high, step=step)
            )
        return out


def _value(value: Any) -> struct_pb2.Value:
    holder = struct_pb2.Struct()
    holder.update({"v": value})
    return holder.fields["v"]


@dataclass(frozen=True)
class ModelTypeSpec:
    id: str
    title: str
    description: str
    input_fields: tuple[str, ...]
    output_fields: tuple[str, ...]
    trainable: bool = False
    creatable: bool = False
    # "operator:<id>" for an operator; "" otherwise (built-ins name their
    # runtime per model in server/main_app.py, trained versions carry an artifact).
    runtime: str = ""
    fields: tuple[FieldSpec, ...] = field(default=())
    evaluation_type: int = resources_pb2.EvaluationType.Undefined
    # The embeddings a trainable type's head is fitted over (a runtime key).
    embedder: str = ""

    @property
    def operator(self) -> bool:
        return self.runtime.startswith("operator:")

    def to_proto(self) -> resources_pb2.ModelType:
        return resources_pb2.ModelType(
            id=self.id,
            title=self.title,
            description=self.description,
            input_fields=list(self.input_fields),
            output_fields=list(self.output_fields),
            trainable=self.trainable,
            creatable=self.creatable,
            model_type_fields=[f.to_proto() for f in self.fields],
            evaluation_type=self.evaluation_type,
        )


# ---- trainable classifiers: what they learn and the hyper-parameters the trainer honours ----

HEAD_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "output_info.data",
        FieldType.ARRAY_OF_CONCEPTS,
        "The concepts the model learns: the app's concepts, each with annotated inputs.",
        placeholder="concepts",
        required=True,
    ),
    FieldSpec(
        "output_info.output_config.concepts_mutually_exclusive",
        FieldType.BOOLEAN,
        "Whether an input has exactly one of the concepts (one softmax head) rather than "
        "any number of them (one binary head per concept).",
        default=False,
        placeholder="concepts mutually exclusive",
    ),
    FieldSpec(
        "train_info.params.template",
        FieldType.ENUM,
        "The head fitted over the embeddings.",
        default=TEMPLATE,
        placeholder="template",
        options=(
            Option(TEMPLATE, "Logistic regression (scikit-learn, lbfgs) over the embeddings."),
        ),
    ),
    FieldSpec(
        "train_info.params.C",
        FieldType.NUMBER,
        "Inverse regularisation strength: smaller values fit the examples less closely.",
        default=1.0,
        placeholder="1.0",
        range=(0.0001, 1000.0, 0.0001),
    ),
    FieldSpec(
        "train_info.params.max_iter",
        FieldType.NUMBER,
        "Most solver iterations before the fit stops.",
        default=200,
        placeholder="200",
        range=(10, 10000, 1),
    ),
    FieldSpec(
        "train_info.params.class_weight",
        FieldType.ENUM,
        "'balanced' weighs each concept's examples inversely to how many there are; "
        "'none' weighs every example alike.",
        default="none",
        placeholder="class weight",
        options=(Option("none", "Every example counts alike."), Option("balanced")),
    ),
    FieldSpec(
        "train_info.params.min_examples",
        FieldType.NUMBER,
        "Fewest positive examples a concept needs; fewer fails training.",
        default=1,
        placeholder="1",
        range=(1, 1000, 1),
    ),
    FieldSpec(
        "train_info.params.dataset_version_id",
        FieldType.DATASET_VERSION_ID,
        "Train on this dataset version's inputs only (else on all the app's annotated inputs).",
        placeholder="dataset version id",
    ),
)


def _classifier(type_id: str, title: str, description: str, embedder: str, data: str):
    return ModelTypeSpec(
        id=type_id,
        title=title,
        description=description,
        input_fields=(data,),
        output_fields=("concepts",),
        trainable=True,
        creatable=True,
        # The SDK sends no template for an embedding classifier (and refuses
        # one), but needs one for the others.
        fields=tuple(
            f
            for f in HEAD_FIELDS
            if type_id != "embedding-classifier" or not f.path.endswith(".template")
        ),
        evaluation_type=resources_pb2.EvaluationType.Classification,
        embedder=embedder,
    )


# ---- operators: their configuration is output_info.params (and .data) ----


def _operator(
    type_id: str,
    title: str,
    description: str,
    inputs: tuple[str, ...],
    outputs: tuple[str, ...],
    fields: tuple[FieldSpec, ...],
) -> ModelTypeSpec:
    return ModelTypeSpec(
        id=type_id,
        title=title,
        description=description,
        input_fields=inputs,
        output_fields=outputs,
        creatable=True,
        runtime=f"operator:{type_id}",
        fields=fields,
    )


def _param(name: str, field_type: int, description: str, **more: Any) -> FieldSpec:
    return FieldSpec(f"output_info.params.{name}", field_type, description, **more)


THRESHOLD_TYPES = (
    Option("GREATER_THAN", "value > threshold", (1,)),
    Option("GREATER_THAN_OR_EQUAL", "value >= threshold", (2,)),
    Option("LESS_THAN", "value < threshold", (3,)),
    Option("LESS_THAN_OR_EQUAL", "value <= threshold", (4,)),
    Option("EQUAL", "value == threshold", (5,)),
)
ANNOTATION_STATUSES = (
    Option("ANNOTATION_SUCCESS", "", (24150,)),
    Option("ANNOTATION_PENDING", "", (24151,)),
    Option("ANNOTATION_AWAITING_REVIEW", "", (24157,)),
    Option("ANNOTATION_AWAITING_CONSENSUS_REVIEW", "", (24159,)),
)

OPERATORS: tuple[ModelTypeSpec, ...] = (
    _operator(
        "concept-thresholder",
        "Concept Thresholder",
        "Keeps the input's concepts whose value passes their threshold; an input with none "
        "left is dropped.",
        ("concepts",),
        ("concepts",),
        (
            FieldSpec(
                "output_info.data",
                FieldType.ARRAY_OF_CONCEPTS_WITH_THRESHOLD,
                "The concepts to keep, each with its threshold as value.",
                placeholder="concepts",
            ),
            _param(
                "concept_threshold_type",
                FieldType.ENUM,
                "How a value compares with its threshold.",
                default="GREATER_THAN",
                options=THRESHOLD_TYPES,
            ),
        ),
    ),
    _operator(
        "random-sample",
        "Random Sample",
        "Passes each input on with probability keep_fraction.",
        ("any",),
        ("any",),
        (
            _param(
                "keep_fraction",
                FieldType.RANGE,
                "Share of inputs passed on.",
                default=1.0,
                range=(0.0, 1.0, 0.01),
            ),
        ),
    ),
    _operator(
        "annotation-writer",
        "Annotation Writer",
        "Writes the concepts and regions it receives as annotations of the input.",
        ("any",),
        ("any",),
        (
            _param(
                "annotation_status",
                FieldType.ENUM,
                "Status of the written annotations.",
                default="ANNOTATION_SUCCESS",
                options=ANNOTATION_STATUSES,
            ),
            _param("annotation_user_id", FieldType.STRING, "The user the annotations belong to."),
            _param("annotation_info", FieldType.JSON, "Kept as the annotations' annotation_info."),
            _param("task_id", FieldType.STRING, "The labeling task the annotations belong to."),
        ),
    ),
    _operator(
        "concept-synonym-mapper",
        "Concept Synonym Mapper",
        "Maps each concept to its synonyms in the app's knowledge graph.",
        ("concepts",),
        ("concepts",),
        (
            _param(
                "knowledge_graph_id",
                FieldType.STRING,
                "The knowledge graph whose synonym relations are followed.",
            ),
        ),
    ),
    _operator(
        "image-crop",
        "Image Crop",
        "Crops the image to each region it receives.",
        ("regions",),
        ("regions",),
        (
            _param(
                "margin",
                FieldType.NUMBER,
                "Extra share of the box's size kept around it on each side.",
                default=0.0,
                range=(0.0, 10.0, 0.01),
            ),
        ),
    ),
    _operator(
        "regex-based-classifier",
        "Regex Based Classifier",
        "Gives the text its concepts when the regular expression matches it.",
        ("text",),
        ("concepts",),
        (
            FieldSpec(
                "output_info.data",
                FieldType.ARRAY_OF_CONCEPTS,
                "The concepts given on a match.",
                placeholder="concepts",
            ),
            _param("regex", FieldType.STRING, "A Python regular expression.", required=True),
        ),
    ),
    _operator(
        "language-id-operator",
        "Language Identification Operator",
        "Gives the text's languages as concepts (ISO 639-1 codes).",
        ("text",),
        ("concepts",),
        (
            _param("library", FieldType.STRING, "The identifier used.", default="fasttext"),
            _param("topk", FieldType.NUMBER, "Most languages given.", default=1, range=(1, 200, 1)),
            _param(
                "threshold",
                FieldType.RANGE,
                "Least probability given.",
                default=0.0,
                range=(0.0, 1.0, 0.01),
            ),
            _param("lowercase", FieldType.BOOLEAN, "Lowercase the text first.", default=True),
        ),
    ),
    _operator(
        "object-counter",
        "Object Counter",
        "Counts the regions it receives into metadata.object_count.",
        ("regions",),
        ("metadata",),
        (),
    ),
)

BUILTINS: tuple[ModelTypeSpec, ...] = (
    ModelTypeSpec(
        "visual-detector",
        "Visual Detector",
        "Finds objects in an image: a region with a box and concepts per object. "
        "Built in only (clarifai/main's face-detection).",
        ("image",),
        ("regions",),
        evaluation_type=resources_pb2.EvaluationType.Detection,
    ),
    ModelTypeSpec(
        "visual-embedder",
        "Visual Embedder",
        "An image's embedding vector. Built in only (clarifai/main's general-image-embedding).",
        ("image",),
        ("embeddings",),
    ),
    ModelTypeSpec(
        "text-embedder",
        "Text Embedder",
        "A text's embedding vector. Built in only (clarifai/main's text-embedder).",
        ("text",),
        ("embeddings",),
    ),
    ModelTypeSpec(
        "optical-character-recognizer",
        "Optical Character Recognizer",
        "Reads the text in an image: a region per line with its text. Built in only "
        "(clarifai/main's ocr-scene-english-paddleocr).",
        ("image",),
        ("regions",),
    ),
)

CLASSIFIERS: tuple[ModelTypeSpec, ...] = (
    _classifier(
        "embedding-classifier",
        "Embedding Classifier",
        "Learns the app's concepts from its annotated images: a logistic-regression head "
        "fitted over the images' embeddings (general-image-embedding).",
        "image-embedding",
        "image",
    ),
    _classifier(
        "visual-classifier",
        "Visual Classifier",
        "Classifies images into concepts. Trained here as a logistic-regression head over the "
        "images' embeddings (general-image-embedding), not by fine-tuning a network.",
        "image-embedding",
        "image",
    ),
    _classifier(
        "text-classifier",
        "Text Classifier",
        "Classifies texts into concepts. Trained here as a logistic-regression head over the "
        "texts' sentence embeddings (text-embedder).",
        "text-embedding",
        "text",
    ),
)

TYPES: dict[str, ModelTypeSpec] = {t.id: t for t in (*CLASSIFIERS, *BUILTINS, *OPERATORS)}


def get(type_id: str) -> ModelTypeSpec | None:
    return TYPES.get(type_id)


def embedder_of(type_id: str) -> str:
    """The runtime whose vectors a trainable type learns from ("" for others)."""
    spec = TYPES.get(type_id)
    return spec.embedder if spec is not None else ""
