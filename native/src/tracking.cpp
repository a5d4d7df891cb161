#include "nativeseg/tracking.h"

#include <algorithm>
#include <functional>
#include <cmath>
#include <map>
#include <numeric>
#include <tuple>
#include <unordered_map>

#include "nativeseg/assignment.h"
#include "nativeseg/error.h"

namespace nativeseg {

namespace {

// Cost of leaving an object unlinked. Link costs run from 0 (identical regions) to 1
// (touching, IoU -> 0) and from 1 to 2 for links by centroid distance alone, so a link is
// taken rather than two unlinked objects whenever it is allowed at all, and the assignment
// decides between competing links.
constexpr double kUnlinkedCost = 1.05;

// Solves the assignment of `rows` sources to `cols` targets where each may also stay
// unlinked, one connected group of candidate pairs at a time (objects far apart never
// compete, and groups are small, so frames with thousands of objects stay fast).
std::vector<int> assign_sparse(int rows, int cols, const std::vector<TrackerCandidate>& candidates) {
    std::vector<int> result(static_cast<std::size_t>(rows), -1);
    if (candidates.empty()) return result;
    // Union-find over rows [0, rows) and columns [rows, rows + cols).
    std::vector<int> parent(static_cast<std::size_t>(rows + cols));
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](int i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    };
    for (const TrackerCandidate& c : candidates) parent[find(c.row)] = find(rows + c.col);
    std::map<int, std::vector<const TrackerCandidate*>> groups;
    for (const TrackerCandidate& c : candidates) groups[find(c.row)].push_back(&c);

    for (const auto& [root, group] : groups) {
        (void)root;
        std::vector<int> rs, cs;
        for (const TrackerCandidate* c : group) {
            rs.push_back(c->row);
            cs.push_back(c->col);
        }
        std::sort(rs.begin(), rs.end());
        rs.erase(std::unique(rs.begin(), rs.end()), rs.end());
        std::sort(cs.begin(), cs.end());
        cs.erase(std::unique(cs.begin(), cs.end()), cs.end());
        const int n = static_cast<int>(rs.size()), m = static_cast<int>(cs.size());
        // Block matrix: links | row i unlinked ; column j unlinked | filler.
        std::vector<std::vector<double>> cost(static_cast<std::size_t>(n + m),
                                              std::vector<double>(static_cast<std::size_t>(m + n), kForbidden));
        for (const TrackerCandidate* c : group) {
            const int i = static_cast<int>(std::lower_bound(rs.begin(), rs.end(), c->row) - rs.begin());
            const int j = static_cast<int>(std::lower_bound(cs.begin(), cs.end(), c->col) - cs.begin());
            cost[i][j] = std::min(cost[i][j], c->cost);
        }
        for (int i = 0; i < n; ++i) cost[i][m + i] = kUnlinkedCost;
        for (int j = 0; j < m; ++j) cost[n + j][j] = kUnlinkedCost;
        for (int j = 0; j < m; ++j)
            for (int i = 0; i < n; ++i) cost[n + j][m + i] = 0;
        const std::vector<int> a = solve_assignment(cost);
        for (int i = 0; i < n; ++i)
            if (a[i] >= 0 && a[i] < m) result[rs[i]] = cs[a[i]];
    }
    return result;
}

double centroid_distance(const Instance& a, const Instance& b) {
    return std::hypot(a.centroid_x - b.centroid_x, a.centroid_y - b.centroid_y);
}

}  // namespace

std::vector<std::tuple<std::uint32_t, std::uint32_t, std::int64_t>> label_overlaps(const cv::Mat& a,
                                                                                   const cv::Mat& b) {
    if (a.type() != CV_32S || b.type() != CV_32S || a.size() != b.size())
        throw Error("label overlaps: expected two CV_32S label planes of the same size");
    std::unordered_map<std::uint64_t, std::int64_t> counts;
    for (int y = 0; y < a.rows; ++y) {
        const int* pa = a.ptr<int>(y);
        const int* pb = b.ptr<int>(y);
        for (int x = 0; x < a.cols; ++x)
            if (pa[x] > 0 && pb[x] > 0)
                ++counts[(static_cast<std::uint64_t>(pa[x]) << 32) | static_cast<std::uint32_t>(pb[x])];
    }
    std::vector<std::tuple<std::uint32_t, std::uint32_t, std::int64_t>> out;
    out.reserve(counts.size());
    for (const auto& [key, n] : counts)
        out.emplace_back(static_cast<std::uint32_t>(key >> 32), static_cast<std::uint32_t>(key & 0xffffffffu), n);
    std::sort(out.begin(), out.end());
    return out;
}

Tracker::Tracker(const TrackerParams& params, TrackSet& tracks) : params_(params), tracks_(tracks) {
    if (params.max_gap < 1) throw Error("max_gap: expected at least 1 (1 links consecutive frames only)");
    if (!(params.max_distance >= 0)) throw Error("max_distance: expected a non-negative distance");
}

