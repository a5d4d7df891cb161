// Training: losses against hand-computed values, label transforms on small synthetic
// instances, augmentation alignment, a tiny training run that must learn, resume, export
// (validate-model passes) and bad input rejected before training starts.
#include <cmath>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "model_fixtures.h"
#include "nativeseg/augment.h"
#include "nativeseg/dataset.h"
#include "nativeseg/error.h"
#include "nativeseg/losses.h"
#include "nativeseg/model.h"
#include "nativeseg/rdf.h"
#include "nativeseg/segment.h"
#include "nativeseg/tiff_io.h"
#include "nativeseg/train.h"
#include "nativeseg/train_config.h"

namespace fs = std::filesystem;
using namespace nativeseg;

namespace {

// Two pixels: logits (0, ln 3), targets (1, 0), weights w0, w1.
struct TwoPixels {
    at::Tensor logits = at::tensor({0.0f, std::log(3.0f)}).view({1, 1, 1, 2});
    at::Tensor target = at::tensor({1, 0}, at::kLong).view({1, 1, 2});
    at::Tensor weight(float w0, float w1) const { return at::tensor({w0, w1}).view({1, 1, 2}); }
};

double loss_of(LossKind k, const at::Tensor& logits, const at::Tensor& target, const at::Tensor& weight,
               std::vector<double> cw = {}) {
    LossOptions o;
    o.kind = k;
    o.class_weights = std::move(cw);
    return compute_loss(logits, target, weight, o).item<double>();
}

}  // namespace

TEST(Losses, BinaryCrossEntropyByHand) {
    TwoPixels p;
    // -log σ(0) = ln 2; σ(ln 3) = 0.75, so -log(1 - 0.75) = ln 4.
    EXPECT_NEAR(loss_of(LossKind::BCE, p.logits, p.target, p.weight(1, 1)), (std::log(2.0) + std::log(4.0)) / 2, 1e-5);
    // bce only masks: weight 3 counts as 1; weight 0 leaves the pixel out.
    EXPECT_NEAR(loss_of(LossKind::BCE, p.logits, p.target, p.weight(3, 1)), (std::log(2.0) + std::log(4.0)) / 2, 1e-5);
    EXPECT_NEAR(loss_of(LossKind::BCE, p.logits, p.target, p.weight(0, 1)), std::log(4.0), 1e-5);
    EXPECT_NEAR(loss_of(LossKind::WeightedBCE, p.logits, p.target, p.weight(3, 1)),
                (3 * std::log(2.0) + std::log(4.0)) / 4, 1e-5);
}

TEST(Losses, DiceFocalAndSumByHand) {
    TwoPixels p;
    // p = (0.5, 0.75), t = (1, 0): 1 - 2·0.5 / (1.25 + 1).
    const double dice = 1 - 1.0 / 2.25;
    EXPECT_NEAR(loss_of(LossKind::Dice, p.logits, p.target, p.weight(1, 1)), dice, 1e-5);
    // Focal, γ = 2: p_t = 0.5 and 0.25.
    const double focal = (0.25 * std::log(2.0) + 0.5625 * std::log(4.0)) / 2;
    EXPECT_NEAR(loss_of(LossKind::Focal, p.logits, p.target, p.weight(1, 1)), focal, 1e-5);
    EXPECT_NEAR(loss_of(LossKind::BCEDice, p.logits, p.target, p.weight(1, 1)),
                (std::log(2.0) + std::log(4.0)) / 2 + dice, 1e-5);
}

TEST(Losses, CategoricalCrossEntropyWithClassWeights) {
    // Pixel A: logits (ln 2, 0, 0), class 0 → p = 0.5; pixel B: (0, 0, 0), class 2 → p = 1/3.
    const at::Tensor logits = at::tensor({std::log(2.0f), 0.0f, 0.0f, 0.0f, 0.0f, 0.0f}).view({3, 2}).t().contiguous().view({1, 3, 1, 2});
    const at::Tensor target = at::tensor({0, 2}, at::kLong).view({1, 1, 2});
    const at::Tensor w = at::ones({1, 1, 2});
    EXPECT_NEAR(loss_of(LossKind::CrossEntropy, logits, target, w), (std::log(2.0) + std::log(3.0)) / 2, 1e-5);
    EXPECT_NEAR(loss_of(LossKind::CrossEntropy, logits, target, w, {1, 1, 3}), (std::log(2.0) + 3 * std::log(3.0)) / 4,
                1e-5);
    EXPECT_THROW(loss_of(LossKind::CrossEntropy, logits, target, w, {1, 1}), Error);
}

