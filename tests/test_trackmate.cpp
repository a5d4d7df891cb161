// TrackMate XML: the writer's output obeys every loader and formatting rule, round trips through
// the reader, streams, and fails cleanly; the reader reads TrackMate's own 3.x/7.x files
// (skipped when ../shared/data is absent).
#include <gtest/gtest.h>

#include <clocale>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <locale>
#include <map>
#include <set>
#include <sstream>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <pugixml.hpp>

#include "nativeseg/error.h"
#include "nativeseg/instances.h"
#include "nativeseg/tiff_io.h"
#include "nativeseg/trackmate.h"
#include "trackmate_rules.h"

using namespace nativeseg;
namespace fs = std::filesystem;

namespace {

constexpr double kPi = 3.14159265358979323846;

fs::path tmp_dir(const std::string& name) {
    const fs::path d = fs::path(NATIVESEG_TEST_TMP) / ("trackmate_" + name);
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

fs::path trackmate_data() {
    if (const char* env = std::getenv("NATIVESEG_SHARED_DATA")) return fs::path(env) / "trackmate";
    return fs::path(NATIVESEG_SOURCE_DIR) / ".." / "shared" / "data" / "trackmate";
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_text(const fs::path& p, const std::string& s) {
    std::ofstream(p, std::ios::binary) << s;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += "\n  " + x;
    return s;
}

// A C++ locale with a decimal comma and digit grouping, for the locale test.
struct CommaDecimal : std::numpunct<char> {
    char do_decimal_point() const override { return ','; }
    char do_thousands_sep() const override { return '.'; }
    std::string do_grouping() const override { return "\3"; }
};

#define EXPECT_LOADABLE(path)                                                              \
    do {                                                                                   \
        const auto violations = test::trackmate_rule_violations((path).string());          \
        EXPECT_TRUE(violations.empty()) << (path) << " breaks TrackMate's rules:" << joined(violations); \
    } while (0)

// A small video with a division and gap-closing links, built from label frames so the spots
// carry real outlines:
//   frame 0: A (label 1), G (label 2), U (label 3, never linked)
//   frame 1: A'           frame 2: B, C (A' divides), G'   frame 3: empty   frame 4: D
//   links A->A', A'->B, A'->C, B->D (skips frame 3), G->G' (skips frame 1)
struct Video {
    TrackSet set;
    std::map<std::string, std::int64_t> id;  // name -> spot id
    TrackMateWriteOptions options;
};

Video small_video() {
    Video v;
    const cv::Size size(48, 32);
    const std::vector<std::vector<std::pair<std::string, cv::Rect>>> frames = {
        {{"A", {5, 5, 4, 4}}, {"G", {25, 10, 3, 3}}, {"U", {38, 20, 2, 5}}},
        {{"A'", {6, 5, 4, 5}}},
        {{"B", {4, 12, 3, 3}}, {"C", {12, 12, 4, 3}}, {"G'", {26, 11, 3, 4}}},
        {},
        {{"D", {5, 20, 5, 2}}},
    };
    for (std::size_t t = 0; t < frames.size(); ++t) {
        cv::Mat labels(size, CV_16U, cv::Scalar(0)), raw(size, CV_32F, cv::Scalar(0));
        for (std::size_t k = 0; k < frames[t].size(); ++k) {
            cv::rectangle(labels, frames[t][k].second, cv::Scalar(static_cast<double>(k + 1)), cv::FILLED);
            cv::rectangle(raw, frames[t][k].second, cv::Scalar(100.0 * (k + 1) + static_cast<double>(t)), cv::FILLED);
        }
        const auto in = instances_from_labels(labels, static_cast<std::int64_t>(t), raw);
        EXPECT_EQ(in.size(), frames[t].size());
        for (std::size_t k = 0; k < in.size(); ++k) v.id[frames[t][k].first] = v.set.add_spot(in[k]);
    }
    v.set.add_link(v.id["A"], v.id["A'"], 1.5);
    v.set.add_link(v.id["A'"], v.id["B"], 2.25);
    v.set.add_link(v.id["A'"], v.id["C"], 3.0);
    v.set.add_link(v.id["B"], v.id["D"], 4.0);
    v.set.add_link(v.id["G"], v.id["G'"], 0.125);
    v.options.image.filename = "labels.tif";
    v.options.image.width = size.width;
    v.options.image.height = size.height;
    v.options.image.nframes = 5;
    v.options.log = "NativeSeg test export\nsecond line & <escaped>";
    v.options.tracker.linking_max_distance = 12.5;
    v.options.tracker.gap_closing_max_distance = 20;
    v.options.tracker.max_frame_gap = 3;
    v.options.tracker.allow_track_splitting = true;
    return v;
}

pugi::xml_node child_path(const pugi::xml_document& doc, std::initializer_list<const char*> path) {
    pugi::xml_node n = doc.document_element();
    for (const char* p : path) n = n.child(p);
    return n;
}

pugi::xml_node spot_by_id(const pugi::xml_document& doc, std::int64_t id) {
    return doc.select_node(("//Spot[@ID='" + std::to_string(id) + "']").c_str()).node();
}

}  // namespace

// ---------------------------------------------------------------- pugixml behaviour we rely on

// TrackMate reads the ROI text without trimming, so the numbers must follow the start tag
// immediately. pugixml's indenting printer puts no newline or indentation before a text
// child: pin that for the pugixml we build with (trackmate-xml.md §4).
TEST(TrackMatePugixml, TextStartsRightAfterTheTagWhenIndenting) {
    pugi::xml_document doc;
    pugi::xml_node frame = doc.append_child("AllSpots").append_child("SpotsInFrame");
    pugi::xml_node spot = frame.append_child("Spot");
    spot.append_attribute("ID").set_value("7");
    spot.append_child(pugi::node_pcdata).set_value("-1.5 2 3 -4.25");
    frame.append_child("Spot").append_attribute("ID").set_value("8");
    std::ostringstream whole, part;
    doc.save(whole, "  ", pugi::format_indent);
    EXPECT_NE(whole.str().find("\n    <Spot ID=\"7\">-1.5 2 3 -4.25</Spot>\n"), std::string::npos) << whole.str();
    EXPECT_NE(whole.str().find("\n    <Spot ID=\"8\" />\n"), std::string::npos) << whole.str();
    // Printing a subtree at a given depth, as the streaming writer does.
    frame.print(part, "  ", pugi::format_indent, pugi::encoding_utf8, 3);
    EXPECT_EQ(part.str(),
              "      <SpotsInFrame>\n"
              "        <Spot ID=\"7\">-1.5 2 3 -4.25</Spot>\n"
              "        <Spot ID=\"8\" />\n"
              "      </SpotsInFrame>\n");
}

// ---------------------------------------------------------------- writer

TEST(TrackMateWriter, DivisionAndGapClosingFileObeysEveryLoaderRule) {
    Video v = small_video();
    const fs::path out = tmp_dir("division") / "video.xml";
    write_trackmate(out.string(), v.set, v.options);
    EXPECT_LOADABLE(out);

    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_file(out.c_str()));
    const pugi::xml_node root = doc.document_element();
    EXPECT_STREQ(root.attribute("version").value(), "7.14.0");
    EXPECT_EQ(std::string(root.child_value("Log")), v.options.log);
    const pugi::xml_node model = root.child("Model");
    EXPECT_STREQ(model.attribute("spatialunits").value(), "pixel");
    EXPECT_STREQ(model.attribute("timeunits").value(), "frame");
    EXPECT_STREQ(model.child("AllSpots").attribute("nspots").value(), "8");
    int frames = 0;
    for (pugi::xml_node f : model.child("AllSpots").children("SpotsInFrame")) {
        EXPECT_EQ(f.attribute("frame").as_int(), frames);
        ++frames;
    }
    EXPECT_EQ(frames, 5);  // frame 3 is empty but present
    EXPECT_FALSE(model.child("AllSpots").find_child_by_attribute("SpotsInFrame", "frame", "3").first_child());

    // Tracks: the division's component first (earliest spot), then G's.
    std::vector<pugi::xml_node> tracks;
    for (pugi::xml_node t : model.child("AllTracks").children("Track")) tracks.push_back(t);
    ASSERT_EQ(tracks.size(), 2u);
    EXPECT_STREQ(tracks[0].attribute("name").value(), "Track_0");
    EXPECT_STREQ(tracks[0].attribute("TRACK_ID").value(), "0");
    EXPECT_STREQ(tracks[0].attribute("TRACK_INDEX").value(), "0");
    EXPECT_STREQ(tracks[0].attribute("NUMBER_SPOTS").value(), "5");
    EXPECT_STREQ(tracks[0].attribute("NUMBER_SPLITS").value(), "1");
    EXPECT_STREQ(tracks[0].attribute("NUMBER_MERGES").value(), "0");
    EXPECT_STREQ(tracks[0].attribute("NUMBER_GAPS").value(), "1");
    EXPECT_STREQ(tracks[0].attribute("LONGEST_GAP").value(), "1");
    EXPECT_STREQ(tracks[0].attribute("TRACK_DURATION").value(), "4");
    EXPECT_EQ(std::distance(tracks[0].children("Edge").begin(), tracks[0].children("Edge").end()), 4);
    EXPECT_STREQ(tracks[1].attribute("name").value(), "Track_1");
    EXPECT_STREQ(tracks[1].attribute("NUMBER_SPOTS").value(), "2");
    EXPECT_STREQ(tracks[1].attribute("NUMBER_GAPS").value(), "1");
    // A single edge: TrackMate's sample standard deviation of the speeds is NaN, spelled the Java way.
    EXPECT_STREQ(tracks[1].attribute("TRACK_STD_SPEED").value(), "NaN");
    const pugi::xml_node gap_edge = tracks[1].child("Edge");
    EXPECT_EQ(gap_edge.attribute("SPOT_SOURCE_ID").as_llong(), v.id["G"]);
    EXPECT_EQ(gap_edge.attribute("SPOT_TARGET_ID").as_llong(), v.id["G'"]);
    EXPECT_STREQ(gap_edge.attribute("LINK_COST").value(), "0.125");
    EXPECT_STREQ(gap_edge.attribute("EDGE_TIME").value(), "1");
    std::vector<std::string> filtered;
    for (pugi::xml_node id : model.child("FilteredTracks").children("TrackID")) filtered.push_back(id.attribute("TRACK_ID").value());
    EXPECT_EQ(filtered, (std::vector<std::string>{"0", "1"}));

    // Spot A: a 4x4 square at (5,5): centre (6.5, 6.5), quality 16, radius sqrt(16/pi), ROI
    // from the lower-right corner, relative to the centre.
    const pugi::xml_node a = spot_by_id(doc, v.id["A"]);
    EXPECT_STREQ(a.attribute("name").value(), ("ID" + std::to_string(v.id["A"])).c_str());
    EXPECT_STREQ(a.attribute("POSITION_X").value(), "6.5");
    EXPECT_STREQ(a.attribute("POSITION_Y").value(), "6.5");
    EXPECT_STREQ(a.attribute("QUALITY").value(), "16");
    EXPECT_STREQ(a.attribute("FRAME").value(), "0");
    EXPECT_STREQ(a.attribute("VISIBILITY").value(), "1");
    EXPECT_DOUBLE_EQ(a.attribute("RADIUS").as_double(), std::sqrt(16 / kPi));
    EXPECT_STREQ(a.attribute("MEAN_INTENSITY_CH1").value(), "100");
    EXPECT_STREQ(a.attribute("ROI_N_POINTS").value(), "4");
    EXPECT_STREQ(a.child_value(), "2 2 2 -2 -2 -2 -2 2");
    EXPECT_FALSE(spot_by_id(doc, v.id["U"]).attribute("TRACK_ID"));

    // Settings.
    const pugi::xml_node s = root.child("Settings");
    EXPECT_STREQ(s.child("ImageData").attribute("filename").value(), "labels.tif");
    EXPECT_STREQ(s.child("ImageData").attribute("folder").value(), "");
    EXPECT_STREQ(s.child("ImageData").attribute("nframes").value(), "5");
    EXPECT_STREQ(s.child("BasicSettings").attribute("xend").value(), "47");
    EXPECT_STREQ(s.child("BasicSettings").attribute("tend").value(), "4");
    EXPECT_STREQ(s.child("DetectorSettings").attribute("DETECTOR_NAME").value(), "LABEL_IMAGE_DETECTOR");
    EXPECT_STREQ(s.child("DetectorSettings").attribute("SIMPLIFY_CONTOURS").value(), "false");
    const pugi::xml_node tr = s.child("TrackerSettings");
    EXPECT_STREQ(tr.attribute("TRACKER_NAME").value(), "SPARSE_LAP_TRACKER");
    EXPECT_STREQ(tr.attribute("BLOCKING_VALUE").value(), "Infinity");
    EXPECT_STREQ(tr.child("Linking").attribute("LINKING_MAX_DISTANCE").value(), "12.5");
    EXPECT_STREQ(tr.child("GapClosing").attribute("MAX_FRAME_GAP").value(), "3");
    EXPECT_STREQ(tr.child("GapClosing").attribute("GAP_CLOSING_MAX_DISTANCE").value(), "20");
    EXPECT_STREQ(tr.child("TrackSplitting").attribute("ALLOW_TRACK_SPLITTING").value(), "true");
    EXPECT_STREQ(tr.child("TrackMerging").attribute("ALLOW_TRACK_MERGING").value(), "false");
    EXPECT_STREQ(root.child("GUIState").attribute("state").value(), "ConfigureViews");
}

TEST(TrackMateWriter, CalibratedUnitsAndPhysicalRoi) {
    Video v = small_video();
    v.options.image.calibration.pixel_width = 0.5;
    v.options.image.calibration.pixel_height = 0.25;
    v.options.image.calibration.unit = "micron";
    v.options.image.calibration.frame_interval = 2;
    v.options.image.calibration.time_unit = "min";
    const fs::path out = tmp_dir("calibrated") / "v.xml";
    write_trackmate(out.string(), v.set, v.options);
    EXPECT_LOADABLE(out);
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_file(out.c_str()));
    EXPECT_STREQ(child_path(doc, {"Model"}).attribute("spatialunits").value(), "micron");
    EXPECT_STREQ(child_path(doc, {"Model"}).attribute("timeunits").value(), "min");
    EXPECT_STREQ(child_path(doc, {"Settings", "ImageData"}).attribute("pixelwidth").value(), "0.5");
    EXPECT_STREQ(child_path(doc, {"Settings", "ImageData"}).attribute("timeinterval").value(), "2");
    const pugi::xml_node a = spot_by_id(doc, v.id["A"]);
    EXPECT_STREQ(a.attribute("POSITION_X").value(), "3.25");
    EXPECT_STREQ(a.attribute("POSITION_Y").value(), "1.625");
    EXPECT_STREQ(a.attribute("QUALITY").value(), "16");  // pixels, as TrackMate's detector
    EXPECT_STREQ(a.attribute("AREA").value(), "2");      // 16 px * 0.5 * 0.25
    EXPECT_DOUBLE_EQ(a.attribute("RADIUS").as_double(), std::sqrt(2 / kPi));
    EXPECT_STREQ(a.child_value(), "1 0.5 1 -0.5 -1 -0.5 -1 0.5");
    const pugi::xml_node d = spot_by_id(doc, v.id["D"]);
    EXPECT_STREQ(d.attribute("POSITION_T").value(), "8");
    EXPECT_STREQ(child_path(doc, {"Model", "AllTracks"}).child("Track").attribute("TRACK_DURATION").value(), "8");
}

