// Training data sets: layouts, reading, normalisation and label transforms (dataset.h).
#include "nativeseg/dataset.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <set>

#include <opencv2/imgproc.hpp>

#include "nativeseg/error.h"
#include "nativeseg/video_io.h"

namespace fs = std::filesystem;

namespace nativeseg {

namespace {

bool is_image_file(const fs::path& p) {
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), ::tolower);
    return e == ".tif" || e == ".tiff" || e == ".png";
}

std::vector<fs::path> image_files(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && is_image_file(e.path())) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

// The last run of digits in a file name (without extension); -1 when there is none.
std::int64_t file_number(const fs::path& p) {
    static const std::regex digits("([0-9]+)(?!.*[0-9])");
    std::smatch m;
    const std::string stem = p.stem().string();
    if (std::regex_search(stem, m, digits)) return std::stoll(m[1].str());
    return -1;
}

// One plane of any image file as a 1-plane Image.
Image read_plane_file(const fs::path& p) {
    std::unique_ptr<VideoReader> r = open_video(p.string());
    const Shape& s = r->shape();
    if (s.planes() != 1)
        throw Error(p.string() + ": expected a single 2-D image, got " + s.str() +
                    " (training takes one plane per file)");
    return r->read_plane(0);
}

// A z stack (one channel): its planes are the slices, whether the file calls them z or t.
Image read_stack_file(const fs::path& p) {
    std::unique_ptr<VideoReader> r = open_video(p.string());
    const Shape& s = r->shape();
    if (s.c != 1 || (s.t > 1 && s.z > 1))
        throw Error(p.string() + ": expected a z stack with one channel, got " + s.str() +
                    " (3-D training takes one stack per file)");
    Shape out = s;
    out.t = 1;
    out.z = s.planes();
    Image stack(out, r->read_plane(0).dtype());
    for (std::int64_t z = 0; z < out.z; ++z) {
        const Image plane = r->read_plane(z);
        std::memcpy(stack.plane_bytes(z), plane.bytes(), plane.byte_size());
    }
    return stack;
}

// The planes of a stack as one Mat, slices stacked vertically (Z·Y rows).
cv::Mat stacked(const Image& stack, int type) {
    std::vector<cv::Mat> planes;
    for (std::int64_t z = 0; z < stack.shape().planes(); ++z) {
        cv::Mat m;
        stack.plane_mat(z).convertTo(m, type);
        planes.push_back(m);
    }
    cv::Mat out;
    cv::vconcat(planes, out);
    return out;
}

// A 2-D transform applied slice by slice to a vertically stacked volume.
cv::Mat per_slice(const cv::Mat& volume, int slices, const std::function<cv::Mat(const cv::Mat&)>& f) {
    const int h = volume.rows / slices;
    std::vector<cv::Mat> out;
    for (int z = 0; z < slices; ++z) out.push_back(f(volume.rowRange(z * h, (z + 1) * h).clone()));
    cv::Mat v;
    cv::vconcat(out, v);
    return v;
}

