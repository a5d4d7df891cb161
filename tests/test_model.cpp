// Model packages: rdf.yaml v0.4/v0.5 parsing, the bioimage.io processing operations against
// hand-computed values, weight loading errors, and validate-model.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include <ATen/ATen.h>

#include "model_fixtures.h"
#include "nativeseg/error.h"
#include "nativeseg/model.h"
#include "nativeseg/npy.h"
#include "nativeseg/processing.h"
#include "nativeseg/rdf.h"

using namespace nativeseg;

namespace {

// A v0.5 description as the spec writes it (bioimage.io spec, model/v0_5.py), with our
// config.nativeseg block and fields NativeSeg does not use (they must be ignored).
const char* kRdf05 = R"(
format_version: 0.5.3
type: model
id: affable-shark
name: Nuclei U-Net
description: Segments nuclei.
version: 1.2.0
license: MIT
documentation: README.md
timestamp: 2024-01-01T00:00:00
authors:
  - name: Ada Lovelace
    affiliation: Analytical Engines
    orcid: 0000-0002-1825-0097
  - {name: Alan Turing, github_user: aturing}
cite:
  - text: Ronneberger et al. U-Net
    doi: 10.1007/978-3-319-24574-4_28
  - {text: NativeSeg, url: "https://example.org/nativeseg"}
tags: [nuclei, unet]
covers: [cover.png]
inputs:
  - id: raw
    description: fluorescence
    axes:
      - type: batch
      - type: channel
        channel_names: [dapi]
      - type: space
        id: y
        size: {min: 64, step: 16}
        unit: micrometer
        scale: 0.25
      - type: space
        id: x
        size: {min: 64, step: 16}
    test_tensor: {source: test_input.npy, sha256: 0000}
    sample_tensor: {source: sample_input.tif}
    data: {type: float32, range: [null, null]}
    preprocessing:
      - id: scale_range
        kwargs: {axes: [x, y], min_percentile: 1.0, max_percentile: 99.5, eps: 1.0e-6}
      - id: ensure_dtype
        kwargs: {dtype: float32}
outputs:
  - id: prob
    axes:
      - type: batch
      - type: channel
        channel_names: [background, foreground]
      - type: space
        id: y
        size: {tensor_id: raw, axis_id: y}
        halo: 16
      - type: space
        id: x
        size: {tensor_id: raw, axis_id: x, offset: -8}
        halo: 16
    test_tensor: {source: test_output.npy, sha256: 1111}
    data: {type: float32}
    postprocessing:
      - id: softmax
        kwargs: {axis: channel}
weights:
  pytorch_state_dict:
    source: weights.pth
    architecture: {callable: UNet, source: unet.py}
  torchscript:
    source: weights.pt
    sha256: 2222
    pytorch_version: "1.13"
config:
  bioimageio:
    reproducibility_tolerance:
      - {absolute_tolerance: 0.01, relative_tolerance: 0.0, mismatched_elements_per_million: 10}
  nativeseg:
    channels: [background, foreground]
    threshold: 0.4
    object_min_size: 300
    seed_min_size: 40
    temporal_window: 5
    temporal_mode: causal
    temporal_padding: replicate
    normalize: percentile
  other_tool: {anything: [1, 2, 3]}
)";

// The same kind of model as v0.4 writes it (model/v0_4.py).
const char* kRdf04 = R"(
format_version: 0.4.10
type: model
name: old-style
description: v0.4 model
license: CC-BY-4.0
documentation: README.md
authors: [{name: Grace Hopper}]
cite: [{text: Paper, doi: 10.1/x}]
timestamp: 2021-01-01T00:00:00
test_inputs: [in.npy]
test_outputs: [out.npy]
sample_inputs: [sample.npy]
inputs:
  - name: input0
    axes: bcyx
    data_type: float32
    data_range: [-.inf, .inf]
    shape: {min: [1, 1, 32, 32], step: [0, 0, 8, 8]}
    preprocessing:
      - name: zero_mean_unit_variance
        kwargs: {mode: per_sample, axes: xy, eps: 1.0e-5}
      - name: zero_mean_unit_variance
        kwargs: {mode: fixed, axes: c, mean: [1.0], std: [2.0]}
