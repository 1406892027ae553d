"""Valid Werk24 answers built from the werk24 SDK's own pydantic v2 response models: the generator
and feeding half of the test oracle (issue 17).

The SDK (``werk24>=2.8``) defines what Werk24 may send; here polyfactory builds instances of
its nine v2 response models, so an answer is valid by construction and every field the SDK
defines appears in some answer. werk24_frames is then fed the *same* answers four ways (dicts,
SDK model objects, SDK ``TechreadMessage`` objects, and a JSON Lines file as ``werk24 techread``
writes it), and a test checks that the tables agree.

How an answer is made (:func:`build_answer`)
--------------------------------------------
1. polyfactory builds the model, seeded: the structure (which thread family, which enum members,
   list lengths 1-4, whether an optional is present) comes from the seed alone.
   ``full`` fills every optional; ``sparse`` lets polyfactory leave optionals ``None`` and then
   empties lists at random.
2. A value pass replaces polyfactory's arbitrary values where they would make the answer
   meaningless for werk24_frames: every ``unit`` becomes a spelling Werk24 writes for that kind
   of quantity (``mm``, ``millimeter``, ``MILLIMETER``, ``inch``, ``"``, ``µm``... chosen by
   ``size_type`` or by where the quantity sits), decimals become plausible numbers, ``reference_id``
   a small integer. With ``edges=True`` about a third of the leaves instead get an edge value the
   SDK accepts: extreme decimals, 64-bit edge integers, odd strings, unknown units.
3. The result is validated with the model (``model_validate``). An edge value a field rejects
   (a ``ge=1`` quantity given ``-1``, ``NaN`` where ``allow_inf_nan`` is off) is put back to its
   value from step 2, so *every answer validates against the SDK model*. The one deliberate
   exception is ``beyond_int64=True``: integers outside Int64 (``2**63``, ``-2**63-1``, ``2**64``)
   are valid for the SDK (a Python ``int``) but cannot be a table value; werk24_frames must report
   them. They are only drawn when asked for.

Why a seed and not ``st.builds``
--------------------------------
Hypothesis's ``st.builds``/``st.from_type`` does not know pydantic's constraints (``ge``, the
``seconds_p95 >= seconds_p50`` model validator, ``Literal`` discriminators of the thread union)
and would need a hand-written strategy per model, which is exactly the reading of the schema
the oracle must not depend on. polyfactory reads the models themselves. Its randomness is one
seeded ``random.Random``, so :func:`answers` draws the seed with ``st.integers``: hypothesis
controls and replays the example (the seed is printed on failure), it shrinks the seed rather
than the structure, and the same seed gives the same answer in any process.

Walking
-------
:func:`leaves` lists the ``(path, value)`` leaves of a JSON dump (``dimensions[3].size.value``),
:func:`schema_path` strips the indices (``dimensions[].size.value``), and :func:`sdk_leaf_paths`
lists every leaf path of a response model's *type* tree (``[]`` for list elements, every member
of a union walked), which a coverage test compares with ``wf.schema``.
"""

from __future__ import annotations

import enum
import functools
import math
import random
import re
import types
import typing
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import orjson
import pandas as pd
from faker import Faker
from hypothesis import strategies as st
from polyfactory import PostGenerated
from polyfactory.factories.pydantic_factory import ModelFactory
from pydantic import BaseModel, ValidationError
from werk24.models.v2 import responses as _r
from werk24.models.v2.internal import TechreadMessage
from werk24.models.v2.models import ProcessingTimeEstimate

import werk24_frames as wf

__all__ = [
    "BEYOND_INT64",
    "CUSTOM_OUTPUTS",
    "EDGE_DECIMALS",
    "EDGE_FLOATS",
    "EDGE_INTS",
    "EDGE_STRINGS",
    "FEEDERS",
    "MODELS",
    "UNITS",
    "UNKNOWN_UNITS",
    "Batch",
    "answers",
    "build_answer",
    "comparable",
    "feed_dicts",
    "feed_jsonl",
    "feed_messages",
    "feed_models",
    "leaves",
    "make_batch",
    "schema_path",
    "sdk_leaf_paths",
    "to_json_dict",
]

