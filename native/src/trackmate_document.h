#pragma once
// The parts of a TrackMate XML document other than the streamed spots: the skeleton (Log,
// Model with FeatureDeclarations, Settings, GUIState, DisplaySettings) printed around the
// spot and track sections, and the elements of one frame's spots and of one track.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "nativeseg/trackmate.h"
#include "trackmate_features.h"

namespace nativeseg::tmxml {

/// Physical units of a file: what a Calibration becomes in TrackMate's terms.
struct Units {
    double pixel_width = 1, pixel_height = 1, voxel_depth = 1, frame_interval = 1;
    std::string space = "pixel", time = "frame";
};
Units units_of(const Calibration& c);

/// The document text around the spot and track sections: `head` ends with the AllSpots start
/// tag's line, `middle` runs from the AllSpots end tag to the AllTracks start tag's line (empty
/// when there are no tracks: then AllTracks is in `middle` as an empty element), `tail` is the
/// rest.
struct DocumentText {
    std::string head, middle, tail;
};
DocumentText document_text(const TrackMateWriteOptions& options, std::int64_t nframes, std::int64_t nspots,
                           const std::vector<std::int64_t>& track_ids);

/// Prints <SpotsInFrame frame="f"> with its spots at TrackMate's indentation; fills the
/// summaries (one per spot, in order) that edge and track features need.
void print_spots_in_frame(std::ostream& os, std::int64_t frame, const std::vector<Spot>& spots, const Units& units,
                          bool with_intensity, std::vector<SpotSummary>& summaries);

/// Prints one <Track> with its edges (already forward in time, in the order to write).
void print_track(std::ostream& os, std::int64_t track_index, std::int64_t track_id, const std::vector<TrackSpot>& spots,
                 const std::vector<TrackEdge>& edges);

}  // namespace nativeseg::tmxml
