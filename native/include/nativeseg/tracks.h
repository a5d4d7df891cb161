#pragma once
// A set of tracks: spots (instances in frames) and directed links between them, forward in
// time. A link may skip frames (gap closing); a spot with two outgoing links is a division;
// a spot with two incoming links a merge. Tracks are the connected components of the link
// graph that have at least one link; assign_track_ids() numbers every component (single
// spots included) in order of its earliest spot, so that the number is stable while frames
// stream in and the track-labelled video can use component + 1 for every spot.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nativeseg/instances.h"

namespace nativeseg {

struct Spot {
    std::int64_t id = 0;           // unique in the set
    Instance instance;             // frame, label, geometry, intensity
    std::int64_t component = -1;   // connected component number (every spot), from assign_track_ids
    std::int64_t track_id = -1;    // == component for spots with links; -1 for spots without links
};

struct Link {
    std::int64_t source = 0;       // spot id, earlier frame
    std::int64_t target = 0;       // spot id, later frame
    double cost = 0;
};

class TrackSet {
public:
    /// Adds a spot with a new id (returned).
    std::int64_t add_spot(const Instance& instance);
    /// Adds a link; Error when a spot id is unknown, the target is not later than the source,
    /// or the link already exists.
    void add_link(std::int64_t source, std::int64_t target, double cost = 0);

    const std::vector<Spot>& spots() const { return spots_; }
    std::vector<Spot>& spots() { return spots_; }
    const std::vector<Link>& links() const { return links_; }
    const Spot& spot(std::int64_t id) const;
    Spot& spot(std::int64_t id);
    bool has_spot(std::int64_t id) const { return index_.count(id) != 0; }

    /// Spot ids linked from / to a spot.
    std::vector<std::int64_t> successors(std::int64_t id) const;
    std::vector<std::int64_t> predecessors(std::int64_t id) const;

    /// Numbers every connected component 0, 1, ... in order of its earliest spot (frame, then
    /// id) into Spot::component; spots of components with links get track_id = component,
    /// the others -1 (so track ids are unique but need not be contiguous). Returns the
    /// number of tracks (components with links).
    std::int64_t assign_track_ids();
    std::int64_t frames() const;   // 1 + the last frame of any spot, 0 when empty

private:
    std::vector<Spot> spots_;
    std::vector<Link> links_;
    std::map<std::int64_t, std::size_t> index_;
    std::multimap<std::int64_t, std::size_t> out_, in_;  // spot id -> link index
    std::int64_t next_id_ = 0;
};

}  // namespace nativeseg