#: The nine v2 response models, by the ask type their answers carry.
MODELS: dict[str, type[BaseModel]] = {
    "META_DATA": _r.ResponseMetaDataComponentDrawing,
    "FEATURES": _r.ResponseFeaturesComponentDrawing,
    "INSIGHTS": _r.ResponseInsightsComponentDrawing,
    "REFERENCE_POSITIONS": _r.ResponseReferencePositions,
    "BALLOONS": _r.ResponseBalloons,
    "REDACTION": _r.ResponseRedaction,
    "DOCUMENT_PROFILE": _r.ResponseDocumentProfile,
    "PAGE_ASSESSMENT": _r.ResponsePageAssessment,
    "CUSTOM": _r.ResponseCustom,
}

#: Unit spellings Werk24 writes, by kind of quantity (every one is known to ``werk24_frames._units``).
UNITS: dict[str, tuple[str, ...]] = {
    "length": (
        "mm",
        "millimeter",
        "MILLIMETER",
        "Millimetre",
        "millimeters",
        "inch",
        "in",
        "INCH",
        "inches",
        '"',
        "µm",
        "um",
        "μm",  # Greek mu
        "micrometer",
        "cm",
        "m",
    ),
    "angle": ("deg", "degree", "DEGREE", "degrees", "°", "rad", "radian"),
    "mass": ("kg", "kilogram", "KILOGRAM", "g", "gram", "lb", "lbs", "pound", "oz"),
    "volume": ("cm³", "cm3", "ccm", "mm³", "mm3", "cubic millimeter", "in³", "in3", "m³", "l"),
    # A bill-of-material quantity ("3 pcs") has no unit werk24_frames converts.
    "count": ("pcs", "piece", "Stk.", ""),
}
#: Units no table knows (edge values): they must give a problem row, never a wrong number.
UNKNOWN_UNITS: tuple[str, ...] = ("", "furlong", "m m", "mm²", "MM.", " inch ")

#: Decimals the SDK accepts (as ``Decimal``); ``Infinity``/``NaN`` only where ``allow_inf_nan``.
EDGE_DECIMALS: tuple[str, ...] = (
    "0",
    "-0",
    "1.0",
    "1",
    "-12.5",
    "0.000000001",
    "1E-30",
    "1E+30",
    "1E+400",  # finite Decimal, infinite as a float
    "123456789012345678.123456789",
    "3.14159265358979323846264338327950288",
    "-999999999999",
    "Infinity",
    "-Infinity",
    "NaN",
)
#: Integers at the edges of Int64, all representable.
EDGE_INTS: tuple[int, ...] = (0, -1, 1, 2**31, -(2**31) - 1, 2**53 + 1, 2**63 - 1, -(2**63))
#: Integers the SDK accepts (any Python int) but no Int64 column can hold: werk24_frames must report them.
BEYOND_INT64: tuple[int, ...] = (2**63, -(2**63) - 1, 2**64)
EDGE_FLOATS: tuple[float, ...] = (5e-324, 1e-300, 0.1, 1e300)
#: Strings the SDK accepts: empty, blank, unicode, markup, separators, NA look-alikes, control characters (no NUL).
EDGE_STRINGS: tuple[str, ...] = (
    "",
    " ",
    "  padded  ",
    "Ø12 H7 ±0.1 ⌀ √Ra 1.6",
    "🔩 Schraube ÄÖÜß",
    "שלום",
    "|",
    "a|b|c",
    "<script>alert(1)</script>",
    "&amp; <b>bold</b>",
    "line\nbreak",
    "tab\tand\x0bvt\x1f\x7f",
    "NaN",
    "None",
    "NA",
    "null",
    "x" * 1000,
)

#: JSON values for CUSTOM's ``output`` (typed ``Any``: whatever the custom output returns).
CUSTOM_OUTPUTS: tuple[Any, ...] = (
    "text",
    "",
    3.5,
    -7,
    2**53 + 1,
    True,
    None,
    [],
    {},
    [1, "two", None, {"three": 3}],
    {"part": "WK-2401", "price": {"value": 12.5, "currency": "EUR"}, "tags": ["a", "b|c"]},
    {"nested": {"deeper": [{"x": None, "y": [1, [2, [3]]]}]}, "unicode": "Ø ±0.1 🔩"},
)