outputs:
  - name: output0
    axes: bcyx
    data_type: float32
    data_range: [0, 1]
    shape: {reference_tensor: input0, scale: [1, 3, 1, 1], offset: [0, 0, -4, -4]}
    halo: [0, 0, 8, 8]
    postprocessing:
      - name: sigmoid
weights:
  torchscript:
    source: model.pt
    pytorch_version: "2.1"
)";

}  // namespace

// ---------------------------------------------------------------------------------------------
// Axis sizes

TEST(AxisSize, ParameterizedFixedAndAny) {
    const AxisSize p = AxisSize::parameterized(64, 16);
    EXPECT_TRUE(p.valid(64));
    EXPECT_TRUE(p.valid(96));
    EXPECT_FALSE(p.valid(70));
    EXPECT_FALSE(p.valid(48));
    EXPECT_EQ(p.at_least(10), 64);
    EXPECT_EQ(p.at_least(65), 80);
    EXPECT_EQ(p.at_most(95), 80);
    EXPECT_EQ(p.at_most(63), -1);
    const AxisSize f = AxisSize::of(128);
    EXPECT_EQ(f.at_least(100), 128);
    EXPECT_EQ(f.at_least(129), -1);
    EXPECT_EQ(f.at_most(200), 128);
    EXPECT_EQ(AxisSize::parameterized(32, 0).kind, AxisSize::Kind::Fixed);  // step 0 = fixed
    EXPECT_EQ(AxisSize::any().at_least(7), 7);
}

// ---------------------------------------------------------------------------------------------
// rdf.yaml

TEST(Rdf, ReadsV05) {
    const ModelDescription m = parse_model_description(kRdf05, "/models/shark", "/models/shark/rdf.yaml");
    EXPECT_EQ(m.format_version, "0.5.3");
    EXPECT_FALSE(m.is_v04());
    EXPECT_EQ(m.id, "affable-shark");
    EXPECT_EQ(m.name, "Nuclei U-Net");
    EXPECT_EQ(m.version, "1.2.0");
    EXPECT_EQ(m.license, "MIT");
    ASSERT_EQ(m.authors.size(), 2u);
    EXPECT_EQ(m.authors[0].orcid, "0000-0002-1825-0097");
    EXPECT_EQ(m.authors[1].github_user, "aturing");
    ASSERT_EQ(m.cite.size(), 2u);
    EXPECT_EQ(m.cite[0].doi, "10.1007/978-3-319-24574-4_28");
    EXPECT_EQ(m.cite[1].url, "https://example.org/nativeseg");
    EXPECT_EQ(m.tags, (std::vector<std::string>{"nuclei", "unet"}));

    ASSERT_EQ(m.inputs.size(), 1u);
    const TensorDesc& in = m.inputs[0];
    EXPECT_EQ(in.id, "raw");
    EXPECT_EQ(in.letters(), "bcyx");
    EXPECT_EQ(in.channels(), 1);
    EXPECT_EQ(in.axes[1].channel_names, std::vector<std::string>{"dapi"});
    EXPECT_EQ(in.axes[0].size.kind, AxisSize::Kind::Any);
    EXPECT_EQ(in.axis('y')->size.kind, AxisSize::Kind::Parameterized);
    EXPECT_EQ(in.axis('y')->size.min, 64);
    EXPECT_EQ(in.axis('x')->size.step, 16);
    EXPECT_EQ(in.test_tensor, "test_input.npy");
    EXPECT_EQ(in.sample_tensor, "sample_input.tif");
    EXPECT_EQ(in.data_type, "float32");
    ASSERT_EQ(in.processing.size(), 2u);
    EXPECT_EQ(in.processing[0].id, "scale_range");
    EXPECT_EQ(in.processing[0].axes, "xy");
    EXPECT_DOUBLE_EQ(in.processing[0].kwargs["max_percentile"].get<double>(), 99.5);
    EXPECT_EQ(in.processing[1].id, "ensure_dtype");

    const TensorDesc& out = m.outputs[0];
    EXPECT_EQ(out.letters(), "bcyx");
    EXPECT_EQ(out.channels(), 2);
    EXPECT_EQ(out.axis('y')->size.kind, AxisSize::Kind::Reference);
    EXPECT_EQ(out.axis('y')->size.ref_tensor, "raw");
    EXPECT_EQ(out.axis('x')->size.offset, -8);
    EXPECT_EQ(out.axis('y')->halo, 16);
    ASSERT_EQ(out.processing.size(), 1u);
    EXPECT_EQ(out.processing[0].id, "softmax");
    EXPECT_EQ(out.processing[0].axis, 'c');

    EXPECT_EQ(m.weights.source, "weights.pt");
    EXPECT_EQ(m.weights.pytorch_version, "1.13");
    EXPECT_EQ(m.weights_path(), "/models/shark/weights.pt");
    EXPECT_EQ(m.weight_formats.size(), 2u);
    EXPECT_EQ(m.halo('x'), 16);
    EXPECT_DOUBLE_EQ(*m.test_abs_tolerance, 0.01);
    EXPECT_DOUBLE_EQ(*m.test_mismatched_per_million, 10);

    EXPECT_EQ(m.nativeseg.channels, (std::vector<std::string>{"background", "foreground"}));
    EXPECT_DOUBLE_EQ(*m.nativeseg.threshold, 0.4);
    EXPECT_EQ(m.nativeseg.temporal_window, 5);
    EXPECT_EQ(*m.nativeseg.object_min_size, 300);
    EXPECT_EQ(*m.nativeseg.seed_min_size, 40);
    EXPECT_EQ(m.nativeseg.temporal_mode, "causal");
    EXPECT_EQ(m.nativeseg.normalize, "percentile");
    EXPECT_EQ(m.foreground_channel(), 1);
    const std::string info = model_info_text(m);
    EXPECT_NE(info.find("Nuclei U-Net"), std::string::npos);
    EXPECT_NE(info.find("min 64, step 16"), std::string::npos);
    EXPECT_NE(info.find("temporal window: 5 frames"), std::string::npos);
    EXPECT_NE(info.find("suggested object_min_size: 300 px"), std::string::npos);
    EXPECT_NE(info.find("Ada Lovelace, Alan Turing"), std::string::npos);
}