// A 3-D item: statistics of the whole stack, label transforms per slice.
TrainingItem make_volume_item(const std::string& source, std::int64_t number, const Image& raw, const Image& label,
                              const std::string& label_name, const DatasetOptions& o) {
    const Shape& a = raw.shape();
    const Shape& b = label.shape();
    if (a.z != b.z || a.y != b.y || a.x != b.x)
        throw Error(label_name + ": label stack " + b.str() + " differs from its image " + source + " (" + a.str() + ")");
    TrainingItem item;
    item.source = source;
    item.number = number;
    item.slices = static_cast<int>(a.z);
    NormalizeOptions n;
    n.mode = o.normalize;
    n.low_percentile = o.normalize_low;
    n.high_percentile = o.normalize_high;
    IntensityStats stats;
    if (needs_statistics(n.mode)) stats = video_statistics([&](std::int64_t z) { return raw.plane_copy(z); }, a.z, n);
    std::vector<cv::Mat> planes;
    for (std::int64_t z = 0; z < a.z; ++z) planes.push_back(normalize_plane(raw.plane_copy(z), n, stats).plane_mat(0).clone());
    cv::vconcat(planes, item.image);
    item.raw = stacked(raw, CV_32F);
    cv::Mat labels = stacked(label, CV_32S);
    // A two-valued label stack is a mask: its components per slice become the objects.
    double hi = 0;
    cv::minMaxLoc(labels, nullptr, &hi);
    if (hi <= 1 || cv::countNonZero(labels == hi) == cv::countNonZero(labels)) {
        cv::Mat cc;
        cv::connectedComponents(labels > 0, cc, 4, CV_32S);
        labels = cc;
    }
    item.instances = labels;
    item.target = per_slice(labels, item.slices, [&](const cv::Mat& l) {
        return o.target == TargetKind::Binary ? binary_target(l) : three_class_target(l, o.boundary_thickness);
    });
    item.weight = o.border_weight > 0
                      ? per_slice(labels, item.slices, [&](const cv::Mat& l) { return border_weights(l, o.border_weight, o.border_sigma); })
                      : cv::Mat(labels.size(), CV_32F, cv::Scalar(1.0f));
    return item;
}

cv::Mat normalised(const Image& plane, const DatasetOptions& d) {
    NormalizeOptions o;
    o.mode = d.normalize;
    o.low_percentile = d.normalize_low;
    o.high_percentile = d.normalize_high;
    IntensityStats stats;
    if (needs_statistics(o.mode)) stats = video_statistics([&](std::int64_t) { return plane; }, 1, o);
    Image n = normalize_plane(plane, o, stats);
    return n.plane_mat(0).clone();
}

// Instance labels of a label image: a mask with at most two values becomes its connected
// components (4-connected, as regions between membranes are counted); otherwise the values are ids.
cv::Mat instance_labels(const Image& label) {
    cv::Mat m;
    label.plane_mat(0).convertTo(m, CV_32S);
    double lo = 0, hi = 0;
    cv::minMaxLoc(m, &lo, &hi);
    std::set<int> values;
    for (int y = 0; y < m.rows && values.size() <= 2; ++y) {
        const int* row = m.ptr<int>(y);
        for (int x = 0; x < m.cols && values.size() <= 2; ++x) values.insert(row[x]);
    }
    if (values.size() <= 2) {
        cv::Mat cc;
        cv::connectedComponents(m > 0, cc, 4, CV_32S);
        return cc;
    }
    return m;
}

// The frames of one sequence in frame order, each read and normalised once, so the temporal
// windows of all items of the sequence share them.
class FrameSequence {
public:
    // `frames`: (number, file) of every frame of the sequence, sorted by number.
    FrameSequence(std::vector<std::pair<std::int64_t, fs::path>> frames, const DatasetOptions& o)
        : frames_(std::move(frames)), o_(o) {}