TEST(TrackMateWriter, NumbersUseJavaSpellingAndNoLocale) {
    Video v = small_video();
    Spot& a = v.set.spot(v.id["A"]);
    a.instance.mean_intensity = std::nan("");
    a.instance.max_intensity = std::numeric_limits<double>::infinity();
    v.set.spot(v.id["G"]).instance.max_intensity = -std::numeric_limits<double>::infinity();
    v.set.spot(v.id["G"]).instance.mean_intensity = 1e-7;
    v.options.image.calibration.pixel_width = 0.1;
    // A decimal-comma locale, in C and in C++ streams, must not leak into the numbers.
    const char* old = std::setlocale(LC_ALL, nullptr);
    const std::string saved = old ? old : "C";
    const bool c_comma = std::setlocale(LC_ALL, "de_DE.UTF-8") || std::setlocale(LC_ALL, "fr_FR.UTF-8");
    const std::locale previous = std::locale::global(std::locale(std::locale::classic(), new CommaDecimal));
    const fs::path out = tmp_dir("numbers") / "v.xml";
    write_trackmate(out.string(), v.set, v.options);
    std::locale::global(previous);
    std::setlocale(LC_ALL, saved.c_str());
    EXPECT_LOADABLE(out);  // every number a Java number: no decimal comma anywhere
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_file(out.c_str()));
    const pugi::xml_node sa = spot_by_id(doc, v.id["A"]);
    EXPECT_STREQ(sa.attribute("MEAN_INTENSITY_CH1").value(), "NaN");
    EXPECT_STREQ(sa.attribute("MAX_INTENSITY_CH1").value(), "Infinity");
    EXPECT_STREQ(sa.attribute("POSITION_X").value(), "0.65");  // shortest round trip of 6.5 * 0.1
    const pugi::xml_node sg = spot_by_id(doc, v.id["G"]);
    EXPECT_STREQ(sg.attribute("MAX_INTENSITY_CH1").value(), "-Infinity");
    EXPECT_STREQ(sg.attribute("MEAN_INTENSITY_CH1").value(), "1e-07");
    if (!c_comma) std::cout << "[ no decimal-comma C locale installed: only the C++ locale was exercised ]\n";
}

