// Track files (read/write, malformed input) and the CTC validity rules.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "nativeseg/ctc.h"
#include "nativeseg/error.h"

namespace fs = std::filesystem;
using namespace nativeseg;

namespace {

std::string tmp_path(const std::string& name) {
    const fs::path dir = fs::path(NATIVESEG_TEST_TMP) / "ctc";
    fs::create_directories(dir);
    return (dir / name).string();
}

std::string write_text(const std::string& name, const std::string& text) {
    const std::string path = tmp_path(name);
    std::ofstream(path) << text;
    return path;
}

// The message of the Error that reading `text` throws ("" when it reads fine).
std::string read_error(const std::string& name, const std::string& text) {
    const std::string path = write_text(name, text);
    try {
        read_ctc_tracks(path);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A valid lineage over 6 frames: 1 divides into 2 and 3 after frame 2; 4 lives throughout.
std::vector<CtcTrack> lineage() {
    return {{1, 0, 2, 0}, {2, 3, 5, 1}, {3, 3, 4, 1}, {4, 0, 5, 0}};
}
std::vector<std::vector<std::uint32_t>> lineage_frames() {
    return {{1, 4}, {4, 1}, {1, 4}, {2, 3, 4}, {2, 3, 4}, {2, 4}};
}

// The one message ctc_validate gives for a broken case, checked to mention `part`.
void expect_one_problem(const std::vector<CtcTrack>& tracks, const std::vector<std::vector<std::uint32_t>>& frames,
                        const std::string& part) {
    const std::vector<std::string> problems = ctc_validate(tracks, frames);
    ASSERT_EQ(problems.size(), 1u) << (problems.empty() ? "no problem reported" : problems[0]);
    EXPECT_TRUE(contains(problems[0], part)) << problems[0];
}

}  // namespace

TEST(Ctc, WriteReadRoundTripSortsByLabel) {
    const std::vector<CtcTrack> tracks = {{7, 3, 9, 2}, {2, 0, 2, 0}, {65535, 10, 10, 0}, {70000, 1, 4, 0}};
    const std::string path = tmp_path("round_trip.txt");
    write_ctc_tracks(path, tracks);
    std::ifstream in(path);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, "2 0 2 0\n7 3 9 2\n65535 10 10 0\n70000 1 4 0\n");
    const std::vector<CtcTrack> back = read_ctc_tracks(path);
    ASSERT_EQ(back.size(), 4u);
    EXPECT_EQ(back[0], (CtcTrack{2, 0, 2, 0}));
    EXPECT_EQ(back[1], (CtcTrack{7, 3, 9, 2}));
    EXPECT_EQ(back[3], (CtcTrack{70000, 1, 4, 0}));
}

TEST(Ctc, WriteLeavesNoTemporaryFile) {
    const fs::path dir = fs::path(tmp_path("atomic"));
    fs::remove_all(dir);
    fs::create_directories(dir);
    write_ctc_tracks((dir / "res_track.txt").string(), lineage());
    int files = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        ++files;
        EXPECT_EQ(e.path().filename(), "res_track.txt");
    }
    EXPECT_EQ(files, 1);
}

TEST(Ctc, WriteToMissingFolderNamesIt) {
    try {
        write_ctc_tracks(tmp_path("no/such/folder/res_track.txt"), lineage());
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_TRUE(contains(e.what(), "no/such/folder")) << e.what();
    }
}

TEST(Ctc, ReadsAnyWhitespaceAndBlankLines) {
    const std::string path = write_text("spaces.txt", "1 0 4 0\r\n2\t5\t9\t1\n\n   3  5 7   1  \n\n");
    const std::vector<CtcTrack> t = read_ctc_tracks(path);
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t[0], (CtcTrack{1, 0, 4, 0}));
    EXPECT_EQ(t[1], (CtcTrack{2, 5, 9, 1}));
    EXPECT_EQ(t[2], (CtcTrack{3, 5, 7, 1}));
}

TEST(Ctc, EmptyFileReadsAsNoTracks) {
    EXPECT_TRUE(read_ctc_tracks(write_text("empty.txt", "")).empty());
}