double Tracker::link_cost(std::int64_t a, std::int64_t b, double overlap, double max_distance) const {
    const Instance& ia = tracks_.spot(a).instance;
    const Instance& ib = tracks_.spot(b).instance;
    if (overlap > 0) {
        const double iou = overlap / (static_cast<double>(ia.pixel_count + ib.pixel_count) - overlap);
        return 1.0 - iou;
    }
    const double d = centroid_distance(ia, ib);
    if (d > max_distance || max_distance <= 0) return kForbidden;
    return 1.0 + d / max_distance;
}

namespace {
// Index of each label value within a frame's instance list.
std::unordered_map<std::uint32_t, std::vector<int>> instances_by_label(const std::vector<std::uint32_t>& labels) {
    std::unordered_map<std::uint32_t, std::vector<int>> m;
    for (std::size_t i = 0; i < labels.size(); ++i) m[labels[i]].push_back(static_cast<int>(i));
    return m;
}
}  // namespace

void Tracker::link_frame_to_frame(const FrameState& prev, const FrameState& cur, std::vector<bool>& linked) {
    const auto prev_idx = instances_by_label(prev.instance_labels);
    const auto cur_idx = instances_by_label(cur.instance_labels);
    std::map<std::pair<int, int>, double> overlap;
    for (const auto& [la, lb, n] : label_overlaps(prev.labels, cur.labels)) {
        auto ia = prev_idx.find(la);
        auto ib = cur_idx.find(lb);
        if (ia == prev_idx.end() || ib == cur_idx.end()) continue;
        for (int i : ia->second)
            for (int j : ib->second) overlap[{i, j}] = static_cast<double>(n);
    }
    // Overlapping pairs are the candidates; objects that overlap nothing may link by centroid
    // distance to other such objects. Gating distance links this way keeps the groups of
    // competing objects small in crowded frames (one group per cluster of overlaps).
    std::vector<Candidate> candidates;
    std::vector<bool> prev_overlaps(prev.spot_ids.size(), false), cur_overlaps(cur.spot_ids.size(), false);
    for (const auto& [pair, n] : overlap) {
        const double c = link_cost(prev.spot_ids[static_cast<std::size_t>(pair.first)],
                                   cur.spot_ids[static_cast<std::size_t>(pair.second)], n, params_.max_distance);
        candidates.push_back({pair.first, pair.second, c});
        prev_overlaps[static_cast<std::size_t>(pair.first)] = cur_overlaps[static_cast<std::size_t>(pair.second)] = true;
    }
    for (std::size_t i = 0; i < prev.spot_ids.size(); ++i) {
        if (prev_overlaps[i]) continue;
        for (std::size_t j = 0; j < cur.spot_ids.size(); ++j) {
            if (cur_overlaps[j]) continue;
            const double c = link_cost(prev.spot_ids[i], cur.spot_ids[j], 0.0, params_.max_distance);
            if (c < kForbidden) candidates.push_back({static_cast<int>(i), static_cast<int>(j), c});
        }
    }
    add_assigned_links(candidates, static_cast<int>(prev.spot_ids.size()), static_cast<int>(cur.spot_ids.size()),
                       [&](int i) { return prev.spot_ids[static_cast<std::size_t>(i)]; }, cur, linked,
                       [](int j) { return j; });
}

void Tracker::detect_divisions(const FrameState& prev, const FrameState& cur, std::vector<bool>& linked) {
    const auto prev_idx = instances_by_label(prev.instance_labels);
    const auto cur_idx = instances_by_label(cur.instance_labels);
    // Best mother (largest overlap) for each unlinked object of the current frame.
    std::map<int, std::pair<int, double>> best;
    for (const auto& [la, lb, n] : label_overlaps(prev.labels, cur.labels)) {
        auto ia = prev_idx.find(la);
        auto ib = cur_idx.find(lb);
        if (ia == prev_idx.end() || ib == cur_idx.end()) continue;
        for (int j : ib->second) {
            if (linked[static_cast<std::size_t>(j)]) continue;
            for (int i : ia->second)
                if (!best.count(j) || best[j].second < static_cast<double>(n)) best[j] = {i, static_cast<double>(n)};
        }
    }
    for (const auto& [j, mother] : best) {
        const std::int64_t daughter = cur.spot_ids[static_cast<std::size_t>(j)];
        const std::int64_t m = prev.spot_ids[static_cast<std::size_t>(mother.first)];
        const Instance& d = tracks_.spot(daughter).instance;
        const Instance& mi = tracks_.spot(m).instance;
        if (mother.second < params_.division_min_overlap * static_cast<double>(d.pixel_count)) continue;
        if (d.pixel_count >= mi.pixel_count) continue;  // a daughter is smaller than its mother
        const auto succ = tracks_.successors(m);
        if (succ.size() != 1 || tracks_.spot(succ[0]).instance.frame != cur.t) continue;
        tracks_.add_link(m, daughter, link_cost(m, daughter, mother.second, params_.max_distance));
        linked[static_cast<std::size_t>(j)] = true;
    }
}