    // Gives `item` (frame item.number of this sequence) its window.
    void attach(TrainingItem& item) {
        const auto it = std::lower_bound(frames_.begin(), frames_.end(), std::make_pair(item.number, fs::path()));
        if (it == frames_.end() || it->first != item.number)
            throw Error(item.source + ": frame " + std::to_string(item.number) + " is not among the sequence's frames");
        const std::int64_t pos = it - frames_.begin();
        const int k = o_.temporal_window;
        for (std::int64_t p : temporal_window(pos, static_cast<std::int64_t>(frames_.size()), k, o_.temporal_mode,
                                              TemporalPadding::Replicate)) {
            const Frame& f = frame(static_cast<std::size_t>(p));
            if (f.image.size() != item.image.size())
                throw Error(frames_[static_cast<std::size_t>(p)].second.string() + ": frame size " +
                            std::to_string(f.image.cols) + "x" + std::to_string(f.image.rows) + " differs from " +
                            item.source + " (" + std::to_string(item.image.cols) + "x" + std::to_string(item.image.rows) +
                            "), a frame of the same sequence");
            item.frames.push_back(f.image);
            item.raw_frames.push_back(f.raw);
        }
        item.frame_index = o_.temporal_mode == TemporalMode::Causal ? k - 1 : (k - 1) / 2;
        item.image = item.frames[static_cast<std::size_t>(item.frame_index)];
        item.raw = item.raw_frames[static_cast<std::size_t>(item.frame_index)];
    }

private:
    struct Frame {
        cv::Mat raw, image;
    };
    const Frame& frame(std::size_t p) {
        auto it = cache_.find(p);
        if (it != cache_.end()) return it->second;
        const Image raw = read_plane_file(frames_[p].second);
        Frame f;
        f.image = normalised(raw, o_);
        raw.plane_mat(0).convertTo(f.raw, CV_32F);
        return cache_.emplace(p, std::move(f)).first->second;
    }
    std::vector<std::pair<std::int64_t, fs::path>> frames_;
    const DatasetOptions& o_;
    std::map<std::size_t, Frame> cache_;
};

bool temporal(const DatasetOptions& o) { return o.temporal_window > 1; }

std::string needs_sequences(const DatasetOptions& o) { return o.temporal_network + " needs sequences: "; }

// The numbered image files of a folder as a sequence; Error when a number is missing or repeated.
std::vector<std::pair<std::int64_t, fs::path>> numbered_frames(const fs::path& dir, const DatasetOptions& o) {
    std::vector<std::pair<std::int64_t, fs::path>> frames;
    std::map<std::int64_t, fs::path> seen;
    for (const auto& f : image_files(dir)) {
        const std::int64_t n = file_number(f);
        if (n < 0)
            throw Error(needs_sequences(o) + f.string() + " has no frame number; its window is made of the files " +
                        "numbered before and after it, so every image in " + dir.string() + " needs one");
        if (seen.count(n))
            throw Error(needs_sequences(o) + f.string() + " and " + seen[n].string() + " have the same number " +
                        std::to_string(n) + "; frames of one sequence need distinct numbers");
        seen[n] = f;
        frames.emplace_back(n, f);
    }
    std::sort(frames.begin(), frames.end());
    return frames;
}

struct Pair {
    fs::path image, label;
    std::int64_t number;
};

bool selected(const DataSource& src, std::int64_t n) {
    return src.numbers.empty() || std::find(src.numbers.begin(), src.numbers.end(), n) != src.numbers.end();
}

// Matches the files of two folders by the last number in their names, else by identical names.
std::vector<Pair> match_folders(const fs::path& xdir, const fs::path& ydir) {
    const auto xs = image_files(xdir), ys = image_files(ydir);
    if (xs.empty()) throw Error(xdir.string() + ": no images (.tif, .tiff, .png)");
    std::map<std::int64_t, fs::path> by_number;
    std::map<std::string, fs::path> by_name;
    bool numbers_unique = true;
    for (const auto& y : ys) {
        const std::int64_t n = file_number(y);
        if (n < 0 || by_number.count(n)) numbers_unique = false;
        by_number[n] = y;
        by_name[y.stem().string()] = y;
    }
    std::vector<Pair> pairs;
    for (const auto& x : xs) {
        const std::int64_t n = file_number(x);
        auto named = by_name.find(x.stem().string());
        if (named != by_name.end()) pairs.push_back({x, named->second, n});
        else if (numbers_unique && n >= 0 && by_number.count(n)) pairs.push_back({x, by_number[n], n});
        else throw Error(x.string() + ": no label image for it in " + ydir.string() +
                         " (expected the same name or the same number)");
    }
    return pairs;
}