TEST(TrackMateWriter, WithoutIntensityFeatures) {
    Video v = small_video();
    v.options.intensity_features = false;
    const fs::path out = tmp_dir("nointensity") / "v.xml";
    write_trackmate(out.string(), v.set, v.options);
    EXPECT_LOADABLE(out);
    const std::string text = slurp(out);
    EXPECT_EQ(text.find("MEAN_INTENSITY_CH1"), std::string::npos);
    EXPECT_EQ(text.find("Spot intensity"), std::string::npos);
}

TEST(TrackMateWriter, SpotsOnly) {
    Video v = small_video();
    v.options.spots_only = true;
    const fs::path out = tmp_dir("spotsonly") / "v.xml";
    write_trackmate(out.string(), v.set, v.options);
    EXPECT_LOADABLE(out);
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_file(out.c_str()));
    EXPECT_FALSE(child_path(doc, {"Model", "AllTracks"}).first_child());
    EXPECT_TRUE(child_path(doc, {"Model", "AllTracks"}));
    EXPECT_TRUE(child_path(doc, {"Model", "FilteredTracks"}));
    EXPECT_FALSE(child_path(doc, {"Model", "FilteredTracks"}).first_child());
    EXPECT_STREQ(child_path(doc, {"Model", "AllSpots"}).attribute("nspots").value(), "8");
    EXPECT_STREQ(child_path(doc, {"Settings", "TrackerSettings"}).attribute("TRACKER_NAME").value(), "SPARSE_LAP_TRACKER");
    EXPECT_NE(slurp(out).find("<AllTracks />"), std::string::npos);

    v.options.tracker.tracker = TrackMateTracker::Manual;
    const fs::path manual = out.parent_path() / "manual.xml";
    write_trackmate(manual.string(), v.set, v.options);
    EXPECT_LOADABLE(manual);
    EXPECT_NE(slurp(manual).find("<TrackerSettings TRACKER_NAME=\"MANUAL_TRACKER\" />"), std::string::npos);
}

