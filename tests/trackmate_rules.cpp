#include "trackmate_rules.h"

#include <cctype>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <functional>
#include <map>
#include <numeric>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

namespace nativeseg::test {

namespace {

// What Java's Double.parseDouble accepts, without the hexadecimal and "d"/"f" forms we never
// write; C's "nan"/"inf" and a decimal comma are refused, as Java refuses them.
const std::regex kJavaDouble(R"([+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?))");
const std::regex kJavaInt(R"(-?\d+)");
const std::set<std::string> kDimensions = {"NONE",    "QUALITY", "COST",  "INTENSITY",  "INTENSITY_SQUARED",
                                           "POSITION", "VELOCITY", "LENGTH", "AREA",     "TIME",
                                           "ANGLE",   "RATE",    "ANGLE_RATE", "STRING"};
const std::set<std::string> kGuiStates = {"Start", "ConfigureViews", "SpotFilter", "TrackFilter", "GraphFeatures",
                                          "Actions", "InitFilter", "Tracking", "ChooseTracker", "ChooseDetector"};

struct Declared {
    std::map<std::string, bool> isint;  // feature -> isint
};

class Checker {
public:
    Checker(std::string path, RuleOptions o) : path_(std::move(path)), o_(o) {}

    std::vector<std::string> run() {
        pugi::xml_document doc;
        const pugi::xml_parse_result r = doc.load_file(path_.c_str());
        if (!r) return {"not well-formed XML: " + std::string(r.description()) + " at offset " + std::to_string(r.offset)};
        const pugi::xml_node root = doc.document_element();
        if (std::strcmp(root.name(), "TrackMate") != 0) return {"root element is <" + std::string(root.name()) + ">"};
        check_version(root);
        const pugi::xml_node model = root.child("Model");
        if (!model) {
            bad("Model is missing (mandatory)");
        } else {
            check_model(model);
        }
        check_settings(root);
        const pugi::xml_node gui = root.child("GUIState");
        if (!gui || !kGuiStates.count(gui.attribute("state").as_string()))
            bad("GUIState missing or with an unknown state (error logged)");
        check_display_settings(root);
        return std::move(v_);
    }

private:
    void bad(const std::string& s) { v_.push_back(s); }

    bool is_int(const char* s) const { return std::regex_match(s, kJavaInt); }
    bool is_double(const char* s) const { return std::regex_match(s, kJavaDouble); }
    bool is_bool(const char* s) const { return !std::strcmp(s, "true") || !std::strcmp(s, "false"); }

    void need_int(pugi::xml_node n, const char* a, const std::string& where) {
        if (!n.attribute(a)) bad(where + ": attribute " + a + " missing");
        else if (!is_int(n.attribute(a).value())) bad(where + ": " + a + "=\"" + n.attribute(a).value() + "\" is not an int");
    }
    void need_double(pugi::xml_node n, const char* a, const std::string& where) {
        if (!n.attribute(a)) bad(where + ": attribute " + a + " missing");
        else if (!is_double(n.attribute(a).value()))
            bad(where + ": " + a + "=\"" + n.attribute(a).value() + "\" is not a Java double");
    }
    void need_bool(pugi::xml_node n, const char* a, const std::string& where) {
        if (!n.attribute(a)) bad(where + ": attribute " + a + " missing");
        else if (!is_bool(n.attribute(a).value())) bad(where + ": " + a + "=\"" + n.attribute(a).value() + "\" is not a boolean");
    }
    void need_child(pugi::xml_node n, const char* c, const std::string& where) {
        if (!n.child(c)) bad(where + ": <" + c + "> missing");
    }

    void check_version(pugi::xml_node root) {
        const pugi::xml_attribute v = root.attribute("version");
        if (!v) return bad("root has no version attribute (mandatory)");
        int major = 0, minor = 0, patch = 0;
        if (std::sscanf(v.value(), "%d.%d.%d", &major, &minor, &patch) < 2) return bad("unreadable version " + std::string(v.value()));
        if (major < 2 || (major == 2 && minor < 1)) bad("version below 2.1.0: " + std::string(v.value()));
    }