TrainingItem make_item(const std::string& source, std::int64_t number, const Image& raw, const cv::Mat& labels,
                       const std::string& label_name, const DatasetOptions& o) {
    if (raw.shape().y != labels.rows || raw.shape().x != labels.cols)
        throw Error(label_name + ": label size " + std::to_string(labels.cols) + "x" + std::to_string(labels.rows) +
                    " differs from its image " + source + " (" + std::to_string(raw.shape().x) + "x" +
                    std::to_string(raw.shape().y) + ")");
    TrainingItem item;
    item.source = source;
    item.number = number;
    item.image = normalised(raw, o);
    raw.plane_mat(0).convertTo(item.raw, CV_32F);
    item.instances = labels;
    item.target = o.target == TargetKind::Binary ? binary_target(labels)
                                                 : three_class_target(labels, o.boundary_thickness);
    item.weight = o.border_weight > 0 ? border_weights(labels, o.border_weight, o.border_sigma)
                                      : cv::Mat(labels.size(), CV_32F, cv::Scalar(1.0f));
    return item;
}

void check_label_not_empty(const cv::Mat& labels, const std::string& name) {
    if (cv::countNonZero(labels) == 0)
        throw Error(name + ": the label image is empty (no object); remove the pair or give its objects");
}

void load_pairs(const DataSource& src, const fs::path& xdir, const fs::path& ydir, const DatasetOptions& o,
                std::vector<TrainingItem>& out, Progress* progress) {
    const auto pairs = match_folders(xdir, ydir);
    if (o.spatial_dims == 3) {
        for (std::size_t i = 0; i < pairs.size(); ++i) {
            const Pair& p = pairs[i];
            if (!selected(src, p.number)) continue;
            check_cancel(progress);
            const Image label = read_stack_file(p.label);
            TrainingItem item = make_volume_item(p.image.string(), p.number, read_stack_file(p.image), label,
                                                 p.label.string(), o);
            check_label_not_empty(item.instances, p.label.string());
            out.push_back(std::move(item));
            report(progress, "reading data", static_cast<std::int64_t>(i + 1), static_cast<std::int64_t>(pairs.size()));
        }
        return;
    }
    std::unique_ptr<FrameSequence> sequence;
    if (temporal(o)) sequence = std::make_unique<FrameSequence>(numbered_frames(xdir, o), o);
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const Pair& p = pairs[i];
        if (!selected(src, p.number)) continue;
        check_cancel(progress);
        const Image raw = read_plane_file(p.image);
        const cv::Mat labels = instance_labels(read_plane_file(p.label));
        check_label_not_empty(labels, p.label.string());
        out.push_back(make_item(p.image.string(), p.number, raw, labels, p.label.string(), o));
        if (sequence) sequence->attach(out.back());
        report(progress, "reading data", static_cast<std::int64_t>(i + 1), static_cast<std::int64_t>(pairs.size()));
    }
}