TEST(Rdf, ReadsV04) {
    const ModelDescription m = parse_model_description(kRdf04, "/m", "/m/rdf.yaml");
    EXPECT_TRUE(m.is_v04());
    EXPECT_EQ(m.name, "old-style");
    const TensorDesc& in = m.inputs[0];
    EXPECT_EQ(in.id, "input0");
    EXPECT_EQ(in.letters(), "bcyx");
    EXPECT_EQ(in.axis('c')->size.fixed, 1);
    EXPECT_EQ(in.axis('x')->size.min, 32);
    EXPECT_EQ(in.axis('x')->size.step, 8);
    // v0.4 batch sizes are not binding (the 0.5 converter frees them too).
    EXPECT_EQ(in.axis('b')->size.kind, AxisSize::Kind::Any);
    EXPECT_EQ(in.test_tensor, "in.npy");
    EXPECT_EQ(in.sample_tensor, "sample.npy");
    ASSERT_EQ(in.processing.size(), 2u);
    EXPECT_EQ(in.processing[0].id, "zero_mean_unit_variance");
    EXPECT_EQ(in.processing[0].axes, "xy");
    EXPECT_EQ(in.processing[0].mode, "per_sample");
    EXPECT_EQ(in.processing[1].id, "fixed_zero_mean_unit_variance");  // mode: fixed
    EXPECT_EQ(in.processing[1].axis, 'c');
    const TensorDesc& out = m.outputs[0];
    EXPECT_EQ(out.test_tensor, "out.npy");
    EXPECT_EQ(out.axis('c')->size.ref_scale, 3.0);
    EXPECT_EQ(out.axis('y')->size.offset, -8);  // v0.4: output = input * scale + 2 * offset
    EXPECT_EQ(out.axis('x')->halo, 8);
    EXPECT_EQ(out.processing[0].id, "sigmoid");
    EXPECT_EQ(m.weights.source, "model.pt");
    EXPECT_EQ(m.halo('y'), 8);
    EXPECT_EQ(m.nativeseg.temporal_window, 1);
}

