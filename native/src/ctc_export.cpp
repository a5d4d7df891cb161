#include "nativeseg/ctc_export.h"

#include <algorithm>
#include <filesystem>

#include "nativeseg/atomic_file.h"
#include "nativeseg/error.h"
#include "nativeseg/tiff_io.h"
#include "nativeseg/video_io.h"

namespace nativeseg {

CtcResultWriter::CtcResultWriter(const std::string& dir, std::int64_t frames, const Calibration& calibration)
    : dir_(dir), frames_(frames), calibration_(calibration) {
    if (frames < 1) throw Error("CTC export: the video has no frames");
    ensure_writable_dir(dir);
}

std::uint32_t CtcResultWriter::segment_of(std::int64_t spot, const TrackSet& tracks, std::int64_t t) {
    auto known = spot_segment_.find(spot);
    if (known != spot_segment_.end()) return known->second;
    const auto preds = tracks.predecessors(spot);
    std::uint32_t parent = 0;
    if (!preds.empty()) {
        const std::int64_t p = preds.front();
        auto ps = spot_segment_.find(p);
        const bool continues = preds.size() == 1 && tracks.spot(p).instance.frame == t - 1 &&
                               tracks.successors(p).size() == 1 && ps != spot_segment_.end();
        if (continues) {
            segments_[ps->second - 1].end = t;
            spot_segment_[spot] = ps->second;
            return ps->second;
        }
        if (ps != spot_segment_.end()) parent = ps->second;
        if (preds.size() > 1)
            notes_.push_back("frame " + std::to_string(t) + ": a merge of " + std::to_string(preds.size()) +
                             " tracks; CTC keeps only one parent (" + std::to_string(parent) + ")");
    }
    if (segments_.size() >= 65535)
        throw Error("CTC export: more than 65535 track segments do not fit 16-bit masks; split the video");
    const std::uint32_t label = static_cast<std::uint32_t>(segments_.size() + 1);
    segments_.push_back(CtcTrack{label, t, t, parent});
    spot_segment_[spot] = label;
    return label;
}

void CtcResultWriter::add_frame(std::int64_t t, const cv::Mat& labels, const std::vector<std::uint32_t>& instance_labels,
                                const std::vector<std::int64_t>& spot_ids, const TrackSet& tracks) {
    if (t != next_frame_)
        throw Error("CTC export: expected frame " + std::to_string(next_frame_) + ", got " + std::to_string(t));
    if (labels.type() != CV_32S) throw Error("CTC export: expected a CV_32S label plane");
    if (instance_labels.size() != spot_ids.size()) throw Error("CTC export: one spot id per instance expected");
    // Segment label of every instance label of this frame; spots in id order so numbering
    // is deterministic.
    std::vector<std::size_t> order(spot_ids.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return spot_ids[a] < spot_ids[b]; });
    std::unordered_map<int, std::uint16_t> lut;
    for (std::size_t i : order) lut[static_cast<int>(instance_labels[i])] = static_cast<std::uint16_t>(segment_of(spot_ids[i], tracks, t));

    Image mask(Shape{1, 1, 1, labels.rows, labels.cols}, DType::U16);
    mask.calibration() = calibration_;
    std::uint16_t* out = mask.data<std::uint16_t>();
    for (int y = 0; y < labels.rows; ++y) {
        const int* l = labels.ptr<int>(y);
        for (int x = 0; x < labels.cols; ++x) {
            if (l[x] <= 0) continue;
            auto it = lut.find(l[x]);
            if (it != lut.end()) out[static_cast<std::size_t>(y) * labels.cols + x] = it->second;
        }
    }
    std::vector<std::uint32_t> present;
    for (const auto& [l, seg] : lut) present.push_back(seg);
    std::sort(present.begin(), present.end());
    present.erase(std::unique(present.begin(), present.end()), present.end());
    frame_labels_.push_back(present);

    TiffWriteOptions opts;
    opts.compression = Compression::LZW;
    write_tiff((std::filesystem::path(dir_) / ctc_frame_name("mask", t, frames_)).string(), mask, opts);
    ++next_frame_;
}

void CtcResultWriter::finish() {
    if (next_frame_ != frames_)
        throw Error("CTC export: " + std::to_string(next_frame_) + " of " + std::to_string(frames_) +
                    " frames were written");
    const std::vector<std::string> problems = ctc_validate(segments_, frame_labels_);
    if (!problems.empty()) throw Error("CTC export would break the CTC rules: " + problems.front());
    write_ctc_tracks((std::filesystem::path(dir_) / "res_track.txt").string(), segments_);
}

}  // namespace nativeseg

namespace nativeseg {

TrackSet import_ctc(const std::string& masks_dir, const std::string& track_file, Progress* progress) {
    const std::vector<CtcTrack> ctc = read_ctc_tracks(track_file);
    auto video = open_video(masks_dir);
    const std::int64_t frames = video->shape().t;
    TrackSet set;
    std::map<std::uint32_t, std::int64_t> last_spot;  // label -> spot of its latest frame so far
    std::map<std::uint32_t, const CtcTrack*> by_label;
    for (const CtcTrack& t : ctc) by_label[t.label] = &t;
    for (std::int64_t t = 0; t < frames; ++t) {
        check_cancel(progress);
        const Image plane = video->read_plane(t);
        cv::Mat labels;
        (plane.dtype() == DType::U32 ? plane.converted(DType::I32) : plane).plane_mat(0).convertTo(labels, CV_32S);
        for (const Instance& part : instances_from_labels(labels, t)) {
            auto it = by_label.find(part.label);
            if (it == by_label.end())
                throw Error("'" + masks_dir + "': label " + std::to_string(part.label) + " in frame " +
                            std::to_string(t) + " is not in '" + track_file + "'");
            if (last_spot.count(part.label) && set.spot(last_spot[part.label]).instance.frame == t)
                continue;  // a label in several parts: one spot per label and frame
            const std::int64_t id = set.add_spot(part);
            const CtcTrack& track = *it->second;
            if (t > track.begin && last_spot.count(part.label)) {
                set.add_link(last_spot[part.label], id);
            } else if (t == track.begin && track.parent != 0 && last_spot.count(track.parent)) {
                set.add_link(last_spot[track.parent], id);
            }
            last_spot[part.label] = id;
        }
        report(progress, "import", t + 1, frames);
    }
    set.assign_track_ids();
    return set;
}

}  // namespace nativeseg