TEST(LabelTransforms, ThreeClassBoundariesAndSeparatedBinary) {
    // Two touching 5x6 objects in a 12x14 image.
    cv::Mat labels = cv::Mat::zeros(12, 14, CV_32S);
    labels(cv::Rect(2, 3, 5, 6)).setTo(1);
    labels(cv::Rect(7, 3, 5, 6)).setTo(2);
    const cv::Mat t = three_class_target(labels, 1);
    EXPECT_EQ(t.at<std::uint8_t>(0, 0), 0);      // background
    EXPECT_EQ(t.at<std::uint8_t>(3, 2), 2);      // object corner: boundary
    EXPECT_EQ(t.at<std::uint8_t>(5, 6), 2);      // where the objects touch
    EXPECT_EQ(t.at<std::uint8_t>(5, 7), 2);
    EXPECT_EQ(t.at<std::uint8_t>(5, 4), 1);      // inside object 1
    EXPECT_EQ(t.at<std::uint8_t>(5, 9), 1);      // inside object 2
    EXPECT_EQ(cv::countNonZero(t == 1), 2 * 3 * 4);  // each object's interior is 3x4
    const cv::Mat b = binary_target(labels);
    EXPECT_EQ(b.at<std::uint8_t>(5, 6), 0);      // touching pixels split the objects
    EXPECT_EQ(b.at<std::uint8_t>(5, 7), 0);
    EXPECT_EQ(b.at<std::uint8_t>(3, 2), 1);
    cv::Mat cc;
    EXPECT_EQ(cv::connectedComponents(b, cc, 8), 3);  // background + 2 objects
}

TEST(LabelTransforms, BorderWeightsPeakBetweenCloseObjects) {
    cv::Mat labels = cv::Mat::zeros(20, 40, CV_32S);
    labels(cv::Rect(5, 5, 8, 10)).setTo(1);
    labels(cv::Rect(16, 5, 8, 10)).setTo(2);  // gap of 3 px at x = 13..15
    const cv::Mat w = border_weights(labels, 10, 5);
    EXPECT_FLOAT_EQ(w.at<float>(10, 8), 1.0f);  // on an object
    // In the gap: d1 = 1 (x = 13 to object 1's edge at 12), d2 = 3 (to x = 16): 1 + 10 exp(-16/50).
    EXPECT_NEAR(w.at<float>(10, 13), 1 + 10 * std::exp(-16.0 / 50), 1e-3);
    EXPECT_GT(w.at<float>(10, 14), w.at<float>(10, 35));  // between the objects vs far away
    EXPECT_LT(w.at<float>(10, 38), 1.5f);
}

TEST(Augment, ImageTargetAndWeightStayAligned) {
    // The image equals its target (a few discs), so after any geometric transform the
    // thresholded image patch must equal the target patch (up to interpolation at edges).
    TrainingItem item;
    cv::Mat labels = cv::Mat::zeros(96, 96, CV_32S);
    cv::circle(labels, {30, 30}, 12, cv::Scalar(1), cv::FILLED);
    cv::circle(labels, {65, 60}, 15, cv::Scalar(2), cv::FILLED);
    item.target = binary_target(labels);
    item.target.convertTo(item.image, CV_32F);
    item.weight = cv::Mat(labels.size(), CV_32F, cv::Scalar(1.0f));
    AugmentOptions o;
    o.patch = 64;
    o.rotation = 180;
    o.shear = 10;
    o.scale = 0.3;
    o.shift = 0.2;
    o.elastic = 6;
    o.foreground_sampling = 1;
    std::mt19937_64 rng(5);
    for (int i = 0; i < 20; ++i) {
        const Patch p = augment_patch(item, o, rng);
        ASSERT_EQ(p.image.size(), cv::Size(64, 64));
        const cv::Mat agree = (p.image > 0.5f) == (p.target > 0);
        EXPECT_GT(cv::countNonZero(agree), 0.97 * 64 * 64) << "patch " << i;
        EXPECT_GT(cv::countNonZero(p.target), 0) << "foreground sampling gives foreground";
    }
    // Exact for a quarter turn: patch (x, y) takes item (y, 63 - x).
    cv::Mat mx(64, 64, CV_32F), my(64, 64, CV_32F);
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x) {
            mx.at<float>(y, x) = static_cast<float>(y);
            my.at<float>(y, x) = static_cast<float>(63 - x);
        }
    const Patch q = sample_patch(item, mx, my);
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x) ASSERT_EQ(q.target.at<std::uint8_t>(y, x), item.target.at<std::uint8_t>(63 - x, y));
    // Pixels taken from outside the image do not count.
    mx.setTo(-5.0f);
    EXPECT_EQ(cv::countNonZero(sample_patch(item, mx, my).weight), 0);
}

