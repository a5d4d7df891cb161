#include "nativeseg/metrics_ctc.h"

#include <algorithm>
#include <tuple>

#include "nativeseg/error.h"

namespace nativeseg {

AogmCounts& AogmCounts::operator+=(const AogmCounts& o) {
    ns += o.ns;
    fn += o.fn;
    fp += o.fp;
    ed += o.ed;
    ea += o.ea;
    ec += o.ec;
    return *this;
}

CtcFrameMatch ctc_match(const LabelOverlap& overlap) {
    CtcFrameMatch m;
    m.gt_labels = overlap.gt_labels;
    m.res_labels = overlap.res_labels;
    m.gt_match.assign(m.gt_labels.size(), 0);
    m.gt_jaccard.assign(m.gt_labels.size(), 0.0);
    for (const LabelOverlap::Pair& p : overlap.pairs) {
        // Strictly more than half of R: at most one S can qualify.
        if (2 * p.pixels > overlap.gt_area[p.gt]) {
            m.gt_match[p.gt] = overlap.res_labels[p.res];
            m.gt_jaccard[p.gt] = overlap.iou(p);
        }
    }
    return m;
}

std::optional<double> ctc_det(const AogmCounts& ops, std::int64_t gt_vertices) {
    const double d0 = aogm_weight::fn * static_cast<double>(gt_vertices);
    if (d0 <= 0) return std::nullopt;
    return 1.0 - std::min(ops.aogm_d(), d0) / d0;
}

std::optional<double> ctc_tra(const AogmCounts& ops, std::int64_t gt_vertices, std::int64_t gt_edges) {
    const double a0 = aogm_weight::fn * static_cast<double>(gt_vertices) + aogm_weight::ea * static_cast<double>(gt_edges);
    if (a0 <= 0) return std::nullopt;
    return 1.0 - std::min(ops.aogm(), a0) / a0;
}

std::optional<double> ctc_lnk(const AogmCounts& ops, std::int64_t gt_edges) {
    const double a0 = aogm_weight::ea * static_cast<double>(gt_edges);
    if (a0 <= 0) return std::nullopt;
    return 1.0 - std::min(ops.aogm_a(), a0) / a0;
}

CtcEvaluator::CtcEvaluator(std::vector<CtcTrack> gt_tracks, std::vector<CtcTrack> res_tracks, std::int64_t frames)
    : gt_tracks_(std::move(gt_tracks)), res_tracks_(std::move(res_tracks)) {
    if (frames < 0) throw Error("CtcEvaluator: negative frame count");
    frames_.resize(static_cast<std::size_t>(frames));
    for (std::int64_t t = 0; t < frames; ++t) frames_[static_cast<std::size_t>(t)].counts.frame = t;
}

void CtcEvaluator::add_tra_frame(std::int64_t t, const LabelOverlap& overlap) {
    if (t < 0 || t >= static_cast<std::int64_t>(frames_.size()))
        throw Error("CtcEvaluator: frame " + std::to_string(t) + " outside 0.." + std::to_string(frames_.size() - 1));
    Frame& f = frames_[static_cast<std::size_t>(t)];
    if (f.tra) throw Error("CtcEvaluator: frame " + std::to_string(t) + " added twice");
    f.tra = true;
    const CtcFrameMatch m = ctc_match(overlap);
    f.gt_labels = m.gt_labels;
    f.res_labels = m.res_labels;
    f.gt_match = m.gt_match;

    // How many GT markers each result object matches.
    std::map<std::uint32_t, std::int64_t> matched_by;
    std::map<std::uint32_t, std::uint32_t> some_gt;
    for (std::size_t i = 0; i < m.gt_labels.size(); ++i) {
        if (m.gt_match[i] == 0) {
            ++f.counts.ops.fn;
            continue;
        }
        ++f.counts.matched;
        ++matched_by[m.gt_match[i]];
        some_gt[m.gt_match[i]] = m.gt_labels[i];
    }
    for (std::uint32_t r : m.res_labels) {
        const auto it = matched_by.find(r);
        const std::int64_t k = it == matched_by.end() ? 0 : it->second;
        if (k == 0) ++f.counts.ops.fp;
        else if (k == 1) f.unique.emplace(r, some_gt[r]);
        else f.counts.ops.ns += k - 1;
    }
    f.counts.gt_objects = static_cast<std::int64_t>(m.gt_labels.size());
    f.counts.res_objects = static_cast<std::int64_t>(m.res_labels.size());
}

void CtcEvaluator::add_seg_frame(std::int64_t t, const LabelOverlap& overlap) {
    if (t < 0 || t >= static_cast<std::int64_t>(frames_.size()))
        throw Error("CtcEvaluator: SEG frame " + std::to_string(t) + " outside 0.." +
                    std::to_string(frames_.size() - 1));
    CtcFrameCounts& c = frames_[static_cast<std::size_t>(t)].counts;
    const CtcFrameMatch m = ctc_match(overlap);
    if (c.seg_objects < 0) c.seg_objects = 0;
    c.seg_objects += static_cast<std::int64_t>(m.gt_labels.size());
    for (double j : m.gt_jaccard) c.seg_jaccard_sum += j;
}

std::vector<std::vector<std::uint32_t>> CtcEvaluator::res_frame_labels() const {
    std::vector<std::vector<std::uint32_t>> out;
    for (const Frame& f : frames_) out.push_back(f.res_labels);
    return out;
}

std::vector<std::vector<std::uint32_t>> CtcEvaluator::gt_frame_labels() const {
    std::vector<std::vector<std::uint32_t>> out;
    for (const Frame& f : frames_) out.push_back(f.gt_labels);
    return out;
}

namespace {

// A graph edge between vertex (t1, l1) and (t2, l2).
using EdgeKey = std::tuple<std::int64_t, std::uint32_t, std::int64_t, std::uint32_t>;
enum EdgeType : int { TrackLink = 0, ParentLink = 1 };

bool has_label(const std::vector<std::uint32_t>& sorted, std::uint32_t l) {
    return std::binary_search(sorted.begin(), sorted.end(), l);
}

// The edges of a graph, as both evaluators build them: a track link joins a label present in
// two consecutive frames (taken from the masks, not from the track file); a parent link joins
// the parent's last frame to the child's first frame (taken from the track file). Parent links
// whose end points are missing from the masks (an invalid result) are left out.
template <typename LabelsOf>
std::map<EdgeKey, int> build_edges(const std::vector<CtcTrack>& tracks, std::int64_t frames, LabelsOf labels_of) {
    std::map<EdgeKey, int> edges;
    for (std::int64_t t = 0; t + 1 < frames; ++t) {
        const std::vector<std::uint32_t>& a = labels_of(t);
        const std::vector<std::uint32_t>& b = labels_of(t + 1);
        std::vector<std::uint32_t> both;
        std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
        for (std::uint32_t l : both) edges.emplace(EdgeKey{t, l, t + 1, l}, TrackLink);
    }
    std::map<std::uint32_t, const CtcTrack*> by_label;
    for (const CtcTrack& tr : tracks) by_label.emplace(tr.label, &tr);
    for (const CtcTrack& child : tracks) {
        if (child.parent == 0) continue;
        const auto p = by_label.find(child.parent);
        if (p == by_label.end()) continue;
        const std::int64_t te = p->second->end, tb = child.begin;
        if (te < 0 || te >= frames || tb < 0 || tb >= frames) continue;
        if (!has_label(labels_of(te), child.parent) || !has_label(labels_of(tb), child.label)) continue;
        edges.emplace(EdgeKey{te, child.parent, tb, child.label}, ParentLink);
    }
    return edges;
}

}  // namespace

CtcMeasures CtcEvaluator::finish() const {
    CtcMeasures m;
    const auto frames = static_cast<std::int64_t>(frames_.size());
    std::vector<CtcFrameCounts> counts;
    bool any_tra = false;
    for (const Frame& f : frames_) {
        counts.push_back(f.counts);
        any_tra = any_tra || f.tra;
    }

    if (any_tra) {
        const auto gt_edges =
            build_edges(gt_tracks_, frames, [&](std::int64_t t) -> const std::vector<std::uint32_t>& {
                return frames_[static_cast<std::size_t>(t)].gt_labels;
            });
        const auto res_edges =
            build_edges(res_tracks_, frames, [&](std::int64_t t) -> const std::vector<std::uint32_t>& {
                return frames_[static_cast<std::size_t>(t)].res_labels;
            });
        // Result edges between uniquely matched vertices, mapped onto GT vertex pairs.
        std::map<EdgeKey, bool> gt_found;  // GT edges that a result edge maps onto
        for (const auto& [key, type] : res_edges) {
            const auto& [t1, r1, t2, r2] = key;
            const auto& u1 = frames_[static_cast<std::size_t>(t1)].unique;
            const auto& u2 = frames_[static_cast<std::size_t>(t2)].unique;
            const auto a = u1.find(r1);
            const auto b = u2.find(r2);
            if (a == u1.end() || b == u2.end()) continue;
            const EdgeKey mapped{t1, a->second, t2, b->second};
            const auto g = gt_edges.find(mapped);
            AogmCounts& ops = counts[static_cast<std::size_t>(t2)].ops;
            if (g == gt_edges.end()) {
                ++ops.ed;
            } else {
                gt_found[mapped] = true;
                if (g->second != type) ++ops.ec;
            }
        }
        for (const auto& edge : gt_edges)
            if (gt_found.find(edge.first) == gt_found.end())
                ++counts[static_cast<std::size_t>(std::get<2>(edge.first))].ops.ea;
        m.gt_edges = static_cast<std::int64_t>(gt_edges.size());
        m.res_edges = static_cast<std::int64_t>(res_edges.size());
    }

    for (std::size_t t = 0; t < frames_.size(); ++t) {
        const Frame& f = frames_[t];
        const CtcFrameCounts& c = counts[t];
        m.ops += c.ops;
        if (f.tra) {
            ++m.frames;
            m.gt_vertices += c.gt_objects;
            m.res_vertices += c.res_objects;
        }
        if (c.seg_objects >= 0) {
            ++m.seg_frames;
            m.seg_objects += c.seg_objects;
            m.seg_jaccard_sum += c.seg_jaccard_sum;
        }
    }
    m.per_frame = std::move(counts);

    if (any_tra) {
        m.aogm_d = m.ops.aogm_d();
        m.aogm_d0 = aogm_weight::fn * static_cast<double>(m.gt_vertices);
        m.aogm_a = m.ops.aogm_a();
        m.aogm = m.ops.aogm();
        m.aogm0 = m.aogm_d0 + aogm_weight::ea * static_cast<double>(m.gt_edges);
        m.det = ctc_det(m.ops, m.gt_vertices);
        m.tra = ctc_tra(m.ops, m.gt_vertices, m.gt_edges);
        m.lnk = ctc_lnk(m.ops, m.gt_edges);
    }
    if (m.seg_frames > 0) m.seg = m.seg_jaccard_sum / static_cast<double>(std::max<std::int64_t>(m.seg_objects, 1));
    if (m.seg && m.det) m.op_csb = 0.5 * *m.seg + 0.5 * *m.det;
    if (m.seg && m.tra) m.op_ctb = 0.5 * *m.seg + 0.5 * *m.tra;
    return m;
}

}  // namespace nativeseg