void load_ctc(const DataSource& src, const fs::path& seq, const DatasetOptions& o, std::vector<TrainingItem>& out,
              Progress* progress) {
    const fs::path gt = fs::path(seq.string() + "_GT");
    const fs::path seg = gt / "SEG", tra = gt / "TRA";
    if (!fs::is_directory(seg)) throw Error(seq.string() + ": CTC sequence without " + seg.string());
    const auto frames = list_frame_files(seq.string());
    std::map<std::int64_t, std::string> frame_of;
    for (const auto& f : frames) frame_of[file_number(f)] = f;
    std::unique_ptr<FrameSequence> sequence;
    if (temporal(o)) sequence = std::make_unique<FrameSequence>(
        std::vector<std::pair<std::int64_t, fs::path>>(frame_of.begin(), frame_of.end()), o);
    const auto segs = image_files(seg);
    for (std::size_t i = 0; i < segs.size(); ++i) {
        const std::int64_t t = file_number(segs[i]);
        if (!selected(src, t)) continue;
        if (!frame_of.count(t)) throw Error(segs[i].string() + ": no frame " + std::to_string(t) + " in " + seq.string());
        check_cancel(progress);
        const Image raw = read_plane_file(frame_of[t]);
        cv::Mat labels;
        read_plane_file(segs[i]).plane_mat(0).convertTo(labels, CV_32S);
        TrainingItem item = make_item(frame_of[t], t, raw, labels, segs[i].string(), o);
        // Sparse SEG: objects with a TRA marker but no SEG mask are unknown, not background.
        char name[32];
        std::snprintf(name, sizeof name, "man_track%03lld.tif", static_cast<long long>(t));
        const fs::path marker_file = tra / name;
        if (fs::exists(marker_file)) {
            cv::Mat markers;
            read_plane_file(marker_file).plane_mat(0).convertTo(markers, CV_32S);
            cv::Mat unknown = cv::Mat::zeros(labels.size(), CV_8U);
            double hi = 0;
            cv::minMaxLoc(markers, nullptr, &hi);
            std::vector<int> seg_overlap(static_cast<std::size_t>(hi) + 1, 0);
            for (int y = 0; y < markers.rows; ++y)
                for (int x = 0; x < markers.cols; ++x)
                    if (markers.at<int>(y, x) > 0 && labels.at<int>(y, x) > 0) seg_overlap[markers.at<int>(y, x)] = 1;
            for (int y = 0; y < markers.rows; ++y)
                for (int x = 0; x < markers.cols; ++x) {
                    const int m = markers.at<int>(y, x);
                    if (m > 0 && !seg_overlap[m]) unknown.at<std::uint8_t>(y, x) = 255;
                }
            if (o.ignore_margin > 0 && cv::countNonZero(unknown) > 0) {
                const int k = 2 * o.ignore_margin + 1;
                cv::dilate(unknown, unknown, cv::getStructuringElement(cv::MORPH_ELLIPSE, {k, k}));
            }
            item.weight.setTo(0.0f, unknown & (labels == 0));
        }
        if (sequence) sequence->attach(item);
        out.push_back(std::move(item));
        report(progress, "reading data", static_cast<std::int64_t>(i + 1), static_cast<std::int64_t>(segs.size()));
    }
}

void load_sets(const DataSource& src, const fs::path& dir, const DatasetOptions& o, std::vector<TrainingItem>& out,
               Progress* progress) {
    if (temporal(o))
        throw Error(needs_sequences(o) + dir.string() + " is a 'sets' folder (independent images, no frame order); "
                    "give a CTC sequence, inputs/ + labels/ or x/ + y/ with numbered frames (docs/training.md)");
    std::vector<std::pair<std::int64_t, fs::path>> sets;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_directory() && fs::exists(e.path() / "instances_ids.png"))
            sets.emplace_back(file_number(e.path()), e.path());
    std::sort(sets.begin(), sets.end());
    for (std::size_t i = 0; i < sets.size(); ++i) {
        const auto& [n, set] = sets[i];
        if (!selected(src, n)) continue;
        check_cancel(progress);
        fs::path image;
        for (const char* name : {"phase.png", "image.png", "raw.tif"})
            if (fs::exists(set / name)) { image = set / name; break; }
        if (image.empty()) throw Error(set.string() + ": no image (phase.png, image.png or raw.tif) next to instances_ids.png");
        const Image raw = read_plane_file(image);
        const fs::path lf = set / "instances_ids.png";
        cv::Mat labels;
        read_plane_file(lf).plane_mat(0).convertTo(labels, CV_32S);
        check_label_not_empty(labels, lf.string());
        out.push_back(make_item(image.string(), n, raw, labels, lf.string(), o));
        report(progress, "reading data", static_cast<std::int64_t>(i + 1), static_cast<std::int64_t>(sets.size()));
    }
}

