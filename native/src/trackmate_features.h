#pragma once
// The features our TrackMate files carry: their declarations (key, names, dimension, isint as
// TrackMate's own analysers declare them) and how the edge and track values are computed
// (as TrackMate's EdgeSpeed/EdgeLocation and Branching/Duration/Location/Speed/Quality
// analysers compute them), from a few numbers kept per spot.
#include <cstdint>
#include <vector>

#include <pugixml.hpp>

namespace nativeseg::tmxml {

struct FeatureDecl {
    const char* key;
    const char* name;
    const char* shortname;
    const char* dimension;  // a constant of TrackMate's enum Dimension
    bool isint;
};

/// Spot features in the order they are written; the intensity pair last.
const std::vector<FeatureDecl>& spot_features(bool with_intensity);
const std::vector<FeatureDecl>& edge_features();
const std::vector<FeatureDecl>& track_features();

/// Appends SpotFeatures/EdgeFeatures/TrackFeatures to a FeatureDeclarations element.
void declare_features(pugi::xml_node declarations, bool with_intensity);

/// What the edge and track features need of a spot: physical position and time.
struct SpotSummary {
    std::int64_t frame = 0;
    double x = 0, y = 0, z = 0, t = 0, quality = 0;
};

/// Values of edge_features() after the three id/cost ones: SPEED, DISPLACEMENT, EDGE_TIME,
/// EDGE_X/Y/Z_LOCATION.
std::vector<double> edge_values(const SpotSummary& source, const SpotSummary& target);

struct TrackEdge {
    std::int64_t source, target;  // spot ids
    double cost;
};

/// A spot of a track: its id and summary.
struct TrackSpot {
    std::int64_t id;
    SpotSummary s;
};

/// Values of track_features() after TRACK_INDEX and TRACK_ID, for one connected component
/// (edges name spots of `spots`).
std::vector<double> track_values(const std::vector<TrackSpot>& spots, const std::vector<TrackEdge>& edges);

}  // namespace nativeseg::tmxml