TEST(Architectures, ParameterCountForwardAndHeads) {
    ArchitectureSpec s;
    s.depth = 2;
    s.base_filters = 4;
    // Hand count (conv weights + biases, BN scale + shift): 204 + 912 + 3552 + 520 + 1776 + 132 + 456 + 5.
    torch::jit::Module m = build_architecture(s, 1);
    EXPECT_EQ(parameter_count(m), 7557);
    m.train(false);
    torch::NoGradGuard g;
    const at::Tensor y = m.forward({at::rand({2, 1, 32, 24})}).toTensor();
    EXPECT_EQ(y.sizes(), (std::vector<int64_t>{2, 1, 32, 24}));
    EXPECT_TRUE((y >= 0).all().item<bool>() && (y <= 1).all().item<bool>());
    for (const std::string& name : architecture_names()) {
        ArchitectureSpec a;
        a.name = name;
        a.depth = 3;
        a.base_filters = 4;
        a.out_channels = 3;
        a.upsampling = name == "residual_unet" ? "bilinear" : "transposed";
        a.dropout = 0.1;
        torch::jit::Module n = build_architecture(a, 2);
        n.train(false);
        const at::Tensor p = n.forward({at::rand({1, a.input_frames(), 16, 40})}).toTensor();  // temporal: k frames
        EXPECT_EQ(p.sizes(), (std::vector<int64_t>{1, 3, 16, 40})) << name;
        EXPECT_NEAR(p.sum(1).mean().item<double>(), 1.0, 1e-5) << name;  // softmax over classes
    }
    // 3-D U-Net: the same blocks with conv3d / max_pool3d / conv_transpose3d.
    ArchitectureSpec v;
    v.spatial_dims = 3;
    v.depth = 2;
    v.base_filters = 2;
    torch::jit::Module n3 = build_architecture(v, 3);
    n3.train(false);
    EXPECT_EQ(n3.forward({at::rand({1, 1, 8, 16, 12})}).toTensor().sizes(), (std::vector<int64_t>{1, 1, 8, 16, 12}));
    ArchitectureSpec bad;
    bad.name = "transformer";
    EXPECT_THROW(build_architecture(bad, 1), Error);
}

namespace {

// A pairs-layout data set: noisy images with bright discs, labels as instance ids.
void write_disc_set(const std::string& dir, int n, int size, std::uint64_t seed) {
    fs::create_directories(dir + "/x");
    fs::create_directories(dir + "/y");
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> pos(8, size - 9), rad(4, 7);
    std::normal_distribution<float> noise(0, 12);
    for (int i = 0; i < n; ++i) {
        Image img(Shape{1, 1, 1, size, size}, DType::U16), lab(Shape{1, 1, 1, size, size}, DType::U16);
        cv::Mat im = img.plane_mat(0), lb = lab.plane_mat(0);
        for (int k = 1; k <= 5; ++k) cv::circle(lb, {pos(rng), pos(rng)}, rad(rng), cv::Scalar(k), cv::FILLED);
        for (int y = 0; y < size; ++y)
            for (int x = 0; x < size; ++x)
                im.at<std::uint16_t>(y, x) =
                    static_cast<std::uint16_t>(std::max(0.0f, 100 + (lb.at<std::uint16_t>(y, x) ? 60.0f : 0.0f) + noise(rng)));
        char name[64];
        std::snprintf(name, sizeof name, "/x/img_%03d.tif", i);
        write_tiff(dir + name, img);
        std::snprintf(name, sizeof name, "/y/mask_%03d.tif", i);
        write_tiff(dir + name, lab);
    }
}

TrainOptions tiny_options(const std::string& data, const std::string& out) {
    TrainOptions o;
    o.data = data;
    o.out = out;
    o.model_name = "tiny";
    o.architecture.depth = 2;
    o.architecture.base_filters = 8;
    o.augment.patch = 32;
    o.batch_size = 4;
    o.steps_per_epoch = 10;
    o.epochs = 6;
    o.learning_rate = 0.01;
    o.validation_fraction = 0.25;
    o.device = "cpu";
    o.threads = 1;
    o.seed = 3;
    return o;
}

}  // namespace