namespace {
std::string error_of(const std::string& yaml) {
    try {
        parse_model_description(yaml, "/m", "/m/rdf.yaml");
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}
std::string replace(std::string s, const std::string& from, const std::string& to) {
    const auto p = s.find(from);
    EXPECT_NE(p, std::string::npos) << from;
    if (p != std::string::npos) s.replace(p, from.size(), to);
    return s;
}
}  // namespace

TEST(Rdf, MissingRequiredFieldsAreNamed) {
    EXPECT_EQ(error_of(replace(kRdf05, "format_version: 0.5.3", "")),
              "/m/rdf.yaml: missing required field 'format_version'");
    EXPECT_EQ(error_of(replace(kRdf05, "name: Nuclei U-Net", "")), "/m/rdf.yaml: missing required field 'name'");
    EXPECT_NE(error_of(replace(kRdf04, "    axes: bcyx\n    data_type: float32\n    data_range: [-.inf, .inf]\n    shape",
                               "    data_type: float32\n    shape"))
                  .find("missing required field 'inputs[0].axes'"),
              std::string::npos);
    EXPECT_NE(error_of(replace(kRdf05, "    test_tensor: {source: test_output.npy, sha256: 1111}\n", ""))
                  .find("'outputs[0].test_tensor'"),
              std::string::npos);
    EXPECT_NE(error_of(replace(kRdf05, "        channel_names: [dapi]\n", "")).find("'inputs[0].axes[1].channel_names'"),
              std::string::npos);
    EXPECT_NE(error_of(replace(kRdf04, "test_outputs: [out.npy]\n", "")).find("'test_outputs'"), std::string::npos);
}

TEST(Rdf, BadContentIsExplained) {
    EXPECT_NE(error_of("inputs: [unclosed").find("malformed YAML at line 1"), std::string::npos);
    EXPECT_NE(error_of("- just\n- a list\n").find("not a model description"), std::string::npos);
    EXPECT_NE(error_of(replace(kRdf05, "0.5.3", "0.3.2")).find("0.3.2 is not supported"), std::string::npos);
    EXPECT_NE(error_of(replace(kRdf05, "  torchscript:\n    source: weights.pt\n    sha256: 2222\n    pytorch_version: \"1.13\"\n",
                               ""))
                  .find("no TorchScript weights (it has: pytorch_state_dict)"),
              std::string::npos);
    EXPECT_NE(error_of(replace(kRdf05, "id: softmax", "id: watershed")).find("unsupported processing 'watershed'"),
              std::string::npos);
    EXPECT_NE(error_of(replace(kRdf05, "size: {min: 64, step: 16}\n        unit", "size: big\n        unit"))
                  .find("'inputs[0].axes[2].size': expected an integer"),
              std::string::npos);
    EXPECT_NE(error_of(replace(kRdf05, "object_min_size: 300", "object_min_size: -3"))
                  .find("config.nativeseg.object_min_size"),
              std::string::npos);
    EXPECT_NE(error_of(replace(kRdf05, "temporal_mode: causal", "temporal_mode: sideways")).find("temporal_mode"),
              std::string::npos);
    EXPECT_NE(error_of(replace(kRdf05, "tensor_id: raw, axis_id: y", "tensor_id: nope, axis_id: y"))
                  .find("refers to tensor 'nope'"),
              std::string::npos);
}

TEST(Rdf, ReadsFoldersAndLooksUpIds) {
    const std::string dir = fixtures::fresh_dir("rdf_folder/models/my-model");
    fixtures::write_text(dir + "/rdf.yaml", kRdf05);
    // The weights file is missing: named in the message.
    try {
        read_model_description(dir);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("the weights file 'weights.pt'"), std::string::npos) << e.what();
    }
    fixtures::write_text(dir + "/weights.pt", "x");
    EXPECT_EQ(read_model_description(dir).name, "Nuclei U-Net");
    EXPECT_THROW(read_model_description(dir + "/nothing"), Error);
    // Ids: $NATIVESEG_MODELS first.
    const std::string root = std::filesystem::path(dir).parent_path().string();
    setenv("NATIVESEG_MODELS", ("/no/such:" + root).c_str(), 1);
    EXPECT_EQ(find_model("my-model"), root + "/my-model");
    try {
        find_model("unknown-model");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("looked in /no/such, " + root), std::string::npos) << e.what();
    }
    unsetenv("NATIVESEG_MODELS");
}