# Plausible values for fields whose content werk24_frames interprets.
_FITS = ("H7", "g6", "h11", "JS9", "k6", "ZC12", "H7/g6", "")
_GRADES = ("IT7", "7", "IT14", "12", "")

Batch = dict[str, list[BaseModel]]
Decimals = Literal["string", "number"]


# --------------------------------------------------------------------------------------
# polyfactory
# --------------------------------------------------------------------------------------


class _Placeholder(BaseModel):
    """polyfactory wants a model on every factory class; the base's is never built."""


class _Factory(ModelFactory[_Placeholder]):
    """The base of every factory made here: nested factories are made once per (model, sparse)
    and share one seeded ``random.Random`` and ``Faker`` per kind, so a build depends on the seed
    alone (and the global Faker of polyfactory is never reseeded)."""

    __model__ = _Placeholder

    @classmethod
    def _get_or_create_factory(cls, model: type[Any]) -> type[Any]:
        key = (model, cls.__allow_none_optionals__)
        made = _NESTED.get(key)
        if made is None:
            made = _NESTED[key] = super()._get_or_create_factory(model)
        return made

    @classmethod
    def get_provider_map(cls) -> dict[Any, Callable[[], Any]]:
        # polyfactory rebuilds this dict for every field (two thirds of the build time): kept per class.
        # Decimals are replaced by the value pass anyway, so a cheap one is made here.
        made = _PROVIDERS.get(cls)
        if made is None:
            made = _PROVIDERS[cls] = {
                **super().get_provider_map(),
                Decimal: lambda: Decimal(cls.__random__.randrange(1, 10_000)) / 100,
            }
        return made


_NESTED: dict[tuple[type, bool], type[Any]] = {}
_PROVIDERS: dict[type, dict[Any, Callable[[], Any]]] = {}


def _p95(name: str, values: dict[str, Any], *args: Any, **kwargs: Any) -> float:
    return float(values["seconds_p50"]) * 2.5


class _ProcessingTimeFactory(_Factory):
    """The SDK requires ``seconds_p95 >= seconds_p50`` (a model validator polyfactory cannot see)."""

    __model__ = ProcessingTimeEstimate
    seconds_p95 = PostGenerated(_p95)


_Factory.__base_factory_overrides__ = {ProcessingTimeEstimate: _ProcessingTimeFactory, BaseModel: _Factory}
# One random source per kind (full, sparse), shared by all its factories and reseeded in place.
_RANDOM = {False: (random.Random(0), Faker()), True: (random.Random(0), Faker())}


@functools.cache
def _factory(model: type[BaseModel], sparse: bool) -> type[ModelFactory[Any]]:
    rng, faker = _RANDOM[sparse]
    return _Factory.create_factory(
        model,
        __allow_none_optionals__=sparse,
        __randomize_collection_length__=True,
        __min_collection_length__=1,
        __max_collection_length__=4,
        __random__=rng,
        __faker__=faker,
    )


def _seed(sparse: bool, seed: int) -> None:
    rng, faker = _RANDOM[sparse]
    rng.seed(seed)
    faker.seed_instance(seed)


# --------------------------------------------------------------------------------------
# Building answers
# --------------------------------------------------------------------------------------

Path_ = tuple[str | int, ...]


def _unit_kind(path: Path_, node: Mapping[str, Any]) -> str:
    size_type = node.get("size_type")
    if size_type is not None:
        return "angle" if getattr(size_type, "value", size_type) == "ANGULAR" else "length"
    names = [p for p in path if isinstance(p, str)]
    last = names[-1] if names else ""
    if last in ("weight", "unit_weight"):
        return "mass"
    if last == "volume_estimate":
        return "volume"
    if last == "quantity":
        return "count"
    return "length"


