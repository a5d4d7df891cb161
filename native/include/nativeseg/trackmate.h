#pragma once
// TrackMate XML files (../shared/docs/trackmate-xml.md): a writer that TrackMate 7 and 8 open
// without errors, streaming spots frame by frame, and a reader for TrackMate 3.x-8.x files.
//
// Spots are written as TrackMate's label-image detector would find them in our label video
// (LABEL_IMAGE_DETECTOR, SIMPLIFY_CONTOURS=false): centre = outline polygon centroid,
// QUALITY = polygon area in pixels, RADIUS = sqrt(area/pi), ROI = the outline relative to the
// centre, all in physical units. Tracks are the connected components of the links, numbered
// as TrackSet::assign_track_ids() numbers them.
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nativeseg/image.h"
#include "nativeseg/tracks.h"

namespace nativeseg {

/// The image the spots belong to (Settings/ImageData, BasicSettings, Model units).
struct TrackMateImage {
    std::string filename;      // e.g. the label video saved next to the XML ("" = none)
    std::string folder;        // "" = the XML file's own folder (TrackMate looks there)
    int width = 0, height = 0; // pixels; must be > 0 for writing
    int nslices = 1;
    int nframes = 0;           // frames 0 .. nframes-1 get a SpotsInFrame element (grown to fit the spots)
    /// Pixel size and units. unit "" or "pixel" is written as "pixel"; frame_interval <= 0
    /// (unknown) is written as time unit "frame" with an interval of 1.
    Calibration calibration;
};

enum class TrackMateTracker {
    SparseLap,  // SPARSE_LAP_TRACKER with the values below (what our linker did, or a suggestion)
    Manual,     // MANUAL_TRACKER, no parameters
};

/// The TrackerSettings block. Distances are physical (same units as the positions). Defaults
/// are TrackMate's; max_frame_gap counts like ours: a link may join t to t+d for d <= max_frame_gap.
struct TrackMateTrackerSettings {
    TrackMateTracker tracker = TrackMateTracker::SparseLap;
    double linking_max_distance = 15.0;
    bool allow_gap_closing = true;
    double gap_closing_max_distance = 15.0;
    int max_frame_gap = 2;
    bool allow_track_splitting = false;
    double splitting_max_distance = 15.0;
    bool allow_track_merging = false;
    double merging_max_distance = 15.0;
    double alternative_linking_cost_factor = 1.05;
    double cutoff_percentile = 0.9;
    double blocking_value = std::numeric_limits<double>::infinity();
};

struct TrackMateWriteOptions {
    TrackMateImage image;
    TrackMateTrackerSettings tracker;
    /// Spots only: links are ignored and AllTracks/FilteredTracks stay empty, for users who
    /// run TrackMate's own tracker on our spots (`tracker` is still written, as its settings).
    bool spots_only = false;
    /// MEAN_INTENSITY_CH1 / MAX_INTENSITY_CH1 (from Instance::mean/max_intensity). Turn off
    /// when the instances were computed without an intensity image.
    bool intensity_features = true;
    /// Text of the Log element (TrackMate shows it; TrackMate 8 drops every 'E' and 'F' from it).
    std::string log;
};

/// Writes a TrackMate XML file while a video is processed: each frame's spots go to disk as
/// soon as the frame is added; links and a few numbers per spot (frame, position, quality)
/// stay in memory until finish(), which writes the tracks and settings and renames the file
/// into place (nothing appears under `path` before that; an abandoned writer leaves nothing).
class TrackMateWriter {
public:
    /// Error when the folder of `path` is not writable or the image size is missing.
    TrackMateWriter(const std::string& path, TrackMateWriteOptions options);
    ~TrackMateWriter();
    TrackMateWriter(const TrackMateWriter&) = delete;
    TrackMateWriter& operator=(const TrackMateWriter&) = delete;

    /// The spots of one frame, frames in increasing order (skipped frames are written empty).
    /// Every spot must have instance.frame == frame and an id in 0 .. 2^31-1 not used before.
    void add_frame(std::int64_t frame, const std::vector<Spot>& spots);
    /// A link between spots added before or later (checked in finish()).
    void add_link(const Link& link);
    /// Writes the rest of the file and renames it into place. Error when a link names an
    /// unknown spot or does not go forward in time.
    void finish();

    std::int64_t spots_written() const;

private:
    struct State;
    std::unique_ptr<State> s_;
};

/// The whole file in one call: spots grouped by frame, then every link of `tracks`.
void write_trackmate(const std::string& path, const TrackSet& tracks, const TrackMateWriteOptions& options);

struct TrackMateTrack {
    std::int64_t id = 0;       // TRACK_ID in the file
    std::string name;          // "Track_16"
    std::int64_t edges = 0;    // Edge elements read into the track set
};

/// What read_trackmate() found.
struct TrackMateFile {
    std::string version;       // root @version
    /// Spots (in increasing file ID, so ids 0..n-1 written by us come back unchanged) and
    /// links. Instance geometry is in pixels: polygon_cx/cy and centroid_x/y = position / pixel
    /// size, outline from the ROI (empty without one), polygon_area from the outline or pi R^2,
    /// pixel_count = round(polygon_area) (an estimate), label = 0; intensities from
    /// MEAN/MAX_INTENSITY_CH1 (or the 3.x MEAN/MAX_INTENSITY). Spot::track_id = the file's TRACK_ID.
    TrackSet tracks;
    std::map<std::int64_t, std::int64_t> spot_id;  // file spot ID -> id in `tracks`
    std::vector<double> quality, radius;           // per spot of `tracks`, physical radius
    std::vector<TrackMateTrack> track_list;        // in file order
    std::vector<std::int64_t> filtered_tracks;     // FilteredTracks TRACK_IDs
    TrackMateImage image;                          // ImageData + Model units (defaults when absent)
    std::string detector, tracker;                 // DETECTOR_NAME / TRACKER_NAME ("" when absent)
    /// Problems TrackMate also tolerates (edges to unknown spots, duplicate or same-frame
    /// edges, edges of a track read twice): skipped and listed here.
    std::vector<std::string> warnings;
};

/// Reads a TrackMate XML file (7.x and 8.x; 3.x tolerated). Error, naming the file, for a
/// missing or unreadable file, malformed XML (with line, column and pugixml's message), a root
/// element other than <TrackMate>, a missing Model or AllSpots, and malformed spots, ROIs or
/// edges (missing or non-numeric IDs or positions, wrong number of ROI coordinates).
TrackMateFile read_trackmate(const std::string& path);

}  // namespace nativeseg