// ---------------------------------------------------------------------------------------------
// Processing operations against values computed by hand (numpy semantics).

namespace {
ProcessingStep step(const std::string& id, const std::string& axes, nlohmann::json kwargs = nlohmann::json::object(),
                    char axis = 0) {
    ProcessingStep s;
    s.id = id;
    s.axes = axes;
    s.kwargs = std::move(kwargs);
    s.axis = axis;
    return s;
}
at::Tensor t(std::vector<float> v, std::vector<int64_t> shape) { return at::tensor(v).reshape(shape); }
void expect_values(const at::Tensor& x, const std::vector<double>& want, double tol = 1e-6) {
    const at::Tensor f = x.to(at::kDouble).reshape({-1});
    ASSERT_EQ(f.numel(), static_cast<int64_t>(want.size()));
    for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(f[static_cast<int64_t>(i)].item<double>(), want[i], tol) << i;
}
}  // namespace

TEST(Processing, PercentileIsNumpyLinear) {
    const at::Tensor a = t({1, 2, 3, 4, 10}, {5});
    expect_values(percentile_linear(a, {0}, 50), {3});
    expect_values(percentile_linear(a, {0}, 99.1), {9.784});  // pos 3.964: 4 + 0.964 * 6
    expect_values(percentile_linear(a, {0}, 0.1), {1.004});   // pos 0.004
    expect_values(percentile_linear(a, {0}, 100), {10});
    // Per row of a 2x3 matrix.
    expect_values(percentile_linear(t({3, 1, 2, 10, 30, 20}, {2, 3}), {1}, 25), {1.5, 15});
}

TEST(Processing, ScaleRangePerChannel) {
    // Two channels of 11 values: 0..10 and 0..100.
    std::vector<float> v;
    for (int i = 0; i <= 10; ++i) v.push_back(static_cast<float>(i));
    for (int i = 0; i <= 10; ++i) v.push_back(static_cast<float>(10 * i));
    const at::Tensor x = t(v, {1, 2, 1, 11});
    const at::Tensor y = apply_step(x, "bcyx", step("scale_range", "xy", {{"min_percentile", 10}, {"max_percentile", 90}}));
    // Channel 0: p10 = 1, p90 = 9 → (x - 1) / (8 + 1e-6); channel 1: (x - 10) / (80 + 1e-6).
    EXPECT_NEAR(y[0][0][0][0].item<double>(), -1.0 / (8 + 1e-6), 1e-6);
    EXPECT_NEAR(y[0][0][0][10].item<double>(), 9.0 / (8 + 1e-6), 1e-6);
    EXPECT_NEAR(y[0][1][0][10].item<double>(), 90.0 / (80 + 1e-6), 1e-6);
    EXPECT_EQ(y.scalar_type(), at::kFloat);
    // Over all axes jointly (axes empty): p0 = 0, p100 = 100.
    const at::Tensor z = apply_step(x, "bcyx", step("scale_range", ""));
    EXPECT_NEAR(z[0][0][0][10].item<double>(), 10.0 / (100 + 1e-6), 1e-6);
}

