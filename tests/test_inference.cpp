// The predictor: tiling with a halo equals whole-image prediction, valid sizes, test-time
// augmentation, temporal windows, out-of-memory retries, devices, bad input; and the
// segment job end to end (streamed TIFF in, hyperstack out).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include <ATen/ATen.h>

#include "model_fixtures.h"
#include "nativeseg/error.h"
#include "nativeseg/model.h"
#include "nativeseg/predictor.h"
#include "nativeseg/segment.h"
#include "nativeseg/tiff_io.h"

using namespace nativeseg;

namespace {

struct RdfSpec {
    std::string name = "test";
    std::string in_axes = "bcyx";
    int in_channels = 1;
    int out_channels = 1;
    int min = 8, step = 1;  // x/y sizes: min + n*step
    int min_z = 4, step_z = 1;
    int halo = 0;
    std::string pre, post;   // YAML list items (v0.4 syntax)
    std::string config;      // the config.nativeseg block's lines
    std::string out_axes;    // default: the input's
};

// A v0.4 description (axis strings make the tensors' layouts easy to vary).
std::string rdf04(const RdfSpec& s) {
    const std::string out_axes = s.out_axes.empty() ? s.in_axes : s.out_axes;
    auto shape = [&](const std::string& axes, bool input) {
        std::string mins, steps, scale, offset, halo;
        for (char a : axes) {
            const bool first = mins.empty();
            auto add = [&](std::string& l, const std::string& v) { l += (first ? "" : ", ") + v; };
            std::string mn = "1", st = "0", sc = "1", hl = "0";
            if (a == 'c') mn = std::to_string(input ? s.in_channels : s.out_channels);
            if (a == 'c' && !input) sc = "0";
            if (a == 't') mn = "5";
            if (a == 'x' || a == 'y') mn = std::to_string(s.min), st = std::to_string(s.step), hl = std::to_string(s.halo);
            if (a == 'z') mn = std::to_string(s.min_z), st = std::to_string(s.step_z);
            add(mins, mn);
            add(steps, st);
            add(scale, sc);
            add(offset, a == 'c' && !input ? std::to_string(s.out_channels / 2.0) : "0");
            add(halo, hl);
        }
        if (input) return "    shape: {min: [" + mins + "], step: [" + steps + "]}\n";
        return "    shape: {reference_tensor: raw, scale: [" + scale + "], offset: [" + offset + "]}\n    halo: [" +
               halo + "]\n";
    };
    std::string r = "format_version: 0.4.10\ntype: model\nname: " + s.name +
                    "\ndescription: test\nauthors: [{name: T}]\ncite: [{text: T}]\nlicense: MIT\n"
                    "documentation: README.md\ntimestamp: 2024-01-01T00:00:00\n"
                    "test_inputs: [in.npy]\ntest_outputs: [out.npy]\n"
                    "inputs:\n  - name: raw\n    axes: " + s.in_axes + "\n    data_type: float32\n" + shape(s.in_axes, true);
    if (!s.pre.empty()) r += "    preprocessing:\n" + s.pre;
    r += "outputs:\n  - name: out\n    axes: " + out_axes + "\n    data_type: float32\n" + shape(out_axes, false);
    if (!s.post.empty()) r += "    postprocessing:\n" + s.post;
    r += "weights:\n  torchscript: {source: weights.pt}\n";
    if (!s.config.empty()) r += "config:\n  nativeseg:\n" + s.config;
    return r;
}

Model package(const std::string& dir_name, torch::jit::Module module, const RdfSpec& spec) {
    const std::string dir = fixtures::fresh_dir(dir_name);
    fixtures::write_package(dir, module, rdf04(spec));
    return Model(dir);
}

// Three 3x3 convolutions with fixed random weights and zero padding: receptive field
// radius 3 (a halo of 3 covers it).
torch::jit::Module conv3_module(int cin = 1, int cout = 1, unsigned seed = 1) {
    at::manual_seed(seed);
    return fixtures::make_module(
        "def forward(self, x):\n"
        "    y = torch.relu(torch.conv2d(x, self.w1, self.b1, 1, 1))\n"
        "    y = torch.relu(torch.conv2d(y, self.w2, self.b2, 1, 1))\n"
        "    return torch.conv2d(y, self.w3, self.b3, 1, 1)\n",
        {{"w1", at::randn({4, cin, 3, 3})},
         {"b1", at::randn({4}) * 0.1},
         {"w2", at::randn({4, 4, 3, 3}) * 0.5},
         {"b2", at::randn({4}) * 0.1},
         {"w3", at::randn({cout, 4, 3, 3}) * 0.5},
         {"b3", at::randn({cout}) * 0.1}});
}

Image image_from(const at::Tensor& t_in) {  // [T, Z, C, Y, X] float
    const at::Tensor t = t_in.to(at::kFloat).contiguous();
    Shape s;
    s.t = t.size(0);
    s.z = t.size(1);
    s.c = t.size(2);
    s.y = t.size(3);
    s.x = t.size(4);
    Image img(s, DType::F32);
    std::memcpy(img.bytes(), t.data_ptr<float>(), img.byte_size());
    return img;
}

at::Tensor tensor_from(const Image& img) {
    const Shape& s = img.shape();
    at::Tensor t = at::empty({s.t, s.z, s.c, s.y, s.x}, at::kFloat);
    std::memcpy(t.data_ptr<float>(), img.bytes(), img.byte_size());
    return t;
}

double max_diff(const Image& a, const Image& b) {
    EXPECT_EQ(a.shape(), b.shape());
    return (tensor_from(a) - tensor_from(b)).abs().max().item<double>();
}

// Largest difference relative to the largest value: convolutions of different sizes sum in
// different orders, so equal results agree to float rounding, not bit for bit.
double rel_diff(const Image& a, const Image& b) {
    return max_diff(a, b) / std::max(1.0, tensor_from(a).abs().max().item<double>());
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Tiling

TEST(Predictor, TiledEqualsWholeImageWhenTheHaloCoversTheReceptiveField) {
    auto module = conv3_module();
    RdfSpec spec;
    spec.halo = 3;
    const Model model = package("pred_tiled", module, spec);
    at::manual_seed(7);
    const at::Tensor x = at::rand({1, 1, 1, 50, 70});
    const Image img = image_from(x);

    PredictorOptions whole_opt;
    whole_opt.device = "cpu";
    Predictor whole(model, whole_opt);
    const Image w = whole.predict(img);

    // The whole-image result is the network on the image mirror-padded by the halo.
    at::Tensor ref = fixtures::forward(module, fixtures::mirror_pad2d(x[0], 3));
    ref = ref.narrow(-2, 3, 50).narrow(-1, 3, 70);
    EXPECT_LT((tensor_from(w)[0] - ref).abs().max().item<double>(), 1e-5);

    PredictorOptions tiled_opt = whole_opt;
    tiled_opt.tile = 20;  // cores of 14 px: 4 x 5 tiles with overlaps
    tiled_opt.batch = 3;
    Predictor tiled(model, tiled_opt);
    const Image t = tiled.predict(img);
    EXPECT_LT(rel_diff(w, t), 1e-6);
    EXPECT_EQ(tiled.report()["tiles"].get<int>(), 4 * 5);

    // Without a halo, tile borders show: the test above is not trivially true.
    tiled_opt.halo = 0;
    Predictor no_halo(model, tiled_opt);
    EXPECT_GT(rel_diff(w, no_halo.predict(img)), 1e-3);
}

TEST(Predictor, RespectsValidSizesAndPadsSmallImages) {
    auto module = fixtures::make_module(
        "def forward(self, x):\n"
        "    assert x.shape[2] % 8 == 0 and x.shape[3] % 8 == 0 and x.shape[2] >= 32\n"
        "    return x * 2.0\n");
    RdfSpec spec;
    spec.min = 32;
    spec.step = 8;
    spec.halo = 2;
    const Model model = package("pred_valid", module, spec);
    std::vector<std::string> notes;
    PredictorOptions o;
    o.device = "cpu";
    o.tile = 40;
    o.log = [&](const std::string& n) { notes.push_back(n); };
    Predictor p(model, o);
    at::manual_seed(1);
    const at::Tensor x = at::rand({1, 1, 1, 90, 61});
    const Image y = p.predict(image_from(x));
    EXPECT_LT((tensor_from(y) - 2 * x).abs().max().item<double>(), 1e-6);
    EXPECT_TRUE(notes.empty());
    // 10 x 12 is below the minimum of 32: mirrored up to it, cropped back, and said so.
    const at::Tensor small = at::rand({1, 1, 1, 10, 12});
    const Image ys = p.predict(image_from(small));
    EXPECT_EQ(ys.shape().y, 10);
    EXPECT_LT((tensor_from(ys) - 2 * small).abs().max().item<double>(), 1e-6);
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_NE(notes[0].find("smaller than model 'test' needs; it is mirror-padded to 32 x 32"), std::string::npos)
        << notes[0];
}

TEST(Predictor, NetworksWithoutPaddingGetTheirHalo) {
    // Two 3x3 convolutions without padding: the output is 4 px smaller than the input.
    at::manual_seed(5);
    auto module = fixtures::make_module(
        "def forward(self, x):\n"
        "    return torch.conv2d(torch.conv2d(x, self.w1), self.w2)\n",
        {{"w1", at::randn({2, 1, 3, 3})}, {"w2", at::randn({1, 2, 3, 3})}});
    const Model model = package("pred_valid_conv", module, RdfSpec{});
    PredictorOptions o;
    o.device = "cpu";
    o.tile = 16;
    Predictor p(model, o);
    const at::Tensor x = at::rand({1, 1, 1, 30, 41});
    const Image y = p.predict(image_from(x));
    ASSERT_EQ(y.shape().x, 41);
    at::Tensor ref = fixtures::forward(module, fixtures::mirror_pad2d(x[0], 2));
    EXPECT_LT((tensor_from(y)[0] - ref).abs().max().item<double>(), 1e-5);
}

TEST(Predictor, VolumesAreTiledInZToo) {
    at::manual_seed(2);
    auto module = fixtures::make_module(
        "def forward(self, x):\n"
        "    return torch.conv3d(torch.relu(torch.conv3d(x, self.w1, None, 1, 1)), self.w2, None, 1, 1)\n",
        {{"w1", at::randn({3, 1, 3, 3, 3})}, {"w2", at::randn({2, 3, 3, 3, 3})}});
    RdfSpec spec;
    spec.in_axes = "bczyx";
    spec.out_channels = 2;
    spec.halo = 2;
    spec.config = "    halo: 2\n";  // for z as well
    const Model model = package("pred_3d", module, spec);
    const at::Tensor x = at::rand({1, 19, 1, 21, 23});  // T Z C Y X
    PredictorOptions o;
    o.device = "cpu";
    Predictor whole(model, o);
    ASSERT_TRUE(whole.is_3d());
    const Image w = whole.predict(image_from(x));
    EXPECT_EQ(w.shape().c, 2);
    EXPECT_EQ(w.shape().z, 19);
    o.tile = 12;
    o.tile_z = 9;
    Predictor tiled(model, o);
    EXPECT_LT(rel_diff(w, tiled.predict(image_from(x))), 1e-6);
    EXPECT_GT(tiled.report()["tiles"].get<int>(), 8);
}

// ---------------------------------------------------------------------------------------------
// Test-time augmentation

TEST(Predictor, TtaOfAnEquivariantModelChangesNothing) {
    // A kernel with the symmetries of the square: the network commutes with flips and rotations.
    const at::Tensor k = at::tensor({1.f, 2.f, 1.f, 2.f, -3.f, 2.f, 1.f, 2.f, 1.f}).reshape({1, 1, 3, 3});
    auto module = fixtures::make_module(
        "def forward(self, x):\n    return torch.tanh(torch.conv2d(torch.conv2d(x, self.k, None, 1, 1), self.k, None, 1, 1))\n",
        {{"k", k}});
    RdfSpec spec;
    spec.halo = 2;
    const Model model = package("pred_tta_eq", module, spec);
    const at::Tensor x = at::rand({1, 1, 1, 33, 47});
    PredictorOptions o;
    o.device = "cpu";
    const Image plain = Predictor(model, o).predict(image_from(x));
    o.tta = true;
    o.tile = 24;  // tiles, non-square frame: quarter turns of tiles too
    Predictor tta(model, o);
    EXPECT_LT(max_diff(plain, tta.predict(image_from(x))), 1e-5);
    EXPECT_EQ(tta.report()["tiles"].get<int>() % 8, 0);
}

TEST(Predictor, TtaAveragesTheEightSymmetries) {
    // For one convolution, averaging over the 8 symmetries equals convolving with the kernel
    // averaged over them.
    at::manual_seed(9);
    const at::Tensor k = at::randn({1, 1, 3, 3});
    auto module = fixtures::make_module("def forward(self, x):\n    return torch.conv2d(x, self.k, None, 1, 1)\n",
                                        {{"k", k}});
    RdfSpec spec;
    spec.halo = 1;
    const Model model = package("pred_tta_avg", module, spec);
    at::Tensor sym = at::zeros_like(k);
    for (int r = 0; r < 4; ++r) {
        sym += at::rot90(k, r, {2, 3});
        sym += at::rot90(k.flip({3}), r, {2, 3});
    }
    sym /= 8;
    const at::Tensor x = at::rand({1, 1, 1, 20, 20});
    PredictorOptions o;
    o.device = "cpu";
    o.tta = true;
    const Image y = Predictor(model, o).predict(image_from(x));
    auto sym_module = fixtures::make_module("def forward(self, x):\n    return torch.conv2d(x, self.k, None, 1, 1)\n",
                                            {{"k", sym}});
    const at::Tensor ref = fixtures::forward(sym_module, fixtures::mirror_pad2d(x[0], 1)).narrow(-2, 1, 20).narrow(-1, 1, 20);
    EXPECT_LT((tensor_from(y)[0] - ref).abs().max().item<double>(), 1e-5);
}

// ---------------------------------------------------------------------------------------------
// Out of memory

TEST(Predictor, OutOfMemoryHalvesTheBatchThenShrinksTheTiles) {
    auto module = conv3_module();
    RdfSpec spec;
    spec.halo = 3;
    spec.min = 8;
    spec.step = 8;
    const Model model = package("pred_oom", module, spec);
    std::vector<Image> samples;
    for (int i = 0; i < 4; ++i) samples.push_back(image_from(at::rand({1, 1, 1, 60, 60})));
    PredictorOptions base;
    base.device = "cpu";
    base.tile = 72;
    const std::vector<Image> want = Predictor(model, base).predict(samples);

    std::vector<std::pair<std::int64_t, std::int64_t>> calls;  // (batch, tile y)
    int failures = 3;
    PredictorOptions o = base;
    o.batch = 4;
    o.before_forward = [&](std::int64_t batch, const std::vector<std::int64_t>& tile) {
        calls.emplace_back(batch, tile[1]);
        if (failures-- > 0)  // LibTorch 1.13's message for a CUDA OOM
            throw c10::Error({__func__, __FILE__, __LINE__}, "CUDA out of memory. Tried to allocate 2.00 GiB");
    };
    std::vector<std::string> notes;
    o.log = [&](const std::string& n) { notes.push_back(n); };
    Predictor p(model, o);
    const std::vector<Image> got = p.predict(samples);
    ASSERT_EQ(got.size(), 4u);
    for (int i = 0; i < 4; ++i) EXPECT_LT(rel_diff(want[static_cast<std::size_t>(i)], got[static_cast<std::size_t>(i)]), 1e-6);
    // batch 4 → 2 → 1 → (still failing) tiles of 72 → 32; then everything fits.
    ASSERT_GE(calls.size(), 4u);
    using Call = std::pair<std::int64_t, std::int64_t>;
    EXPECT_EQ(calls[0], Call(4, 72));
    EXPECT_EQ(calls[1], Call(2, 72));
    EXPECT_EQ(calls[2], Call(1, 72));
    EXPECT_LT(calls[3].second, 72);
    EXPECT_EQ(p.report()["oom_retries"].get<int>(), 3);
    EXPECT_EQ(p.batch(), 1);
    EXPECT_LT(p.tile(), 72);
    EXPECT_EQ(notes.size(), 3u);
    EXPECT_NE(notes[0].find("out of memory on cpu with a batch of 4 tiles; retrying with 2"), std::string::npos);
}

TEST(Predictor, OutOfMemoryThatNeverEndsIsAnErrorNotACrash) {
    const Model model = package("pred_oom_always", conv3_module(), RdfSpec{});
    PredictorOptions o;
    o.device = "cpu";
    o.before_forward = [](std::int64_t, const std::vector<std::int64_t>&) {
        throw c10::OutOfMemoryError({__func__, __FILE__, __LINE__}, "CUDA out of memory (2.x type)");
    };
    Predictor p(model, o);
    try {
        p.predict(image_from(at::rand({1, 1, 1, 40, 40})));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("out of memory on cpu even with one tile"), std::string::npos) << e.what();
    }
    // Other failures are reported as they are, once.
    o.before_forward = [](std::int64_t, const std::vector<std::int64_t>&) { throw std::runtime_error("device lost"); };
    Predictor q(model, o);
    try {
        q.predict(image_from(at::rand({1, 1, 1, 40, 40})));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("device lost"), std::string::npos) << e.what();
    }
}