// The folder that holds the x/y or image/label folders: DIR itself or DIR/train.
fs::path pair_root(const fs::path& dir, const char* a, const char* b) {
    if (fs::is_directory(dir / a) && fs::is_directory(dir / b)) return dir;
    if (fs::is_directory(dir / "train" / a) && fs::is_directory(dir / "train" / b)) return dir / "train";
    return {};
}

}  // namespace

std::vector<DataSource> parse_data_sources(const std::string& text) {
    std::vector<DataSource> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(';', start);
        if (end == std::string::npos) end = text.size();
        std::string part = text.substr(start, end - start);
        part.erase(0, part.find_first_not_of(" \t"));
        part.erase(part.find_last_not_of(" \t") + 1);
        start = end + 1;
        if (part.empty()) continue;
        DataSource s;
        const std::size_t open = part.rfind('[');
        if (open != std::string::npos && part.back() == ']') {
            const std::string list = part.substr(open + 1, part.size() - open - 2);
            s.path = part.substr(0, open);
            static const std::regex item(R"(\s*([0-9]+)\s*(?:-\s*([0-9]+))?\s*)");
            std::size_t p = 0;
            while (p <= list.size()) {
                std::size_t q = list.find(',', p);
                if (q == std::string::npos) q = list.size();
                const std::string one = list.substr(p, q - p);
                std::smatch m;
                if (!std::regex_match(one, m, item))
                    throw Error("data: bad selection '[" + list + "]' in '" + part + "' (expected e.g. [0-33] or [1,3,5-7])");
                const std::int64_t a = std::stoll(m[1].str()), b = m[2].matched ? std::stoll(m[2].str()) : a;
                if (b < a) throw Error("data: empty range '" + one + "' in '" + part + "'");
                for (std::int64_t n = a; n <= b; ++n) s.numbers.push_back(n);
                p = q + 1;
            }
        } else {
            s.path = part;
        }
        out.push_back(std::move(s));
    }
    if (out.empty()) throw Error("data: no data folder given");
    return out;
}

std::string detect_layout(const std::string& dir_text) {
    const fs::path dir(dir_text);
    if (!fs::is_directory(dir)) throw Error("data: '" + dir_text + "' is not a folder");
    if (!pair_root(dir, "x", "y").empty()) return "pairs";
    if (fs::is_directory(dir / "inputs") && fs::is_directory(dir / "labels")) return "raw_labels";
    if (fs::is_directory(fs::path(dir.string() + "_GT") / "SEG")) return "ctc";
    if (!pair_root(dir, "image", "label").empty()) return "png_pairs";
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_directory() && fs::exists(e.path() / "instances_ids.png")) return "sets";
    throw Error("data: '" + dir_text +
                "' is in no layout NativeSeg knows; expected one of: x/ + y/ (or train/x + train/y), "
                "inputs/ + labels/, a CTC sequence with a NN_GT/SEG folder next to it, image/ + label/ "
                "(ISBI PNG pairs), or setN/ folders with instances_ids.png (docs/training.md)");
}

std::vector<TrainingItem> load_dataset(const std::string& sources, const DatasetOptions& o, Progress* progress) {
    std::vector<TrainingItem> items;
    for (const DataSource& src : parse_data_sources(sources)) {
        const fs::path dir(src.path);
        const std::string layout = o.layout == "auto" ? detect_layout(src.path) : o.layout;
        const std::size_t before = items.size();
        if (o.spatial_dims == 3 && layout != "pairs" && layout != "raw_labels")
            throw Error("data: 3-D training reads z stacks from x/ + y/ (pairs) or inputs/ + labels/ (raw_labels); '" +
                        src.path + "' is layout '" + layout + "'");
        if (!fs::is_directory(dir)) throw Error("data: '" + src.path + "' is not a folder");
        if (layout == "pairs") {
            const fs::path root = pair_root(dir, "x", "y");
            if (root.empty()) throw Error("data: '" + src.path + "' has no x/ and y/ folders (layout pairs)");
            load_pairs(src, root / "x", root / "y", o, items, progress);
        } else if (layout == "raw_labels") {
            load_pairs(src, dir / "inputs", dir / "labels", o, items, progress);
        } else if (layout == "png_pairs") {
            const fs::path root = pair_root(dir, "image", "label");
            if (root.empty()) throw Error("data: '" + src.path + "' has no image/ and label/ folders (layout png_pairs)");
            load_pairs(src, root / "image", root / "label", o, items, progress);
        } else if (layout == "ctc") {
            load_ctc(src, dir, o, items, progress);
        } else if (layout == "sets") {
            load_sets(src, dir, o, items, progress);
        } else {
            throw Error("data_layout: unknown layout '" + layout + "'");
        }
        if (items.size() == before)
            throw Error("data: no image/label pairs in '" + src.path + "'" +
                        (src.numbers.empty() ? std::string() : std::string(" for the selected numbers")));
    }
    return items;
}

