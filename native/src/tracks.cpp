#include "nativeseg/tracks.h"

#include <algorithm>
#include <numeric>

#include "nativeseg/error.h"

namespace nativeseg {

std::int64_t TrackSet::add_spot(const Instance& instance) {
    Spot s;
    s.id = next_id_++;
    s.instance = instance;
    index_[s.id] = spots_.size();
    spots_.push_back(std::move(s));
    return spots_.back().id;
}

const Spot& TrackSet::spot(std::int64_t id) const {
    auto it = index_.find(id);
    if (it == index_.end()) throw Error("no spot with id " + std::to_string(id));
    return spots_[it->second];
}

Spot& TrackSet::spot(std::int64_t id) {
    auto it = index_.find(id);
    if (it == index_.end()) throw Error("no spot with id " + std::to_string(id));
    return spots_[it->second];
}

void TrackSet::add_link(std::int64_t source, std::int64_t target, double cost) {
    const Spot& a = spot(source);
    const Spot& b = spot(target);
    if (b.instance.frame <= a.instance.frame)
        throw Error("link " + std::to_string(source) + " -> " + std::to_string(target) +
                    " does not go forward in time (frames " + std::to_string(a.instance.frame) + " -> " +
                    std::to_string(b.instance.frame) + ")");
    auto range = out_.equal_range(source);
    for (auto it = range.first; it != range.second; ++it)
        if (links_[it->second].target == target)
            throw Error("link " + std::to_string(source) + " -> " + std::to_string(target) + " exists already");
    out_.emplace(source, links_.size());
    in_.emplace(target, links_.size());
    links_.push_back(Link{source, target, cost});
}

std::vector<std::int64_t> TrackSet::successors(std::int64_t id) const {
    std::vector<std::int64_t> out;
    auto range = out_.equal_range(id);
    for (auto it = range.first; it != range.second; ++it) out.push_back(links_[it->second].target);
    return out;
}

std::vector<std::int64_t> TrackSet::predecessors(std::int64_t id) const {
    std::vector<std::int64_t> out;
    auto range = in_.equal_range(id);
    for (auto it = range.first; it != range.second; ++it) out.push_back(links_[it->second].source);
    return out;
}

std::int64_t TrackSet::assign_track_ids() {
    // Union-find over spot indices.
    std::vector<std::size_t> parent(spots_.size());
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](std::size_t i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    };
    std::vector<bool> linked(spots_.size(), false);
    for (const Link& l : links_) {
        const std::size_t a = index_.at(l.source), b = index_.at(l.target);
        linked[a] = linked[b] = true;
        parent[find(a)] = find(b);
    }
    // Number components by their earliest spot (frame, then id) so ids are stable.
    std::vector<std::size_t> order(spots_.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto& sa = spots_[a];
        const auto& sb = spots_[b];
        return sa.instance.frame != sb.instance.frame ? sa.instance.frame < sb.instance.frame : sa.id < sb.id;
    });
    std::map<std::size_t, std::int64_t> root_to_component;
    std::map<std::size_t, bool> root_linked;
    for (std::size_t i = 0; i < spots_.size(); ++i)
        if (linked[i]) root_linked[find(i)] = true;
    std::int64_t next = 0, tracks = 0;
    for (std::size_t i : order) {
        const std::size_t r = find(i);
        auto it = root_to_component.find(r);
        if (it == root_to_component.end()) {
            it = root_to_component.emplace(r, next++).first;
            if (root_linked.count(r)) ++tracks;
        }
        spots_[i].component = it->second;
        spots_[i].track_id = root_linked.count(r) ? it->second : -1;
    }
    return tracks;
}

std::int64_t TrackSet::frames() const {
    std::int64_t f = 0;
    for (const Spot& s : spots_) f = std::max(f, s.instance.frame + 1);
    return f;
}

}  // namespace nativeseg