TEST(Predictor, RecognisesOutOfMemoryErrors) {
    EXPECT_TRUE(is_out_of_memory(std::bad_alloc()));
    EXPECT_TRUE(is_out_of_memory(std::runtime_error("CUDA out of memory. Tried to allocate 20.00 MiB")));
    EXPECT_TRUE(is_out_of_memory(std::runtime_error("DefaultCPUAllocator: not enough memory: you tried to allocate")));
    EXPECT_FALSE(is_out_of_memory(std::runtime_error("shape mismatch")));
}

// ---------------------------------------------------------------------------------------------
// Devices and bad input

TEST(Predictor, DevicesAreChosenAndExplained) {
    const Model model = package("pred_device", conv3_module(), RdfSpec{});
    PredictorOptions o;
    o.device = "auto";
    Predictor p(model, o);
    EXPECT_FALSE(p.device_reason().empty());
    if (p.device() == "cpu") {
        EXPECT_NE(p.device_reason().find("CPU"), std::string::npos) << p.device_reason();
        o.device = "cuda";
        try {
            Predictor q(model, o);
            FAIL() << "no error";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("no CUDA GPU can be used"), std::string::npos) << e.what();
        }
        // Half precision on the CPU: float32 with a note.
        o.device = "cpu";
        o.half = true;
        std::string note;
        o.log = [&](const std::string& n) { note = n; };
        Predictor h(model, o);
        EXPECT_NE(note.find("half precision runs on CUDA only"), std::string::npos);
    }
    o.device = "tpu:0";
    EXPECT_THROW(Predictor(model, o), Error);
    o.device = "cuda:x";
    EXPECT_THROW(Predictor(model, o), Error);
}

