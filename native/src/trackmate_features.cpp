#include "trackmate_features.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace nativeseg::tmxml {

namespace {

// Names, short names and dimensions as in TrackMate 7's own files (LabelImage.xml, 7.6.0 sample).
const std::vector<FeatureDecl> kSpot = {
    {"QUALITY", "Quality", "Quality", "QUALITY", false},
    {"POSITION_X", "X", "X", "POSITION", false},
    {"POSITION_Y", "Y", "Y", "POSITION", false},
    {"POSITION_Z", "Z", "Z", "POSITION", false},
    {"POSITION_T", "T", "T", "TIME", false},
    {"FRAME", "Frame", "Frame", "NONE", true},
    {"RADIUS", "Radius", "R", "LENGTH", false},
    {"VISIBILITY", "Visibility", "Visibility", "NONE", true},
    {"AREA", "Area", "Area", "AREA", false},
    {"MEAN_INTENSITY_CH1", "Mean intensity ch1", "Mean ch1", "INTENSITY", false},
    {"MAX_INTENSITY_CH1", "Max intensity ch1", "Max ch1", "INTENSITY", false},
};

const std::vector<FeatureDecl> kEdge = {
    {"SPOT_SOURCE_ID", "Source spot ID", "Source ID", "NONE", true},
    {"SPOT_TARGET_ID", "Target spot ID", "Target ID", "NONE", true},
    {"LINK_COST", "Edge cost", "Cost", "COST", false},
    {"SPEED", "Speed", "Speed", "VELOCITY", false},
    {"DISPLACEMENT", "Displacement", "Disp.", "LENGTH", false},
    {"EDGE_TIME", "Edge time", "Edge T", "TIME", false},
    {"EDGE_X_LOCATION", "Edge X", "Edge X", "POSITION", false},
    {"EDGE_Y_LOCATION", "Edge Y", "Edge Y", "POSITION", false},
    {"EDGE_Z_LOCATION", "Edge Z", "Edge Z", "POSITION", false},
};

const std::vector<FeatureDecl> kTrack = {
    {"TRACK_INDEX", "Track index", "Index", "NONE", true},
    {"TRACK_ID", "Track ID", "ID", "NONE", true},
    {"NUMBER_SPOTS", "Number of spots in track", "N spots", "NONE", true},
    {"NUMBER_GAPS", "Number of gaps", "N gaps", "NONE", true},
    {"NUMBER_SPLITS", "Number of split events", "N splits", "NONE", true},
    {"NUMBER_MERGES", "Number of merge events", "N merges", "NONE", true},
    {"NUMBER_COMPLEX", "Number of complex points", "N complex", "NONE", true},
    {"LONGEST_GAP", "Longest gap", "Lgst gap", "NONE", true},
    {"TRACK_DURATION", "Track duration", "Duration", "TIME", false},
    {"TRACK_START", "Track start", "Track start", "TIME", false},
    {"TRACK_STOP", "Track stop", "Track stop", "TIME", false},
    {"TRACK_DISPLACEMENT", "Track displacement", "Track disp.", "LENGTH", false},
    {"TRACK_X_LOCATION", "Track mean X", "Track X", "POSITION", false},
    {"TRACK_Y_LOCATION", "Track mean Y", "Track Y", "POSITION", false},
    {"TRACK_Z_LOCATION", "Track mean Z", "Track Z", "POSITION", false},
    {"TRACK_MEAN_SPEED", "Track mean speed", "Mean sp.", "VELOCITY", false},
    {"TRACK_MAX_SPEED", "Track max speed", "Max speed", "VELOCITY", false},
    {"TRACK_MIN_SPEED", "Track min speed", "Min speed", "VELOCITY", false},
    {"TRACK_MEDIAN_SPEED", "Track median speed", "Med. speed", "VELOCITY", false},
    {"TRACK_STD_SPEED", "Track std speed", "Std speed", "VELOCITY", false},
    {"TRACK_MEAN_QUALITY", "Track mean quality", "Mean Q", "QUALITY", false},
};

void declare(pugi::xml_node parent, const char* group, const std::vector<FeatureDecl>& features) {
    pugi::xml_node g = parent.append_child(group);
    for (const FeatureDecl& f : features) {
        pugi::xml_node n = g.append_child("Feature");
        n.append_attribute("feature").set_value(f.key);
        n.append_attribute("name").set_value(f.name);
        n.append_attribute("shortname").set_value(f.shortname);
        n.append_attribute("dimension").set_value(f.dimension);
        n.append_attribute("isint").set_value(f.isint ? "true" : "false");
    }
}

}  // namespace

const std::vector<FeatureDecl>& spot_features(bool with_intensity) {
    static const std::vector<FeatureDecl> without(kSpot.begin(), kSpot.end() - 2);
    return with_intensity ? kSpot : without;
}
const std::vector<FeatureDecl>& edge_features() { return kEdge; }
const std::vector<FeatureDecl>& track_features() { return kTrack; }