    // Feature attributes: declared, numeric, integers for isint features.
    void check_features(pugi::xml_node n, const Declared& d, const std::set<std::string>& skip, const std::string& where) {
        for (pugi::xml_attribute a : n.attributes()) {
            const std::string name = a.name();
            if (skip.count(name)) continue;
            const auto it = d.isint.find(name);
            if (it == d.isint.end()) bad(where + ": feature " + name + " is not declared");
            if (!is_double(a.value())) bad(where + ": " + name + "=\"" + a.value() + "\" is not a Java double");
            else if (it != d.isint.end() && it->second && !is_int(a.value()))
                bad(where + ": " + name + "=\"" + a.value() + "\" is an int feature written as a non-integer");
        }
    }

    Declared declared(pugi::xml_node decl, const char* group) {
        Declared d;
        const pugi::xml_node g = decl.child(group);
        if (!g) {
            bad(std::string("FeatureDeclarations/") + group + " missing (error logged)");
            return d;
        }
        for (pugi::xml_node f : g.children("Feature")) {
            const std::string key = f.attribute("feature").as_string();
            const std::string where = std::string(group) + " " + key;
            if (key.empty()) bad(std::string(group) + ": a Feature without a feature key");
            if (!f.attribute("name") || !f.attribute("shortname")) bad(where + ": name or shortname missing");
            if (!kDimensions.count(f.attribute("dimension").as_string()))
                bad(where + ": invalid dimension \"" + f.attribute("dimension").as_string() + "\" (uncaught exception)");
            need_bool(f, "isint", where);
            d.isint[key] = !std::strcmp(f.attribute("isint").as_string(), "true");
        }
        return d;
    }

    void check_model(pugi::xml_node model) {
        if (!model.attribute("spatialunits") || !model.attribute("timeunits")) bad("Model: spatialunits or timeunits missing");
        const pugi::xml_node decl = model.child("FeatureDeclarations");
        if (!decl) bad("FeatureDeclarations missing (error logged)");
        const Declared spot = declared(decl, "SpotFeatures");
        const Declared edge = declared(decl, "EdgeFeatures");
        const Declared track = declared(decl, "TrackFeatures");

        // Spots.
        std::map<long long, long long> frame_of;  // spot ID -> frame
        const pugi::xml_node all = model.child("AllSpots");
        if (!all) bad("AllSpots missing (mandatory)");
        std::set<long long> frames;
        long long nspots = 0;
        for (pugi::xml_node f : all.children("SpotsInFrame")) {
            need_int(f, "frame", "SpotsInFrame");
            const long long frame = f.attribute("frame").as_llong();
            if (!frames.insert(frame).second) bad("SpotsInFrame frame=" + std::to_string(frame) + " twice");
            for (pugi::xml_node s : f.children("Spot")) {
                ++nspots;
                check_spot(s, frame, spot, frame_of);
            }
        }
        if (all.attribute("nspots")) {
            need_int(all, "nspots", "AllSpots");
            if (all.attribute("nspots").as_llong() != nspots)
                bad("AllSpots nspots=" + std::string(all.attribute("nspots").value()) + " but " + std::to_string(nspots) + " spots");
        }
        if (o_.ours) {
            const pugi::xml_node data = model.parent().child("Settings").child("ImageData");
            const long long nframes = data.attribute("nframes").as_llong();
            for (long long t = 0; t < nframes; ++t)
                if (!frames.count(t)) bad("no SpotsInFrame for frame " + std::to_string(t));
            if (!frames.empty() && *frames.rbegin() >= nframes) bad("SpotsInFrame beyond ImageData nframes");
        }

        // Tracks: one connected component each, edges forward, unique ids.
        const pugi::xml_node tracks = model.child("AllTracks");
        if (!tracks) bad("AllTracks missing (mandatory)");
        std::set<long long> track_ids;
        std::set<std::pair<long long, long long>> edges_seen;
        std::set<long long> spots_in_tracks;
        for (pugi::xml_node t : tracks.children("Track")) check_track(t, track, edge, frame_of, track_ids, edges_seen, spots_in_tracks);

        const pugi::xml_node filtered = model.child("FilteredTracks");
        if (!filtered) bad("FilteredTracks missing (mandatory)");
        for (pugi::xml_node id : filtered.children("TrackID")) {
            need_int(id, "TRACK_ID", "TrackID");
            if (!track_ids.count(id.attribute("TRACK_ID").as_llong()))
                bad("FilteredTracks lists TRACK_ID " + std::string(id.attribute("TRACK_ID").value()) + ", not in AllTracks");
        }
    }