TEST(TrackMateWriter, EmptyVideo) {
    TrackSet empty;
    TrackMateWriteOptions o;
    o.image.width = 10;
    o.image.height = 10;
    o.image.nframes = 3;
    const fs::path out = tmp_dir("empty") / "v.xml";
    write_trackmate(out.string(), empty, o);
    EXPECT_LOADABLE(out);
    const TrackMateFile f = read_trackmate(out.string());
    EXPECT_TRUE(f.tracks.spots().empty());
    EXPECT_EQ(f.image.nframes, 3);
    o.image.nframes = 0;  // no frames at all is still a loadable file
    write_trackmate(out.string(), empty, o);
    EXPECT_LOADABLE(out);
}

TEST(TrackMateWriter, StreamingWritesFramesAsTheyComeAndRenamesAtTheEnd) {
    Video v = small_video();
    const fs::path dir = tmp_dir("stream");
    const fs::path out = dir / "stream.xml";
    {
        TrackMateWriter w(out.string(), v.options);
        std::map<std::int64_t, std::vector<Spot>> by_frame;
        for (const Spot& s : v.set.spots()) by_frame[s.instance.frame].push_back(s);
        for (const auto& [t, spots] : by_frame) {
            w.add_frame(t, spots);
            EXPECT_FALSE(fs::exists(out));  // nothing under the final name before finish()
            // The frame's spots are on disk already, in a temporary file beside the output.
            std::uintmax_t temp_bytes = 0;
            for (const auto& e : fs::directory_iterator(dir)) temp_bytes += fs::file_size(e.path());
            EXPECT_GT(temp_bytes, 0u);
        }
        for (const Link& l : v.set.links()) w.add_link(l);
        EXPECT_EQ(w.spots_written(), 8);
        w.finish();
        EXPECT_THROW(w.finish(), Error);
        EXPECT_THROW(w.add_frame(9, {}), Error);
    }
    EXPECT_LOADABLE(out);
    // Only the output remains: the temporary files are gone.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);

    // Same bytes as the one-call writer.
    const fs::path whole = dir / "whole.xml";
    write_trackmate(whole.string(), v.set, v.options);
    EXPECT_EQ(slurp(out), slurp(whole));
}

TEST(TrackMateWriter, AbandonedWriterLeavesNothing) {
    Video v = small_video();
    const fs::path dir = tmp_dir("abandoned");
    {
        TrackMateWriter w((dir / "x.xml").string(), v.options);
        w.add_frame(0, {v.set.spot(v.id["A"])});
    }
    EXPECT_TRUE(fs::is_empty(dir));
}

TEST(TrackMateWriter, Errors) {
    Video v = small_video();
    const fs::path dir = tmp_dir("errors");
    const std::string path = (dir / "e.xml").string();
    const Spot a = v.set.spot(v.id["A"]), b = v.set.spot(v.id["B"]);
    {
        TrackMateWriter w(path, v.options);
        w.add_frame(2, {b});
        EXPECT_THROW(w.add_frame(1, {}), Error);     // frames must increase
        EXPECT_THROW(w.add_frame(3, {b}), Error);    // spot of frame 2 given as frame 3
        Spot again = b;
        again.instance.frame = 4;
        EXPECT_THROW(w.add_frame(4, {again}), Error);  // id used before
        Spot huge = a;
        huge.id = std::int64_t(1) << 31;
        huge.instance.frame = 5;
        EXPECT_THROW(w.add_frame(5, {huge}), Error);  // not a Java int
    }
    {
        TrackMateWriter w(path, v.options);
        w.add_frame(0, {a});
        w.add_link({a.id, 999, 0});
        try {
            w.finish();
            ADD_FAILURE() << "a link to an unknown spot was accepted";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("never added"), std::string::npos) << e.what();
        }
    }
    EXPECT_FALSE(fs::exists(path));
    TrackMateWriteOptions no_size = v.options;
    no_size.image.width = 0;
    EXPECT_THROW(TrackMateWriter(path, no_size), Error);
    EXPECT_THROW(write_trackmate((dir / "missing" / "x.xml").string(), v.set, v.options), Error);
}

// ---------------------------------------------------------------- the rule checker itself