void declare_features(pugi::xml_node declarations, bool with_intensity) {
    declare(declarations, "SpotFeatures", spot_features(with_intensity));
    declare(declarations, "EdgeFeatures", kEdge);
    declare(declarations, "TrackFeatures", kTrack);
}

std::vector<double> edge_values(const SpotSummary& s, const SpotSummary& t) {
    const double d = std::sqrt((t.x - s.x) * (t.x - s.x) + (t.y - s.y) * (t.y - s.y) + (t.z - s.z) * (t.z - s.z));
    return {d / std::abs(t.t - s.t), d, (s.t + t.t) / 2, (s.x + t.x) / 2, (s.y + t.y) / 2, (s.z + t.z) / 2};
}

std::vector<double> track_values(const std::vector<TrackSpot>& spots, const std::vector<TrackEdge>& edges) {
    std::unordered_map<std::int64_t, std::size_t> index;
    for (std::size_t i = 0; i < spots.size(); ++i) index.emplace(spots[i].id, i);
    const auto& at = [&](std::int64_t id) -> const SpotSummary& { return spots[index.at(id)].s; };

    // Branching (TrackBranchingAnalyzer): a spot with more than one later neighbour is a
    // split, more than one earlier a merge, both a complex point. A gap is an edge that skips
    // frames; the longest gap counts the missing frames.
    std::vector<int> earlier(spots.size(), 0), later(spots.size(), 0);
    std::int64_t gaps = 0, longest_gap = 0;
    for (const TrackEdge& e : edges) {
        const std::size_t a = index.at(e.source), b = index.at(e.target);
        const std::int64_t df = spots[b].s.frame - spots[a].s.frame;  // > 0: edges go forward
        ++later[a];
        ++earlier[b];
        if (df > 1) {
            ++gaps;
            longest_gap = std::max(longest_gap, df - 1);
        }
    }
    std::int64_t splits = 0, merges = 0, complex = 0;
    for (std::size_t i = 0; i < spots.size(); ++i) {
        if (earlier[i] <= 1 && later[i] > 1) ++splits;
        else if (later[i] <= 1 && earlier[i] > 1) ++merges;
        else if (later[i] > 1 && earlier[i] > 1) ++complex;
    }

    // Duration (TrackDurationAnalyzer): displacement from the first to the last spot in time;
    // ties go to the smaller spot id (TrackMate takes whichever its hash set yields first).
    std::size_t first = 0, last = 0;
    double sx = 0, sy = 0, sz = 0, sq = 0;
    for (std::size_t i = 0; i < spots.size(); ++i) {
        const TrackSpot& p = spots[i];
        const auto before = [&](std::size_t j) {
            return p.s.t < spots[j].s.t || (p.s.t == spots[j].s.t && p.id < spots[j].id);
        };
        const auto after = [&](std::size_t j) {
            return p.s.t > spots[j].s.t || (p.s.t == spots[j].s.t && p.id < spots[j].id);
        };
        if (i == 0 || before(first)) first = i;
        if (i == 0 || after(last)) last = i;
        sx += p.s.x;
        sy += p.s.y;
        sz += p.s.z;
        sq += p.s.quality;
    }
    const SpotSummary& s0 = spots[first].s;
    const SpotSummary& s1 = spots[last].s;
    const double displacement =
        std::sqrt((s1.x - s0.x) * (s1.x - s0.x) + (s1.y - s0.y) * (s1.y - s0.y) + (s1.z - s0.z) * (s1.z - s0.z));
    const double n = static_cast<double>(spots.size());

    // Speed statistics (TrackSpeedStatisticsAnalyzer): over edges; the median is the upper
    // middle value and the standard deviation the sample one (NaN for a single edge).
    std::vector<double> v;
    v.reserve(edges.size());
    double mean = 0, m2 = 0;
    for (const TrackEdge& e : edges) {
        const double speed = edge_values(at(e.source), at(e.target))[0];
        v.push_back(speed);
        const double delta = speed - mean;
        mean += delta / static_cast<double>(v.size());
        m2 += delta * (speed - mean);
    }
    std::sort(v.begin(), v.end());
    const double nan = std::nan("");
    const double ne = static_cast<double>(v.size());
    double sum = 0;
    for (double x : v) sum += x;

    return {n,
            static_cast<double>(gaps),
            static_cast<double>(splits),
            static_cast<double>(merges),
            static_cast<double>(complex),
            static_cast<double>(longest_gap),
            s1.t - s0.t,
            s0.t,
            s1.t,
            displacement,
            sx / n,
            sy / n,
            sz / n,
            v.empty() ? nan : sum / ne,
            v.empty() ? nan : v.back(),
            v.empty() ? nan : v.front(),
            v.empty() ? nan : v[v.size() / 2],
            std::sqrt(m2 / (ne - 1)),
            sq / n};
}

}  // namespace nativeseg::tmxml