void Tracker::close_gaps(const FrameState& cur, std::vector<bool>& linked) {
    // Track ends in frames t-2 ... t-max_gap: spots with no successor.
    struct End {
        const FrameState* frame;
        int index;
    };
    std::vector<End> ends;
    for (const FrameState& f : history_) {
        if (f.t >= cur.t - 1 || f.t < cur.t - params_.max_gap) continue;
        for (std::size_t i = 0; i < f.spot_ids.size(); ++i)
            if (tracks_.successors(f.spot_ids[i]).empty()) ends.push_back({&f, static_cast<int>(i)});
    }
    std::vector<int> open;
    for (std::size_t j = 0; j < linked.size(); ++j)
        if (!linked[j]) open.push_back(static_cast<int>(j));
    if (ends.empty() || open.empty()) return;

    const auto cur_idx = instances_by_label(cur.instance_labels);
    std::map<const FrameState*, std::map<std::pair<int, int>, double>> overlaps;
    for (const FrameState& f : history_) {
        if (f.t >= cur.t - 1 || f.t < cur.t - params_.max_gap) continue;
        const auto idx = instances_by_label(f.instance_labels);
        for (const auto& [la, lb, n] : label_overlaps(f.labels, cur.labels)) {
            auto ia = idx.find(la);
            auto ib = cur_idx.find(lb);
            if (ia == idx.end() || ib == cur_idx.end()) continue;
            for (int i : ia->second)
                for (int j : ib->second) overlaps[&f][{i, j}] = static_cast<double>(n);
        }
    }
    std::vector<Candidate> candidates;
    for (std::size_t e = 0; e < ends.size(); ++e)
        for (std::size_t k = 0; k < open.size(); ++k) {
            const auto& ov = overlaps[ends[e].frame];
            auto it = ov.find({ends[e].index, open[k]});
            const double c = link_cost(ends[e].frame->spot_ids[static_cast<std::size_t>(ends[e].index)],
                                       cur.spot_ids[static_cast<std::size_t>(open[k])],
                                       it == ov.end() ? 0.0 : it->second, params_.gap_max_distance);
            if (c < kForbidden) candidates.push_back({static_cast<int>(e), static_cast<int>(k), c});
        }
    add_assigned_links(candidates, static_cast<int>(ends.size()), static_cast<int>(open.size()),
                       [&](int e) {
                           return ends[static_cast<std::size_t>(e)].frame->spot_ids[static_cast<std::size_t>(
                               ends[static_cast<std::size_t>(e)].index)];
                       },
                       cur, linked, [&](int k) { return open[static_cast<std::size_t>(k)]; });
}

void Tracker::add_assigned_links(const std::vector<Candidate>& candidates, int rows, int cols,
                                 const std::function<std::int64_t(int)>& source, const FrameState& cur,
                                 std::vector<bool>& linked, const std::function<int(int)>& target_index) {
    std::map<std::pair<int, int>, double> cost;
    for (const Candidate& c : candidates) cost[{c.row, c.col}] = c.cost;
    const std::vector<int> a = assign_sparse(rows, cols, candidates);
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] < 0) continue;
        const int j = target_index(a[i]);
        tracks_.add_link(source(static_cast<int>(i)), cur.spot_ids[static_cast<std::size_t>(j)],
                         cost.at({static_cast<int>(i), a[i]}));
        linked[static_cast<std::size_t>(j)] = true;
    }
}

std::vector<std::int64_t> Tracker::add_frame(std::int64_t t, const cv::Mat& labels,
                                             const std::vector<Instance>& instances) {
    if (t != next_frame_)
        throw Error("tracker: expected frame " + std::to_string(next_frame_) + ", got frame " + std::to_string(t));
    if (labels.type() != CV_32S) throw Error("tracker: expected a CV_32S label plane");
    if (!history_.empty() && history_.back().labels.size() != labels.size())
        throw Error("tracker: frame " + std::to_string(t) + " differs in size from the previous frames");
    FrameState cur;
    cur.t = t;
    cur.labels = labels.clone();
    for (const Instance& inst : instances) {
        Instance copy = inst;
        copy.frame = t;
        cur.spot_ids.push_back(tracks_.add_spot(copy));
        cur.instance_labels.push_back(inst.label);
    }
    std::vector<bool> linked(cur.spot_ids.size(), false);
    if (!history_.empty() && history_.back().t == t - 1) {
        link_frame_to_frame(history_.back(), cur, linked);
        if (params_.divisions) detect_divisions(history_.back(), cur, linked);
    }
    if (params_.max_gap >= 2) close_gaps(cur, linked);

    history_.push_back(std::move(cur));
    while (!history_.empty() && history_.front().t <= t - params_.max_gap) history_.pop_front();
    ++next_frame_;
    return history_.back().spot_ids;
}

}  // namespace nativeseg