TEST(Predictor, WrongChannelsAndNaNs) {
    const Model model = package("pred_bad_input", conv3_module(), RdfSpec{});
    PredictorOptions o;
    o.device = "cpu";
    std::vector<std::string> notes;
    o.log = [&](const std::string& n) { notes.push_back(n); };
    Predictor p(model, o);
    try {
        p.predict(image_from(at::rand({1, 1, 3, 16, 16})));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("has 3 channel(s) but model 'test' takes 1"), std::string::npos) << e.what();
    }
    at::Tensor x = at::rand({1, 1, 1, 16, 16});
    x[0][0][0][3][4] = NAN;
    x[0][0][0][5][5] = INFINITY;
    const Image y = p.predict(image_from(x));
    EXPECT_TRUE(at::isfinite(tensor_from(y)).all().item<bool>());
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_NE(notes[0].find("NaN or infinite pixels; they are replaced by 0 (2 in"), std::string::npos) << notes[0];
    x[0][0][0][3][4] = 0;
    x[0][0][0][5][5] = 0;
    EXPECT_LT(max_diff(y, p.predict(image_from(x))), 1e-6);
}

TEST(Predictor, PreAndPostProcessingUseTheWholeImage) {
    // zero-mean/unit-variance over the whole frame, then identity, then sigmoid: tiling must
    // not change the statistics.
    auto module = fixtures::make_module("def forward(self, x):\n    return x\n");
    RdfSpec spec;
    spec.pre = "      - name: zero_mean_unit_variance\n        kwargs: {mode: per_sample, axes: xy, eps: 0.0}\n";
    spec.post = "      - name: sigmoid\n";
    const Model model = package("pred_processing", module, spec);
    const at::Tensor x = at::rand({1, 1, 1, 30, 30}) * 50 + 10;
    PredictorOptions o;
    o.device = "cpu";
    o.tile = 12;
    const Image y = Predictor(model, o).predict(image_from(x));
    const at::Tensor z = (x.to(at::kDouble) - x.to(at::kDouble).mean()) / x.to(at::kDouble).std(false);
    EXPECT_LT((tensor_from(y) - at::sigmoid(z)).abs().max().item<double>(), 1e-5);
}

