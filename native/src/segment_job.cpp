// The `segment` job: stream a video through normalisation, the predictor and the output
// conversion, page by page.
#include "nativeseg/segment.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstring>
#include <filesystem>
#include <map>
#include <numeric>

#include <opencv2/imgproc.hpp>

#include "nativeseg/atomic_file.h"
#include "nativeseg/class_instances.h"
#include "nativeseg/error.h"
#include "nativeseg/instances.h"
#include "nativeseg/temporal_window.h"
#include "nativeseg/video_io.h"

namespace nativeseg {

const char* output_type_name(OutputType t) {
    switch (t) {
    case OutputType::Probability: return "probability";
    case OutputType::Classes: return "classes";
    case OutputType::Mask: return "mask";
    case OutputType::Labels: return "labels";
    }
    return "probability";
}

OutputType output_type_from_name(const std::string& name, const std::string& what) {
    for (auto t : {OutputType::Probability, OutputType::Classes, OutputType::Mask, OutputType::Labels})
        if (name == output_type_name(t)) return t;
    throw Error(what + ": expected one of probability, classes, mask, labels, got '" + name + "'");
}

SegmentOptions segment_options(const SettingValues& v) {
    SegmentOptions o;
    o.predictor.device = v.get_string("device");
    o.predictor.tile = v.get_int("tile");
    o.predictor.batch = v.get_int("batch");
    o.predictor.tta = v.get_bool("tta");
    o.predictor.half = v.get_string("precision") == "float16";
    o.predictor.halo = v.get_int("halo");
    o.predictor.threads = static_cast<int>(v.get_int("threads"));
    o.normalize = v.get_string("normalize");
    o.illumination_correction = v.get_bool("illumination_correction");
    o.output = output_type_from_name(v.get_string("output_type"));
    if (!v.is_default("threshold")) o.threshold = v.get_float("threshold");
    if (!v.is_default("object_min_size")) o.min_size = static_cast<int>(v.get_int("object_min_size"));
    if (!v.is_default("seed_min_size")) o.seed_min_size = static_cast<int>(v.get_int("seed_min_size"));
    return o;
}

// ---------------------------------------------------------------------------------------------
// Probabilities → classes, masks, labels

namespace {

// 26-connected components of a stack of 0/1 planes: 8-connected labels per plane, joined
// across neighbouring planes with a union-find. Labels 1..n in order of first appearance.
std::vector<cv::Mat> label_volume(const std::vector<cv::Mat>& masks) {
    std::vector<cv::Mat> labels(masks.size());
    std::vector<std::int32_t> base(masks.size(), 0);
    std::int32_t total = 0;
    for (std::size_t z = 0; z < masks.size(); ++z) {
        const int n = cv::connectedComponents(masks[z], labels[z], 8, CV_32S);
        base[z] = total;
        total += n - 1;
    }
    std::vector<std::int32_t> parent(static_cast<std::size_t>(total) + 1);
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](std::int32_t a) {
        while (parent[a] != a) a = parent[a] = parent[parent[a]];
        return a;
    };
    for (std::size_t z = 1; z < masks.size(); ++z) {
        const cv::Mat& a = labels[z - 1];
        const cv::Mat& b = labels[z];
        for (int y = 0; y < b.rows; ++y)
            for (int x = 0; x < b.cols; ++x) {
                const std::int32_t lb = b.at<std::int32_t>(y, x);
                if (!lb) continue;
                for (int dy = -1; dy <= 1; ++dy)
                    for (int dx = -1; dx <= 1; ++dx) {
                        const int yy = y + dy, xx = x + dx;
                        if (yy < 0 || xx < 0 || yy >= a.rows || xx >= a.cols) continue;
                        const std::int32_t la = a.at<std::int32_t>(yy, xx);
                        if (!la) continue;
                        const std::int32_t ra = find(la + base[z - 1]), rb = find(lb + base[z]);
                        if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
                    }
            }
    }
    std::vector<std::int32_t> final_label(parent.size(), 0);
    std::int32_t next = 0;
    for (std::size_t z = 0; z < masks.size(); ++z) {
        cv::Mat& l = labels[z];
        for (int y = 0; y < l.rows; ++y)
            for (int x = 0; x < l.cols; ++x) {
                std::int32_t& v = l.at<std::int32_t>(y, x);
                if (!v) continue;
                const std::int32_t r = find(v + base[z]);
                if (!final_label[r]) final_label[r] = ++next;
                v = final_label[r];
            }
    }
    return labels;
}

}  // namespace

