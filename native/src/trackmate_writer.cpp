// Streaming TrackMate XML writer. Each frame's SpotsInFrame element is printed (with pugixml)
// into a temporary spots file as the frame arrives; finish() prints the document skeleton
// around it (the AllSpots count is known only then), copies the spots in, prints one Track
// element at a time, and renames the result into place.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <numeric>
#include <unordered_map>

#include "nativeseg/atomic_file.h"
#include "nativeseg/error.h"
#include "nativeseg/trackmate.h"
#include "trackmate_document.h"

namespace nativeseg {

using tmxml::SpotSummary;
using tmxml::TrackEdge;
using tmxml::TrackSpot;

struct TrackMateWriter::State {
    TrackMateWriteOptions options;
    tmxml::Units units;
    AtomicOutput out;
    AtomicOutput spots_file;  // never committed: removed with the writer
    std::ofstream spots;
    std::int64_t next_frame = 0;
    std::unordered_map<std::int64_t, SpotSummary> summary;
    std::vector<Link> links;
    bool finished = false;

    State(const std::string& path, TrackMateWriteOptions o)
        : options(std::move(o)), units(tmxml::units_of(options.image.calibration)), out(path),
          spots_file(path + ".spots") {
        spots.open(spots_file.temp_path(), std::ios::binary | std::ios::trunc);
        if (!spots) throw Error("cannot write '" + spots_file.temp_path() + "': " + std::strerror(errno));
    }

    void check_stream(std::ostream& os, const std::string& what) const {
        if (!os) throw Error("cannot write '" + what + "' (disk full?)");
    }