// ---------------------------------------------------------------------------------------------
// Temporal models

namespace {
// A temporal model that returns one frame of its window: the oldest (index 0), shifted by
// the window position so the result identifies which frame it saw.
Model temporal_model(const std::string& name, const std::string& mode, const std::string& padding, int pick) {
    auto module = fixtures::make_module("def forward(self, x):\n    return x[:, " + std::to_string(pick) + "]\n");
    RdfSpec spec;
    spec.name = name;
    spec.in_axes = "btcyx";
    spec.out_axes = "bcyx";
    spec.config = "    temporal_window: 5\n    temporal_mode: " + mode + "\n    temporal_padding: " + padding + "\n";
    return package(name, module, spec);
}

// A video whose frame t is the constant t, as uint16.
std::string constant_video(const std::string& name, int frames) {
    Shape s;
    s.t = frames;
    s.y = 12;
    s.x = 10;
    Image v(s, DType::U16);
    for (int t = 0; t < frames; ++t) std::fill_n(v.plane<std::uint16_t>(t), 120, static_cast<std::uint16_t>(t));
    v.calibration().pixel_width = v.calibration().pixel_height = 0.5;
    v.calibration().unit = "micron";
    v.calibration().frame_interval = 3;
    const std::string path = std::string(NATIVESEG_TEST_TMP) + "/" + name + ".tif";
    write_tiff(path, v);
    return path;
}

std::vector<float> frame_values(const std::string& path) {
    TiffReader r(path);
    std::vector<float> out;
    for (std::int64_t p = 0; p < r.info().pages; ++p) out.push_back(r.read_page(p).data<float>()[0]);
    return out;
}
}  // namespace