TEST(Processing, ZeroMeanUnitVarianceAndFixed) {
    const at::Tensor x = t({1, 2, 3, 4}, {1, 1, 2, 2});
    const double sd = std::sqrt(1.25);  // population std of 1..4
    expect_values(apply_step(x, "bcyx", step("zero_mean_unit_variance", "xy")),
                  {-1.5 / (sd + 1e-6), -0.5 / (sd + 1e-6), 0.5 / (sd + 1e-6), 1.5 / (sd + 1e-6)});
    const at::Tensor c2 = t({1, 2, 3, 4}, {1, 2, 1, 2});
    expect_values(apply_step(c2, "bcyx",
                             step("fixed_zero_mean_unit_variance", "", {{"mean", {1.0, 2.0}}, {"std", {2.0, 4.0}}}, 'c')),
                  {0.0, 1 / (2 + 1e-6), 1 / (4 + 1e-6), 2 / (4 + 1e-6)});
}

TEST(Processing, ScaleLinearClipBinarizeSigmoid) {
    const at::Tensor c2 = t({1, 2, 3, 4}, {1, 2, 1, 2});
    expect_values(apply_step(c2, "bcyx", step("scale_linear", "", {{"gain", {2.0, 10.0}}, {"offset", {0.5, -1.0}}}, 'c')),
                  {2.5, 4.5, 29, 39});
    expect_values(apply_step(c2, "bcyx", step("scale_linear", "", {{"gain", 3}})), {3, 6, 9, 12});
    expect_values(apply_step(c2, "bcyx", step("clip", "", {{"min", 1.5}, {"max", 3.5}})), {1.5, 2, 3, 3.5});
    expect_values(apply_step(c2, "bcyx", step("clip", "", {{"max", 2}})), {1, 2, 2, 2});
    expect_values(apply_step(c2, "bcyx", step("binarize", "", {{"threshold", 2}})), {0, 0, 1, 1});
    expect_values(apply_step(c2, "bcyx", step("binarize", "", {{"threshold", {1.5, 3.5}}}, 'c')), {0, 1, 0, 1});
    expect_values(apply_step(t({0, 2}, {2}), "x", step("sigmoid", "")), {0.5, 1.0 / (1.0 + std::exp(-2.0))});
}

TEST(Processing, SoftmaxAlongChannels) {
    const at::Tensor x = t({0, 1, 0, std::log(3.0f)}, {1, 2, 1, 2});  // channel c, pixel p: x[c][p]
    // pixel 0: softmax(0, 0) = 0.5, 0.5; pixel 1: softmax(1, ln 3) = e/(e+3), 3/(e+3)
    const double e = std::exp(1.0);
    expect_values(apply_step(x, "bcyx", step("softmax", "", {}, 'c')), {0.5, e / (e + 3), 0.5, 3 / (e + 3)});
}

TEST(Processing, ScaleMeanVarianceMatchesReference) {
    const at::Tensor x = t({0, 2, 4, 6}, {1, 1, 2, 2});     // mean 3, std sqrt(5)
    const at::Tensor ref = t({10, 10, 12, 12}, {1, 1, 2, 2});  // mean 11, std 1
    std::map<std::string, LetteredTensor> refs{{"raw", {ref, "bcyx"}}};
    const double s = std::sqrt(5.0);
    const at::Tensor y =
        apply_step(x, "bcyx", step("scale_mean_variance", "xy", {{"reference_tensor", "raw"}, {"eps", 0}}), refs);
    expect_values(y, {11 - 3 / s, 11 - 1 / s, 11 + 1 / s, 11 + 3 / s}, 1e-5);
    EXPECT_THROW(apply_step(x, "bcyx", step("scale_mean_variance", "xy", {{"reference_tensor", "other"}}), refs), Error);
}

TEST(Processing, EnsureDtypeTruncatesLikeNumpy) {
    const at::Tensor y = apply_step(t({1.7f, 2.2f, 255.0f}, {3}), "x", step("ensure_dtype", "", {{"dtype", "uint8"}}));
    EXPECT_EQ(y.scalar_type(), at::kByte);
    expect_values(y, {1, 2, 255});
    EXPECT_THROW(apply_step(t({1}, {1}), "x", step("ensure_dtype", "", {{"dtype", "complex64"}})), Error);
}