TEST(Ctc, MissingFileIsNamed) {
    try {
        read_ctc_tracks(tmp_path("missing_track.txt"));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_TRUE(contains(e.what(), "missing_track.txt")) << e.what();
    }
}

TEST(Ctc, MalformedLinesNameFileAndLine) {
    struct Case {
        const char* name;
        const char* text;
        const char* line;
        const char* what;
    };
    const Case cases[] = {
        {"three_fields.txt", "1 0 4 0\n2 0 4\n", "line 2", "expected 4 integers"},
        {"five_fields.txt", "1 0 4 0 0\n", "line 1", "expected 4 integers"},
        {"word.txt", "1 0 4 0\n2 0 4 0\n3 a 4 0\n", "line 3", "'a' is not an integer"},
        {"decimal.txt", "1 0 4.5 0\n", "line 1", "not an integer"},
        {"negative.txt", "1 0 4 0\n\n2 -1 4 0\n", "line 3", "negative"},
        {"negative_parent.txt", "1 0 4 -2\n", "line 1", "negative"},
        {"duplicate.txt", "1 0 4 0\n2 0 1 0\n1 5 6 0\n", "line 3", "duplicate label 1 (already declared on line 1)"},
        {"begin_after_end.txt", "1 0 4 0\n2 6 5 1\n", "line 2", "begins at frame 6 after it ends at frame 5"},
        {"zero_label.txt", "0 0 4 0\n", "line 1", "label 0"},
    };
    for (const Case& c : cases) {
        const std::string message = read_error(c.name, c.text);
        EXPECT_TRUE(contains(message, c.name)) << c.name << ": " << message;
        EXPECT_TRUE(contains(message, c.line)) << c.name << ": " << message;
        EXPECT_TRUE(contains(message, c.what)) << c.name << ": " << message;
    }
}

TEST(Ctc, ValidLineageHasNoProblems) {
    EXPECT_TRUE(ctc_validate(lineage(), lineage_frames()).empty());
}

TEST(Ctc, HoleInTrackIsReported) {
    auto frames = lineage_frames();
    frames[1] = {4};  // track 1 missing in frame 1
    expect_one_problem(lineage(), frames, "track 1: label missing in frame(s) 1");
}

TEST(Ctc, LabelOutsideItsFramesIsReported) {
    auto frames = lineage_frames();
    frames[5].push_back(3);  // track 3 ends at 4
    expect_one_problem(lineage(), frames, "track 3: label found in frame(s) 5 outside its frames 3..4");
}

TEST(Ctc, DuplicateLabelIsReported) {
    auto tracks = lineage();
    tracks.push_back({4, 0, 5, 0});
    expect_one_problem(tracks, lineage_frames(), "label 4 is declared more than once");
}

TEST(Ctc, BeginAfterEndIsReported) {
    auto tracks = lineage();
    auto frames = lineage_frames();
    tracks.push_back({9, 4, 3, 0});
    expect_one_problem(tracks, frames, "track 9: begins at frame 4 after it ends at frame 3");
}

TEST(Ctc, FramesOutsideTheSequenceAreReported) {
    auto tracks = lineage();
    tracks[3].end = 6;  // the sequence has frames 0..5
    expect_one_problem(tracks, lineage_frames(), "track 4: frames 0..6 lie outside the sequence (0..5)");
}

TEST(Ctc, UnknownParentIsReported) {
    auto tracks = lineage();
    tracks[1].parent = 8;
    expect_one_problem(tracks, lineage_frames(), "track 2: parent 8 is not a declared track");
}

TEST(Ctc, ParentEndingTooLateIsReported) {
    auto tracks = lineage();
    tracks[2].parent = 4;  // 4 ends at 5, after 3 begins at 3
    expect_one_problem(tracks, lineage_frames(), "track 3: parent 4 ends at frame 5, not before the child's first frame 3");
}

TEST(Ctc, ParentEndingOnTheChildsFirstFrameIsReported) {
    // E_parent < B_child is strict.
    const std::vector<CtcTrack> tracks = {{1, 0, 2, 0}, {2, 2, 3, 1}};
    const std::vector<std::vector<std::uint32_t>> frames = {{1}, {1}, {1, 2}, {2}};
    expect_one_problem(tracks, frames, "parent 1 ends at frame 2");
}

