"""The hand-built answers the tests use are valid against the werk24 SDK's own models."""

from __future__ import annotations

import builders
import pytest

responses = pytest.importorskip("werk24.models.v2.responses")


@pytest.mark.parametrize(
    ("make", "model"),
    [
        (builders.meta_data, "ResponseMetaDataComponentDrawing"),
        (builders.features, "ResponseFeaturesComponentDrawing"),
        (builders.insights, "ResponseInsightsComponentDrawing"),
        (builders.reference_positions, "ResponseReferencePositions"),
    ],
)
def test_builder_validates_against_sdk_model(make, model):
    cls = getattr(responses, model)
    parsed = cls.model_validate(make())
    # Nothing we rely on was dropped by the SDK: the lists keep their lengths.
    for key, value in make().items():
        if isinstance(value, list):
            assert len(getattr(parsed, key)) == len(value), key