TEST(Processing, ChainConvertsToFloat) {
    const at::Tensor x = at::arange(4, at::kInt).reshape({1, 1, 2, 2});
    const at::Tensor y = apply_processing(x, "bcyx", {step("scale_linear", "", {{"gain", 0.5}}), step("clip", "", {{"max", 1}})});
    EXPECT_EQ(y.scalar_type(), at::kFloat);
    expect_values(y, {0, 0.5, 1, 1});
}

// ---------------------------------------------------------------------------------------------
// Weights and validation

namespace {

// y = 2 * x + 1 as a 1x1 convolution; preprocessing zero-mean/unit-variance, postprocessing sigmoid.
std::string rdf_for_validation(const std::string& version) {
    if (version == "0.4")
        return R"(
format_version: 0.4.9
type: model
name: affine
description: 2x+1
authors: [{name: Test}]
cite: [{text: none}]
license: MIT
documentation: README.md
timestamp: 2024-01-01T00:00:00
test_inputs: [test_input.npy]
test_outputs: [test_output.npy]
inputs:
  - name: raw
    axes: bcyx
    data_type: float32
    shape: {min: [1, 1, 8, 8], step: [0, 0, 4, 4]}
    preprocessing:
      - name: zero_mean_unit_variance
        kwargs: {mode: per_sample, axes: xy}
outputs:
  - name: out
    axes: bcyx
    data_type: float32
    shape: {reference_tensor: raw, scale: [1, 1, 1, 1], offset: [0, 0, 0, 0]}
    postprocessing:
      - name: sigmoid
weights:
  torchscript: {source: weights.pt}
)";
    return R"(
format_version: 0.5.3
type: model
name: affine
description: 2x+1
authors: [{name: Test}]
cite: [{text: none}]
license: MIT
documentation: README.md
inputs:
  - id: raw
    axes:
      - {type: batch}
      - {type: channel, channel_names: [c0]}
      - {type: space, id: y, size: {min: 8, step: 4}}
      - {type: space, id: x, size: {min: 8, step: 4}}
    test_tensor: {source: test_input.npy}
    preprocessing:
      - {id: zero_mean_unit_variance, kwargs: {axes: [x, y]}}
outputs:
  - id: out
    axes:
      - {type: batch}
      - {type: channel, channel_names: [p]}
      - {type: space, id: y, size: {tensor_id: raw, axis_id: y}}
      - {type: space, id: x, size: {tensor_id: raw, axis_id: x}}
    test_tensor: {source: test_output.npy}
    postprocessing:
      - {id: sigmoid}
weights:
  torchscript: {source: weights.pt, pytorch_version: "1.13"}
)";
}

// Writes the package with a test output computed independently: sigmoid(2 * z + 1), z the
// standardised input.
std::string affine_package(const std::string& name, const std::string& version, float perturb = 0) {
    const std::string dir = fixtures::fresh_dir(name);
    auto m = fixtures::make_module("def forward(self, x):\n    return torch.conv2d(x, self.w, self.b)\n",
                                   {{"w", at::full({1, 1, 1, 1}, 2.0)}, {"b", at::full({1}, 1.0)}});
    m.save(dir + "/weights.pt");
    fixtures::write_text(dir + "/rdf.yaml", rdf_for_validation(version));
    at::manual_seed(3);
    const at::Tensor x = at::rand({1, 1, 16, 12}) * 100;
    const at::Tensor z = (x.to(at::kDouble) - x.to(at::kDouble).mean()) / (x.to(at::kDouble).std(false) + 1e-6);
    at::Tensor y = at::sigmoid(2 * z + 1).to(at::kFloat);
    if (perturb != 0) y.view({-1})[37] += perturb;
    write_npy(dir + "/test_input.npy", make_npy_f32({1, 1, 16, 12}, std::vector<float>(x.data_ptr<float>(), x.data_ptr<float>() + x.numel())));
    y = y.contiguous();
    write_npy(dir + "/test_output.npy", make_npy_f32({1, 1, 16, 12}, std::vector<float>(y.data_ptr<float>(), y.data_ptr<float>() + y.numel())));
    return dir;
}

}  // namespace