TEST(Training, TinyRunLearnsResumesAndExportsAValidPackage) {
    const std::string root = fixtures::fresh_dir("train_tiny");
    write_disc_set(root + "/data", 8, 48, 1);
    TrainOptions o = tiny_options(root + "/data", root + "/out");
    o.suggested_object_min_size = 55;  // written into the package for predict's labels
    const TrainResult r = train_model(o);
    ASSERT_TRUE(r.finished);
    ASSERT_EQ(r.history.size(), 6u);
    EXPECT_LT(r.history.back().train_loss, 0.6 * r.history.front().train_loss);
    const double best_iou = r.history[r.best_epoch - 1].val_iou;
    EXPECT_GT(best_iou, 0.8);
    EXPECT_GT(r.history[r.best_epoch - 1].val_seg, 0.6);
    for (const char* f : {"rdf.yaml", "weights.pt", "test_input.npy", "test_output.npy", "README.md", "cover.png",
                          "training_curve.png", "history.csv", "checkpoint/state.json"})
        EXPECT_TRUE(fs::exists(root + "/out/" + f)) << f;
    const ValidationResult v = validate_model(root + "/out");
    EXPECT_TRUE(v.passed) << validation_text(v);
    const ModelDescription d = read_model_description(root + "/out");
    EXPECT_EQ(d.nativeseg.channels, (std::vector<std::string>{"foreground"}));
    EXPECT_EQ(d.inputs[0].processing.size(), 2u);  // scale_range + clip: the training normalisation
    ASSERT_TRUE(d.nativeseg.object_min_size.has_value());
    EXPECT_EQ(*d.nativeseg.object_min_size, 55);
    EXPECT_FALSE(d.nativeseg.seed_min_size.has_value());  // not given: not suggested

    // Stopped after 3 epochs and resumed: the same history as the uninterrupted run.
    TrainOptions first = tiny_options(root + "/data", root + "/resumed");
    first.epochs = 3;
    first.lr_schedule = "constant";
    train_model(first);
    TrainOptions second = first;
    second.epochs = 6;
    const TrainResult resumed = train_model(second);
    TrainOptions straight = tiny_options(root + "/data", root + "/straight");
    straight.lr_schedule = "constant";
    const TrainResult whole = train_model(straight);
    ASSERT_EQ(resumed.history.size(), 6u);
    for (int e = 0; e < 6; ++e)
        EXPECT_NEAR(resumed.history[e].train_loss, whole.history[e].train_loss, 1e-4 * whole.history[e].train_loss)
            << "epoch " << e + 1;
}

TEST(Training, ResumeRefusesAnotherArchitecture) {
    const std::string root = fixtures::fresh_dir("train_arch");
    write_disc_set(root + "/data", 4, 32, 2);
    TrainOptions o = tiny_options(root + "/data", root + "/out");
    o.epochs = 1;
    o.steps_per_epoch = 1;
    train_model(o);
    o.architecture.base_filters = 4;
    o.epochs = 2;
    try {
        train_model(o);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("another architecture"), std::string::npos) << e.what();
    }
}

