// Model package export of a trained network (train_export.h).
#include "nativeseg/train_export.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/version.h>
#include <yaml-cpp/yaml.h>

#include "nativeseg/atomic_file.h"
#include "nativeseg/error.h"
#include "nativeseg/image.h"
#include "nativeseg/normalize.h"
#include "nativeseg/npy.h"
#include "nativeseg/version.h"

namespace nativeseg {

namespace {

void write_text(const std::string& path, const std::string& text) {
    AtomicOutput out(path);
    {
        std::ofstream f(out.temp_path());
        f << text;
        if (!f) throw Error(path + ": cannot write");
    }
    out.commit();
}

NpyArray to_npy(const at::Tensor& t_in) {
    const at::Tensor t = t_in.to(at::kFloat).contiguous();
    NpyArray a;
    a.shape = t.sizes().vec();
    a.kind = 'f';
    a.itemsize = 4;
    a.data.resize(static_cast<std::size_t>(t.numel()) * 4);
    std::memcpy(a.data.data(), t.data_ptr<float>(), a.data.size());
    return a;
}

std::vector<std::string> channel_names(const ArchitectureSpec& spec) {
    if (spec.out_channels == 1) return {"foreground"};
    if (spec.out_channels == 3) return {"background", "interior", "boundary"};
    std::vector<std::string> names;
    for (int i = 0; i < spec.out_channels; ++i) names.push_back("class" + std::to_string(i));
    return names;
}

std::string list(const std::vector<std::string>& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
    return s + "]";
}

// The crop used as the test input: the centre of the image, a valid size of at most 256 px.
cv::Rect test_crop(const cv::Mat& image, std::int64_t step) {
    const int h = static_cast<int>(std::max<std::int64_t>(step, std::min<std::int64_t>(256, image.rows) / step * step));
    const int w = static_cast<int>(std::max<std::int64_t>(step, std::min<std::int64_t>(256, image.cols) / step * step));
    return {std::max(0, (image.cols - w) / 2), std::max(0, (image.rows - h) / 2), std::min(w, image.cols),
            std::min(h, image.rows)};
}

// Input channel names: "raw", or one per frame of a temporal window (t_minus4 .. t when causal;
// identifiers, as bioimage.io channel names must be).
std::vector<std::string> input_channel_names(const ArchitectureSpec& spec) {
    if (!spec.is_temporal()) return {"raw"};
    std::vector<std::string> names;
    for (int i = 0; i < spec.temporal_window; ++i) {
        const int d = i - spec.target_frame();
        names.push_back(d == 0 ? "t" : d < 0 ? "t_minus" + std::to_string(-d) : "t_plus" + std::to_string(d));
    }
    return names;
}

std::string yaml_of(const nlohmann::json& recipe) {
    YAML::Emitter e;
    e << YAML::BeginMap;
    for (auto it = recipe.begin(); it != recipe.end(); ++it) {
        e << YAML::Key << it.key() << YAML::Value;
        const auto& v = it.value();
        if (v.is_string()) e << v.get<std::string>();
        else if (v.is_boolean()) e << v.get<bool>();
        else if (v.is_number_integer()) e << v.get<std::int64_t>();
        else e << v.dump();
    }
    e << YAML::EndMap;
    return std::string(e.c_str()) + "\n";
}

cv::Mat to8(const cv::Mat& m) {
    cv::Mat out;
    m.convertTo(out, CV_8U, 255.0);
    return out;
}

// 2-D test tensors: a centre crop of the image (of every frame of a temporal window).
void export_image_test(torch::jit::Module& module, const ArchitectureSpec& spec, const TrainOptions& o,
                       const TrainingItem& s, const std::string& dir) {
    // Temporal networks: every frame of the window, each normalised on its own (the rdf's
    // scale_range over y and x is per channel, i.e. per frame).
    const std::vector<cv::Mat> raw_frames = s.raw_frames.empty() ? std::vector<cv::Mat>{s.raw} : s.raw_frames;
    if (static_cast<int>(raw_frames.size()) != spec.input_frames())
        throw Error("export: the test image has " + std::to_string(raw_frames.size()) + " frame(s), the network takes " +
                    std::to_string(spec.input_frames()));
    const cv::Rect crop = test_crop(s.raw, spec.size_step());
    NormalizeOptions no;
    no.mode = o.dataset.normalize;
    no.low_percentile = o.dataset.normalize_low;
    no.high_percentile = o.dataset.normalize_high;
    std::vector<at::Tensor> raw_channels, channels;
    cv::Mat input;  // the predicted frame, normalised (for the cover)
    for (std::size_t i = 0; i < raw_frames.size(); ++i) {
        const cv::Mat raw = raw_frames[i](crop).clone();
        Image plane(Shape{1, 1, 1, raw.rows, raw.cols}, DType::F32);
        std::memcpy(plane.bytes(), raw.data, plane.byte_size());
        IntensityStats stats;
        if (needs_statistics(no.mode)) stats = video_statistics([&](std::int64_t) { return plane; }, 1, no);
        const cv::Mat normalised = normalize_plane(plane, no, stats).plane_mat(0).clone();
        raw_channels.push_back(at::from_blob(const_cast<float*>(raw.ptr<float>()), {raw.rows, raw.cols}, at::kFloat).clone());
        channels.push_back(at::from_blob(const_cast<float*>(normalised.ptr<float>()), {raw.rows, raw.cols}, at::kFloat).clone());
        if (static_cast<int>(i) == (raw_frames.size() == 1 ? 0 : s.frame_index)) input = normalised;
    }
    const at::Tensor x_raw = at::stack(raw_channels).unsqueeze(0);
    const at::Tensor x = at::stack(channels).unsqueeze(0);
    const at::Tensor out = module.forward({x}).toTensor().contiguous();
    write_npy(dir + "/test_input.npy", to_npy(x_raw));
    write_npy(dir + "/test_output.npy", to_npy(out));

    // Cover: normalised input | foreground probability (or classes as colours).
    cv::Mat left = to8(cv::max(cv::min(input, 1.0f), 0.0f)), right;
    if (spec.out_channels == 1) {
        right = to8(cv::Mat(input.rows, input.cols, CV_32F, out.data_ptr<float>()).clone());
        cv::cvtColor(right, right, cv::COLOR_GRAY2BGR);
    } else {
        const at::Tensor cls = out[0].argmax(0).to(at::kByte).contiguous();
        cv::Mat c(input.rows, input.cols, CV_8U, cls.data_ptr());
        right = cv::Mat(c.size(), CV_8UC3, cv::Scalar(0, 0, 0));
        right.setTo(cv::Scalar(80, 200, 80), c == 1);
        right.setTo(cv::Scalar(40, 40, 230), c == 2);
    }
    cv::cvtColor(left, left, cv::COLOR_GRAY2BGR);
    cv::Mat cover;
    cv::hconcat(left, right, cover);
    if (!cv::imwrite(dir + "/cover.png", cover)) throw Error(dir + "/cover.png: cannot write");
}

// 3-D test tensors: the centre of the stack, a valid size of at most 64 slices and 128 px, normalised
// over the whole crop (the rdf's scale_range over z, y, x); the cover shows its middle slice.
void export_volume_test(torch::jit::Module& module, const ArchitectureSpec& spec, const TrainOptions& o,
                        const TrainingItem& s, const std::string& dir) {
    const std::int64_t step = spec.size_step();
    const int Z = s.slices, H = s.height(), W = s.raw.cols;
    if (Z < step || H < step || W < step)
        throw Error("export: the test stack " + s.source + " (" + std::to_string(W) + " x " + std::to_string(H) + " x " +
                    std::to_string(Z) + ") is smaller than " + std::to_string(step) + " px or slices");
    auto valid = [&](int n, int most) { return static_cast<int>(std::min<std::int64_t>(most, n) / step * step); };
    const int cz = valid(Z, 64), ch = valid(H, 128), cw = valid(W, 128);
    const int z0 = (Z - cz) / 2, y0 = (H - ch) / 2, x0 = (W - cw) / 2;
    Image crop(Shape{1, cz, 1, ch, cw}, DType::F32);
    for (int z = 0; z < cz; ++z) s.raw(cv::Rect(x0, (z0 + z) * H + y0, cw, ch)).copyTo(crop.plane_mat(z));
    NormalizeOptions no;
    no.mode = o.dataset.normalize;
    no.low_percentile = o.dataset.normalize_low;
    no.high_percentile = o.dataset.normalize_high;
    IntensityStats stats;
    if (needs_statistics(no.mode)) stats = video_statistics([&](std::int64_t z) { return crop.plane_copy(z); }, cz, no);
    at::Tensor x = at::empty({1, 1, cz, ch, cw}, at::kFloat);
    for (int z = 0; z < cz; ++z) {
        const Image n = normalize_plane(crop.plane_copy(z), no, stats);
        std::memcpy(x[0][0][z].data_ptr<float>(), n.bytes(), n.byte_size());
    }
    const at::Tensor x_raw = at::from_blob(crop.bytes(), {1, 1, cz, ch, cw}, at::kFloat).clone();
    const at::Tensor out = module.forward({x}).toTensor().contiguous();
    write_npy(dir + "/test_input.npy", to_npy(x_raw));
    write_npy(dir + "/test_output.npy", to_npy(out));
    const at::Tensor mid_in = x[0][0][cz / 2].clamp(0, 1).contiguous();
    const at::Tensor mid_out = (out.size(1) == 1 ? out[0][0][cz / 2] : 1 - out[0][0][cz / 2]).contiguous();
    cv::Mat cover;
    cv::hconcat(to8(cv::Mat(ch, cw, CV_32F, mid_in.data_ptr<float>()).clone()),
                to8(cv::Mat(ch, cw, CV_32F, mid_out.data_ptr<float>()).clone()), cover);
    if (!cv::imwrite(dir + "/cover.png", cover)) throw Error(dir + "/cover.png: cannot write");
}

}  // namespace

std::string package_rdf(const ArchitectureSpec& spec, const TrainOptions& o, const TrainResult& r) {
    const std::int64_t step = spec.size_step();
    const bool percentile = o.dataset.normalize == NormalizeMode::Percentile;
    std::ostringstream y;
    y << "format_version: 0.5.3\n"
      << "type: model\n"
      << "id: " << o.model_name << "\n"
      << "name: " << o.model_name << "\n"
      << "description: \"" << spec.name << " (" << r.parameters << " parameters) trained with nativeseg train on "
      << (o.dataset.target == TargetKind::Binary ? "foreground masks" : "background / interior / boundary classes")
      << "\"\n"
      << "license: MIT\n"
      << "version: 1.0.0\n"
      << "documentation: README.md\n"
      << "covers: [cover.png]\n"
      << "authors: [{name: NativeSeg trainer}]\n"
      << "cite:\n"
      << "  - {text: \"Ronneberger, Fischer, Brox: U-Net (MICCAI 2015)\", doi: 10.1007/978-3-319-24574-4_28}\n"
      << "tags: [segmentation, " << (spec.spatial_dims == 3 ? "3d" : "2d") << ", unet, " << (spec.is_temporal() ? "convlstm, time-lapse, " : "") << "nativeseg]\n"
      << "inputs:\n"
      << "  - id: raw\n"
      << "    axes:\n"
      << "      - {type: batch}\n"
      << "      - {type: channel, channel_names: " << list(input_channel_names(spec)) << "}\n";
    if (spec.spatial_dims == 3) y << "      - {type: space, id: z, size: {min: " << step << ", step: " << step << "}}\n";
    y << "      - {type: space, id: y, size: {min: " << step << ", step: " << step << "}}\n"
      << "      - {type: space, id: x, size: {min: " << step << ", step: " << step << "}}\n"
      << "    test_tensor: {source: test_input.npy}\n";
    if (percentile)
        y << "    preprocessing:\n"
          << "      - {id: scale_range, kwargs: {axes: " << (spec.spatial_dims == 3 ? "[z, y, x]" : "[y, x]")
          << ", min_percentile: " << o.dataset.normalize_low
          << ", max_percentile: " << o.dataset.normalize_high << "}}\n"
          << "      - {id: clip, kwargs: {min: 0.0, max: 1.0}}\n";
    y << "outputs:\n"
      << "  - id: prediction\n"
      << "    axes:\n"
      << "      - {type: batch}\n"
      << "      - {type: channel, channel_names: " << list(channel_names(spec)) << "}\n";
    if (spec.spatial_dims == 3)
        y << "      - {type: space, id: z, size: {tensor_id: raw, axis_id: z}, halo: " << spec.halo() << "}\n";
    y << "      - {type: space, id: y, size: {tensor_id: raw, axis_id: y}, halo: " << spec.halo() << "}\n"
      << "      - {type: space, id: x, size: {tensor_id: raw, axis_id: x}, halo: " << spec.halo() << "}\n"
      << "    test_tensor: {source: test_output.npy}\n"
      << "weights:\n"
      << "  torchscript: {source: weights.pt, pytorch_version: \"" << TORCH_VERSION_MAJOR << "."
      << TORCH_VERSION_MINOR << "." << TORCH_VERSION_PATCH << "\"}\n"
      << "config:\n"
      << "  nativeseg:\n"
      << "    channels: " << list(channel_names(spec)) << "\n";
    if (spec.out_channels == 1) y << "    threshold: " << o.threshold << "\n";
    if (o.suggested_object_min_size) y << "    object_min_size: " << *o.suggested_object_min_size << "\n";
    if (o.suggested_seed_min_size) y << "    seed_min_size: " << *o.suggested_seed_min_size << "\n";
    y << "    normalize: " << (percentile ? "none" : normalize_mode_name(o.dataset.normalize)) << "\n"
      << "    halo: " << spec.halo() << "\n"
      << "    architecture: " << spec.to_json().dump() << "\n";
    // The predictor feeds a temporal network its window: frames stacked as channels, oldest
    // first, the ends padded with copies of the first/last frame (as in training).
    if (spec.is_temporal())
        y << "    temporal_window: " << spec.temporal_window << "\n"
          << "    temporal_mode: " << spec.temporal_mode << "\n"
          << "    temporal_padding: replicate\n";
    y << "    trained_with: \"nativeseg " << NATIVESEG_VERSION << "\"\n";
    return y.str();
}

void export_package(torch::jit::Module& module, const ArchitectureSpec& spec, const TrainOptions& o,
                    const TrainResult& r, const std::vector<TrainingItem>& samples) {
    if (samples.empty()) throw Error("export: no image for the test tensors");
    torch::NoGradGuard no_grad;
    module.train(false);
    const std::string dir = o.out;
    ensure_writable_dir(dir);
    {
        AtomicOutput w(dir + "/weights.pt");
        module.save(w.temp_path());
        w.commit();
    }
    // Test tensors: raw values in, the network's output (after the rdf pre-processing) out.
    const TrainingItem& s = samples.front();
    if (spec.spatial_dims == 3) export_volume_test(module, spec, o, s, dir);
    else export_image_test(module, spec, o, s, dir);

    write_text(dir + "/rdf.yaml", package_rdf(spec, o, r));
    if (!o.recipe.empty()) write_text(dir + "/train.yaml", yaml_of(o.recipe));

    // Model card.
    std::ostringstream md;
    const EpochRecord* best = nullptr;
    for (const auto& e : r.history)
        if (e.epoch == r.best_epoch) best = &e;
    md << "# " << o.model_name << "\n\n"
       << "Trained by `nativeseg train` (NativeSeg " << NATIVESEG_VERSION << ").\n\n"
       << "![input | prediction](cover.png)\n\n"
       << "## Network\n\n"
       << "`" << spec.name << "`, " << r.parameters << " parameters: `" << spec.to_json().dump() << "`.\n"
       << "Input: "
       << (spec.is_temporal() ? std::to_string(spec.temporal_window) + " consecutive frames as channels, oldest first (" +
                                    spec.temporal_mode + " window; the prediction is for the " +
                                    (spec.temporal_mode == "causal" ? "last" : "centre") + " frame)"
                              : std::string("one channel"))
       << (spec.spatial_dims == 3 ? ", z, y" : ", y") << " and x multiples of " << spec.size_step() << "; output: "
       << list(channel_names(spec)) << " probabilities.\n\n"
       << "## Data\n\n"
       << "Training: `" << o.data << "`\n\n"
       << "Validation: " << (o.validation_data.empty() ? "a split of the training data" : "`" + o.validation_data + "`")
       << "\n\n"
       << "## Recipe\n\n"
       << "```\nnativeseg train --config train.yaml\n```\n\n"
       << "with [train.yaml](train.yaml) (every setting, including the defaults). Training curve: "
       << "[training_curve.png](training_curve.png), per epoch: [history.csv](history.csv).\n\n"
       << "## Validation scores (during training)\n\n";
    if (best) {
        char line[256];
        std::snprintf(line, sizeof line,
                      "Best epoch %d of %zu: validation loss %.4f, foreground IoU %.4f, Dice %.4f%s.\n\n", best->epoch,
                      r.history.size(), best->val_loss, best->val_iou, best->val_dice,
                      best->val_seg >= 0 ? (", SEG " + std::to_string(best->val_seg)).c_str() : "");
        md << line;
    }
    md << "## Limits\n\nTrained on the data above only; other microscopes, magnifications or stains may need "
          "re-training (`nativeseg train`). Inputs are normalised per image with the 0.1/99.1 percentiles.\n";
    write_text(dir + "/README.md", md.str());
}

}  // namespace nativeseg