// Each rule of the checker catches the mistake it is there for: one mutation of a good file
// per rule, and the message it must produce.
TEST(TrackMateRules, CatchEachBrokenRule) {
    Video v = small_video();
    const fs::path dir = tmp_dir("rules");
    const fs::path good = dir / "good.xml";
    write_trackmate(good.string(), v.set, v.options);
    ASSERT_TRUE(test::trackmate_rule_violations(good.string()).empty());

    using Mutation = std::function<void(pugi::xml_node root)>;
    const auto spot0 = [](pugi::xml_node root) { return root.child("Model").child("AllSpots").child("SpotsInFrame").child("Spot"); };
    const auto track0 = [](pugi::xml_node root) { return root.child("Model").child("AllTracks").child("Track"); };
    const std::vector<std::pair<std::string, Mutation>> cases = {
        {"root has no version", [](pugi::xml_node r) { r.remove_attribute("version"); }},
        {"Model is missing", [](pugi::xml_node r) { r.remove_child("Model"); }},
        {"AllTracks missing", [](pugi::xml_node r) { r.child("Model").remove_child("AllTracks"); }},
        {"FilteredTracks missing", [](pugi::xml_node r) { r.child("Model").remove_child("FilteredTracks"); }},
        {"EdgeFeatures missing", [](pugi::xml_node r) { r.child("Model").child("FeatureDeclarations").remove_child("EdgeFeatures"); }},
        {"invalid dimension", [](pugi::xml_node r) {
             r.child("Model").child("FeatureDeclarations").child("SpotFeatures").child("Feature").attribute("dimension").set_value("DISTANCE");
         }},
        {"is not declared", [&](pugi::xml_node r) { spot0(r).append_attribute("CIRCULARITY").set_value("0.5"); }},
        {"written as a non-integer", [&](pugi::xml_node r) { spot0(r).attribute("FRAME").set_value("0.0"); }},
        {"is not a Java double", [&](pugi::xml_node r) { spot0(r).attribute("QUALITY").set_value("nan"); }},
        {"is not a Java double", [&](pugi::xml_node r) { spot0(r).attribute("QUALITY").set_value("1,5"); }},
        {"does not start right after the tag", [&](pugi::xml_node r) {
             spot0(r).first_child().set_value((std::string("\n ") + spot0(r).child_value()).c_str());
         }},
        {"needs 8", [&](pugi::xml_node r) { spot0(r).first_child().set_value("1 2 3 4 5 6 7"); }},
        {"ID not unique", [&](pugi::xml_node r) { spot0(r).next_sibling().attribute("ID").set_value(spot0(r).attribute("ID").value()); }},
        {"nspots=", [](pugi::xml_node r) { r.child("Model").child("AllSpots").attribute("nspots").set_value("3"); }},
        {"RADIUS missing", [&](pugi::xml_node r) { spot0(r).remove_attribute("RADIUS"); }},
        {"TRACK_ID missing", [&](pugi::xml_node r) { track0(r).remove_attribute("TRACK_ID"); }},
        {"TRACK_ID not unique", [&](pugi::xml_node r) { track0(r).next_sibling().attribute("TRACK_ID").set_value("0"); }},
        {"not forward in time", [&](pugi::xml_node r) {
             pugi::xml_node e = track0(r).child("Edge");
             const std::string a = e.attribute("SPOT_SOURCE_ID").value();
             e.attribute("SPOT_SOURCE_ID").set_value(e.attribute("SPOT_TARGET_ID").value());
             e.attribute("SPOT_TARGET_ID").set_value(a.c_str());
         }},
        {"connected components in one Track", [&](pugi::xml_node r) {
             pugi::xml_node other = track0(r).next_sibling();
             track0(r).append_copy(other.child("Edge"));
             r.child("Model").child("AllTracks").remove_child(other);
             r.child("Model").child("FilteredTracks").remove_child(r.child("Model").child("FilteredTracks").last_child());
         }},
        {"duplicate edge", [&](pugi::xml_node r) { track0(r).append_copy(track0(r).child("Edge")); }},
        {"unknown spot", [&](pugi::xml_node r) { track0(r).child("Edge").attribute("SPOT_TARGET_ID").set_value("12345"); }},
        {"not in AllTracks", [](pugi::xml_node r) {
             r.child("Model").child("FilteredTracks").append_child("TrackID").append_attribute("TRACK_ID").set_value("77");
         }},
        {"ImageData missing", [](pugi::xml_node r) { r.child("Settings").remove_child("ImageData"); }},
        {"is not an int", [](pugi::xml_node r) { r.child("Settings").child("ImageData").attribute("width").set_value("48.0"); }},
        {"unknown key", [](pugi::xml_node r) { r.child("Settings").child("DetectorSettings").append_attribute("RADIUS").set_value("2"); }},
        {"InitialSpotFilter missing", [](pugi::xml_node r) { r.child("Settings").remove_child("InitialSpotFilter"); }},
        {"TrackFilterCollection missing", [](pugi::xml_node r) { r.child("Settings").remove_child("TrackFilterCollection"); }},
        {"<GapClosing> missing", [](pugi::xml_node r) { r.child("Settings").child("TrackerSettings").remove_child("GapClosing"); }},
        {"MAX_FRAME_GAP=\"2.0\" is not an int", [](pugi::xml_node r) {
             r.child("Settings").child("TrackerSettings").child("GapClosing").attribute("MAX_FRAME_GAP").set_value("2.0");
         }},
        {"TrackAnalyzers", [](pugi::xml_node r) { r.child("Settings").child("AnalyzerCollection").remove_child("TrackAnalyzers"); }},
        {"invalid JSON", [](pugi::xml_node r) { r.child("DisplaySettings").first_child().set_value("{\"name\": }"); }},
        {"GUIState", [](pugi::xml_node r) { r.remove_child("GUIState"); }},
        {"no SpotsInFrame for frame 3", [](pugi::xml_node r) {
             pugi::xml_node all = r.child("Model").child("AllSpots");
             all.remove_child(all.find_child_by_attribute("SpotsInFrame", "frame", "3"));
         }},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        pugi::xml_document doc;
        ASSERT_TRUE(doc.load_file(good.c_str(), pugi::parse_default | pugi::parse_declaration));
        cases[i].second(doc.document_element());
        const fs::path bad = dir / ("bad" + std::to_string(i) + ".xml");
        doc.save_file(bad.c_str(), "  ");
        const auto v = test::trackmate_rule_violations(bad.string());
        EXPECT_TRUE(joined(v).find(cases[i].first) != std::string::npos)
            << "case " << i << ": expected a violation containing \"" << cases[i].first << "\", got:" << joined(v);
    }
    // Malformed XML.
    write_text(dir / "malformed.xml", slurp(good).substr(0, 500));
    EXPECT_FALSE(test::trackmate_rule_violations((dir / "malformed.xml").string()).empty());
}

// ---------------------------------------------------------------- reader