TEST(TrainingBadInput, ClearErrorsBeforeTraining) {
    const std::string root = fixtures::fresh_dir("train_bad");
    write_disc_set(root + "/ok", 2, 32, 3);
    // Mismatched sizes.
    write_disc_set(root + "/mismatch", 2, 32, 4);
    Image small(Shape{1, 1, 1, 30, 32}, DType::U16);
    small.plane_mat(0)(cv::Rect(4, 4, 6, 6)).setTo(1);
    write_tiff(root + "/mismatch/y/mask_001.tif", small);
    EXPECT_NE(fixtures::error_of([&] { load_dataset(root + "/mismatch", {}); }).find("differs from its image"), std::string::npos);
    // An image without its label.
    write_disc_set(root + "/unlabelled", 2, 32, 5);
    fs::remove(root + "/unlabelled/y/mask_001.tif");
    EXPECT_NE(fixtures::error_of([&] { load_dataset(root + "/unlabelled", {}); }).find("no label image"), std::string::npos);
    // An empty label image.
    write_disc_set(root + "/empty", 2, 32, 6);
    write_tiff(root + "/empty/y/mask_000.tif", Image(Shape{1, 1, 1, 32, 32}, DType::U16));
    EXPECT_NE(fixtures::error_of([&] { load_dataset(root + "/empty", {}); }).find("empty"), std::string::npos);
    // A folder in no known layout.
    fs::create_directories(root + "/unknown/stuff");
    EXPECT_NE(fixtures::error_of([&] { load_dataset(root + "/unknown", {}); }).find("no layout"), std::string::npos);
    // Selections.
    EXPECT_NE(fixtures::error_of([&] { parse_data_sources("a[3-1]"); }).find("empty range"), std::string::npos);
    EXPECT_EQ(parse_data_sources("a[1-3,7];b").at(0).numbers, (std::vector<std::int64_t>{1, 2, 3, 7}));
    EXPECT_EQ(load_dataset(root + "/ok[1]", {}).size(), 1u);
    // A config key that does not exist, and a bad value, name the line.
    std::ofstream(root + "/bad.yaml") << "epochs: 3\nlearning_rat: 0.1\n";
    SettingValues v;
    const std::string e1 = fixtures::error_of([&] { apply_train_config(root + "/bad.yaml", v); });
    EXPECT_NE(e1.find("line 2: unknown key 'learning_rat'"), std::string::npos) << e1;
    std::ofstream(root + "/bad2.yaml") << "training_data: [" << root << "/ok]\nepochs: lots\n";
    SettingValues v2;
    EXPECT_NE(fixtures::error_of([&] { apply_train_config(root + "/bad2.yaml", v2); }).find("line 2"), std::string::npos);
    // A patch size the network cannot take is refused before the data is read.
    TrainOptions o = tiny_options(root + "/ok", root + "/out");
    o.augment.patch = 34;
    EXPECT_NE(fixtures::error_of([&] { train_model(o); }).find("patch_size"), std::string::npos);
}

namespace {

// A pairs-layout set of z stacks: noisy volumes with bright balls, labels as instance ids.
void write_ball_stacks(const std::string& dir, int n, int slices, int size, std::uint64_t seed) {
    fs::create_directories(dir + "/x");
    fs::create_directories(dir + "/y");
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> pos(6, size - 7), zpos(3, slices - 4), rad(3, 5);
    std::normal_distribution<float> noise(0, 10);
    for (int i = 0; i < n; ++i) {
        Shape s{1, slices, 1, size, size};
        Image img(s, DType::U16), lab(s, DType::U16);
        for (int k = 1; k <= 4; ++k) {
            const int cx = pos(rng), cy = pos(rng), cz = zpos(rng), r = rad(rng);
            for (int z = std::max(0, cz - r); z <= std::min(slices - 1, cz + r); ++z) {
                const int rz = static_cast<int>(std::sqrt(double(r * r - (z - cz) * (z - cz))));
                if (rz > 0) cv::circle(lab.plane_mat(z), {cx, cy}, rz, cv::Scalar(k), cv::FILLED);
            }
        }
        for (int z = 0; z < slices; ++z) {
            cv::Mat im = img.plane_mat(z), lb = lab.plane_mat(z);
            for (int y = 0; y < size; ++y)
                for (int x = 0; x < size; ++x)
                    im.at<std::uint16_t>(y, x) = static_cast<std::uint16_t>(
                        std::max(0.0f, 100 + (lb.at<std::uint16_t>(y, x) ? 60.0f : 0.0f) + noise(rng)));
        }
        char name[64];
        std::snprintf(name, sizeof name, "/x/stack_%03d.tif", i);
        write_tiff(dir + name, img);
        std::snprintf(name, sizeof name, "/y/stack_%03d.tif", i);
        write_tiff(dir + name, lab);
    }
}

}  // namespace