    void check_spot(pugi::xml_node s, long long frame, const Declared& d, std::map<long long, long long>& frame_of) {
        const std::string where = "Spot " + std::string(s.attribute("ID").as_string("?"));
        need_int(s, "ID", where);
        const long long id = s.attribute("ID").as_llong();
        if (id < 0 || id > 2147483647LL) bad(where + ": ID outside Java int");
        if (!frame_of.emplace(id, frame).second) bad(where + ": ID not unique");
        check_features(s, d, {"ID", "name", "ROI_N_POINTS"}, where);
        // Needed to synthesise an image when the image file cannot be opened.
        for (const char* a : {"POSITION_X", "POSITION_Y", "POSITION_Z", "RADIUS", "FRAME"})
            if (!s.attribute(a)) bad(where + ": " + a + " missing");
        if (s.attribute("FRAME") && s.attribute("FRAME").as_llong() != frame)
            bad(where + ": FRAME differs from its SpotsInFrame");
        if (o_.ours && std::strcmp(s.attribute("VISIBILITY").as_string(), "1") != 0) bad(where + ": VISIBILITY is not 1");

        const pugi::xml_attribute n_points = s.attribute("ROI_N_POINTS");
        const std::string text = s.child_value();
        if (!n_points) {
            if (!text.empty()) bad(where + ": text without ROI_N_POINTS");
            return;
        }
        need_int(s, "ROI_N_POINTS", where);
        const long long n = n_points.as_llong();
        if (n <= 2) return;  // TrackMate ignores the ROI
        // TrackMate splits the text on whitespace without trimming and reads exactly 2N numbers.
        if (text.empty() || std::isspace(static_cast<unsigned char>(text.front())))
            return bad(where + ": ROI text does not start right after the tag");
        if (o_.ours && std::isspace(static_cast<unsigned char>(text.back()))) bad(where + ": ROI text ends with whitespace");
        std::vector<std::string> tokens;
        std::string tok;
        for (char c : text) {
            if (std::isspace(static_cast<unsigned char>(c))) {
                tokens.push_back(tok);
                tok.clear();
            } else {
                tok += c;
            }
        }
        tokens.push_back(tok);
        while (!tokens.empty() && tokens.back().empty()) tokens.pop_back();  // Java's split drops trailing empties
        if (static_cast<long long>(tokens.size()) < 2 * n)
            bad(where + ": ROI has " + std::to_string(tokens.size()) + " numbers, needs " + std::to_string(2 * n));
        if (o_.ours && static_cast<long long>(tokens.size()) != 2 * n) bad(where + ": ROI has extra numbers");
        for (long long i = 0; i < std::min<long long>(2 * n, static_cast<long long>(tokens.size())); ++i)
            if (!is_double(tokens[static_cast<std::size_t>(i)].c_str())) {
                bad(where + ": ROI token \"" + tokens[static_cast<std::size_t>(i)] + "\" is not a Java double");
                break;
            }
    }