def _plain_decimal(rng: random.Random, key: str) -> Decimal:
    if key == "score":
        return Decimal(f"{rng.uniform(0, 1):.2f}")
    if key == "quantity":  # Thread.quantity is a Decimal; Werk24 writes whole numbers ("1", "2.0")
        return Decimal(rng.choice(("1", "2", "4", "2.0", "12")))
    value = Decimal(f"{rng.uniform(0.01, 250):.{rng.choice((0, 1, 2, 3))}f}")
    if key == "deviation_lower":
        return -value / 100
    if key == "deviation_upper":
        return value / 100
    return value


class _Mutator:
    """Walks a python-mode dump and replaces values in place, remembering what it replaced."""

    def __init__(self, rng: random.Random, *, sparse: bool, edges: bool, beyond_int64: bool) -> None:
        self.rng = rng
        self.sparse = sparse
        self.edges = edges
        self.beyond_int64 = beyond_int64
        self.typical: dict[Path_, Any] = {}  # path -> value before the edge pass
        self.edged: set[Path_] = set()

    def _edge(self) -> bool:
        return self.edges and self.rng.random() < 0.3

    def visit(self, node: Any, path: Path_ = ()) -> None:
        if isinstance(node, dict):
            items: Iterable[tuple[Any, Any]] = list(node.items())
        else:
            if self.sparse and self.rng.random() < 0.5:
                self.typical[path] = list(node)
                node.clear()
                return
            items = list(enumerate(node))
        for key, value in items:
            if isinstance(value, tuple):  # center, coordinates, material_category: edited as lists
                node[key] = value = list(value)
            if _container(value):
                self.visit(value, (*path, key))
            else:
                node[key] = self.leaf(node, key, (*path, key))

    def leaf(self, parent: Any, key: str | int, path: Path_) -> Any:
        value = parent[key]
        rng = self.rng
        name = key if isinstance(key, str) else ""
        if value is None or isinstance(value, (bool, enum.Enum)):
            return value
        new = value
        if name == "unit" and isinstance(parent, dict):
            kind = _unit_kind(path[:-1], parent)
            new = rng.choice(UNITS[kind])
            if self._edge():
                self.typical[path] = new
                self.edged.add(path)
                return rng.choice(UNKNOWN_UNITS + UNITS[kind])
            return new
        if isinstance(value, Decimal):
            new = _plain_decimal(rng, name)
            edge = Decimal(rng.choice(EDGE_DECIMALS))
        elif isinstance(value, int):
            new = rng.randrange(0, 200) if name == "reference_id" else value
            pool = EDGE_INTS + (BEYOND_INT64 if self.beyond_int64 else ())
            edge = rng.choice(pool)
        elif isinstance(value, float):
            new = value
            edge = rng.choice(EDGE_FLOATS)
        elif isinstance(value, str):
            new = {"fit": rng.choice(_FITS), "tolerance_grade": rng.choice(_GRADES)}.get(name, value)
            edge = rng.choice(EDGE_STRINGS)
        else:
            return value
        if self._edge():
            self.typical[path] = new
            self.edged.add(path)
            return edge
        return new


def _container(value: Any) -> bool:
    return isinstance(value, (dict, list))


def _real_prefix(doc: Any, loc: tuple[Any, ...]) -> Path_:
    """The part of a pydantic error location that is a path in ``doc`` (union member names and
    validator tags dropped)."""
    out: list[str | int] = []
    node = doc
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, (list, tuple)) and isinstance(part, int) and 0 <= part < len(node)
        ):
            out.append(part)
            node = node[part]
    return tuple(out)


def _restore(doc: Any, path: Path_, value: Any) -> None:
    node = doc
    for part in path[:-1]:
        node = node[part]
    target = node[path[-1]] if path else node
    if isinstance(target, list) and isinstance(value, list):
        target[:] = value
    else:
        node[path[-1]] = value


