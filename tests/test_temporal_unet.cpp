// The temporal U-Net (architectures.h, temporal_unet): generated source, shapes, shared encoder
// weights, which frames can change the output; training on a simulated CTC sequence with
// windows, the exported package (validate-model, the predictor's windows: one prediction per
// frame, the future cannot change a causal prediction) and data without sequences refused.
#include <cmath>
#include <filesystem>
#include <fstream>

#include <opencv2/imgcodecs.hpp>

#include <gtest/gtest.h>

#include "model_fixtures.h"
#include "nativeseg/architectures.h"
#include "nativeseg/augment.h"
#include "nativeseg/dataset.h"
#include "nativeseg/error.h"
#include "nativeseg/model.h"
#include "nativeseg/rdf.h"
#include "nativeseg/segment.h"
#include "nativeseg/simulate.h"
#include "nativeseg/tiff_io.h"
#include "nativeseg/train.h"

namespace fs = std::filesystem;
using namespace nativeseg;

namespace {

ArchitectureSpec temporal_spec(int k, const std::string& mode) {
    ArchitectureSpec s;
    s.name = "temporal_unet";
    s.depth = 2;
    s.base_filters = 4;
    s.temporal_window = k;
    s.temporal_mode = mode;
    return s;
}

}  // namespace

TEST(TemporalUnet, SourceShapesAndSharedEncoder) {
    const ArchitectureSpec s = temporal_spec(3, "causal");
    const std::string src = architecture_source(s);
    EXPECT_NE(src.find("def encode(self, x: Tensor) -> Tuple[Tensor, Tensor, Tensor]"), std::string::npos) << src;
    torch::jit::Module m = build_architecture(s, 1);
    ASSERT_TRUE(m.find_method("encode").has_value());
    m.train(false);
    const at::Tensor y = fixtures::forward(m, at::rand({2, 3, 32, 24}));
    EXPECT_EQ(y.sizes(), (std::vector<int64_t>{2, 1, 32, 24}));
    EXPECT_TRUE((y >= 0).all().item<bool>() && (y <= 1).all().item<bool>());

    // Parameters: the U-Net's, less its first up-convolution (from the bottom's 16 channels),
    // plus one from the 4 LSTM channels and the LSTM gates (conv3x3 of 16 + 4 → 4·4 channels).
    ArchitectureSpec u = s;
    u.name = "unet";
    const std::int64_t unet = parameter_count(build_architecture(u, 1));
    const std::int64_t f = 16, h = s.lstm_channels(), up_out = 8;
    ASSERT_EQ(h, 4);
    const std::int64_t expected = unet - f * up_out * 4 + h * up_out * 4 + (f + h) * 4 * h * 9 + 4 * h;
    EXPECT_EQ(parameter_count(m), expected);
    // The encoder is one set of weights whatever the window: the count does not depend on k.
    EXPECT_EQ(parameter_count(build_architecture(temporal_spec(7, "centered"), 1)), expected);

    // Three classes and bilinear upsampling compile too.
    ArchitectureSpec c = temporal_spec(5, "centered");
    c.out_channels = 3;
    c.upsampling = "bilinear";
    c.dropout = 0.2;
    torch::jit::Module mc = build_architecture(c, 2);
    mc.train(false);
    const at::Tensor p = fixtures::forward(mc, at::rand({1, 5, 16, 40}));
    EXPECT_EQ(p.sizes(), (std::vector<int64_t>{1, 3, 16, 40}));
    EXPECT_NEAR(p.sum(1).mean().item<double>(), 1.0, 1e-5);
    // A wrong number of channels is named, not a reshape error.
    try {
        fixtures::forward(m, at::rand({1, 2, 32, 24}));
        FAIL() << "expected an error";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("3 frames x 1 channel"), std::string::npos) << e.what();
    }
}