    void check_track(pugi::xml_node t, const Declared& track, const Declared& edge,
                     const std::map<long long, long long>& frame_of, std::set<long long>& track_ids,
                     std::set<std::pair<long long, long long>>& edges_seen, std::set<long long>& spots_in_tracks) {
        const std::string where = "Track " + std::string(t.attribute("name").as_string("?"));
        if (!t.attribute("TRACK_ID")) return bad(where + ": TRACK_ID missing (NullPointerException)");
        need_int(t, "TRACK_ID", where);
        if (!track_ids.insert(t.attribute("TRACK_ID").as_llong()).second) bad(where + ": TRACK_ID not unique");
        check_features(t, track, {"name"}, where);

        std::map<long long, long long> parent;  // union-find over the track's spots
        const std::function<long long(long long)> find = [&](long long x) {
            while (parent[x] != x) x = parent[x] = parent[parent[x]];
            return x;
        };
        int edges = 0;
        for (pugi::xml_node e : t.children("Edge")) {
            ++edges;
            const std::string ew = where + " Edge";
            need_int(e, "SPOT_SOURCE_ID", ew);
            need_int(e, "SPOT_TARGET_ID", ew);
            check_features(e, edge, {}, ew);
            const long long a = e.attribute("SPOT_SOURCE_ID").as_llong(), b = e.attribute("SPOT_TARGET_ID").as_llong();
            const auto fa = frame_of.find(a), fb = frame_of.find(b);
            if (fa == frame_of.end() || fb == frame_of.end()) {
                bad(ew + " " + std::to_string(a) + "->" + std::to_string(b) + ": unknown spot");
                continue;
            }
            if (a == b) bad(ew + ": self-loop");
            if (!edges_seen.insert({std::min(a, b), std::max(a, b)}).second) bad(ew + ": duplicate edge");
            if (fa->second > fb->second || (o_.ours && fa->second == fb->second))
                bad(ew + " " + std::to_string(a) + "->" + std::to_string(b) + ": not forward in time");
            for (long long s : {a, b}) parent.emplace(s, s);
            parent[find(a)] = find(b);
        }
        if (edges == 0) bad(where + ": a track without edges");
        std::set<long long> roots;
        for (auto& [s, p] : parent) {
            roots.insert(find(s));
            if (!spots_in_tracks.insert(s).second) bad(where + ": spot " + std::to_string(s) + " is in another track too");
        }
        if (roots.size() > 1) bad(where + ": " + std::to_string(roots.size()) + " connected components in one Track");
        if (o_.ours && t.attribute("NUMBER_SPOTS") && t.attribute("NUMBER_SPOTS").as_llong() != static_cast<long long>(parent.size()))
            bad(where + ": NUMBER_SPOTS differs from the spots of its edges");
    }

    void check_settings(pugi::xml_node root) {
        const pugi::xml_node s = root.child("Settings");
        if (!s) return;  // tolerated: default settings
        const pugi::xml_node data = s.child("ImageData");
        if (!data) return bad("Settings/ImageData missing (NullPointerException)");
        for (const char* a : {"filename", "folder"})
            if (!data.attribute(a)) bad(std::string("ImageData: ") + a + " missing");
        for (const char* a : {"width", "height", "nslices", "nframes"}) need_int(data, a, "ImageData");
        for (const char* a : {"pixelwidth", "pixelheight", "voxeldepth", "timeinterval"}) need_double(data, a, "ImageData");
        if (const pugi::xml_node b = s.child("BasicSettings"))
            for (const char* a : {"xstart", "xend", "ystart", "yend", "zstart", "zend", "tstart", "tend"}) need_int(b, a, "BasicSettings");
        else if (o_.ours)
            bad("BasicSettings missing");

        const pugi::xml_node det = s.child("DetectorSettings");
        if (!det || !det.attribute("DETECTOR_NAME")) bad("DetectorSettings missing (error logged)");
        if (!std::strcmp(det.attribute("DETECTOR_NAME").as_string(), "LABEL_IMAGE_DETECTOR")) {
            need_int(det, "TARGET_CHANNEL", "DetectorSettings");
            need_bool(det, "SIMPLIFY_CONTOURS", "DetectorSettings");
            for (pugi::xml_attribute a : det.attributes())  // TrackMate 8 rejects unknown keys
                if (std::strcmp(a.name(), "DETECTOR_NAME") && std::strcmp(a.name(), "TARGET_CHANNEL") &&
                    std::strcmp(a.name(), "SIMPLIFY_CONTOURS"))
                    bad(std::string("DetectorSettings: unknown key ") + a.name());
        }
        const pugi::xml_node initial = s.child("InitialSpotFilter");
        if (!initial) bad("InitialSpotFilter missing (NullPointerException)");
        else {
            need_double(initial, "value", "InitialSpotFilter");
            need_bool(initial, "isabove", "InitialSpotFilter");
        }
        for (const char* c : {"SpotFilterCollection", "TrackFilterCollection"}) {
            if (!s.child(c)) bad(std::string(c) + " missing (NullPointerException)");
            for (pugi::xml_node f : s.child(c).children("Filter")) {
                need_double(f, "value", c);
                need_bool(f, "isabove", c);
            }
        }
        check_tracker(s.child("TrackerSettings"));
        const pugi::xml_node an = s.child("AnalyzerCollection");
        if (!an) bad("AnalyzerCollection missing (error logged)");
        for (const char* c : {"SpotAnalyzers", "EdgeAnalyzers", "TrackAnalyzers"}) {
            need_child(an, c, "AnalyzerCollection");
            for (pugi::xml_node a : an.child(c).children("Analyzer"))
                if (!a.attribute("key")) bad(std::string(c) + ": Analyzer without key");
        }
    }

