#pragma once
// Helpers shared by the metrics tests: label videos drawn by hand, the CTC evaluation of two
// in-memory label videos, and small edits of label videos (the perturbations).
#include <cstdint>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "nativeseg/ctc.h"
#include "nativeseg/image.h"
#include "nativeseg/label_overlap.h"
#include "nativeseg/metrics_ctc.h"

namespace nativeseg::testutil {

inline Image label_video(std::int64_t frames, std::int64_t height, std::int64_t width) {
    return Image(Shape{frames, 1, 1, height, width}, DType::U16);
}

inline void fill_rect(Image& video, std::int64_t t, int x, int y, int w, int h, std::uint16_t label) {
    cv::Mat plane = video.plane_mat(t);
    cv::rectangle(plane, cv::Rect(x, y, w, h), cv::Scalar(label), cv::FILLED);
}

inline void fill_disc(Image& video, std::int64_t t, int cx, int cy, int r, std::uint16_t label) {
    cv::Mat plane = video.plane_mat(t);
    cv::circle(plane, cv::Point(cx, cy), r, cv::Scalar(label), cv::FILLED, cv::LINE_8);
}

/// Replaces `from` by `to` in frame t; returns the pixels changed.
inline std::int64_t relabel(Image& video, std::int64_t t, std::uint16_t from, std::uint16_t to) {
    std::uint16_t* p = video.plane<std::uint16_t>(t);
    std::int64_t n = 0;
    for (std::int64_t i = 0; i < video.shape().plane_pixels(); ++i)
        if (p[i] == from) {
            p[i] = to;
            ++n;
        }
    return n;
}

inline std::int64_t area(const Image& video, std::int64_t t, std::uint16_t label) {
    const std::uint16_t* p = video.plane<std::uint16_t>(t);
    std::int64_t n = 0;
    for (std::int64_t i = 0; i < video.shape().plane_pixels(); ++i) n += p[i] == label;
    return n;
}

/// Moves the last `count` pixels (raster order) of `label` in frame t to `to`.
inline void move_tail(Image& video, std::int64_t t, std::uint16_t label, std::int64_t count, std::uint16_t to) {
    std::uint16_t* p = video.plane<std::uint16_t>(t);
    for (std::int64_t i = video.shape().plane_pixels() - 1; i >= 0 && count > 0; --i)
        if (p[i] == label) {
            p[i] = to;
            --count;
        }
}

/// Swaps two labels in frame t.
inline void swap_labels(Image& video, std::int64_t t, std::uint16_t a, std::uint16_t b) {
    std::uint16_t* p = video.plane<std::uint16_t>(t);
    for (std::int64_t i = 0; i < video.shape().plane_pixels(); ++i) {
        if (p[i] == a) p[i] = b;
        else if (p[i] == b) p[i] = a;
    }
}

/// The CTC measures of a result video against a GT video whose every frame is both TRA
/// markers and SEG annotation.
inline CtcMeasures evaluate_videos(const Image& gt, const std::vector<CtcTrack>& gt_tracks, const Image& res,
                                   const std::vector<CtcTrack>& res_tracks) {
    CtcEvaluator ev(gt_tracks, res_tracks, gt.shape().t);
    for (std::int64_t t = 0; t < gt.shape().t; ++t) {
        const LabelOverlap o = label_overlap(gt.plane_copy(t), res.plane_copy(t));
        ev.add_tra_frame(t, o);
        ev.add_seg_frame(t, o);
    }
    return ev.finish();
}

inline std::vector<std::vector<std::uint32_t>> frame_labels(const Image& video) {
    std::vector<std::vector<std::uint32_t>> out;
    for (std::int64_t t = 0; t < video.shape().t; ++t) out.push_back(labels_in_plane(video.plane_copy(t)));
    return out;
}

inline CtcTrack* find_track(std::vector<CtcTrack>& tracks, std::uint32_t label) {
    for (CtcTrack& t : tracks)
        if (t.label == label) return &t;
    return nullptr;
}

}  // namespace nativeseg::testutil