def build_answer(
    model: type[BaseModel] | str,
    seed: int,
    *,
    sparse: bool = False,
    edges: bool = False,
    beyond_int64: bool = False,
) -> BaseModel:
    """One valid answer of ``model`` (a response class or its ask type), the same for the same arguments.

    Parameters
    ----------
    model
        One of :data:`MODELS` (or its key, e.g. ``"FEATURES"``).
    seed
        Everything random follows from it.
    sparse
        Optionals left ``None`` and lists emptied at random (else every optional is filled and
        every list has 1-4 items).
    edges
        About a third of the leaves get an edge value (see the module docstring).
    beyond_int64
        Also draw integers outside Int64 (valid for the SDK; werk24_frames must report them).

    Returns
    -------
    pydantic.BaseModel
        An instance of ``model`` that passed ``model.model_validate``.
    """
    cls = MODELS[model] if isinstance(model, str) else model
    factory = _factory(cls, sparse)
    _seed(sparse, seed)
    built = factory.build()
    doc = built.model_dump(mode="python")
    mutator = _Mutator(random.Random(seed), sparse=sparse, edges=edges, beyond_int64=beyond_int64)
    mutator.visit(doc)
    if "output" in doc and cls is _r.ResponseCustom:
        doc["output"] = mutator.rng.choice(CUSTOM_OUTPUTS)
    for _ in range(20):
        try:
            return cls.model_validate(doc)
        except ValidationError as exc:
            bad = {_real_prefix(doc, tuple(e["loc"])) for e in exc.errors()}
            undo = [p for p in mutator.typical if any(p[: len(b)] == b for b in bad)]
            if not undo:
                break
            for p in sorted(undo, key=len):
                _restore(doc, p, mutator.typical.pop(p))
    # Fall back to the typical values everywhere (always valid: only units, plain decimals and
    # small reference ids were put in, which no SDK constraint rejects).
    for p in sorted(mutator.typical, key=len):
        _restore(doc, p, mutator.typical[p])
    return cls.model_validate(doc)


def answers(
    model: type[BaseModel] | str, *, sparse: bool = False, edges: bool = False, beyond_int64: bool = False
) -> st.SearchStrategy[BaseModel]:
    """A hypothesis strategy of :func:`build_answer` answers (the seed is what hypothesis draws).

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(answers("BALLOONS"))
    ... def test(answer): assert answer.ask_type == "BALLOONS"
    """
    return st.integers(0, 2**32 - 1).map(
        lambda seed: build_answer(model, seed, sparse=sparse, edges=edges, beyond_int64=beyond_int64)
    )


def make_batch(
    models: Iterable[type[BaseModel] | str] | type[BaseModel] | str,
    seed: int,
    *,
    drawings: int = 3,
    sparse: bool = False,
    edges: bool = False,
    beyond_int64: bool = False,
) -> Batch:
    """``drawings`` drawings, each with one answer of every given model: ``{request_id: [answers]}``.

    Drawing ids are UUID4 strings (a ``TechreadMessage`` needs one as ``request_id``) in sorted
    order, so every feeder yields the drawings in the same order.
    """
    if isinstance(models, (str, type)):
        models = [models]
    models = list(models)
    rng = random.Random(seed)
    ids = sorted(str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(drawings))
    batch: Batch = {}
    for d, did in enumerate(ids):
        batch[did] = [
            build_answer(m, seed * 1000 + d * 17 + k, sparse=sparse, edges=edges, beyond_int64=beyond_int64)
            for k, m in enumerate(models)
        ]
    return batch


# --------------------------------------------------------------------------------------
# Serialising
# --------------------------------------------------------------------------------------