TEST(Temporal, CausalWindowPaddedWithTheFirstFrame) {
    const Model model = temporal_model("temporal_causal", "causal", "replicate", 0);  // oldest frame: t - 4
    const std::string in = constant_video("temporal_in", 8);
    const std::string out = std::string(NATIVESEG_TEST_TMP) + "/temporal_causal_out.tif";
    SegmentOptions o;
    o.predictor.device = "cpu";
    o.normalize = "none";
    segment(model, in, out, o);
    EXPECT_EQ(frame_values(out), (std::vector<float>{0, 0, 0, 0, 0, 1, 2, 3}));
}

TEST(Temporal, CenteredWindowReflectsAtBothEnds) {
    const Model newest = temporal_model("temporal_centered", "centered", "reflect", 4);  // t + 2
    const std::string in = constant_video("temporal_in2", 6);
    const std::string out = std::string(NATIVESEG_TEST_TMP) + "/temporal_centered_out.tif";
    SegmentOptions o;
    o.predictor.device = "cpu";
    o.normalize = "none";
    o.predictor.batch = 4;
    segment(newest, in, out, o);
    // t + 2 for t = 0..5 in 6 frames, reflected: 2 3 4 5 5 4
    EXPECT_EQ(frame_values(out), (std::vector<float>{2, 3, 4, 5, 5, 4}));
}