TEST(Validation, PassesWithinTheTolerance) {
    for (const std::string v : {"0.4", "0.5"}) {
        const std::string dir = affine_package("validate_ok_" + v, v, 5e-4f);  // inside 1e-3 + 1e-3 |ref|
        const ValidationResult r = validate_model(dir);
        EXPECT_TRUE(r.passed) << v << "\n" << validation_text(r);
        ASSERT_EQ(r.outputs.size(), 1u);
        EXPECT_EQ(r.outputs[0].mismatched, 0);
        EXPECT_EQ(r.device, "cpu");
        EXPECT_EQ(validation_text(r).rfind("PASS", 0), 0u);
    }
}

TEST(Validation, FailsAndShowsTheWorstDifference) {
    const std::string dir = affine_package("validate_bad", "0.5", 0.25f);
    const ValidationResult r = validate_model(dir);
    EXPECT_FALSE(r.passed);
    ASSERT_EQ(r.outputs.size(), 1u);
    EXPECT_EQ(r.outputs[0].mismatched, 1);
    EXPECT_EQ(r.outputs[0].allowed, 0);  // 192 values: 100 per million allows none
    ASSERT_FALSE(r.outputs[0].worst.empty());
    EXPECT_EQ(r.outputs[0].worst[0].index, "(0, 0, 3, 1)");  // flat index 37 in 16 x 12
    EXPECT_NEAR(r.outputs[0].max_abs_difference, 0.25, 1e-5);
    const std::string text = validation_text(r);
    EXPECT_EQ(text.rfind("FAIL", 0), 0u);
    EXPECT_NE(text.find("at (0, 0, 3, 1)"), std::string::npos) << text;
}

TEST(Validation, ShapeMismatchIsReported) {
    const std::string dir = affine_package("validate_shape", "0.5");
    write_npy(dir + "/test_output.npy", make_npy_f32({1, 1, 2, 2}, {0, 0, 0, 0}));
    const ValidationResult r = validate_model(dir);
    EXPECT_FALSE(r.passed);
    EXPECT_NE(r.outputs[0].problem.find("shape (1, 1, 16, 12) differs"), std::string::npos) << r.outputs[0].problem;
}

TEST(Weights, UnloadableWeightsSayWhy) {
    const std::string dir = affine_package("weights_bad", "0.5");
    fixtures::write_text(dir + "/weights.pt", "this is not a zip archive");
    try {
        Model m(dir);
        FAIL() << "no error";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(dir + "/weights.pt: the TorchScript weights cannot be loaded by LibTorch"), std::string::npos)
            << msg;
        EXPECT_NE(msg.find("not a TorchScript archive"), std::string::npos) << msg;
    }
    // A newer producer named in the rdf: the message says which LibTorch is needed.
    std::string rdf = rdf_for_validation("0.5");
    rdf.replace(rdf.find("pytorch_version: \"1.13\""), 23, "pytorch_version: \"9.1\"");
    fixtures::write_text(dir + "/rdf.yaml", rdf);
    // A real archive that LibTorch rejects: a state dict-like zip without TorchScript code.
    {
        auto m = fixtures::make_module("def forward(self, x):\n    return x\n");
        m.save(dir + "/weights.pt");
        // Corrupt the code record's bytes so the load fails but the archive stays a zip.
        std::fstream f(dir + "/weights.pt", std::ios::in | std::ios::out | std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        const auto p = bytes.find("def forward");
        ASSERT_NE(p, std::string::npos);
        f.seekp(static_cast<std::streamoff>(p));
        f.write("xxx forward", 11);
    }
    try {
        Model m(dir);
        FAIL() << "no error";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("saved with PyTorch 9.1"), std::string::npos) << msg;
        EXPECT_NE(msg.find("LibTorch >= 9.1"), std::string::npos) << msg;
    }
}

TEST(Weights, LoadsAndDescribes) {
    const std::string dir = affine_package("weights_ok", "0.4");
    const Model m(dir);
    EXPECT_EQ(m.description().name, "affine");
    EXPECT_EQ(m.description().inputs[0].letters(), "bcyx");
}