    void write_empty_frames_until(std::int64_t frame) {
        std::vector<SpotSummary> none;
        for (; next_frame < frame; ++next_frame)
            tmxml::print_spots_in_frame(spots, next_frame, {}, units, options.intensity_features, none);
    }
};

TrackMateWriter::TrackMateWriter(const std::string& path, TrackMateWriteOptions options) {
    const TrackMateImage& im = options.image;
    if (im.width <= 0 || im.height <= 0)
        throw Error("TrackMate export '" + path + "': the image width and height must be positive, got " +
                    std::to_string(im.width) + "x" + std::to_string(im.height));
    if (im.nslices <= 0 || im.nframes < 0)
        throw Error("TrackMate export '" + path + "': invalid image depth (" + std::to_string(im.nslices) +
                    " slices) or frame count (" + std::to_string(im.nframes) + ")");
    s_ = std::make_unique<State>(path, std::move(options));
}

TrackMateWriter::~TrackMateWriter() = default;

std::int64_t TrackMateWriter::spots_written() const { return static_cast<std::int64_t>(s_->summary.size()); }

void TrackMateWriter::add_frame(std::int64_t frame, const std::vector<Spot>& spots) {
    State& s = *s_;
    const std::string& path = s.out.final_path();
    if (s.finished) throw Error("TrackMate export '" + path + "': add_frame() after finish()");
    if (frame < s.next_frame)
        throw Error("TrackMate export '" + path + "': frame " + std::to_string(frame) +
                    " added after frame " + std::to_string(s.next_frame - 1) + " (frames must increase)");
    for (const Spot& spot : spots) {
        if (spot.instance.frame != frame)
            throw Error("TrackMate export '" + path + "': spot " + std::to_string(spot.id) + " is in frame " +
                        std::to_string(spot.instance.frame) + " but was added with frame " + std::to_string(frame));
        // TrackMate reads spot IDs as Java ints.
        if (spot.id < 0 || spot.id > INT32_MAX)
            throw Error("TrackMate export '" + path + "': spot id " + std::to_string(spot.id) +
                        " is outside 0 .. 2147483647");
        if (s.summary.count(spot.id))
            throw Error("TrackMate export '" + path + "': spot id " + std::to_string(spot.id) + " added twice");
    }
    s.write_empty_frames_until(frame);
    std::vector<SpotSummary> summaries;
    summaries.reserve(spots.size());
    tmxml::print_spots_in_frame(s.spots, frame, spots, s.units, s.options.intensity_features, summaries);
    s.spots.flush();  // the frame is on disk now; memory holds only the summaries
    s.check_stream(s.spots, s.spots_file.temp_path());
    for (std::size_t i = 0; i < spots.size(); ++i) s.summary.emplace(spots[i].id, summaries[i]);
    s.next_frame = frame + 1;
}

void TrackMateWriter::add_link(const Link& link) {
    if (s_->finished) throw Error("TrackMate export '" + s_->out.final_path() + "': add_link() after finish()");
    if (!s_->options.spots_only) s_->links.push_back(link);
}

namespace {

struct Component {
    std::vector<TrackSpot> spots;
    std::vector<TrackEdge> edges;
};

// Tracks = connected components of the links, numbered by their earliest spot (frame, then
// id) exactly as TrackSet::assign_track_ids() numbers them; edges sorted by time.
std::vector<Component> components(const std::vector<Link>& links,
                                  const std::unordered_map<std::int64_t, SpotSummary>& summary,
                                  const std::string& path) {
    std::unordered_map<std::int64_t, std::size_t> node;  // spot id -> union-find index
    std::vector<std::int64_t> ids;
    std::vector<std::size_t> parent;
    const auto index_of = [&](std::int64_t id) {
        auto it = node.find(id);
        if (it != node.end()) return it->second;
        node.emplace(id, ids.size());
        ids.push_back(id);
        parent.push_back(parent.size());
        return ids.size() - 1;
    };
    const auto find = [&](std::size_t i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    };
    std::unordered_map<std::int64_t, std::vector<std::int64_t>> targets;  // duplicate check
    for (const Link& l : links) {
        for (std::int64_t id : {l.source, l.target})
            if (!summary.count(id))
                throw Error("TrackMate export '" + path + "': link " + std::to_string(l.source) + " -> " +
                            std::to_string(l.target) + " names spot " + std::to_string(id) + ", which was never added");
        if (summary.at(l.target).frame <= summary.at(l.source).frame)
            throw Error("TrackMate export '" + path + "': link " + std::to_string(l.source) + " -> " +
                        std::to_string(l.target) + " does not go forward in time");
        auto& t = targets[l.source];
        if (std::find(t.begin(), t.end(), l.target) != t.end())
            throw Error("TrackMate export '" + path + "': link " + std::to_string(l.source) + " -> " +
                        std::to_string(l.target) + " added twice");
        t.push_back(l.target);
        const std::size_t a = index_of(l.source), b = index_of(l.target);
        parent[find(a)] = find(b);
    }

    std::vector<std::size_t> order(ids.size());
    std::iota(order.begin(), order.end(), 0);
    const auto earlier = [&](std::size_t a, std::size_t b) {
        const std::int64_t fa = summary.at(ids[a]).frame, fb = summary.at(ids[b]).frame;
        return fa != fb ? fa < fb : ids[a] < ids[b];
    };
    std::sort(order.begin(), order.end(), earlier);
    std::unordered_map<std::size_t, std::size_t> root_to_track;
    std::vector<Component> out;
    for (std::size_t i : order) {
        const std::size_t r = find(i);
        auto it = root_to_track.find(r);
        if (it == root_to_track.end()) {
            it = root_to_track.emplace(r, out.size()).first;
            out.emplace_back();
        }
        out[it->second].spots.push_back({ids[i], summary.at(ids[i])});
    }
    for (const Link& l : links) out[root_to_track.at(find(node.at(l.source)))].edges.push_back({l.source, l.target, l.cost});
    for (Component& c : out)
        std::sort(c.edges.begin(), c.edges.end(), [&](const TrackEdge& a, const TrackEdge& b) {
            const std::int64_t fa = summary.at(a.source).frame, fb = summary.at(b.source).frame;
            if (fa != fb) return fa < fb;
            return a.source != b.source ? a.source < b.source : a.target < b.target;
        });
    return out;
}

}  // namespace

void TrackMateWriter::finish() {
    State& s = *s_;
    const std::string& path = s.out.final_path();
    if (s.finished) throw Error("TrackMate export '" + path + "': finish() called twice");
    s.finished = true;

    const std::int64_t nframes = std::max<std::int64_t>(s.options.image.nframes, s.next_frame);
    s.write_empty_frames_until(nframes);
    s.spots.close();
    if (!s.spots) throw Error("cannot write '" + s.spots_file.temp_path() + "' (disk full?)");

    const std::vector<Component> tracks = components(s.links, s.summary, path);
    // TRACK_ID = the component number TrackSet::assign_track_ids() gives (single spots count
    // too), so a track's id + 1 is its value in the track-labelled video (tracks.tif).
    std::vector<std::int64_t> track_ids(tracks.size());
    {
        std::unordered_map<std::int64_t, std::size_t> track_of_spot;
        for (std::size_t k = 0; k < tracks.size(); ++k)
            for (const auto& sp : tracks[k].spots) track_of_spot[sp.id] = k;
        std::vector<std::pair<std::int64_t, std::int64_t>> order;  // (frame, id)
        order.reserve(s.summary.size());
        for (const auto& [id, sum] : s.summary) order.emplace_back(sum.frame, id);
        std::sort(order.begin(), order.end());
        std::vector<bool> numbered(tracks.size(), false);
        std::int64_t next = 0;
        for (const auto& [frame, id] : order) {
            (void)frame;
            auto it = track_of_spot.find(id);
            if (it == track_of_spot.end()) {
                ++next;  // a spot without links is a component of its own
            } else if (!numbered[it->second]) {
                numbered[it->second] = true;
                track_ids[it->second] = next++;
            }
        }
    }
    const tmxml::DocumentText text =
        tmxml::document_text(s.options, nframes, static_cast<std::int64_t>(s.summary.size()), track_ids);

    std::ofstream os(s.out.temp_path(), std::ios::binary | std::ios::trunc);
    if (!os) throw Error("cannot write '" + s.out.temp_path() + "': " + std::strerror(errno));
    os << text.head;
    {
        std::ifstream in(s.spots_file.temp_path(), std::ios::binary);
        if (!in) throw Error("cannot read back '" + s.spots_file.temp_path() + "': " + std::strerror(errno));
        if (s.summary.size() + static_cast<std::size_t>(nframes) > 0) os << in.rdbuf();
    }
    os << text.middle;
    for (std::size_t i = 0; i < tracks.size(); ++i)
        tmxml::print_track(os, static_cast<std::int64_t>(i), track_ids[i], tracks[i].spots, tracks[i].edges);
    os << text.tail;
    os.close();
    if (!os) throw Error("cannot write '" + path + "' (disk full?)");
    s.out.commit();
}

void write_trackmate(const std::string& path, const TrackSet& tracks, const TrackMateWriteOptions& options) {
    TrackMateWriter writer(path, options);
    std::vector<const Spot*> order;
    order.reserve(tracks.spots().size());
    for (const Spot& s : tracks.spots()) order.push_back(&s);
    std::stable_sort(order.begin(), order.end(), [](const Spot* a, const Spot* b) {
        return a->instance.frame != b->instance.frame ? a->instance.frame < b->instance.frame : a->id < b->id;
    });
    std::vector<Spot> frame_spots;
    for (std::size_t i = 0; i < order.size();) {
        const std::int64_t frame = order[i]->instance.frame;
        frame_spots.clear();
        for (; i < order.size() && order[i]->instance.frame == frame; ++i) frame_spots.push_back(*order[i]);
        writer.add_frame(frame, frame_spots);
    }
    for (const Link& l : tracks.links()) writer.add_link(l);
    writer.finish();
}

}  // namespace nativeseg