TEST(Temporal, WindowAsChannelsWithoutATimeAxis) {
    // 3 frames stacked as channels (oldest first); the model returns channel 0 - channel 2.
    auto module = fixtures::make_module("def forward(self, x):\n    return x[:, 2:3] - x[:, 0:1]\n");
    RdfSpec spec;
    spec.in_channels = 3;
    spec.config = "    temporal_window: 3\n    temporal_mode: centered\n    temporal_padding: replicate\n";
    const Model model = package("temporal_channels", module, spec);
    const std::string in = constant_video("temporal_in3", 5);
    const std::string out = std::string(NATIVESEG_TEST_TMP) + "/temporal_channels_out.tif";
    SegmentOptions o;
    o.predictor.device = "cpu";
    o.normalize = "none";
    segment(model, in, out, o);
    // frame(t+1) - frame(t-1), clamped at the ends: 1-0, 2-0, 3-1, 4-2, 4-3
    EXPECT_EQ(frame_values(out), (std::vector<float>{1, 2, 2, 2, 1}));
}

// ---------------------------------------------------------------------------------------------
// Output conversion and the job

TEST(Outputs, ClassesMasksAndLabels) {
    Shape s;
    s.c = 2;
    s.y = 3;
    s.x = 4;
    Image prob(s, DType::F32);
    // Channel 1 (foreground) wins at (0,0), (1,1) [diagonal neighbours] and (2,3); tie at (0,3).
    const float fg[12] = {0.9f, 0.1f, 0.1f, 0.5f, 0.2f, 0.8f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.7f};
    for (int i = 0; i < 12; ++i) {
        prob.plane<float>(1)[i] = fg[i];
        prob.plane<float>(0)[i] = 1 - fg[i];
    }
    const Image classes = probabilities_to(prob, OutputType::Classes, 1, std::nullopt);
    EXPECT_EQ(classes.dtype(), DType::U8);
    EXPECT_EQ(classes.data<std::uint8_t>()[0], 1);
    EXPECT_EQ(classes.data<std::uint8_t>()[3], 0);  // a tie goes to background
    const Image mask = probabilities_to(prob, OutputType::Mask, 1, std::nullopt);
    EXPECT_EQ(mask.data<std::uint8_t>()[5], 255);
    EXPECT_EQ(mask.data<std::uint8_t>()[3], 0);
    const Image m2 = probabilities_to(prob, OutputType::Mask, 1, 0.45);  // explicit threshold on channel 1
    EXPECT_EQ(m2.data<std::uint8_t>()[3], 255);
    const Image labels = probabilities_to(prob, OutputType::Labels, 1, std::nullopt);
    EXPECT_EQ(labels.dtype(), DType::U16);
    const auto* l = labels.data<std::uint16_t>();
    EXPECT_EQ(l[0], l[5]);  // 8-connected
    EXPECT_NE(l[0], 0);
    EXPECT_NE(l[11], l[0]);
    EXPECT_NE(l[11], 0);
}