TEST(TrackMateReader, RoundTripKeepsSpotsLinksAndTracks) {
    Video v = small_video();
    v.options.image.calibration.pixel_width = 0.65;
    v.options.image.calibration.pixel_height = 0.65;
    v.options.image.calibration.unit = "micron";
    v.options.image.calibration.frame_interval = 5;
    v.options.image.calibration.time_unit = "min";
    const fs::path out = tmp_dir("roundtrip") / "v.xml";
    write_trackmate(out.string(), v.set, v.options);
    const TrackMateFile f = read_trackmate(out.string());
    EXPECT_TRUE(f.warnings.empty()) << joined(f.warnings);
    EXPECT_EQ(f.version, "7.14.0");
    EXPECT_EQ(f.detector, "LABEL_IMAGE_DETECTOR");
    EXPECT_EQ(f.tracker, "SPARSE_LAP_TRACKER");
    EXPECT_EQ(f.image.filename, "labels.tif");
    EXPECT_EQ(f.image.width, 48);
    EXPECT_EQ(f.image.nframes, 5);
    EXPECT_EQ(f.image.calibration.unit, "micron");
    EXPECT_EQ(f.image.calibration.time_unit, "min");
    EXPECT_DOUBLE_EQ(f.image.calibration.pixel_width, 0.65);
    EXPECT_DOUBLE_EQ(f.image.calibration.frame_interval, 5);

    v.set.assign_track_ids();
    ASSERT_EQ(f.tracks.spots().size(), v.set.spots().size());
    for (const Spot& s : v.set.spots()) {
        const Spot& r = f.tracks.spot(s.id);  // ids 0..n-1 come back unchanged
        EXPECT_EQ(f.spot_id.at(s.id), s.id);
        EXPECT_EQ(r.instance.frame, s.instance.frame);
        EXPECT_EQ(r.track_id, s.track_id);
        EXPECT_NEAR(r.instance.polygon_cx, s.instance.polygon_cx, 1e-12);
        EXPECT_NEAR(r.instance.polygon_cy, s.instance.polygon_cy, 1e-12);
        EXPECT_NEAR(r.instance.polygon_area, s.instance.polygon_area, 1e-9);
        EXPECT_EQ(r.instance.pixel_count, s.instance.pixel_count);  // rectangles: area = pixels
        EXPECT_EQ(r.instance.bbox, s.instance.bbox);
        EXPECT_DOUBLE_EQ(r.instance.mean_intensity, s.instance.mean_intensity);
        ASSERT_EQ(r.instance.outline.size(), s.instance.outline.size());
        for (std::size_t k = 0; k < s.instance.outline.size(); ++k) {
            EXPECT_NEAR(r.instance.outline[k].x, s.instance.outline[k].x, 1e-12);
            EXPECT_NEAR(r.instance.outline[k].y, s.instance.outline[k].y, 1e-12);
        }
        EXPECT_DOUBLE_EQ(f.quality[static_cast<std::size_t>(s.id)], s.instance.polygon_area);
    }
    ASSERT_EQ(f.tracks.links().size(), v.set.links().size());
    std::set<std::tuple<std::int64_t, std::int64_t, double>> a, b;
    for (const Link& l : v.set.links()) a.emplace(l.source, l.target, l.cost);
    for (const Link& l : f.tracks.links()) b.emplace(l.source, l.target, l.cost);
    EXPECT_EQ(a, b);
    ASSERT_EQ(f.track_list.size(), 2u);
    EXPECT_EQ(f.track_list[0].name, "Track_0");
    EXPECT_EQ(f.track_list[0].edges, 4);
    EXPECT_EQ(f.filtered_tracks, (std::vector<std::int64_t>{0, 1}));
    // The division and the gaps survive: A' has two successors, B -> D skips frame 3.
    EXPECT_EQ(f.tracks.successors(v.id["A'"]).size(), 2u);
    EXPECT_EQ(f.tracks.successors(v.id["B"]), (std::vector<std::int64_t>{v.id["D"]}));
}

TEST(TrackMateReader, UncalibratedRoundTripKeepsUnknownInterval) {
    Video v = small_video();
    const fs::path out = tmp_dir("uncal") / "v.xml";
    write_trackmate(out.string(), v.set, v.options);
    const TrackMateFile f = read_trackmate(out.string());
    EXPECT_EQ(f.image.calibration.unit, "pixel");
    EXPECT_EQ(f.image.calibration.time_unit, "frame");
    EXPECT_EQ(f.image.calibration.frame_interval, 0);  // "frame" = no interval known
}