    void check_tracker(pugi::xml_node t) {
        if (!t || !t.attribute("TRACKER_NAME")) return bad("TrackerSettings missing (error logged)");
        const std::string name = t.attribute("TRACKER_NAME").value();
        if (name == "MANUAL_TRACKER") {
            if (std::distance(t.attributes_begin(), t.attributes_end()) != 1 || t.first_child())
                bad("TrackerSettings: MANUAL_TRACKER takes no parameters");
            return;
        }
        if (name != "SPARSE_LAP_TRACKER" && name != "SIMPLE_SPARSE_LAP_TRACKER") return;
        const std::string w = "TrackerSettings";
        for (const char* a : {"CUTOFF_PERCENTILE", "ALTERNATIVE_LINKING_COST_FACTOR", "BLOCKING_VALUE"}) need_double(t, a, w);
        const auto block = [&](const char* child) {
            const pugi::xml_node c = t.child(child);
            if (!c) bad(w + ": <" + child + "> missing (settings rejected, defaults used)");
            else if (!c.child("FeaturePenalties")) bad(w + "/" + child + ": FeaturePenalties missing");
            return c;
        };
        need_double(block("Linking"), "LINKING_MAX_DISTANCE", w);
        const pugi::xml_node gap = block("GapClosing");
        need_bool(gap, "ALLOW_GAP_CLOSING", w);
        need_double(gap, "GAP_CLOSING_MAX_DISTANCE", w);
        need_int(gap, "MAX_FRAME_GAP", w);
        const pugi::xml_node split = block("TrackSplitting");
        need_bool(split, "ALLOW_TRACK_SPLITTING", w);
        need_double(split, "SPLITTING_MAX_DISTANCE", w);
        const pugi::xml_node merge = block("TrackMerging");
        need_bool(merge, "ALLOW_TRACK_MERGING", w);
        need_double(merge, "MERGING_MAX_DISTANCE", w);
    }

    void check_display_settings(pugi::xml_node root) {
        const pugi::xml_node d = root.child("DisplaySettings");
        if (!d) return bad("DisplaySettings missing (error logged)");
        const std::string text = d.child_value();
        if (text.empty()) return;  // the user's defaults
        try {
            if (!nlohmann::json::parse(text).is_object()) bad("DisplaySettings: JSON is not an object");
        } catch (const std::exception& e) {
            bad(std::string("DisplaySettings: invalid JSON: ") + e.what());
        }
    }

    std::string path_;
    RuleOptions o_;
    std::vector<std::string> v_;
};

}  // namespace

std::vector<std::string> trackmate_rule_violations(const std::string& path, const RuleOptions& options) {
    return Checker(path, options).run();
}

}  // namespace nativeseg::test