TEST(Outputs, VolumeLabelsJoinAcrossSlices) {
    Shape s;
    s.z = 3;
    s.y = 4;
    s.x = 4;
    Image prob(s, DType::F32);
    prob.plane<float>(0)[0] = 1;   // (z0, 0, 0)
    prob.plane<float>(1)[5] = 1;   // (z1, 1, 1): diagonal in 3-D
    prob.plane<float>(2)[15] = 1;  // (z2, 3, 3): separate
    const Image l = probabilities_to(prob, OutputType::Labels, 0, 0.5, true);
    EXPECT_EQ(l.plane<std::uint16_t>(0)[0], 1);
    EXPECT_EQ(l.plane<std::uint16_t>(1)[5], 1);
    EXPECT_EQ(l.plane<std::uint16_t>(2)[15], 2);
    const Image flat = probabilities_to(prob, OutputType::Labels, 0, 0.5, false);
    EXPECT_EQ(flat.plane<std::uint16_t>(2)[15], 1);  // per slice
}

TEST(SegmentJob, StreamsAVideoToLabelsWithItsCalibration) {
    // A "foreground" model: 2 channels [1 - p, p], p = sigmoid(20 (x - 0.5)).
    auto module = fixtures::make_module(
        "def forward(self, x):\n    p = torch.sigmoid(20.0 * (x - 0.5))\n    return torch.cat([1.0 - p, p], 1)\n");
    RdfSpec spec;
    spec.out_channels = 2;
    // The package suggests a minimum object size below the 25-pixel square (the schema's default, 100, is above it).
    spec.config = "    channels: [background, foreground]\n    normalize: percentile\n    object_min_size: 20\n";
    const Model model = package("job_labels", module, spec);
    Shape s;
    s.t = 6;
    s.y = 40;
    s.x = 50;
    Image v(s, DType::U16);
    for (int t = 0; t < 6; ++t) {
        auto* d = v.plane<std::uint16_t>(t);
        std::fill_n(d, 2000, 100);
        for (int y = 5; y < 10; ++y)  // two squares, the second only from frame 3 on
            for (int x = 5; x < 10; ++x) d[y * 50 + x] = 5000;
        if (t >= 3)
            for (int y = 20; y < 30; ++y)
                for (int x = 30; x < 45; ++x) d[y * 50 + x] = 5000;
    }
    v.calibration().pixel_width = v.calibration().pixel_height = 0.65;
    v.calibration().unit = "micron";
    v.calibration().frame_interval = 2;
    v.calibration().time_unit = "min";
    const std::string in = std::string(NATIVESEG_TEST_TMP) + "/job_in.tif";
    write_tiff(in, v);
    const std::string out = std::string(NATIVESEG_TEST_TMP) + "/job_labels.tif";
    SegmentOptions o;
    o.model = "unused";
    o.predictor.device = "cpu";
    o.output = OutputType::Labels;
    const nlohmann::json rep = segment(model, in, out, o);
    EXPECT_EQ(rep["normalize"], "percentile");  // auto: from the model's config
    EXPECT_EQ(rep["frames"], 6);
    const Image labels = read_tiff(out);
    EXPECT_EQ(labels.dtype(), DType::U16);
    EXPECT_EQ(labels.shape().t, 6);
    EXPECT_EQ(labels.calibration(), v.calibration());
    for (int t = 0; t < 6; ++t) {
        const auto* l = labels.plane<std::uint16_t>(t);
        EXPECT_EQ(l[7 * 50 + 7], 1);
        EXPECT_EQ(l[0], 0);
        EXPECT_EQ(l[25 * 50 + 35], t >= 3 ? 2 : 0);
    }
    EXPECT_EQ(rep["labels"]["object_min_size"], 20);
    // A size given by the user wins over the model's: the 25-pixel square goes.
    o.min_size = 100;
    segment(model, in, out, o);
    const Image bigger = read_tiff(out);
    for (int t = 0; t < 6; ++t) {
        EXPECT_EQ(bigger.plane<std::uint16_t>(t)[7 * 50 + 7], 0);
        EXPECT_EQ(bigger.plane<std::uint16_t>(t)[25 * 50 + 35], t >= 3 ? 1 : 0);
    }
    o.min_size.reset();
    // Probabilities: C = 2 channels per frame, float32.
    o.output = OutputType::Probability;
    const std::string pout = std::string(NATIVESEG_TEST_TMP) + "/job_prob.tif";
    segment(model, in, pout, o);
    const TiffInfo info = read_tiff_info(pout);
    EXPECT_EQ(info.shape.c, 2);
    EXPECT_EQ(info.shape.t, 6);
    EXPECT_EQ(info.dtype, DType::F32);
    // Inputs are never overwritten.
    EXPECT_THROW(segment(model, in, in, o), Error);
}

