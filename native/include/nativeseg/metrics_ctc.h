#pragma once
// Cell Tracking Challenge measures, as the official evaluators compute them
// (../shared/docs/ctc-formats-and-measures.md §4-8; py-ctcmetrics and the Java CTC-measures):
//   matching   a ground-truth object R and a result object S match iff |R ∩ S| > 0.5·|R|
//   SEG        mean Jaccard index over every annotated ground-truth object (0 when unmatched)
//   DET        1 − min(AOGM-D, AOGM-D₀)/AOGM-D₀,  AOGM-D = 5·NS + 10·FN + 1·FP,  AOGM-D₀ = 10·#GT markers
//   TRA        1 − min(AOGM, AOGM₀)/AOGM₀,  AOGM = AOGM-D + 1·ED + 1.5·EA + 1·EC,
//              AOGM₀ = 10·#GT vertices + 1.5·#GT edges
//   LNK        1 − min(AOGM-A, 1.5·#GT edges)/(1.5·#GT edges),  AOGM-A = 1·ED + 1.5·EA + 1·EC
//   OP_CSB = (SEG + DET)/2,  OP_CTB = (SEG + TRA)/2
// Frames stream through CtcEvaluator one at a time; only per-object data is kept.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nativeseg/ctc.h"
#include "nativeseg/label_overlap.h"

namespace nativeseg {

/// AOGM penalty weights of both official evaluators (PenaltyConfig(5, 10, 1, 1, 1.5, 1)).
namespace aogm_weight {
constexpr double ns = 5.0, fn = 10.0, fp = 1.0, ed = 1.0, ea = 1.5, ec = 1.0;
}

/// Counts of the graph operations that turn the result graph into the ground-truth graph.
struct AogmCounts {
    std::int64_t ns = 0;  // splits needed: Σ (k − 1) over result objects matched by k ≥ 2 GT objects
    std::int64_t fn = 0;  // GT objects without a match
    std::int64_t fp = 0;  // result objects that match no GT object
    std::int64_t ed = 0;  // redundant result edges (between uniquely matched vertices)
    std::int64_t ea = 0;  // GT edges missing from the result
    std::int64_t ec = 0;  // edges whose semantics (track link / parent link) differ
    double aogm_d() const { return aogm_weight::ns * ns + aogm_weight::fn * fn + aogm_weight::fp * fp; }
    double aogm_a() const { return aogm_weight::ed * ed + aogm_weight::ea * ea + aogm_weight::ec * ec; }
    double aogm() const { return aogm_d() + aogm_a(); }
    AogmCounts& operator+=(const AogmCounts& o);
    bool operator==(const AogmCounts& o) const {
        return ns == o.ns && fn == o.fn && fp == o.fp && ed == o.ed && ea == o.ea && ec == o.ec;
    }
};

/// The CTC matching of one frame.
struct CtcFrameMatch {
    std::vector<std::uint32_t> gt_labels;   // sorted
    std::vector<std::uint32_t> res_labels;  // sorted
    std::vector<std::uint32_t> gt_match;    // per GT label: the matching result label, 0 if none
    std::vector<double> gt_jaccard;         // per GT label: |R ∩ S| / |R ∪ S| with its match, 0 if none
};
CtcFrameMatch ctc_match(const LabelOverlap& overlap);

/// What one frame contributed (the per-frame CSV). Edge operations are counted in the frame
/// where the edge ends.
struct CtcFrameCounts {
    std::int64_t frame = 0;
    std::int64_t gt_objects = 0;   // TRA markers
    std::int64_t res_objects = 0;
    std::int64_t matched = 0;      // GT markers with a match
    AogmCounts ops;
    std::int64_t seg_objects = -1; // annotated SEG objects; -1 when the frame has no SEG annotation
    double seg_jaccard_sum = 0;
};

struct CtcMeasures {
    AogmCounts ops;
    std::int64_t frames = 0;          // frames evaluated for DET/TRA
    std::int64_t gt_vertices = 0;     // GT markers over all frames
    std::int64_t gt_edges = 0;        // GT track links + parent links
    std::int64_t res_vertices = 0;
    std::int64_t res_edges = 0;
    std::int64_t seg_frames = 0;      // frames (or slice groups) with SEG annotations
    std::int64_t seg_objects = 0;     // annotated GT objects
    double seg_jaccard_sum = 0;
    double aogm = 0, aogm0 = 0;       // TRA
    double aogm_d = 0, aogm_d0 = 0;   // DET
    double aogm_a = 0;                // LNK numerator
    std::optional<double> seg, det, tra, lnk, op_csb, op_ctb;  // unset when not computable
    std::vector<CtcFrameCounts> per_frame;
};

/// Streaming evaluation of one sequence. Frames may come in any order, each at most once.
class CtcEvaluator {
public:
    CtcEvaluator(std::vector<CtcTrack> gt_tracks, std::vector<CtcTrack> res_tracks, std::int64_t frames);

    /// TRA markers of frame t against the result mask of frame t.
    void add_tra_frame(std::int64_t t, const LabelOverlap& overlap);
    /// A SEG annotation of frame t (a whole frame, or its annotated slices stacked) against the
    /// same part of the result.
    void add_seg_frame(std::int64_t t, const LabelOverlap& overlap);

    /// The labels present in each frame of the result / of the GT markers (for ctc_validate).
    std::vector<std::vector<std::uint32_t>> res_frame_labels() const;
    std::vector<std::vector<std::uint32_t>> gt_frame_labels() const;

    CtcMeasures finish() const;

private:
    struct Frame {
        bool tra = false;
        std::vector<std::uint32_t> gt_labels, res_labels;
        std::vector<std::uint32_t> gt_match;
        // Result labels matched by exactly one GT marker → that marker.
        std::map<std::uint32_t, std::uint32_t> unique;
        CtcFrameCounts counts;
    };
    std::vector<CtcTrack> gt_tracks_, res_tracks_;
    std::vector<Frame> frames_;
};

/// Measures from counts (exposed for tests): DET, TRA and LNK as defined above; nullopt when
/// the denominator is 0 (no GT markers / no GT edges).
std::optional<double> ctc_det(const AogmCounts& ops, std::int64_t gt_vertices);
std::optional<double> ctc_tra(const AogmCounts& ops, std::int64_t gt_vertices, std::int64_t gt_edges);
std::optional<double> ctc_lnk(const AogmCounts& ops, std::int64_t gt_edges);

}  // namespace nativeseg
