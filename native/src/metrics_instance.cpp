#include "nativeseg/metrics_instance.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "nativeseg/error.h"
#include "nativeseg/number_list.h"

namespace nativeseg {

namespace {

double ratio(double a, double b, double empty) { return b > 0 ? a / b : empty; }

void check_threshold(double t, const std::string& text) {
    if (!(t >= 0.5 && t <= 1.0))
        throw Error("iou_thresholds: expected IoU thresholds from 0.5 to 1 (one-to-one matching), got '" + text + "'");
}

}  // namespace

InstanceCounts& InstanceCounts::operator+=(const InstanceCounts& o) {
    tp += o.tp;
    fp += o.fp;
    fn += o.fn;
    matched_iou_sum += o.matched_iou_sum;
    return *this;
}

// With nothing to find and nothing found, every ratio is a perfect 1.
double InstanceCounts::precision() const {
    return ratio(static_cast<double>(tp), static_cast<double>(tp + fp), fn == 0 ? 1.0 : 0.0);
}
double InstanceCounts::recall() const {
    return ratio(static_cast<double>(tp), static_cast<double>(tp + fn), fp == 0 ? 1.0 : 0.0);
}
double InstanceCounts::f1() const {
    return ratio(2.0 * static_cast<double>(tp), static_cast<double>(2 * tp + fp + fn), 1.0);
}
double InstanceCounts::ap() const {
    return ratio(static_cast<double>(tp), static_cast<double>(tp + fp + fn), 1.0);
}
double InstanceCounts::mean_matched_iou() const { return ratio(matched_iou_sum, static_cast<double>(tp), 0.0); }
double InstanceCounts::panoptic_quality() const {
    if (tp + fp + fn == 0) return 1.0;
    return mean_matched_iou() * f1();
}

InstanceResult& InstanceResult::operator+=(const InstanceResult& o) {
    gt_objects += o.gt_objects;
    res_objects += o.res_objects;
    splits += o.splits;
    merges += o.merges;
    if (at.empty()) at = o.at;
    else {
        if (at.size() != o.at.size()) throw Error("InstanceResult: different threshold lists");
        for (std::size_t i = 0; i < at.size(); ++i) at[i] += o.at[i];
    }
    return *this;
}

InstanceResult instance_match(const LabelOverlap& overlap, const std::vector<double>& thresholds) {
    InstanceResult r;
    r.gt_objects = static_cast<std::int64_t>(overlap.gt_labels.size());
    r.res_objects = static_cast<std::int64_t>(overlap.res_labels.size());

    // Pairs by decreasing IoU (ties by labels), for the greedy one-to-one matching.
    struct Candidate {
        double iou;
        std::uint32_t gt, res;
    };
    std::vector<Candidate> cands;
    // majority_of_gt[res]: GT objects whose majority lies in result object `res` (indexed by
    // result); majority_of_res[gt]: result objects mostly inside GT object `gt` (indexed by GT).
    std::vector<int> majority_of_gt(overlap.res_labels.size(), 0), majority_of_res(overlap.gt_labels.size(), 0);
    for (const LabelOverlap::Pair& p : overlap.pairs) {
        cands.push_back({overlap.iou(p), p.gt, p.res});
        if (2 * p.pixels > overlap.gt_area[p.gt]) ++majority_of_gt[p.res];    // res holds most of this gt
        if (2 * p.pixels > overlap.res_area[p.res]) ++majority_of_res[p.gt];  // gt holds most of this res
    }
    for (int k : majority_of_gt) r.merges += k >= 2;
    for (int k : majority_of_res) r.splits += k >= 2;
    std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
        if (a.iou != b.iou) return a.iou > b.iou;
        if (a.gt != b.gt) return a.gt < b.gt;
        return a.res < b.res;
    });

    for (double tau : thresholds) {
        check_threshold(tau, std::to_string(tau));
        InstanceCounts c;
        c.threshold = tau;
        std::vector<bool> gt_used(overlap.gt_labels.size(), false), res_used(overlap.res_labels.size(), false);
        for (const Candidate& k : cands) {
            if (k.iou < tau) break;
            if (gt_used[k.gt] || res_used[k.res]) continue;
            gt_used[k.gt] = res_used[k.res] = true;
            ++c.tp;
            c.matched_iou_sum += k.iou;
        }
        c.fn = r.gt_objects - c.tp;
        c.fp = r.res_objects - c.tp;
        r.at.push_back(c);
    }
    return r;
}

std::vector<double> parse_iou_thresholds(const std::string& text) {
    const std::vector<double> out = parse_number_list(text, "iou_thresholds");
    for (double t : out) check_threshold(t, text);
    return out;
}

}  // namespace nativeseg