TEST(SegmentJob, TwoDModelOnAStackAndChannelMismatch) {
    auto module = fixtures::make_module("def forward(self, x):\n    return x + 1.0\n");
    const Model model = package("job_stack", module, RdfSpec{});
    Shape s;
    s.z = 3;
    s.y = 9;
    s.x = 9;
    Image v(s, DType::F32);
    for (int z = 0; z < 3; ++z) std::fill_n(v.plane<float>(z), 81, static_cast<float>(z));
    const std::string in = std::string(NATIVESEG_TEST_TMP) + "/job_stack.tif";
    write_tiff(in, v);
    SegmentOptions o;
    o.predictor.device = "cpu";
    o.normalize = "none";
    std::vector<std::string> notes;
    o.log = [&](const std::string& n) { notes.push_back(n); };
    const std::string out = std::string(NATIVESEG_TEST_TMP) + "/job_stack_out.tif";
    segment(model, in, out, o);
    const Image y = read_tiff(out);
    EXPECT_EQ(y.shape().z, 3);
    EXPECT_EQ(y.plane<float>(2)[40], 3.0f);
    bool said = false;
    for (const auto& n : notes) said = said || n.find("each slice is segmented on its own") != std::string::npos;
    EXPECT_TRUE(said);

    Shape c3;
    c3.c = 3;
    c3.y = 9;
    c3.x = 9;
    const std::string rgbish = std::string(NATIVESEG_TEST_TMP) + "/job_c3.tif";
    write_tiff(rgbish, Image(c3, DType::U8));
    try {
        segment(model, rgbish, out, o);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(rgbish + ": the image has 3 channel(s) but model 'test' takes 1"),
                  std::string::npos)
            << e.what();
    }
}