cv::Mat binary_target(const cv::Mat& labels) {
    cv::Mat lf, hi, lo;
    labels.convertTo(lf, CV_32F);
    const cv::Mat k = cv::getStructuringElement(cv::MORPH_RECT, {3, 3});
    cv::dilate(lf, hi, k);
    // The smallest non-zero neighbour: erode with background lifted above every label.
    cv::Mat lifted = lf.clone();
    lifted.setTo(std::numeric_limits<float>::max(), lf == 0);
    cv::erode(lifted, lo, k);
    // A pixel touches another object when a different non-zero label is next to it.
    const cv::Mat touching = (lf > 0) & ((hi > lf) | (lo < lf));
    cv::Mat target = cv::Mat::zeros(labels.size(), CV_8U);
    target.setTo(1, (lf > 0) & ~touching);
    return target;
}

cv::Mat three_class_target(const cv::Mat& labels, int thickness) {
    cv::Mat lf, hi, lo;
    labels.convertTo(lf, CV_32F);
    const int k = 2 * std::max(1, thickness) + 1;
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, {k, k});
    cv::dilate(lf, hi, kernel, {-1, -1}, 1, cv::BORDER_REPLICATE);
    cv::erode(lf, lo, kernel, {-1, -1}, 1, cv::BORDER_REPLICATE);
    cv::Mat target = cv::Mat::zeros(labels.size(), CV_8U);
    target.setTo(1, lf > 0);
    target.setTo(2, (lf > 0) & (hi != lo));
    return target;
}

cv::Mat border_weights(const cv::Mat& labels, double w0, double sigma) {
    const float inf = 1e9f;
    cv::Mat d1(labels.size(), CV_32F, cv::Scalar(inf)), d2(labels.size(), CV_32F, cv::Scalar(inf));
    double hi = 0;
    cv::minMaxLoc(labels, nullptr, &hi);
    for (int l = 1; l <= static_cast<int>(hi); ++l) {
        const cv::Mat outside = labels != l;
        if (cv::countNonZero(~outside) == 0) continue;
        cv::Mat d;
        cv::distanceTransform(outside, d, cv::DIST_L2, cv::DIST_MASK_PRECISE);
        // Keep the two smallest distances per pixel.
        cv::Mat closer = d < d1;
        cv::Mat second = d < d2;
        d.copyTo(d2, second & ~closer);
        d1.copyTo(d2, closer);
        d.copyTo(d1, closer);
    }
    cv::Mat w(labels.size(), CV_32F, cv::Scalar(1.0f));
    for (int y = 0; y < labels.rows; ++y)
        for (int x = 0; x < labels.cols; ++x) {
            if (labels.at<int>(y, x) != 0) continue;
            const float a = d1.at<float>(y, x), b = d2.at<float>(y, x);
            if (a >= inf || b >= inf) continue;
            const double s = a + b;
            w.at<float>(y, x) = static_cast<float>(1.0 + w0 * std::exp(-s * s / (2 * sigma * sigma)));
        }
    return w;
}

}  // namespace nativeseg