TEST(TemporalUnet, OlderFramesReachTheOutputThroughTheLstm) {
    torch::jit::Module m = build_architecture(temporal_spec(4, "causal"), 3);
    m.train(false);
    at::manual_seed(4);
    const at::Tensor x = at::rand({1, 4, 32, 32});
    const at::Tensor y = fixtures::forward(m, x);
    // The oldest frame only reaches the output through the ConvLSTM state.
    at::Tensor x0 = x.clone();
    x0[0][0] = at::rand({32, 32});
    EXPECT_GT((fixtures::forward(m, x0) - y).abs().max().item<double>(), 1e-4);
    // The newest (target) frame: through its skips and the last LSTM step.
    at::Tensor x3 = x.clone();
    x3[0][3] = at::rand({32, 32});
    EXPECT_GT((fixtures::forward(m, x3) - y).abs().max().item<double>(), 1e-4);
    // Each batch entry is its own window (BatchNorm in eval mode does not mix them).
    const at::Tensor both = fixtures::forward(m, at::cat({x, x0}, 0));
    EXPECT_LT((both.narrow(0, 0, 1) - y).abs().max().item<double>(), 1e-5);

    // Keyword arguments survive the rdf, bad ones are named.
    ArchitectureSpec s = temporal_spec(3, "centered");
    const nlohmann::json j = s.to_json();
    EXPECT_EQ(j.at("temporal_window"), 3);
    EXPECT_EQ(j.at("temporal_mode"), "centered");
    const ArchitectureSpec back = ArchitectureSpec::from_json(j);
    EXPECT_EQ(back.temporal_window, 3);
    EXPECT_EQ(back.target_frame(), 1);
    EXPECT_FALSE(ArchitectureSpec{}.to_json().contains("temporal_window"));  // other networks' kwargs unchanged
    s.temporal_window = 4;
    EXPECT_NE(fixtures::error_of([&] { s.check(); }).find("odd number"), std::string::npos);
    s.temporal_window = 1;
    EXPECT_NE(fixtures::error_of([&] { s.check(); }).find("temporal_window must be 2..64"), std::string::npos);
    s.temporal_window = 3;
    s.temporal_mode = "future";
    EXPECT_NE(fixtures::error_of([&] { s.check(); }).find("temporal_mode"), std::string::npos);
    // The halo covers what the LSTM steps see at the bottom level.
    ArchitectureSpec u = temporal_spec(3, "causal");
    u.name = "unet";
    EXPECT_GT(temporal_spec(3, "causal").halo(), u.halo());
    EXPECT_GE(temporal_spec(7, "causal").halo(), temporal_spec(3, "causal").halo() + 4 * 4 - 8);  // 8: rounding
}

namespace {

// A simulated fluorescence video in CTC layout (dir/01, dir/01_GT/SEG).
std::string simulated_sequence(const std::string& dir, int frames) {
    SimulationParams p = default_simulation_params();
    p.frames = frames;
    p.width = 64;
    p.height = 64;
    p.cells = 5;
    p.seed = 11;
    write_simulation(dir, simulate(p));
    return dir + "/01";
}

TrainOptions temporal_options(const std::string& data, const std::string& out) {
    TrainOptions o;
    o.data = data;
    o.out = out;
    o.model_name = "tiny-temporal";
    o.architecture = temporal_spec(3, "causal");
    o.augment.patch = 32;
    o.augment.rotation = 20;
    o.augment.intensity = 0.1;
    o.augment.noise_sigma = 0.05;
    o.batch_size = 2;
    o.steps_per_epoch = 4;
    o.epochs = 2;
    o.learning_rate = 0.01;
    o.validation_fraction = 0.25;
    o.validation_split = "time";
    o.device = "cpu";
    o.threads = 1;
    o.seed = 5;
    return o;
}

std::vector<float> frame_of(const Image& v, std::int64_t t) {
    const Shape& s = v.shape();
    const float* p = v.plane<float>(s.plane_index(t, 0, 0));
    return std::vector<float>(p, p + s.y * s.x);
}

double max_difference(const std::vector<float>& a, const std::vector<float>& b) {
    double d = 0;
    for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, double(std::abs(a[i] - b[i])));
    return d;
}

}  // namespace