Image probabilities_to(const Image& prob, OutputType type, int fg, std::optional<double> threshold, bool volume,
                       const LabelOptions& label_options) {
    if (type == OutputType::Probability) return prob;
    if (prob.dtype() != DType::F32) throw Error("probabilities must be float32");
    const Shape& s = prob.shape();
    if (s.t != 1) throw Error("probabilities_to: one frame at a time");
    const std::int64_t n = s.plane_pixels();
    const int channels = static_cast<int>(s.c);
    if (fg < 0 || fg >= channels) fg = channels >= 2 ? 1 : 0;
    Shape os = s;
    os.c = 1;
    Image out(os, type == OutputType::Labels ? DType::U16 : DType::U8);
    out.calibration() = prob.calibration();
    const bool seeded = type == OutputType::Labels && label_options.seeded(channels, volume, threshold.has_value());
    std::vector<cv::Mat> masks;
    for (std::int64_t z = 0; z < s.z; ++z) {
        std::vector<const float*> ch(static_cast<std::size_t>(channels));
        for (int c = 0; c < channels; ++c) ch[static_cast<std::size_t>(c)] = prob.plane<float>(s.plane_index(0, z, c));
        cv::Mat m(static_cast<int>(s.y), static_cast<int>(s.x), CV_8U);
        std::uint8_t* dst = type == OutputType::Classes ? out.plane<std::uint8_t>(z) : m.ptr<std::uint8_t>();
        const double thr = threshold.value_or(0.5);
        auto argmax = [&](std::int64_t i) {  // first maximum: a tie goes to the lower channel (background)
            int best = 0;
            for (int c = 1; c < channels; ++c)
                if (ch[static_cast<std::size_t>(c)][i] > ch[static_cast<std::size_t>(best)][i]) best = c;
            return best;
        };
        // Classes, and the class map that seeded labels start from; else the 0/1 foreground.
        const bool class_map = type == OutputType::Classes || seeded;
        for (std::int64_t i = 0; i < n; ++i) {
            if (class_map)
                dst[i] = channels == 1 ? (ch[0][i] > thr ? 1 : 0) : static_cast<std::uint8_t>(std::min(argmax(i), 255));
            else
                dst[i] = (channels == 1 || threshold ? ch[static_cast<std::size_t>(fg)][i] > thr : argmax(i) == fg) ? 1 : 0;
        }
        if (type == OutputType::Classes) continue;
        if (type == OutputType::Mask) {
            std::uint8_t* o = out.plane<std::uint8_t>(z);
            for (std::int64_t i = 0; i < n; ++i) o[i] = dst[i] ? 255 : 0;
            continue;
        }
        masks.push_back(m);
    }
    if (type == OutputType::Labels) {
        std::vector<cv::Mat> labels;
        if (volume) {
            labels = label_volume(masks);
            if (label_options.min_size > 0) labels = remove_small_objects(labels, label_options.min_size);
        } else if (seeded) {
            ClassInstanceParams params;
            params.min_seed_size = label_options.seed_min_size;
            params.min_size = label_options.min_size;
            for (const auto& m : masks)
                labels.push_back(instances_from_classes(m, label_options.interior_channel,
                                                        label_options.boundary_channel, params));
        } else {
            InstanceParams params;
            params.min_size = label_options.min_size;
            for (const auto& m : masks) labels.push_back(label_mask(m, params, true));
        }
        for (std::size_t z = 0; z < labels.size(); ++z) {
            double mx = 0;
            cv::minMaxLoc(labels[z], nullptr, &mx);
            if (mx > 65535)
                throw Error("labels: more than 65535 objects in one frame; write probabilities or a mask instead");
            labels[z].convertTo(out.plane_mat(static_cast<std::int64_t>(z)), CV_16U);
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// The job

namespace {

void check_not_same(const std::string& input, const std::string& output) {
    std::error_code ec;
    if (std::filesystem::exists(output) && std::filesystem::equivalent(input, output, ec))
        throw Error("output '" + output + "' is the input: inputs are never overwritten; choose another name");
}

}  // namespace

nlohmann::json segment(const std::string& input, const std::string& output, const SegmentOptions& options,
                       Progress* progress) {
    const Model model(options.model);
    return segment(model, input, output, options, progress);
}

namespace {

// A VideoReader owned by someone else (the reader overload), behind the opener interface.
class BorrowedVideo : public VideoReader {
public:
    explicit BorrowedVideo(VideoReader& v) : v_(v) {}
    const Shape& shape() const override { return v_.shape(); }
    DType dtype() const override { return v_.dtype(); }
    const Calibration& calibration() const override { return v_.calibration(); }
    Image read_plane(std::int64_t index) override { return v_.read_plane(index); }

private:
    VideoReader& v_;
};

using VideoOpener = std::function<std::unique_ptr<VideoReader>()>;
nlohmann::json run_segment(const Model& model, const std::string& input, const VideoOpener& open_input,
                           const std::string& output, const SegmentOptions& options, Progress* progress);

}  // namespace

nlohmann::json segment(const Model& model, const std::string& input, const std::string& output,
                       const SegmentOptions& options, Progress* progress) {
    check_not_same(input, output);
    return run_segment(model, input, [&] { return open_video(input); }, output, options, progress);
}

nlohmann::json segment(const Model& model, VideoReader& input, const std::string& input_name,
                       const std::string& output, const SegmentOptions& options, Progress* progress) {
    return run_segment(model, input_name, [&] { return std::unique_ptr<VideoReader>(new BorrowedVideo(input)); },
                       output, options, progress);
}

namespace {

// The job; the input is opened after the output and the model are checked, so that those
// errors come first whatever the input is.
nlohmann::json run_segment(const Model& model, const std::string& input, const VideoOpener& open_input,
                           const std::string& output, const SegmentOptions& options, Progress* progress) {
    const auto start = std::chrono::steady_clock::now();
    { AtomicOutput check(output); }  // an unwritable output fails now, not after the work
    const ModelDescription& desc = model.description();
    std::vector<std::string> notes;
    auto note = [&](const std::string& s) {
        notes.push_back(s);
        if (options.log) options.log(s);
    };
    PredictorOptions po = options.predictor;
    po.log = [&](const std::string& s) { note(s); };
    // Progress counts predictions (frames, or slices for 2-D models on stacks); within a
    // tiled frame the message counts its tiles.
    std::int64_t done = 0, units = 0;
    po.on_tiles = [&](std::int64_t tiles_done, std::int64_t tiles_total) {
        if (tiles_total > 1 && tiles_done < tiles_total)
            report(progress, "predict", done, units,
                   "tiles " + std::to_string(tiles_done) + "/" + std::to_string(tiles_total));
    };
    Predictor predictor(model, po);
    note("model '" + desc.name + "' on " + predictor.device() + " (" + predictor.device_reason() + ")");

    auto video = open_input();
    const Shape shape = video->shape();
    if (shape.pixels() == 0) throw Error(input + ": the image is empty");
    const bool is3d = predictor.is_3d();
    const int window = predictor.temporal_window();
    const std::int64_t want_c = predictor.input_channels();
    if (want_c > 0 && shape.c != want_c)
        throw Error(input + ": the image has " + std::to_string(shape.c) + " channel(s) but model '" + desc.name +
                    "' takes " + std::to_string(want_c) + " (" + shape.str() + ")");

    // What a "frame" is: time points, or the slices of a single-frame stack for a temporal
    // 2-D model (a video saved as slices).
    const bool z_is_time = !is3d && window > 1 && shape.t == 1 && shape.z > 1;
    const std::int64_t frames = z_is_time ? shape.z : shape.t;
    const std::int64_t slices = z_is_time ? 1 : shape.z;     // slices per frame
    const std::int64_t per_sample_z = is3d ? slices : 1;     // slices per prediction
    const std::int64_t units_per_frame = is3d ? 1 : slices;  // predictions per frame
    if (z_is_time)
        note("the stack has 1 frame and " + std::to_string(shape.z) + " slices; the temporal model takes the slices as frames");
    else if (!is3d && slices > 1)
        note("2-D model on a stack of " + std::to_string(slices) + " slices: each slice is segmented on its own");
    if (is3d && slices == 1) note("3-D model on a 2-D image: the single slice is mirrored in z to the model's size");
    if (window > 1 && frames == 1) note("temporal model on a single frame: its window holds copies of that frame");
    auto plane_index = [&](std::int64_t t, std::int64_t z, std::int64_t c) {
        return z_is_time ? shape.plane_index(0, t, c) : shape.plane_index(t, z, c);
    };

    // Normalisation: whole-video statistics first, when the mode needs them.
    NormalizeOptions norm;
    norm.illumination_correction = options.illumination_correction;
    const std::string mode_name =
        options.normalize == "auto" ? (desc.nativeseg.normalize.empty() ? "none" : desc.nativeseg.normalize)
                                    : options.normalize;
    norm.mode = normalize_mode_from_name(mode_name);
    std::int64_t nonfinite = 0;
    bool counting = true;  // count NaN/Inf only in the first pass over the planes
    auto prepared = [&](std::int64_t plane) {
        Image p = video->read_plane(plane);
        const std::int64_t bad = replace_nonfinite(p);
        if (counting) nonfinite += bad;
        if (norm.illumination_correction) p = correct_illumination(p);
        return p;
    };
    IntensityStats stats;
    if (needs_statistics(norm.mode)) {
        stats = video_statistics(prepared, shape.planes(), norm, progress);
        counting = false;
    }

    // Normalised planes of a frame, cached for the temporal window.
    std::map<std::int64_t, std::vector<Image>> cache;
    auto frame_planes = [&](std::int64_t t) -> const std::vector<Image>& {
        auto it = cache.find(t);
        if (it != cache.end()) return it->second;
        std::vector<Image> planes;
        for (std::int64_t z = 0; z < slices; ++z)
            for (std::int64_t c = 0; c < shape.c; ++c)
                planes.push_back(normalize_plane(prepared(plane_index(t, z, c)), norm, stats));
        return cache.emplace(t, std::move(planes)).first->second;
    };
    const TemporalMode tmode = temporal_mode_from_name(desc.nativeseg.temporal_mode);
    const TemporalPadding tpad = temporal_padding_from_name(desc.nativeseg.temporal_padding);

    // One sample: frame t (slice z for 2-D models) with its temporal window.
    auto make_sample = [&](std::int64_t t, std::int64_t z) {
        const std::vector<std::int64_t> win = window > 1 ? temporal_window(t, frames, window, tmode, tpad)
                                                         : std::vector<std::int64_t>{t};
        Shape s;
        s.t = static_cast<std::int64_t>(win.size());
        s.z = per_sample_z;
        s.c = shape.c;
        s.y = shape.y;
        s.x = shape.x;
        Image sample(s, DType::F32);
        sample.calibration() = video->calibration();
        for (std::size_t w = 0; w < win.size(); ++w) {
            const auto& planes = frame_planes(win[w]);
            for (std::int64_t zz = 0; zz < per_sample_z; ++zz)
                for (std::int64_t c = 0; c < shape.c; ++c) {
                    const Image& src = planes[static_cast<std::size_t>((is3d ? zz : z) * shape.c + c)];
                    std::memcpy(sample.plane_bytes(s.plane_index(static_cast<std::int64_t>(w), zz, c)), src.bytes(),
                                src.byte_size());
                }
        }
        // Frames before the oldest one any later window needs are dropped.
        const std::int64_t keep_from = win.front();
        for (auto it = cache.begin(); it != cache.end() && it->first < keep_from;) it = cache.erase(it);
        return sample;
    };

    const int fg = desc.foreground_channel();
    // Label sizes: the user's, else the model's suggestion, else the schema's default.
    auto size_setting = [&](const std::optional<int>& given, const std::optional<std::int64_t>& suggested,
                            const char* key) {
        if (given) return *given;
        if (suggested) return static_cast<int>(*suggested);
        return std::stoi(find_setting(key).default_value);
    };
    LabelOptions label_options;
    label_options.min_size = size_setting(options.min_size, desc.nativeseg.object_min_size, "object_min_size");
    label_options.seed_min_size = size_setting(options.seed_min_size, desc.nativeseg.seed_min_size, "seed_min_size");
    for (std::size_t c = 0; c < desc.nativeseg.channels.size(); ++c) {
        if (desc.nativeseg.channels[c] == "interior") label_options.interior_channel = static_cast<int>(c);
        if (desc.nativeseg.channels[c] == "boundary") label_options.boundary_channel = static_cast<int>(c);
    }
    const std::optional<double> threshold = options.threshold ? options.threshold : desc.nativeseg.threshold;
    // A model's suggested threshold applies to 1-channel outputs; with several channels the
    // mask is the argmax unless a threshold is given explicitly.
    const bool explicit_threshold = options.threshold.has_value();

    std::unique_ptr<TiffWriter> writer;
    TiffWriteOptions tiff = options.tiff;
    if (options.output != OutputType::Probability && tiff.compression == Compression::None)
        tiff.compression = Compression::LZW;  // masks and labels compress well
    std::int64_t out_channels = -1;

    units = frames * units_per_frame;
    std::size_t group = 1;  // the first call measures; later ones take the predictor's batch
    std::vector<std::pair<std::int64_t, std::int64_t>> pending;  // (t, z) of samples in the group
    std::vector<Image> samples;
    // Per prediction, for the medians in the report: wall time, and CPU time of all threads
    // (which other jobs on a shared machine disturb less).
    std::vector<double> unit_seconds, unit_cpu;
    auto last = std::chrono::steady_clock::now();
    std::clock_t last_cpu = std::clock();
    auto flush = [&]() {
        if (samples.empty()) return;
        std::vector<Image> outs = predictor.predict(samples, progress);
        for (std::size_t k = 0; k < outs.size(); ++k) {
            const Image& prob = outs[k];
            if (!writer) {
                out_channels = prob.shape().c;
                Shape os = shape;
                os.c = options.output == OutputType::Probability ? out_channels : 1;
                const DType odt = options.output == OutputType::Probability ? DType::F32
                                  : options.output == OutputType::Labels   ? DType::U16
                                                                           : DType::U8;
                writer = std::make_unique<TiffWriter>(output, os, odt, video->calibration(), tiff);
            }
            std::optional<double> thr = threshold;
            if (out_channels >= 2 && !explicit_threshold) thr.reset();
            const Image converted =
                options.output == OutputType::Probability ? Image() : probabilities_to(prob, options.output, fg, thr, is3d, label_options);
            const Image& page_source = options.output == OutputType::Probability ? prob : converted;
            for (std::int64_t p = 0; p < page_source.shape().planes(); ++p) writer->write_page(page_source.plane_bytes(p));
            ++done;
        }
        const auto now = std::chrono::steady_clock::now();  // reading, prediction and writing of the group
        const double per = std::chrono::duration<double>(now - last).count() / static_cast<double>(outs.size());
        unit_seconds.insert(unit_seconds.end(), outs.size(), per);
        last = now;
        const std::clock_t cpu = std::clock();
        unit_cpu.insert(unit_cpu.end(), outs.size(),
                        static_cast<double>(cpu - last_cpu) / CLOCKS_PER_SEC / static_cast<double>(outs.size()));
        last_cpu = cpu;
        report(progress, "predict", done, units,
               "frame " + std::to_string(pending.back().first + 1) + "/" + std::to_string(frames));
        samples.clear();
        pending.clear();
        group = static_cast<std::size_t>(std::max<std::int64_t>(1, predictor.batch()));
    };
    for (std::int64_t t = 0; t < frames; ++t)
        for (std::int64_t z = 0; z < units_per_frame; ++z) {
            check_cancel(progress);
            samples.push_back(make_sample(t, z));
            pending.emplace_back(t, z);
            if (samples.size() >= group) flush();
        }
    flush();
    if (!writer) throw Error(input + ": nothing to segment");
    writer->close();

    if (nonfinite > 0)
        note(std::to_string(nonfinite) + " NaN or infinite pixel(s) in " + input + " were replaced by 0");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    auto median_ms = [](std::vector<double> v) {
        if (v.empty()) return 0.0;
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
        return 1000 * v[v.size() / 2];
    };
    nlohmann::json rep = {{"input", input},
                          {"output", output},
                          {"model", {{"name", desc.name}, {"folder", desc.dir}, {"format_version", desc.format_version}}},
                          {"shape", shape.str()},
                          {"frames", frames},
                          {"output_type", output_type_name(options.output)},
                          {"output_channels", out_channels},
                          {"normalize", normalize_mode_name(norm.mode)},
                          {"illumination_correction", norm.illumination_correction},
                          {"nonfinite_pixels", nonfinite},
                          {"seconds", seconds},
                          {"frames_per_second", seconds > 0 ? static_cast<double>(frames) / seconds : 0.0},
                          {"median_ms_per_prediction", median_ms(unit_seconds)},
                          {"median_cpu_ms_per_prediction", median_ms(unit_cpu)},
                          {"predictor", predictor.report()},
                          {"notes", notes}};
    if (options.output == OutputType::Labels) {
        const bool seeded = label_options.seeded(static_cast<int>(out_channels), is3d, explicit_threshold);
        rep["labels"] = {{"method", seeded ? "interior seeds grown through the boundary class" : "connected components"},
                         {"object_min_size", label_options.min_size}};
        if (seeded) rep["labels"]["seed_min_size"] = label_options.seed_min_size;
    }
    if (needs_statistics(norm.mode))
        rep["statistics"] = {{"low", stats.low}, {"high", stats.high}, {"mean", stats.mean}, {"median", stats.median},
                             {"values", stats.count}};
    if (threshold && options.output != OutputType::Probability) rep["threshold"] = *threshold;
    return rep;
}

}  // namespace

}  // namespace nativeseg
