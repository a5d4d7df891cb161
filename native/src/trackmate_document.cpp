#include "trackmate_document.h"

#include <cmath>
#include <sstream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "nativeseg/error.h"
#include "nativeseg/instances.h"
#include "trackmate_format.h"

namespace nativeseg::tmxml {

namespace {

constexpr const char* kIndent = "  ";  // TrackMate's (JDOM pretty format)
constexpr const char* kSpotsMarker = "NATIVESEG_SPOTS";
constexpr const char* kTracksMarker = "NATIVESEG_TRACKS";
constexpr double kPi = 3.14159265358979323846;

// TrackMate's default display settings (the Gson JSON that TrackMate 7 writes), with tracks
// coloured by TRACK_INDEX and spots drawn as their outlines.
std::string display_settings_json() {
    nlohmann::ordered_json j;
    j["name"] = "CurrentDisplaySettings";
    j["spotUniformColor"] = "204, 51, 204, 255";
    j["spotColorByType"] = "DEFAULT";
    j["spotColorByFeature"] = "UNIFORM_COLOR";
    j["spotDisplayRadius"] = 1.0;
    j["spotDisplayedAsRoi"] = true;
    j["spotMin"] = 0.0;
    j["spotMax"] = 10.0;
    j["spotShowName"] = false;
    j["trackMin"] = 0.0;
    j["trackMax"] = 10.0;
    j["trackColorByType"] = "TRACKS";
    j["trackColorByFeature"] = "TRACK_INDEX";
    j["trackUniformColor"] = "204, 204, 51, 255";
    j["undefinedValueColor"] = "0, 0, 0, 255";
    j["missingValueColor"] = "89, 89, 89, 255";
    j["highlightColor"] = "51, 230, 51, 255";
    j["trackDisplayMode"] = "FULL";
    j["colormap"] = "Jet";
    j["limitZDrawingDepth"] = false;
    j["drawingZDepth"] = 10.0;
    j["fadeTracks"] = true;
    j["fadeTrackRange"] = 30;
    j["useAntialiasing"] = true;
    j["spotVisible"] = true;
    j["trackVisible"] = true;
    j["font"] = {{"name", "Arial"}, {"style", 1}, {"size", 12}, {"pointSize", 12.0}, {"fontSerializedDataVersion", 1}};
    j["lineThickness"] = 1.0;
    j["selectionLineThickness"] = 4.0;
    j["trackschemeBackgroundColor1"] = "128, 128, 128, 255";
    j["trackschemeBackgroundColor2"] = "192, 192, 192, 255";
    j["trackschemeForegroundColor"] = "0, 0, 0, 255";
    j["trackschemeDecorationColor"] = "0, 0, 0, 255";
    j["trackschemeFillBox"] = false;
    j["spotFilled"] = false;
    j["spotTransparencyAlpha"] = 1.0;
    return j.dump(2);
}

void tracker_settings(pugi::xml_node settings, const TrackMateTrackerSettings& t) {
    pugi::xml_node n = settings.append_child("TrackerSettings");
    if (t.tracker == TrackMateTracker::Manual) {
        n.append_attribute("TRACKER_NAME").set_value("MANUAL_TRACKER");
        return;
    }
    // SparseLAPTrackerFactory's layout (trackmate-xml.md §6): every key, each block with its
    // (empty) FeaturePenalties, or TrackMate rejects the whole block and uses its defaults.
    n.append_attribute("TRACKER_NAME").set_value("SPARSE_LAP_TRACKER");
    set_double(n, "CUTOFF_PERCENTILE", t.cutoff_percentile);
    set_double(n, "ALTERNATIVE_LINKING_COST_FACTOR", t.alternative_linking_cost_factor);
    set_double(n, "BLOCKING_VALUE", t.blocking_value);
    pugi::xml_node linking = n.append_child("Linking");
    set_double(linking, "LINKING_MAX_DISTANCE", t.linking_max_distance);
    linking.append_child("FeaturePenalties");
    pugi::xml_node gap = n.append_child("GapClosing");
    set_bool(gap, "ALLOW_GAP_CLOSING", t.allow_gap_closing);
    set_double(gap, "GAP_CLOSING_MAX_DISTANCE", t.gap_closing_max_distance);
    set_int(gap, "MAX_FRAME_GAP", t.max_frame_gap);
    gap.append_child("FeaturePenalties");
    pugi::xml_node split = n.append_child("TrackSplitting");
    set_bool(split, "ALLOW_TRACK_SPLITTING", t.allow_track_splitting);
    set_double(split, "SPLITTING_MAX_DISTANCE", t.splitting_max_distance);
    split.append_child("FeaturePenalties");
    pugi::xml_node merge = n.append_child("TrackMerging");
    set_bool(merge, "ALLOW_TRACK_MERGING", t.allow_track_merging);
    set_double(merge, "MERGING_MAX_DISTANCE", t.merging_max_distance);
    merge.append_child("FeaturePenalties");
}

void analyzers(pugi::xml_node settings, bool with_intensity) {
    // The analysers whose features we write (TrackMate adds all the others itself on load).
    pugi::xml_node a = settings.append_child("AnalyzerCollection");
    pugi::xml_node spot = a.append_child("SpotAnalyzers");
    if (with_intensity) spot.append_child("Analyzer").append_attribute("key").set_value("Spot intensity");
    spot.append_child("Analyzer").append_attribute("key").set_value("Spot 2D shape descriptors");
    pugi::xml_node edge = a.append_child("EdgeAnalyzers");
    for (const char* k : {"Edge target", "Edge speed", "Edge location"})
        edge.append_child("Analyzer").append_attribute("key").set_value(k);
    pugi::xml_node track = a.append_child("TrackAnalyzers");
    for (const char* k : {"Branching analyzer", "Track duration", "Track index", "Track location", "Track speed",
                          "Track quality"})
        track.append_child("Analyzer").append_attribute("key").set_value(k);
}

void settings(pugi::xml_node root, const TrackMateWriteOptions& o, const Units& u, std::int64_t nframes) {
    const TrackMateImage& im = o.image;
    pugi::xml_node s = root.append_child("Settings");
    pugi::xml_node data = s.append_child("ImageData");
    set_text(data, "filename", im.filename);
    set_text(data, "folder", im.folder);
    set_int(data, "width", im.width);
    set_int(data, "height", im.height);
    set_int(data, "nslices", im.nslices);
    set_int(data, "nframes", nframes);
    set_double(data, "pixelwidth", u.pixel_width);
    set_double(data, "pixelheight", u.pixel_height);
    set_double(data, "voxeldepth", u.voxel_depth);
    set_double(data, "timeinterval", u.frame_interval);

    pugi::xml_node basic = s.append_child("BasicSettings");  // inclusive ranges
    set_int(basic, "xstart", 0);
    set_int(basic, "xend", im.width - 1);
    set_int(basic, "ystart", 0);
    set_int(basic, "yend", im.height - 1);
    set_int(basic, "zstart", 0);
    set_int(basic, "zend", im.nslices - 1);
    set_int(basic, "tstart", 0);
    set_int(basic, "tend", std::max<std::int64_t>(nframes, 1) - 1);

    // Exactly the label-image detector's two keys: TrackMate 8 rejects unknown ones.
    pugi::xml_node det = s.append_child("DetectorSettings");
    det.append_attribute("DETECTOR_NAME").set_value("LABEL_IMAGE_DETECTOR");
    set_int(det, "TARGET_CHANNEL", 1);
    set_bool(det, "SIMPLIFY_CONTOURS", false);

    pugi::xml_node initial = s.append_child("InitialSpotFilter");
    initial.append_attribute("feature").set_value("QUALITY");
    set_double(initial, "value", 0.0);
    set_bool(initial, "isabove", true);
    s.append_child("SpotFilterCollection");
    tracker_settings(s, o.tracker);
    s.append_child("TrackFilterCollection");
    analyzers(s, o.intensity_features);
}

std::string print(const pugi::xml_document& doc) {
    std::ostringstream os;
    doc.save(os, kIndent, pugi::format_indent, pugi::encoding_utf8);
    return os.str();
}

// Splits `text` around the line that holds the marker comment (the line itself is dropped).
std::pair<std::string, std::string> split_at(const std::string& text, const char* marker) {
    const std::size_t at = text.find(std::string("<!--") + marker + "-->");
    if (at == std::string::npos) throw Error(std::string("internal error: TrackMate marker ") + marker + " not found");
    const std::size_t line_start = text.rfind('\n', at) + 1;
    const std::size_t line_end = text.find('\n', at) + 1;
    return {text.substr(0, line_start), text.substr(line_end)};
}

std::string roi_text(const std::vector<cv::Point2d>& outline, cv::Point2d centre, const Units& u) {
    // Numbers separated by single spaces, the first right after the start tag: TrackMate
    // splits the text on whitespace without trimming (trackmate-xml.md §2).
    std::string text;
    text.reserve(outline.size() * 2 * 20);
    for (const cv::Point2d& v : outline) {
        if (!text.empty()) text += ' ';
        text += format_double((v.x - centre.x) * u.pixel_width);
        text += ' ';
        text += format_double((v.y - centre.y) * u.pixel_height);
    }
    return text;
}

}  // namespace

Units units_of(const Calibration& c) {
    Units u;
    u.pixel_width = c.pixel_width > 0 ? c.pixel_width : 1;
    u.pixel_height = c.pixel_height > 0 ? c.pixel_height : 1;
    u.voxel_depth = c.voxel_depth > 0 ? c.voxel_depth : 1;
    u.space = c.unit.empty() ? "pixel" : c.unit;
    if (c.frame_interval > 0) {
        u.frame_interval = c.frame_interval;
        u.time = c.time_unit.empty() ? "sec" : c.time_unit;
    }
    return u;
}

DocumentText document_text(const TrackMateWriteOptions& o, std::int64_t nframes, std::int64_t nspots,
                           const std::vector<std::int64_t>& track_ids) {
    const Units u = units_of(o.image.calibration);
    pugi::xml_document doc;
    pugi::xml_node decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version").set_value("1.0");
    decl.append_attribute("encoding").set_value("UTF-8");

    pugi::xml_node root = doc.append_child("TrackMate");
    root.append_attribute("version").set_value("7.14.0");  // the format TrackMate 7.14 and 8.x read
    root.append_child("Log").append_child(pugi::node_pcdata).set_value(xml_safe(o.log).c_str());

    pugi::xml_node model = root.append_child("Model");
    set_text(model, "spatialunits", u.space);
    set_text(model, "timeunits", u.time);
    declare_features(model.append_child("FeatureDeclarations"), o.intensity_features);
    pugi::xml_node all_spots = model.append_child("AllSpots");
    set_int(all_spots, "nspots", nspots);
    all_spots.append_child(pugi::node_comment).set_value(kSpotsMarker);
    pugi::xml_node all_tracks = model.append_child("AllTracks");
    if (!track_ids.empty()) all_tracks.append_child(pugi::node_comment).set_value(kTracksMarker);
    pugi::xml_node filtered = model.append_child("FilteredTracks");
    for (std::int64_t id : track_ids) set_int(filtered.append_child("TrackID"), "TRACK_ID", id);

    settings(root, o, u, nframes);
    root.append_child("GUIState").append_attribute("state").set_value("ConfigureViews");
    root.append_child("DisplaySettings").append_child(pugi::node_pcdata).set_value(display_settings_json().c_str());

    DocumentText out;
    auto [head, rest] = split_at(print(doc), kSpotsMarker);
    out.head = std::move(head);
    if (track_ids.empty()) {
        out.middle = std::move(rest);
    } else {
        auto [middle, tail] = split_at(rest, kTracksMarker);
        out.middle = std::move(middle);
        out.tail = std::move(tail);
    }
    return out;
}

void print_spots_in_frame(std::ostream& os, std::int64_t frame, const std::vector<Spot>& spots, const Units& u,
                          bool with_intensity, std::vector<SpotSummary>& summaries) {
    pugi::xml_document doc;
    pugi::xml_node f = doc.append_child("SpotsInFrame");
    set_int(f, "frame", frame);
    for (const Spot& spot : spots) {
        const Instance& in = spot.instance;
        // Centre, quality and radius as TrackMate's label-image detector defines them
        // (trackmate-xml.md §5): from the outline polygon; the pixel centroid and count
        // stand in for an instance without an outline.
        const bool has_roi = in.outline.size() >= 3;
        const double area_px = has_roi ? polygon_area(in.outline) : static_cast<double>(in.pixel_count);
        const cv::Point2d c = has_roi ? polygon_centroid(in.outline) : cv::Point2d(in.centroid_x, in.centroid_y);
        const double area = area_px * u.pixel_width * u.pixel_height;
        SpotSummary sum;
        sum.frame = frame;
        sum.x = c.x * u.pixel_width;
        sum.y = c.y * u.pixel_height;
        sum.z = 0;
        sum.t = static_cast<double>(frame) * u.frame_interval;
        sum.quality = area_px;
        summaries.push_back(sum);

        pugi::xml_node n = f.append_child("Spot");
        set_int(n, "ID", spot.id);
        n.append_attribute("name").set_value(("ID" + format_int(spot.id)).c_str());
        set_double(n, "QUALITY", sum.quality);
        set_double(n, "POSITION_X", sum.x);
        set_double(n, "POSITION_Y", sum.y);
        set_double(n, "POSITION_Z", sum.z);
        set_double(n, "POSITION_T", sum.t);
        set_int(n, "FRAME", frame);
        set_double(n, "RADIUS", std::sqrt(area / kPi));
        set_int(n, "VISIBILITY", 1);
        set_double(n, "AREA", area);
        if (with_intensity) {
            set_double(n, "MEAN_INTENSITY_CH1", in.mean_intensity);
            set_double(n, "MAX_INTENSITY_CH1", in.max_intensity);
        }
        if (has_roi) {
            set_int(n, "ROI_N_POINTS", static_cast<std::int64_t>(in.outline.size()));
            n.append_child(pugi::node_pcdata).set_value(roi_text(in.outline, c, u).c_str());
        }
    }
    f.print(os, kIndent, pugi::format_indent, pugi::encoding_utf8, 3);
}

void print_track(std::ostream& os, std::int64_t track_index, std::int64_t track_id, const std::vector<TrackSpot>& spots,
                 const std::vector<TrackEdge>& edges) {
    std::unordered_map<std::int64_t, const SpotSummary*> at;
    for (const TrackSpot& s : spots) at.emplace(s.id, &s.s);

    pugi::xml_document doc;
    pugi::xml_node t = doc.append_child("Track");
    t.append_attribute("name").set_value(("Track_" + format_int(track_id)).c_str());
    const auto& features = track_features();
    set_int(t, features[0].key, track_index);  // TRACK_INDEX: 0, 1, ... in the order written
    set_int(t, features[1].key, track_id);  // TRACK_ID
    const std::vector<double> values = track_values(spots, edges);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const FeatureDecl& f = features[i + 2];
        if (f.isint)
            set_int(t, f.key, std::llround(values[i]));
        else
            set_double(t, f.key, values[i]);
    }
    const auto& ef = edge_features();
    for (const TrackEdge& e : edges) {
        pugi::xml_node n = t.append_child("Edge");
        set_int(n, ef[0].key, e.source);
        set_int(n, ef[1].key, e.target);
        set_double(n, ef[2].key, e.cost);
        const std::vector<double> v = edge_values(*at.at(e.source), *at.at(e.target));
        for (std::size_t i = 0; i < v.size(); ++i) set_double(n, ef[i + 3].key, v[i]);
    }
    t.print(os, kIndent, pugi::format_indent, pugi::encoding_utf8, 3);
}

}  // namespace nativeseg::tmxml