TEST(TemporalUnet, WindowsFromSequencesAugmentedTogether) {
    const std::string root = fixtures::fresh_dir("temporal_data");
    const std::string seq = simulated_sequence(root + "/sim", 6);
    DatasetOptions d;
    d.temporal_window = 3;
    d.temporal_network = "temporal_unet";
    const std::vector<TrainingItem> items = load_dataset(seq + "[0,4]", d);
    ASSERT_EQ(items.size(), 2u);
    // Frame 0: the window is three copies of it; frame 4: frames 2, 3, 4.
    ASSERT_EQ(items[0].frames.size(), 3u);
    EXPECT_EQ(items[0].frame_index, 2);
    EXPECT_EQ(cv::norm(items[0].frames[0], items[0].image, cv::NORM_INF), 0.0);
    const std::vector<TrainingItem> single = load_dataset(seq + "[2-4]", {});
    EXPECT_EQ(cv::norm(items[1].frames[0], single[0].image, cv::NORM_INF), 0.0);
    EXPECT_EQ(cv::norm(items[1].frames[1], single[1].image, cv::NORM_INF), 0.0);
    EXPECT_EQ(cv::norm(items[1].image, single[2].image, cv::NORM_INF), 0.0);
    EXPECT_EQ(cv::norm(items[1].raw_frames[1], single[1].raw, cv::NORM_INF), 0.0);

    // One geometric transform for the whole window: a window of identical frames stays
    // identical after augmentation (no intensity noise), and its target frame is the image.
    AugmentOptions o;
    o.patch = 32;
    o.rotation = 45;
    o.elastic = 4;
    o.intensity = 0.2;
    o.gamma = 0.3;
    std::mt19937_64 rng(3);
    const Patch p = augment_patch(items[0], o, rng);
    ASSERT_EQ(p.frames.size(), 3u);
    for (const cv::Mat& f : p.frames) EXPECT_EQ(cv::norm(f, p.image, cv::NORM_INF), 0.0);
    // Different frames keep their own content, moved the same way.
    const Patch q = augment_patch(items[1], o, rng);
    EXPECT_GT(cv::norm(q.frames[0], q.image, cv::NORM_INF), 0.0);

    // Data without a frame order is refused before training.
    const std::string sets = root + "/sets/set1";
    fs::create_directories(sets);
    Image img(Shape{1, 1, 1, 32, 32}, DType::U8);
    img.plane_mat(0)(cv::Rect(4, 4, 8, 8)).setTo(1);
    write_tiff(sets + "/raw.tif", img);
    cv::imwrite(sets + "/instances_ids.png", img.plane_mat(0));
    TrainOptions t = temporal_options(root + "/sets", root + "/never");
    const std::string e = fixtures::error_of([&] { train_model(t); });
    EXPECT_NE(e.find("temporal_unet needs sequences"), std::string::npos) << e;
    EXPECT_FALSE(fs::exists(root + "/never/weights.pt"));
}

TEST(TemporalUnet, TrainsExportsAndPredictsEveryFrame) {
    const std::string root = fixtures::fresh_dir("temporal_train");
    const std::string seq = simulated_sequence(root + "/sim", 8);
    TrainOptions o = temporal_options(seq, root + "/model");
    const TrainResult r = train_model(o);
    ASSERT_TRUE(r.finished);
    ASSERT_EQ(r.history.size(), 2u);
    EXPECT_TRUE(std::isfinite(r.history.back().train_loss));
    EXPECT_GE(r.history.back().val_iou, 0.0);

    const ValidationResult v = validate_model(root + "/model");
    EXPECT_TRUE(v.passed) << validation_text(v);
    const ModelDescription d = read_model_description(root + "/model");
    EXPECT_EQ(d.nativeseg.temporal_window, 3);
    EXPECT_EQ(d.nativeseg.temporal_mode, "causal");
    EXPECT_EQ(d.nativeseg.temporal_padding, "replicate");
    EXPECT_EQ(d.inputs[0].channels(), 3);
    std::ifstream rdf(root + "/model/rdf.yaml");
    const std::string text((std::istreambuf_iterator<char>(rdf)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("\"name\":\"temporal_unet\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"temporal_window\":3"), std::string::npos) << text;

    // The predictor feeds windows: one probability frame per video frame; changing frame 5
    // leaves the causal predictions of frames 0-4 alone and changes frames 5-7.
    const std::string video = root + "/sim/video.tif";
    ASSERT_TRUE(fs::exists(video));
    SegmentOptions so;
    so.predictor.device = "cpu";
    so.output = OutputType::Probability;
    const Model model(root + "/model");
    segment(model, video, root + "/prob.tif", so);
    Image changed = read_tiff(video);
    ASSERT_EQ(changed.shape().t, 8);
    cv::Mat f5 = changed.plane_mat(changed.shape().plane_index(5, 0, 0));
    cv::randu(f5, 0, 255);
    write_tiff(root + "/changed.tif", changed);
    segment(model, root + "/changed.tif", root + "/prob_changed.tif", so);
    const Image a = read_tiff(root + "/prob.tif").converted(DType::F32), b = read_tiff(root + "/prob_changed.tif").converted(DType::F32);
    ASSERT_EQ(a.shape().t, 8);
    for (int t = 0; t < 8; ++t) {
        const double diff = max_difference(frame_of(a, t), frame_of(b, t));
        if (t < 5) EXPECT_EQ(diff, 0.0) << "frame " << t << " does not see frame 5";
        else EXPECT_GT(diff, 1e-4) << "frame " << t << " sees frame 5";
    }
}