TEST(Training3D, StacksAugmentTrainExportAndPredict) {
    const std::string root = fixtures::fresh_dir("train_3d");
    write_ball_stacks(root + "/data", 4, 16, 32, 7);
    DatasetOptions d;
    d.spatial_dims = 3;
    const std::vector<TrainingItem> items = load_dataset(root + "/data", d);
    ASSERT_EQ(items.size(), 4u);
    EXPECT_EQ(items[0].slices, 16);
    EXPECT_EQ(items[0].image.size(), cv::Size(32, 16 * 32));
    EXPECT_EQ(items[0].height(), 32);

    // Patches: the same flips and turns for image, target and weight (image = target here).
    TrainingItem same = items[0];
    same.target.convertTo(same.image, CV_32F);
    AugmentOptions a;
    a.patch = 16;
    a.patch_z = 8;
    a.foreground_sampling = 1;
    std::mt19937_64 rng(2);
    for (int i = 0; i < 10; ++i) {
        const Patch p = augment_patch(same, a, rng);
        ASSERT_EQ(p.image.size(), cv::Size(16, 8 * 16));
        EXPECT_EQ(cv::countNonZero((p.image > 0.5f) != (p.target > 0)), 0) << "patch " << i;
        EXPECT_GT(cv::countNonZero(p.target), 0);
    }

    TrainOptions o = tiny_options(root + "/data", root + "/out");
    o.architecture.spatial_dims = 3;
    o.architecture.base_filters = 4;
    o.augment.patch = 16;
    o.augment.patch_z = 8;
    o.batch_size = 2;
    o.steps_per_epoch = 4;
    o.epochs = 2;
    const TrainResult r = train_model(o);
    ASSERT_TRUE(r.finished);
    EXPECT_TRUE(std::isfinite(r.history.back().train_loss));
    EXPECT_GE(r.history.back().val_iou, 0.0);
    EXPECT_EQ(r.history.back().val_seg, -1);  // SEG is 2-D only
    const ValidationResult v = validate_model(root + "/out");
    EXPECT_TRUE(v.passed) << validation_text(v);
    const ModelDescription desc = read_model_description(root + "/out");
    EXPECT_EQ(desc.inputs[0].letters(), "bczyx");
    // The predictor runs the 3-D package on a whole stack: one probability per voxel.
    SegmentOptions so;
    so.predictor.device = "cpu";
    segment(Model(root + "/out"), root + "/data/x/stack_001.tif", root + "/prob.tif", so);
    const Image prob = read_tiff(root + "/prob.tif");
    EXPECT_EQ(prob.shape().planes(), 16);
    EXPECT_EQ(prob.shape().y, 32);

    // Bad settings: a z patch the network cannot take, 3-D from a layout without stacks.
    TrainOptions bad = o;
    bad.augment.patch_z = 6;
    EXPECT_NE(fixtures::error_of([&] { train_model(bad); }).find("patch_size_z"), std::string::npos);
    write_disc_set(root + "/flat", 2, 32, 3);
    fs::create_directories(root + "/ctc/01_GT/SEG");
    fs::create_directories(root + "/ctc/01");
    d.layout = "auto";
    EXPECT_NE(fixtures::error_of([&] { load_dataset(root + "/ctc/01", d); }).find("3-D training reads z stacks"), std::string::npos);
}

TEST(TrainingSettings, LabelSizesGivenToTrainBecomeThePackagesSuggestion) {
    SettingValues v;
    v.set("training_data", "data");
    v.set("out", "out");
    EXPECT_FALSE(train_options(v).suggested_object_min_size.has_value());  // defaults: nothing suggested
    EXPECT_DOUBLE_EQ(train_options(v).threshold, 0.5);
    v.set("object_min_size", "600");
    v.set("seed_min_size", "150");
    v.set("threshold", "0.7");
    const TrainOptions o = train_options(v);
    EXPECT_DOUBLE_EQ(o.threshold, 0.7);
    ASSERT_TRUE(o.suggested_object_min_size && o.suggested_seed_min_size);
    EXPECT_EQ(*o.suggested_object_min_size, 600);
    EXPECT_EQ(*o.suggested_seed_min_size, 150);
}
