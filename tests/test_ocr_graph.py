"""The OCR models' graph rewrite (pipeline.read.ocr_graph) on small hand-built graphs:
the rewritten graph computes the same values with fewer operations."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from pipeline.read.ocr_graph import simplified_model, simplify_graph


def _constant(name: str, value: np.ndarray) -> onnx.NodeProto:
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(np.asarray(value, np.float32), name))


def lcnet_block(bias: bool = True) -> onnx.ModelProto:
    """Conv (weights from a Constant node, as Paddle exports them) → ×a → +b → hard swish
    written as x·clip(x+3, 0, 6)/6, then a second output that reads the conv's input."""
    rng = np.random.default_rng(12)
    weight = rng.normal(size=(4, 3, 3, 3)).astype(np.float32)
    nodes = [
        _constant("w", weight),
        _constant("a", [0.7]), _constant("b", [-0.4]),
        _constant("three", [3.0]), _constant("zero", [0.0]), _constant("six", [6.0]),
        helper.make_node("Conv", ["x", "w", "cb"] if bias else ["x", "w"], ["conv"], pads=[1, 1, 1, 1]),
        helper.make_node("Mul", ["conv", "a"], ["scaled"]),
        helper.make_node("Add", ["scaled", "b"], ["affine"]),
        helper.make_node("Add", ["affine", "three"], ["shifted"]),
        helper.make_node("Clip", ["shifted", "zero", "six"], ["clipped"]),
        helper.make_node("Mul", ["affine", "clipped"], ["product"]),
        helper.make_node("Div", ["product", "six"], ["y"]),
    ]
    initializers = [numpy_helper.from_array(rng.normal(size=4).astype(np.float32), "cb")] if bias else []
    graph = helper.make_graph(
        nodes, "block",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 8, 8])],
        initializer=initializers,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)], ir_version=8)


def run(model: onnx.ModelProto, x: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x})[0]


@pytest.mark.parametrize("bias", [True, False])
def test_rewritten_block_computes_the_same(bias: bool) -> None:
    model = lcnet_block(bias)
    x = np.random.default_rng(1).normal(scale=3, size=(1, 3, 8, 8)).astype(np.float32)
    expected = run(model, x)
    assert simplify_graph(model) == 2  # the affine after the conv, and the hard swish
    onnx.checker.check_model(model)
    ops = Counter(node.op_type for node in model.graph.node)
    assert ops == {"Conv": 1, "HardSigmoid": 1, "Mul": 1}  # the Constants (weights, a, b, 3, 0, 6) are read by no one now
    np.testing.assert_allclose(run(model, x), expected, rtol=1e-5, atol=1e-5)


def test_a_different_constant_is_left_alone() -> None:
    """x·clip(x+3, 0, 6)/5 is not a hard swish; a Mul read twice is not folded into the conv."""
    model = lcnet_block()
    for node in model.graph.node:
        if node.op_type == "Constant" and node.output[0] == "six":
            node.attribute[0].t.CopyFrom(numpy_helper.from_array(np.asarray([5.0], np.float32), "six"))
    model.graph.node.append(helper.make_node("Identity", ["scaled"], ["also"]))
    model.graph.output.append(helper.make_tensor_value_info("also", TensorProto.FLOAT, [1, 4, 8, 8]))
    assert simplify_graph(model) == 0


def test_the_rewrite_is_made_once_and_cached(tmp_path: Path) -> None:
    original = tmp_path / "block.onnx"
    onnx.save(lcnet_block(), str(original))
    first = simplified_model(original, tmp_path / "cache")
    assert first != original and first.parent == tmp_path / "cache"
    made = first.stat().st_mtime_ns
    assert simplified_model(original, tmp_path / "cache") == first and first.stat().st_mtime_ns == made
    assert list((tmp_path / "cache").iterdir()) == [first]  # no partial file left behind


def test_a_graph_with_nothing_to_rewrite_is_used_as_it_is(tmp_path: Path) -> None:
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"])], "plain",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])], [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])],
    )
    original = tmp_path / "plain.onnx"
    onnx.save(helper.make_model(graph), str(original))
    assert simplified_model(original, tmp_path / "cache") == original


def test_an_unwritable_cache_falls_back_to_the_original(tmp_path: Path) -> None:
    original = tmp_path / "block.onnx"
    onnx.save(lcnet_block(), str(original))
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert simplified_model(original, blocked / "cache") == original