TEST(TrackMateReader, ClearErrors) {
    const fs::path dir = tmp_dir("reader_errors");
    const auto message = [](const fs::path& p) {
        try {
            read_trackmate(p.string());
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    write_text(dir / "other.xml", "<?xml version=\"1.0\"?>\n<Settings><a/></Settings>\n");
    EXPECT_EQ(message(dir / "other.xml"),
              "'" + (dir / "other.xml").string() + "': not a TrackMate file: root element is <Settings>, expected <TrackMate>");

    write_text(dir / "broken.xml", "<TrackMate version=\"7.14.0\">\n  <Model>\n    <AllSpots>\n  </Model>\n</TrackMate>\n");
    const std::string broken = message(dir / "broken.xml");
    EXPECT_NE(broken.find("malformed XML at line 4, column"), std::string::npos) << broken;
    EXPECT_NE(broken.find("Start-end tags mismatch"), std::string::npos) << broken;

    write_text(dir / "empty.xml", "");
    EXPECT_NE(message(dir / "empty.xml").find("malformed XML"), std::string::npos) << message(dir / "empty.xml");

    EXPECT_NE(message(dir / "absent.xml").find("cannot open"), std::string::npos);

    write_text(dir / "nomodel.xml", "<TrackMate version=\"7.14.0\"><Log/></TrackMate>");
    EXPECT_NE(message(dir / "nomodel.xml").find("<Model> is missing"), std::string::npos);
    write_text(dir / "nospots.xml", "<TrackMate version=\"7.14.0\"><Model/></TrackMate>");
    EXPECT_NE(message(dir / "nospots.xml").find("<AllSpots> is missing"), std::string::npos);

    const std::string head = "<TrackMate version=\"7.14.0\"><Model><AllSpots><SpotsInFrame frame=\"0\">";
    const std::string tail = "</SpotsInFrame></AllSpots><AllTracks/><FilteredTracks/></Model></TrackMate>";
    write_text(dir / "nan.xml", head + "<Spot ID=\"1\" POSITION_X=\"nan\" POSITION_Y=\"1\"/>" + tail);
    EXPECT_NE(message(dir / "nan.xml").find("spot 1: POSITION_X=\"nan\" is not a number"), std::string::npos)
        << message(dir / "nan.xml");
    write_text(dir / "noid.xml", head + "<Spot POSITION_X=\"1\" POSITION_Y=\"1\"/>" + tail);
    EXPECT_NE(message(dir / "noid.xml").find("has no ID attribute"), std::string::npos);
    write_text(dir / "roi.xml", head + "<Spot ID=\"1\" POSITION_X=\"1\" POSITION_Y=\"1\" ROI_N_POINTS=\"3\">1 2 3 4 5</Spot>" + tail);
    EXPECT_NE(message(dir / "roi.xml").find("needs 6 coordinates, the text has 5"), std::string::npos);
    write_text(dir / "dup.xml", head + "<Spot ID=\"1\" POSITION_X=\"1\" POSITION_Y=\"1\"/><Spot ID=\"1\" POSITION_X=\"2\" POSITION_Y=\"1\"/>" + tail);
    EXPECT_NE(message(dir / "dup.xml").find("spot ID 1 appears twice"), std::string::npos);
    write_text(dir / "notrackid.xml",
               "<TrackMate version=\"7.14.0\"><Model><AllSpots/><AllTracks><Track name=\"x\"/></AllTracks></Model></TrackMate>");
    EXPECT_NE(message(dir / "notrackid.xml").find("a <Track> has no TRACK_ID attribute"), std::string::npos);
}

TEST(TrackMateReader, ToleratesWhatTrackMateSkips) {
    const fs::path p = tmp_dir("tolerant") / "t.xml";
    write_text(p,
               "<TrackMate version=\"7.14.0\"><Model spatialunits=\"pixel\" timeunits=\"sec\"><AllSpots>"
               "<SpotsInFrame frame=\"0\"><Spot ID=\"10\" POSITION_X=\"1\" POSITION_Y=\"2\" FRAME=\"0\"/>"
               "<Spot ID=\"11\" POSITION_X=\"5\" POSITION_Y=\"2\" FRAME=\"0\"/></SpotsInFrame>"
               "<SpotsInFrame frame=\"1\"><Spot ID=\"12\" POSITION_X=\"1\" POSITION_Y=\"3\"/></SpotsInFrame>"
               "</AllSpots><AllTracks><Track name=\"T\" TRACK_ID=\"5\">"
               "<Edge SPOT_SOURCE_ID=\"12\" SPOT_TARGET_ID=\"10\" LINK_COST=\"2\"/>"   // backwards: reoriented
               "<Edge SPOT_SOURCE_ID=\"10\" SPOT_TARGET_ID=\"12\"/>"                   // duplicate
               "<Edge SPOT_SOURCE_ID=\"10\" SPOT_TARGET_ID=\"11\"/>"                   // same frame
               "<Edge SPOT_SOURCE_ID=\"10\" SPOT_TARGET_ID=\"99\"/>"                   // unknown spot
               "</Track></AllTracks><FilteredTracks><TrackID TRACK_ID=\"5\"/><TrackID TRACK_ID=\"6\"/></FilteredTracks>"
               "</Model></TrackMate>");
    const TrackMateFile f = read_trackmate(p.string());
    ASSERT_EQ(f.tracks.spots().size(), 3u);
    EXPECT_EQ(f.tracks.spot(f.spot_id.at(12)).instance.frame, 1);  // from SpotsInFrame
    ASSERT_EQ(f.tracks.links().size(), 1u);
    EXPECT_EQ(f.tracks.links()[0].source, f.spot_id.at(10));
    EXPECT_EQ(f.tracks.links()[0].target, f.spot_id.at(12));
    EXPECT_EQ(f.tracks.links()[0].cost, 2);
    EXPECT_EQ(f.tracks.spot(f.spot_id.at(10)).track_id, 5);
    EXPECT_EQ(f.warnings.size(), 4u) << joined(f.warnings);
    EXPECT_EQ(f.image.calibration.time_unit, "sec");
    EXPECT_EQ(f.image.calibration.frame_interval, 1);  // no ImageData: 1 time unit per frame
}

// ---------------------------------------------------------------- TrackMate's own files

namespace {
fs::path need(const fs::path& p) { return fs::exists(p) ? p : fs::path(); }
}  // namespace

#define NEED_DATA(var, rel)                                                                        \
    const fs::path var = need(trackmate_data() / (rel));                                           \
    if (var.empty()) GTEST_SKIP() << "reference data not found: " << trackmate_data() / (rel) \
                                  << " (set NATIVESEG_SHARED_DATA)"

TEST(TrackMateReference, FakeTracks760) {
    NEED_DATA(p, "xml-only/rharkes_pyTrackMateXML__FakeTracks_v7.6.0_tracks.xml");
    const TrackMateFile f = read_trackmate(p.string());
    EXPECT_TRUE(f.warnings.empty()) << joined(f.warnings);
    EXPECT_EQ(f.version, "7.6.0");
    EXPECT_EQ(f.tracks.spots().size(), 84u);
    EXPECT_EQ(f.tracks.links().size(), 82u);
    ASSERT_EQ(f.track_list.size(), 2u);
    EXPECT_EQ(f.image.nframes, 50);
    EXPECT_EQ(f.image.calibration.time_unit, "sec");
    EXPECT_EQ(f.tracker, "SPARSE_LAP_TRACKER");
    std::map<std::string, std::int64_t> id_of;
    for (const auto& t : f.track_list) id_of[t.name] = t.id;
    ASSERT_TRUE(id_of.count("Track_16") && id_of.count("Track_17"));
    int splits16 = 0, spots16 = 0, gaps17 = 0, spots17 = 0;
    for (const Spot& s : f.tracks.spots()) {
        if (s.track_id == id_of["Track_16"]) {
            ++spots16;
            if (f.tracks.successors(s.id).size() == 2) ++splits16;
        }
        if (s.track_id == id_of["Track_17"]) ++spots17;
    }
    for (const Link& l : f.tracks.links())
        if (f.tracks.spot(l.source).track_id == id_of["Track_17"] &&
            f.tracks.spot(l.target).instance.frame - f.tracks.spot(l.source).instance.frame == 2)
            ++gaps17;
    EXPECT_EQ(spots16, 74);
    EXPECT_EQ(splits16, 2);
    EXPECT_EQ(spots17, 10);
    EXPECT_EQ(gaps17, 1);
    EXPECT_EQ(f.filtered_tracks.size(), 2u);
    // The checker passes TrackMate's own file (its edges are forward, its features declared).
    const auto violations = test::trackmate_rule_violations(p.string(), {false});
    EXPECT_TRUE(violations.empty()) << joined(violations);
}

// Our edge and track features against the values TrackMate 7.6.0 computed for the same
// tracks: read the file, write it again, compare feature by feature.
TEST(TrackMateReference, OurTrackFeaturesEqualTrackMates) {
    NEED_DATA(p, "xml-only/rharkes_pyTrackMateXML__FakeTracks_v7.6.0_tracks.xml");
    const TrackMateFile f = read_trackmate(p.string());
    TrackMateWriteOptions o;
    o.image = f.image;
    const fs::path out = tmp_dir("features760") / "again.xml";
    write_trackmate(out.string(), f.tracks, o);
    EXPECT_LOADABLE(out);

    pugi::xml_document theirs, ours;
    ASSERT_TRUE(theirs.load_file(p.c_str()));
    ASSERT_TRUE(ours.load_file(out.c_str()));
    // Edges by (source, target) in our ids.
    std::map<std::pair<std::int64_t, std::int64_t>, pugi::xml_node> our_edges;
    for (auto x : ours.select_nodes("//Edge"))
        our_edges[{x.node().attribute("SPOT_SOURCE_ID").as_llong(), x.node().attribute("SPOT_TARGET_ID").as_llong()}] = x.node();
    int compared = 0;
    for (auto x : theirs.select_nodes("//Edge")) {
        const pugi::xml_node e = x.node();
        const auto key = std::make_pair(f.spot_id.at(e.attribute("SPOT_SOURCE_ID").as_llong()),
                                        f.spot_id.at(e.attribute("SPOT_TARGET_ID").as_llong()));
        ASSERT_TRUE(our_edges.count(key));
        for (const char* feat : {"LINK_COST", "SPEED", "DISPLACEMENT", "EDGE_TIME", "EDGE_X_LOCATION", "EDGE_Y_LOCATION",
                                 "EDGE_Z_LOCATION"}) {
            EXPECT_NEAR(our_edges[key].attribute(feat).as_double(), e.attribute(feat).as_double(), 1e-9) << feat;
            ++compared;
        }
    }
    EXPECT_EQ(compared, 82 * 7);
    // Tracks by their number of spots (74 and 10).
    std::map<long long, pugi::xml_node> our_tracks, their_tracks;
    for (auto x : ours.select_nodes("//Track")) our_tracks[x.node().attribute("NUMBER_SPOTS").as_llong()] = x.node();
    for (auto x : theirs.select_nodes("//Track")) their_tracks[x.node().attribute("NUMBER_SPOTS").as_llong()] = x.node();
    ASSERT_EQ(our_tracks.size(), 2u);
    for (const auto& [n, t] : their_tracks) {
        ASSERT_TRUE(our_tracks.count(n));
        for (const char* feat : {"NUMBER_GAPS", "NUMBER_SPLITS", "NUMBER_MERGES", "NUMBER_COMPLEX", "LONGEST_GAP",
                                 "TRACK_DURATION", "TRACK_START", "TRACK_STOP", "TRACK_DISPLACEMENT", "TRACK_X_LOCATION",
                                 "TRACK_Y_LOCATION", "TRACK_Z_LOCATION", "TRACK_MEAN_SPEED", "TRACK_MAX_SPEED",
                                 "TRACK_MIN_SPEED", "TRACK_MEDIAN_SPEED", "TRACK_STD_SPEED"})
            EXPECT_NEAR(our_tracks[n].attribute(feat).as_double(), t.attribute(feat).as_double(), 1e-9)
                << "track of " << n << " spots, " << feat;
    }
}

TEST(TrackMateReference, LabelImageXml) {
    NEED_DATA(p, "labelimage-v7/LabelImage.xml");
    const TrackMateFile f = read_trackmate(p.string());
    EXPECT_TRUE(f.warnings.empty()) << joined(f.warnings);
    EXPECT_EQ(f.tracks.spots().size(), 469u);
    EXPECT_TRUE(f.tracks.links().empty());
    EXPECT_EQ(f.detector, "LABEL_IMAGE_DETECTOR");
    EXPECT_EQ(f.image.width, 1024);
    for (const Spot& s : f.tracks.spots()) {
        ASSERT_GE(s.instance.outline.size(), 4u);
        // TrackMate's QUALITY is the polygon area in pixels: the ROI we read gives it back.
        EXPECT_NEAR(s.instance.polygon_area, f.quality[static_cast<std::size_t>(s.id)], 1e-6);
    }
    const auto violations = test::trackmate_rule_violations(p.string(), {false});
    EXPECT_TRUE(violations.empty()) << joined(violations);
}

// Our export of LabelImage.tif: loadable, and the same spots as TrackMate's own XML.
TEST(TrackMateReference, OurExportOfLabelImageMatchesTrackMates) {
    NEED_DATA(tif, "labelimage-v7/LabelImage.tif");
    NEED_DATA(xml, "labelimage-v7/LabelImage.xml");
    const Image image = read_tiff(tif.string());
    TrackSet set;
    for (const Instance& i : instances_from_labels(image.plane_mat(0), 0)) set.add_spot(i);
    TrackMateWriteOptions o;
    o.image.filename = "LabelImage.tif";
    o.image.width = 1024;
    o.image.height = 1024;
    o.image.nframes = 1;
    o.intensity_features = false;
    const fs::path out = tmp_dir("labelimage") / "LabelImage.xml";
    write_trackmate(out.string(), set, o);
    EXPECT_LOADABLE(out);

    const TrackMateFile ours = read_trackmate(out.string());
    const TrackMateFile theirs = read_trackmate(xml.string());
    EXPECT_EQ(ours.tracks.spots().size(), 470u);  // TrackMate's quality filter dropped one of them
    double worst = 0;
    for (const Spot& t : theirs.tracks.spots()) {
        const Spot* best = nullptr;
        double d = 1e300;
        for (const Spot& s : ours.tracks.spots()) {
            const double e = std::hypot(s.instance.polygon_cx - t.instance.polygon_cx, s.instance.polygon_cy - t.instance.polygon_cy);
            if (e < d) d = e, best = &s;
        }
        ASSERT_NE(best, nullptr);
        worst = std::max(worst, d);
        ASSERT_EQ(best->instance.outline.size(), t.instance.outline.size());
        for (std::size_t k = 0; k < t.instance.outline.size(); ++k)
            worst = std::max(worst, cv::norm(best->instance.outline[k] - t.instance.outline[k]));
        EXPECT_NEAR(ours.radius[static_cast<std::size_t>(best->id)], theirs.radius[static_cast<std::size_t>(t.id)], 1e-9);
    }
    EXPECT_LT(worst, 1e-9);
}

TEST(TrackMateReference, FakeTracksVersion3) {
    NEED_DATA(p1, "faketracks-v3/FakeTracks_example1_DoG_LAP.xml");
    NEED_DATA(p2, "faketracks-v3/FakeTracks_example2_DoG_simpleLAP.xml");
    NEED_DATA(legacy, "xml-only/CellMigStandOrg_biotracks__FakeTracks_v3.4.2_legacy.xml");
    const TrackMateFile a = read_trackmate(p1.string());
    EXPECT_EQ(a.version, "3.4.2");
    EXPECT_EQ(a.tracks.spots().size(), 243u);
    EXPECT_EQ(a.track_list.size(), 4u);
    EXPECT_EQ(a.tracks.links().size(), 230u);
    EXPECT_TRUE(a.warnings.empty()) << joined(a.warnings);
    EXPECT_GT(a.tracks.spots()[0].instance.mean_intensity, 0);  // 3.x MEAN_INTENSITY
    const TrackMateFile b = read_trackmate(p2.string());
    EXPECT_EQ(b.tracks.spots().size(), 133u);
    EXPECT_EQ(b.track_list.size(), 5u);
    EXPECT_EQ(b.tracks.links().size(), 128u);
    EXPECT_EQ(b.tracker, "SIMPLE_SPARSE_LAP_TRACKER");
    const TrackMateFile c = read_trackmate(legacy.string());
    EXPECT_EQ(c.tracks.spots().size(), 133u);
    EXPECT_EQ(c.track_list.size(), 5u);
}