def _numbers(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _numbers(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_numbers(v) for v in obj]
    if isinstance(obj, Decimal):
        if not obj.is_finite():
            return str(obj)  # JSON has no Infinity/NaN: the SDK writes these as strings
        exponent = obj.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= 0 and abs(obj) < 10**18:
            return int(obj)
        as_float = float(obj)
        return as_float if math.isfinite(as_float) else str(obj)  # 1E+400 stays a string
    if isinstance(obj, enum.Enum):
        return obj.value
    return obj


def to_json_dict(answer: BaseModel, decimals: Decimals = "string", *, exclude_defaults: bool = False) -> dict[str, Any]:
    """The answer as a JSON-shaped dict: decimals as strings (how the SDK dumps them) or as JSON numbers.

    Examples
    --------
    >>> a = build_answer("BALLOONS", 1)
    >>> to_json_dict(a)["ask_type"]
    'BALLOONS'
    """
    if decimals == "string":
        return answer.model_dump(mode="json", exclude_defaults=exclude_defaults)
    # mode="python" keeps the Decimals; everything else (enums, tuples) is made JSON-shaped here.
    py = answer.model_dump(mode="python", exclude_defaults=exclude_defaults)
    out = _numbers(py)
    assert isinstance(out, dict)
    return out


def _message(did: str, answer: BaseModel, payload: Any = None) -> TechreadMessage:
    return TechreadMessage(
        request_id=uuid.UUID(did),
        message_type="ASK",
        message_subtype=getattr(answer, "ask_type"),  # noqa: B009 - the base model has no ask_type
        page_number=0,
        payload_dict=answer if payload is None else payload,
    )


# --------------------------------------------------------------------------------------
# Feeders: the same answers into werk24_frames four ways
# --------------------------------------------------------------------------------------


def feed_dicts(batch: Batch, decimals: Decimals = "string") -> wf.Corpus:
    """``wf.from_responses`` with JSON-shaped dicts."""
    return wf.from_responses({did: [to_json_dict(a, decimals) for a in ans] for did, ans in batch.items()})


def feed_models(batch: Batch) -> wf.Corpus:
    """``wf.from_responses`` with the SDK model objects themselves."""
    return wf.from_responses({did: list(ans) for did, ans in batch.items()})


def feed_messages(batch: Batch) -> wf.Corpus:
    """``wf.from_messages`` with SDK ``TechreadMessage`` objects (drawing id = ``request_id``)."""
    return wf.from_messages([_message(did, a) for did, ans in batch.items() for a in ans])


def feed_jsonl(batch: Batch, folder: Path, decimals: Decimals = "string") -> wf.Corpus:
    """``wf.load`` of one ``<request_id>.jsonl`` per drawing in ``folder``, one message a line.

    With ``decimals="string"`` each line is what ``werk24 techread`` prints
    (``message.model_dump_json(exclude={"payload_bytes"})``); with ``"number"`` the decimals are
    JSON numbers.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for did, ans in batch.items():
        lines = []
        for a in ans:
            msg = _message(did, a)
            if decimals == "string":
                lines.append(msg.model_dump_json(exclude={"payload_bytes"}).encode())
            else:
                d = msg.model_dump(mode="json", exclude={"payload_bytes"})
                d["payload_dict"] = to_json_dict(a, "number")
                lines.append(_dumps_big(d))
        (folder / f"{did}.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    return wf.load(folder)


def _dumps_big(obj: Any) -> bytes:
    """orjson, falling back to the standard library for integers beyond 64 bits."""
    try:
        return orjson.dumps(obj)
    except TypeError:
        import json

        return json.dumps(obj, ensure_ascii=False, allow_nan=False).encode()


FEEDERS: dict[str, Callable[..., wf.Corpus]] = {
    "dicts": feed_dicts,
    "models": feed_models,
    "messages": feed_messages,
    "jsonl": feed_jsonl,
}


#: Where an answer sits in its input, as problem locations begin (``[0]: BALLOONS``,
#: ``line 3: INSIGHTS``, ``object 2 (line 9)``): it names the place in the file or list, so it
#: differs between feedings by design.
_PLACE = re.compile(r"^(\[\d+\]|line \d+|object \d+ \(line \d+\))(: |$)")


def comparable(corpus: wf.Corpus, drop: Iterable[str] = ("source", "request_id")) -> dict[str, pd.DataFrame]:
    """Every table as it must not depend on how the answers were fed.

    Dropped: ``source`` (the file or ``<memory>``) and ``request_id`` (only messages carry one);
    a problem's ``location`` loses the place of the answer in its input (``[1]: `` or
    ``line 1: ``), keeping the ask and JSON path. Rows are put in drawing order (a stable sort,
    so the order within a drawing is kept) and the index is reset.
    """
    dropped = set(drop)
    out = {}
    for name, df in corpus.tables().items():
        df = df.drop(columns=[c for c in df.columns if c in dropped])
        if name == "problems" and len(df):
            df = df.assign(location=df["location"].str.replace(_PLACE, "", regex=True))
        if "drawing_id" in df.columns and len(df):
            df = df.sort_values("drawing_id", kind="mergesort")
        out[name] = df.reset_index(drop=True)
    return out


# --------------------------------------------------------------------------------------
# Walking dumps and models
# --------------------------------------------------------------------------------------

_INDEX = re.compile(r"\[\d+\]")


def _scalar_list(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and not any(isinstance(v, dict) or not _scalar_list_item(v) for v in value)


def _scalar_list_item(value: Any) -> bool:
    return not isinstance(value, (list, tuple, dict)) or _scalar_list(value)


def leaves(obj: Any, prefix: str = "", stop: Iterable[str] = ()) -> list[tuple[str, Any]]:
    """The ``(path, value)`` leaves of a JSON dump, paths with indices: ``dimensions[3].size.value``.

    A leaf is a scalar (``None`` included) or a list holding no object (``center``, ``coordinates``,
    ``process_category``): the SDK types those as one field. Empty lists and objects give no leaf.
    Descent also stops at any path in ``stop`` (schema-style, without indices), e.g. pass
    ``sdk_leaf_paths(model)`` so that the ``Any``-typed ``output`` of CUSTOM is one leaf.

    Examples
    --------
    >>> leaves({"balloons": [{"reference_id": 1, "center": [3, 4]}]})
    [('balloons[0].reference_id', 1), ('balloons[0].center', [3, 4])]
    """
    stops = frozenset(stop)
    out: list[tuple[str, Any]] = []
    _walk(obj, prefix, stops, out)
    return out


def _walk(obj: Any, path: str, stops: frozenset[str], out: list[tuple[str, Any]]) -> None:
    if path and schema_path(path) in stops:
        out.append((path, obj))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            _walk(v, f"{path}.{k}" if path else str(k), stops, out)
    elif isinstance(obj, (list, tuple)) and not (obj and _scalar_list(obj)):
        for i, v in enumerate(obj):
            _walk(v, f"{path}[{i}]", stops, out)
    else:
        out.append((path, obj))


def schema_path(path: str) -> str:
    """A leaf path without its indices: ``dimensions[3].size.value`` → ``dimensions[].size.value``."""
    return _INDEX.sub("[]", path)


def _unwrap(tp: Any) -> list[Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return [t for a in args if a is not type(None) for t in _unwrap(a)]
    if origin is typing.Annotated:
        return _unwrap(args[0])
    return [tp]


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def sdk_leaf_paths(model: type[BaseModel] | str) -> set[str]:
    """Every leaf path of a response model's field tree, schema-style (``threads[].uts_size``).

    Optional/Union/Annotated are unwrapped and every union member walked; ``[]`` marks the
    elements of a list or tuple of models; a leaf is a field whose type is no model (a list of
    scalars is one leaf). A model met again below itself is marked ``(recursive)`` and not walked.

    Examples
    --------
    >>> sorted(sdk_leaf_paths("BALLOONS"))
    ['ask_type', 'ask_version', 'balloons[].center', 'balloons[].reference_id']
    """
    cls = MODELS[model] if isinstance(model, str) else model
    out: set[str] = set()
    _walk_model(cls, "", out, (cls,))
    return out


def _walk_model(model: type[BaseModel], prefix: str, out: set[str], stack: tuple[type, ...]) -> None:
    for name, field in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        for tp in _unwrap(field.annotation):
            for sub, inner in _element_models(tp, path):
                if inner is None:
                    out.add(sub)
                elif inner in stack:
                    out.add(f"{sub} (recursive)")
                else:
                    _walk_model(inner, sub, out, (*stack, inner))


def _element_models(tp: Any, path: str) -> Iterator[tuple[str, type[BaseModel] | None]]:
    """``(path, model)`` for each model ``tp`` holds (``path[]`` inside lists), or ``(path, None)`` for a leaf."""
    origin = typing.get_origin(tp)
    if origin in (list, tuple, set, frozenset):
        inner = [t for a in typing.get_args(tp) if a is not Ellipsis for t in _unwrap(a)]
        models = [t for t in inner if _is_model(t)]
        if not models:
            yield path, None
        for m in models:
            yield f"{path}[]", m
    elif _is_model(tp):
        yield path, tp
    else:
        yield path, None