TEST(Ctc, UndeclaredLabelIsReported) {
    auto frames = lineage_frames();
    frames[2].push_back(12);
    frames[3].push_back(12);
    expect_one_problem(lineage(), frames, "label 12 found in frame(s) 2-3 is not declared");
}

TEST(Ctc, EmptyResultIsFlagged) {
    const std::vector<std::vector<std::uint32_t>> frames(3);
    const auto problems = ctc_validate({}, frames);
    ASSERT_FALSE(problems.empty());
    bool flagged = false;
    for (const auto& p : problems) flagged = flagged || contains(p, "empty result");
    EXPECT_TRUE(flagged);
}

TEST(Ctc, UnsortedFrameLabelsAreAccepted) {
    auto frames = lineage_frames();
    for (auto& f : frames) std::reverse(f.begin(), f.end());
    EXPECT_TRUE(ctc_validate(lineage(), frames).empty());
}

TEST(Ctc, EveryBrokenRuleGivesItsOwnMessage) {
    auto tracks = lineage();
    auto frames = lineage_frames();
    tracks[1].parent = 8;      // unknown parent
    frames[4] = {3, 4};        // track 2 missing in frame 4
    frames[0].push_back(20);   // undeclared label
    EXPECT_EQ(ctc_validate(tracks, frames).size(), 3u);
}

template <typename T>
std::vector<std::uint32_t> labels_of(DType dtype, std::vector<T> values) {
    Image img(Shape{1, 1, 1, 2, static_cast<std::int64_t>(values.size() / 2)}, dtype);
    std::copy(values.begin(), values.end(), img.data<T>());
    return labels_in_plane(img);
}

TEST(Ctc, LabelsInPlaneForEveryIntegerType) {
    const std::vector<std::uint32_t> expect = {1, 3, 7};
    EXPECT_EQ(labels_of<std::uint8_t>(DType::U8, {0, 3, 3, 1, 7, 0, 1, 3}), expect);
    EXPECT_EQ(labels_of<std::uint16_t>(DType::U16, {0, 3, 3, 1, 7, 0, 1, 3}), expect);
    EXPECT_EQ(labels_of<std::int16_t>(DType::I16, {0, 3, 3, 1, 7, 0, 1, 3}), expect);
    EXPECT_EQ(labels_of<std::int32_t>(DType::I32, {0, 3, 3, 1, 7, 0, 1, 3}), expect);
    EXPECT_EQ(labels_of<std::uint32_t>(DType::U32, {0, 70000, 70000, 1, 7, 0, 1, 4000000000u}),
              (std::vector<std::uint32_t>{1, 7, 70000, 4000000000u}));
    EXPECT_EQ(labels_of<std::uint16_t>(DType::U16, {0, 0, 0, 0}), std::vector<std::uint32_t>{});
    EXPECT_EQ(labels_of<std::uint16_t>(DType::U16, {65535, 0}), std::vector<std::uint32_t>{65535});
}

TEST(Ctc, LabelsInPlaneRejectsFloatAndNegative) {
    Image f(Shape{1, 1, 1, 2, 2}, DType::F32);
    EXPECT_THROW(labels_in_plane(f), Error);
    EXPECT_THROW(labels_of<std::int16_t>(DType::I16, {0, 2, -1, 2}), Error);
}

TEST(Ctc, FrameNames) {
    EXPECT_EQ(ctc_frame_name("man_track", 7, 92), "man_track007.tif");
    EXPECT_EQ(ctc_frame_name("mask", 0, 1), "mask000.tif");
    EXPECT_EQ(ctc_frame_name("t", 999, 1000), "t999.tif");
    EXPECT_EQ(ctc_frame_name("t", 7, 1001), "t0007.tif");
    EXPECT_EQ(ctc_frame_name("t", 1000, 1001), "t1000.tif");
    EXPECT_THROW(ctc_frame_name("t", -1, 10), Error);
}
