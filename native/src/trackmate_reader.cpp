// TrackMate XML reader (7.x and 8.x; 3.x tolerated): spots with their ROIs, tracks as links,
// calibration and image information. It accepts what TrackMate's own loader accepts, refuses
// what makes TrackMate fail (with a message naming the file and the element), and lists
// what TrackMate would skip with a logged error as warnings.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <pugixml.hpp>

#include "nativeseg/error.h"
#include "nativeseg/instances.h"
#include "nativeseg/trackmate.h"
#include "trackmate_format.h"

namespace nativeseg {

namespace {

constexpr double kPi = 3.14159265358979323846;

struct Reader {
    std::string path;

    [[noreturn]] void fail(const std::string& what) const { throw Error("'" + path + "': " + what); }

    std::int64_t required_int(pugi::xml_node n, const char* attr, const std::string& where) const {
        const pugi::xml_attribute a = n.attribute(attr);
        if (!a) fail(where + " has no " + attr + " attribute");
        const auto v = tmxml::parse_int(a.value());
        if (!v) fail(where + ": " + attr + "=\"" + a.value() + "\" is not an integer");
        return *v;
    }
    double required_double(pugi::xml_node n, const char* attr, const std::string& where) const {
        const pugi::xml_attribute a = n.attribute(attr);
        if (!a) fail(where + " has no " + attr + " attribute");
        return number(a, where);
    }
    double optional_double(pugi::xml_node n, const char* attr, double fallback, const std::string& where) const {
        const pugi::xml_attribute a = n.attribute(attr);
        return a ? number(a, where) : fallback;
    }
    double number(pugi::xml_attribute a, const std::string& where) const {
        const auto v = tmxml::parse_double(a.value());
        if (!v) fail(where + ": " + a.name() + "=\"" + a.value() + "\" is not a number");
        return *v;
    }
};

// The whole file in memory, so that a parse error's byte offset can be turned into a line
// and a column.
std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("'" + path + "': cannot open: " + std::strerror(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw Error("'" + path + "': cannot read: " + std::strerror(errno));
    return ss.str();
}

struct RawSpot {
    std::int64_t id = 0, frame = 0;
    double x = 0, y = 0, z = 0, quality = 0, radius = 0, mean = 0, max = 0;
    std::vector<double> roi;  // relative x y pairs, physical
};

RawSpot read_spot(const Reader& r, pugi::xml_node n, std::int64_t frame_of_parent) {
    RawSpot s;
    s.id = r.required_int(n, "ID", "a <Spot>");
    const std::string where = "spot " + std::to_string(s.id);
    s.frame = n.attribute("FRAME") ? std::llround(r.required_double(n, "FRAME", where)) : frame_of_parent;
    s.x = r.required_double(n, "POSITION_X", where);
    s.y = r.required_double(n, "POSITION_Y", where);
    s.z = r.optional_double(n, "POSITION_Z", 0, where);
    s.quality = r.optional_double(n, "QUALITY", 0, where);
    s.radius = r.optional_double(n, "RADIUS", 0, where);
    // 7.x+ names the intensity features per channel; 3.x did not.
    s.mean = r.optional_double(n, "MEAN_INTENSITY_CH1", r.optional_double(n, "MEAN_INTENSITY", 0, where), where);
    s.max = r.optional_double(n, "MAX_INTENSITY_CH1", r.optional_double(n, "MAX_INTENSITY", 0, where), where);
    if (n.attribute("ROI_N_POINTS")) {
        const std::int64_t count = r.required_int(n, "ROI_N_POINTS", where);
        if (count > 2) {  // TrackMate reads a ROI only from 3 points on
            std::istringstream text(n.child_value());
            std::string token;
            while (text >> token) {
                const auto v = tmxml::parse_double(token.c_str());
                if (!v) r.fail(where + ": ROI coordinate '" + token + "' is not a number");
                s.roi.push_back(*v);
            }
            if (static_cast<std::int64_t>(s.roi.size()) != 2 * count)
                r.fail(where + ": ROI_N_POINTS=" + std::to_string(count) + " needs " + std::to_string(2 * count) +
                       " coordinates, the text has " + std::to_string(s.roi.size()));
        }
    }
    return s;
}

Instance to_instance(const RawSpot& s, const TrackMateImage& image) {
    const double pw = image.calibration.pixel_width > 0 ? image.calibration.pixel_width : 1;
    const double ph = image.calibration.pixel_height > 0 ? image.calibration.pixel_height : 1;
    Instance in;
    in.frame = s.frame;
    in.polygon_cx = in.centroid_x = s.x / pw;
    in.polygon_cy = in.centroid_y = s.y / ph;
    for (std::size_t i = 0; i + 1 < s.roi.size(); i += 2)
        in.outline.emplace_back((s.x + s.roi[i]) / pw, (s.y + s.roi[i + 1]) / ph);
    if (!in.outline.empty()) {
        in.polygon_area = polygon_area(in.outline);
        double x0 = in.outline[0].x, x1 = x0, y0 = in.outline[0].y, y1 = y0;
        for (const cv::Point2d& v : in.outline) {
            x0 = std::min(x0, v.x);
            x1 = std::max(x1, v.x);
            y0 = std::min(y0, v.y);
            y1 = std::max(y1, v.y);
        }
        // Vertices sit on pixel corners at -0.5 (trackmate-xml.md §5).
        in.bbox = cv::Rect(static_cast<int>(std::lround(x0 + 0.5)), static_cast<int>(std::lround(y0 + 0.5)),
                           static_cast<int>(std::lround(x1 - x0)), static_cast<int>(std::lround(y1 - y0)));
    } else {
        const double r = s.radius;
        in.polygon_area = kPi * (r / pw) * (r / ph);
        in.bbox = cv::Rect(static_cast<int>(std::floor((s.x - r) / pw)), static_cast<int>(std::floor((s.y - r) / ph)),
                           static_cast<int>(std::ceil(2 * r / pw)), static_cast<int>(std::ceil(2 * r / ph)));
    }
    in.pixel_count = std::llround(in.polygon_area);
    in.mean_intensity = s.mean;
    in.max_intensity = s.max;
    return in;
}

void read_image(const Reader& r, pugi::xml_node root, pugi::xml_node model, TrackMateFile& out) {
    TrackMateImage& im = out.image;
    Calibration& c = im.calibration;
    c.unit = model.attribute("spatialunits").as_string("pixel");
    const std::string time = model.attribute("timeunits").as_string("frame");
    c.time_unit = time;
    const pugi::xml_node data = root.child("Settings").child("ImageData");
    if (!data) {
        c.frame_interval = time == "frame" ? 0 : 1;
        return;
    }
    const std::string where = "<ImageData>";
    im.filename = data.attribute("filename").as_string();
    im.folder = data.attribute("folder").as_string();
    const auto int_or = [&](const char* a, int fallback) {
        return data.attribute(a) ? static_cast<int>(r.required_int(data, a, where)) : fallback;
    };
    im.width = int_or("width", 0);
    im.height = int_or("height", 0);
    im.nslices = int_or("nslices", 1);
    im.nframes = int_or("nframes", 0);
    c.pixel_width = r.optional_double(data, "pixelwidth", 1, where);
    c.pixel_height = r.optional_double(data, "pixelheight", 1, where);
    c.voxel_depth = r.optional_double(data, "voxeldepth", 1, where);
    // Our writer spells "no frame interval" as time unit "frame"; read it back as unknown.
    c.frame_interval = time == "frame" ? 0 : r.optional_double(data, "timeinterval", 1, where);
}

void read_tracks(const Reader& r, pugi::xml_node model, TrackMateFile& out) {
    const pugi::xml_node all = model.child("AllTracks");
    if (!all) {
        out.warnings.push_back("no <AllTracks> element: no tracks read");
        return;
    }
    std::set<std::pair<std::int64_t, std::int64_t>> seen;  // undirected, as TrackMate's graph
    std::set<std::int64_t> track_ids;
    for (pugi::xml_node t : all.children("Track")) {
        TrackMateTrack track;
        track.id = r.required_int(t, "TRACK_ID", "a <Track>");
        track.name = t.attribute("name").as_string("Unnamed");
        if (!track_ids.insert(track.id).second)
            out.warnings.push_back("TRACK_ID " + std::to_string(track.id) + " appears twice");
        const std::string where = "an <Edge> of track " + std::to_string(track.id);
        for (pugi::xml_node e : t.children("Edge")) {
            std::int64_t a = r.required_int(e, "SPOT_SOURCE_ID", where);
            std::int64_t b = r.required_int(e, "SPOT_TARGET_ID", where);
            const double cost = r.optional_double(e, "LINK_COST", 0, where);
            const std::string name = std::to_string(a) + " -> " + std::to_string(b);
            const auto ia = out.spot_id.find(a), ib = out.spot_id.find(b);
            if (ia == out.spot_id.end() || ib == out.spot_id.end()) {
                out.warnings.push_back("edge " + name + " names an unknown spot: skipped");
                continue;
            }
            std::int64_t sa = ia->second, sb = ib->second;
            const std::int64_t fa = out.tracks.spot(sa).instance.frame, fb = out.tracks.spot(sb).instance.frame;
            if (fa == fb) {
                out.warnings.push_back("edge " + name + " joins two spots of frame " + std::to_string(fa) + ": skipped");
                continue;
            }
            if (fa > fb) std::swap(sa, sb);  // TrackMate orients edges forward in time
            if (!seen.insert({std::min(sa, sb), std::max(sa, sb)}).second) {
                out.warnings.push_back("edge " + name + " appears twice: skipped");
                continue;
            }
            out.tracks.add_link(sa, sb, cost);
            out.tracks.spot(sa).track_id = track.id;
            out.tracks.spot(sb).track_id = track.id;
            ++track.edges;
        }
        out.track_list.push_back(std::move(track));
    }
    for (pugi::xml_node id : model.child("FilteredTracks").children("TrackID")) {
        const std::int64_t v = r.required_int(id, "TRACK_ID", "a <TrackID>");
        if (!track_ids.count(v))
            out.warnings.push_back("FilteredTracks lists TRACK_ID " + std::to_string(v) + ", which is not a track");
        out.filtered_tracks.push_back(v);
    }
}

}  // namespace

TrackMateFile read_trackmate(const std::string& path) {
    const Reader r{path};
    const std::string data = read_file(path);
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed = doc.load_buffer(data.data(), data.size());
    if (!parsed) {
        const std::size_t offset = std::min(static_cast<std::size_t>(std::max<std::ptrdiff_t>(parsed.offset, 0)), data.size());
        const std::size_t line = 1 + static_cast<std::size_t>(std::count(data.begin(), data.begin() + offset, '\n'));
        const std::size_t line_start = data.rfind('\n', offset == 0 ? 0 : offset - 1);
        const std::size_t column = offset - (line_start == std::string::npos || offset == 0 ? 0 : line_start + 1) + 1;
        r.fail("malformed XML at line " + std::to_string(line) + ", column " + std::to_string(column) + " (offset " +
               std::to_string(offset) + "): " + parsed.description());
    }
    const pugi::xml_node root = doc.document_element();
    if (std::strcmp(root.name(), "TrackMate") != 0)
        r.fail(std::string("not a TrackMate file: root element is <") + root.name() + ">, expected <TrackMate>");

    TrackMateFile out;
    out.version = root.attribute("version").as_string();
    if (out.version.empty()) out.warnings.push_back("the root element has no version attribute");
    const pugi::xml_node model = root.child("Model");
    if (!model) r.fail("not a complete TrackMate file: <Model> is missing");
    const pugi::xml_node all_spots = model.child("AllSpots");
    if (!all_spots) r.fail("not a complete TrackMate file: <Model><AllSpots> is missing");
    read_image(r, root, model, out);
    out.detector = root.child("Settings").child("DetectorSettings").attribute("DETECTOR_NAME").as_string();
    out.tracker = root.child("Settings").child("TrackerSettings").attribute("TRACKER_NAME").as_string();

    std::vector<RawSpot> spots;
    for (pugi::xml_node frame : all_spots.children("SpotsInFrame")) {
        const std::int64_t f = frame.attribute("frame") ? r.required_int(frame, "frame", "a <SpotsInFrame>") : 0;
        for (pugi::xml_node s : frame.children("Spot")) spots.push_back(read_spot(r, s, f));
    }
    // In file ID order, so that the ids 0..n-1 we write come back as they were.
    std::sort(spots.begin(), spots.end(), [](const RawSpot& a, const RawSpot& b) { return a.id < b.id; });
    for (std::size_t i = 0; i < spots.size(); ++i) {
        if (i > 0 && spots[i].id == spots[i - 1].id) r.fail("spot ID " + std::to_string(spots[i].id) + " appears twice");
        const std::int64_t id = out.tracks.add_spot(to_instance(spots[i], out.image));
        out.spot_id.emplace(spots[i].id, id);
        out.quality.push_back(spots[i].quality);
        out.radius.push_back(spots[i].radius);
    }
    read_tracks(r, model, out);
    return out;
}

}  // namespace nativeseg
