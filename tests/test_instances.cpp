// Instances: connected components, outlines traced as TrackMate traces them, features; and the
// reference check against TrackMate's own spots for LabelImage.tif (skipped without the data).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <pugixml.hpp>

#include "nativeseg/error.h"
#include "nativeseg/instances.h"
#include "nativeseg/tiff_io.h"

using namespace nativeseg;
namespace fs = std::filesystem;

namespace {

using Poly = std::vector<cv::Point2d>;

// A label image from a picture: '.' is 0, a digit or letter its value (letters from 10).
cv::Mat picture(std::initializer_list<const char*> rows, int type = CV_32S) {
    const int h = static_cast<int>(rows.size());
    const int w = static_cast<int>(std::strlen(*rows.begin()));
    cv::Mat m(h, w, CV_32S, cv::Scalar(0));
    int y = 0;
    for (const char* r : rows) {
        for (int x = 0; x < w; ++x) {
            const char c = r[x];
            m.at<int>(y, x) = c == '.' ? 0 : std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : c - 'a' + 10;
        }
        ++y;
    }
    cv::Mat out;
    m.convertTo(out, type);
    return out;
}

cv::Mat binary(const cv::Mat& labels) {
    cv::Mat b;
    cv::compare(labels, 0, b, cv::CMP_GT);
    return b;
}

// Corner coordinates (integers) shifted by TrackMate's -0.5.
Poly corners(std::initializer_list<std::pair<int, int>> pts) {
    Poly p;
    for (auto [x, y] : pts) p.emplace_back(x - 0.5, y - 0.5);
    return p;
}

std::string str(const Poly& p) {
    std::ostringstream os;
    for (const auto& v : p) os << "(" << v.x << "," << v.y << ") ";
    return os.str();
}

fs::path trackmate_data() {
    if (const char* env = std::getenv("NATIVESEG_SHARED_DATA")) return fs::path(env) / "trackmate";
    return fs::path(NATIVESEG_SOURCE_DIR) / ".." / "shared" / "data" / "trackmate";
}

}  // namespace

// ---------------------------------------------------------------- label_mask

TEST(InstanceLabelMask, RemovesSmallComponentsAndKeepsNumbering) {
    const cv::Mat m = binary(picture({
        "11..2.",
        "11....",
        "......",
        "..33..",
        "..33..",
    }));
    InstanceParams p;
    p.min_size = 2;
    const cv::Mat kept = label_mask(m, p, false);
    ASSERT_EQ(kept.type(), CV_32S);
    // OpenCV numbers components in scan order: 1 (top-left), 2 (single pixel), 3 (bottom).
    EXPECT_EQ(kept.at<int>(0, 0), 1);
    EXPECT_EQ(kept.at<int>(0, 4), 0);  // 1 pixel < 2: removed
    EXPECT_EQ(kept.at<int>(3, 2), 3);  // not renumbered: a gap at 2, as the reference does
    const cv::Mat renumbered = label_mask(m, p, true);
    EXPECT_EQ(renumbered.at<int>(0, 0), 1);
    EXPECT_EQ(renumbered.at<int>(3, 2), 2);
    double mx = 0;
    cv::minMaxLoc(renumbered, nullptr, &mx);
    EXPECT_EQ(mx, 2);
}

TEST(InstanceLabelMask, MinSizeIsStrict) {
    const cv::Mat m = binary(picture({"111.", "....", ".11."}));
    InstanceParams p;
    p.min_size = 3;  // "fewer than min_size pixels are removed": 3 stays, 2 goes
    const cv::Mat l = label_mask(m, p, true);
    EXPECT_EQ(l.at<int>(0, 0), 1);
    EXPECT_EQ(l.at<int>(2, 1), 0);
}

TEST(InstanceLabelMask, Connectivity) {
    const cv::Mat m = binary(picture({"1..", ".1.", "..1"}));
    InstanceParams p;
    p.min_size = 1;
    p.connectivity = 8;
    EXPECT_EQ(label_mask(m, p, true).at<int>(2, 2), 1);  // one diagonal component
    p.connectivity = 4;
    EXPECT_EQ(label_mask(m, p, true).at<int>(2, 2), 3);  // three components
    p.connectivity = 6;
    EXPECT_THROW(label_mask(m, p, true), Error);
    EXPECT_THROW(label_mask(cv::Mat(3, 3, CV_32F, cv::Scalar(1)), InstanceParams{}, true), Error);
}

// ---------------------------------------------------------------- trace_outline

TEST(Outline, SquareStartsAtLowerRightCornerAndGoesUp) {
    cv::Mat m = binary(picture({".....", ".111.", ".111.", ".111.", "....."}));
    const Poly p = trace_outline(m);
    EXPECT_EQ(p, corners({{4, 4}, {4, 1}, {1, 1}, {1, 4}})) << str(p);  // collinear corners dropped
    EXPECT_DOUBLE_EQ(polygon_area(p), 9);
    EXPECT_EQ(polygon_centroid(p), cv::Point2d(2, 2));  // pixel centres at integers
}

TEST(Outline, SinglePixelAndOffset) {
    cv::Mat m = binary(picture({"1"}));
    EXPECT_EQ(trace_outline(m, {10, 20}), corners({{11, 21}, {11, 20}, {10, 20}, {10, 21}}));
    EXPECT_EQ(polygon_centroid(trace_outline(m, {10, 20})), cv::Point2d(10, 20));
}

TEST(Outline, LShape) {
    cv::Mat m = binary(picture({
        ".....",
        ".1...",
        ".1...",
        ".111.",
    }));
    const Poly p = trace_outline(m);
    EXPECT_EQ(p, corners({{4, 4}, {4, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 4}})) << str(p);
    EXPECT_DOUBLE_EQ(polygon_area(p), 5);
}

TEST(Outline, HoleIsIgnored) {
    cv::Mat m = binary(picture({"11111", "11111", "11.11", "11111", "11111"}));
    const Poly p = trace_outline(m);
    EXPECT_EQ(p, corners({{5, 5}, {5, 0}, {0, 0}, {0, 5}})) << str(p);
    EXPECT_DOUBLE_EQ(polygon_area(p), 25);  // the outer outline's area, not the 24 pixels
}

// Two pixels touching at a corner are one outline that passes the shared corner twice, as
// TrackMate's maskToPolygons (ImageJ's ThresholdToSelection) gives it, in both orientations.
TEST(Outline, DiagonalPixelsOneOutline) {
    const Poly a = trace_outline(binary(picture({"1.", ".1"})));
    EXPECT_EQ(a, corners({{2, 2}, {2, 1}, {1, 1}, {1, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 2}})) << str(a);
    EXPECT_DOUBLE_EQ(polygon_area(a), 2);
    const Poly b = trace_outline(binary(picture({".1", "1."})));
    EXPECT_EQ(b, corners({{1, 2}, {1, 1}, {2, 1}, {2, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 2}})) << str(b);
    EXPECT_DOUBLE_EQ(polygon_area(b), 2);
}

// A hole that touches the outside only at a corner stays a hole (the foreground is
// 8-connected, the background 4-connected), so it is ignored like any hole.
TEST(Outline, HoleOpenAtACornerIsStillAHole) {
    const Poly p = trace_outline(binary(picture({"111", "1.1", "11."})));
    EXPECT_EQ(p, corners({{2, 3}, {2, 2}, {3, 2}, {3, 0}, {0, 0}, {0, 3}})) << str(p);
    EXPECT_DOUBLE_EQ(polygon_area(p), 8);
}

TEST(Outline, EmptyAndWrongType) {
    EXPECT_TRUE(trace_outline(cv::Mat()).empty());
    EXPECT_TRUE(trace_outline(cv::Mat(3, 3, CV_8U, cv::Scalar(0))).empty());
    EXPECT_THROW(trace_outline(cv::Mat(3, 3, CV_16U, cv::Scalar(1))), Error);
}

TEST(Outline, PolygonHelpers) {
    const Poly tri{{0, 0}, {4, 0}, {0, 3}};
    EXPECT_DOUBLE_EQ(polygon_area(tri), 6);
    const cv::Point2d c = polygon_centroid(tri);
    EXPECT_DOUBLE_EQ(c.x, 4.0 / 3);
    EXPECT_DOUBLE_EQ(c.y, 1.0);
    Poly reversed(tri.rbegin(), tri.rend());
    EXPECT_DOUBLE_EQ(polygon_area(reversed), 6);  // orientation does not matter
    EXPECT_DOUBLE_EQ(polygon_centroid(reversed).x, 4.0 / 3);
    EXPECT_EQ(polygon_area({{0, 0}, {1, 1}}), 0);
    EXPECT_EQ(polygon_centroid({{0, 0}, {2, 2}}), cv::Point2d(1, 1));  // degenerate: vertex mean
}

// ---------------------------------------------------------------- instances_from_labels

TEST(Instances, FeaturesOfSquareAndLShape) {
    const cv::Mat labels = picture({
        "......",
        ".22...",
        ".22.5.",
        "....5.",
        "....55",
    });
    cv::Mat raw(labels.size(), CV_32F);
    for (int y = 0; y < raw.rows; ++y)
        for (int x = 0; x < raw.cols; ++x) raw.at<float>(y, x) = static_cast<float>(10 * y + x);
    const auto in = instances_from_labels(labels, 7, raw);
    ASSERT_EQ(in.size(), 2u);
    const Instance& sq = in[0];
    EXPECT_EQ(sq.label, 2u);
    EXPECT_EQ(sq.frame, 7);
    EXPECT_EQ(sq.pixel_count, 4);
    EXPECT_DOUBLE_EQ(sq.centroid_x, 1.5);
    EXPECT_DOUBLE_EQ(sq.centroid_y, 1.5);
    EXPECT_EQ(sq.bbox, cv::Rect(1, 1, 2, 2));
    EXPECT_EQ(sq.outline, corners({{3, 3}, {3, 1}, {1, 1}, {1, 3}}));
    EXPECT_DOUBLE_EQ(sq.polygon_area, 4);
    EXPECT_DOUBLE_EQ(sq.polygon_cx, 1.5);
    EXPECT_DOUBLE_EQ(sq.polygon_cy, 1.5);
    EXPECT_DOUBLE_EQ(sq.mean_intensity, (11 + 12 + 21 + 22) / 4.0);
    EXPECT_DOUBLE_EQ(sq.max_intensity, 22);

    const Instance& l = in[1];
    EXPECT_EQ(l.label, 5u);
    EXPECT_EQ(l.pixel_count, 4);
    EXPECT_EQ(l.bbox, cv::Rect(4, 2, 2, 3));
    EXPECT_EQ(l.outline, corners({{6, 5}, {6, 4}, {5, 4}, {5, 2}, {4, 2}, {4, 5}})) << str(l.outline);
    EXPECT_DOUBLE_EQ(l.polygon_area, 4);
    // For a traced outline without holes the polygon centroid is the pixel centroid.
    EXPECT_NEAR(l.polygon_cx, l.centroid_x, 1e-12);
    EXPECT_NEAR(l.polygon_cy, l.centroid_y, 1e-12);
    EXPECT_DOUBLE_EQ(l.max_intensity, 45);
}

TEST(Instances, LabelInTwoPartsGivesTwoInstances) {
    const auto in = instances_from_labels(picture({
        "33....",
        "33....",
        "......",
        "....33",
    }), 0);
    ASSERT_EQ(in.size(), 2u);
    EXPECT_EQ(in[0].label, 3u);
    EXPECT_EQ(in[1].label, 3u);
    EXPECT_EQ(in[0].pixel_count, 4);
    EXPECT_EQ(in[1].pixel_count, 2);
    EXPECT_EQ(in[1].bbox, cv::Rect(4, 3, 2, 1));
    EXPECT_DOUBLE_EQ(in[1].polygon_area, 2);
}

TEST(Instances, CornerTouchingSameLabelIsOnePart) {
    const auto in = instances_from_labels(picture({"4.", ".4"}), 0);
    ASSERT_EQ(in.size(), 1u);
    EXPECT_EQ(in[0].pixel_count, 2);
    EXPECT_EQ(in[0].outline.size(), 8u);
}

TEST(Instances, CornerTouchingDifferentLabelsAreTwoInstances) {
    const auto in = instances_from_labels(picture({"1.", ".2"}), 0);
    ASSERT_EQ(in.size(), 2u);
    EXPECT_EQ(in[0].outline, corners({{1, 1}, {1, 0}, {0, 0}, {0, 1}}));
    EXPECT_EQ(in[1].outline, corners({{2, 2}, {2, 1}, {1, 1}, {1, 2}}));
}

TEST(Instances, TouchingLabelsKeepTheirOwnOutlines) {
    const auto in = instances_from_labels(picture({"1122", "1122"}), 0);
    ASSERT_EQ(in.size(), 2u);
    EXPECT_DOUBLE_EQ(in[0].polygon_area, 4);
    EXPECT_DOUBLE_EQ(in[1].polygon_area, 4);
    EXPECT_DOUBLE_EQ(in[1].polygon_cx, 2.5);
}

TEST(Instances, HoleKeepsPixelCountButNotPolygonArea) {
    const auto in = instances_from_labels(picture({"111", "1.1", "111"}), 0);
    ASSERT_EQ(in.size(), 1u);
    EXPECT_EQ(in[0].pixel_count, 8);
    EXPECT_DOUBLE_EQ(in[0].polygon_area, 9);
}

TEST(Instances, SameResultForEveryLabelType) {
    const auto rows = {"..12", "3312", "....", "a.bb"};
    const auto ref = instances_from_labels(picture(rows, CV_32S), 0);
    for (int type : {CV_8U, CV_16U}) {
        const auto in = instances_from_labels(picture(rows, type), 0);
        ASSERT_EQ(in.size(), ref.size());
        for (std::size_t i = 0; i < in.size(); ++i) {
            EXPECT_EQ(in[i].label, ref[i].label);
            EXPECT_EQ(in[i].outline, ref[i].outline);
        }
    }
    EXPECT_EQ(ref.size(), 5u);
    EXPECT_EQ(ref.back().label, 11u);
}

TEST(Instances, NegativeLabelsAndLargeLabelValues) {
    cv::Mat l(3, 3, CV_32S, cv::Scalar(0));
    l.at<int>(0, 0) = -5;  // not an object
    l.at<int>(2, 2) = 2000000000;  // sparse label values use the hash-map path
    const auto in = instances_from_labels(l, 0);
    ASSERT_EQ(in.size(), 1u);
    EXPECT_EQ(in[0].label, 2000000000u);
    EXPECT_EQ(in[0].bbox, cv::Rect(2, 2, 1, 1));
}

TEST(Instances, BadInputs) {
    EXPECT_TRUE(instances_from_labels(cv::Mat(), 0).empty());
    EXPECT_TRUE(instances_from_labels(cv::Mat(4, 4, CV_16U, cv::Scalar(0)), 0).empty());
    EXPECT_THROW(instances_from_labels(cv::Mat(4, 4, CV_32F, cv::Scalar(1)), 0), Error);
    EXPECT_THROW(instances_from_labels(cv::Mat(4, 4, CV_8UC3, cv::Scalar(1, 1, 1)), 0), Error);
    EXPECT_THROW(instances_from_labels(cv::Mat(4, 4, CV_8U, cv::Scalar(1)), 0, cv::Mat(3, 4, CV_8U)), Error);
}

// Random label noise: the parts agree with OpenCV's 8-connected components of each label,
// and every outline encloses exactly the part plus its holes (background 4-connected), which
// an independent flood fill measures.
TEST(Instances, RandomLabelsAgreeWithOpenCvComponentsAndHoleFilling) {
    cv::RNG rng(12345);
    for (int trial = 0; trial < 40; ++trial) {
        cv::Mat labels(37, 41, CV_16U);
        for (int y = 0; y < labels.rows; ++y)
            for (int x = 0; x < labels.cols; ++x)
                labels.at<std::uint16_t>(y, x) = rng.uniform(0.0, 1.0) < 0.45 ? 0 : static_cast<std::uint16_t>(rng.uniform(1, 4));
        cv::Mat raw(labels.size(), CV_8U);
        rng.fill(raw, cv::RNG::UNIFORM, 0, 256);
        const auto in = instances_from_labels(labels, trial, raw);

        std::size_t expected_parts = 0;
        for (int label = 1; label <= 3; ++label) {
            cv::Mat mask, cc, stats, centroids;
            cv::compare(labels, label, mask, cv::CMP_EQ);
            const int n = cv::connectedComponentsWithStats(mask, cc, stats, centroids, 8, CV_32S);
            expected_parts += static_cast<std::size_t>(n - 1);
            for (int k = 1; k < n; ++k) {
                const cv::Rect box(stats.at<int>(k, 0), stats.at<int>(k, 1), stats.at<int>(k, 2), stats.at<int>(k, 3));
                const Instance* match = nullptr;
                for (const Instance& i : in)
                    if (i.label == static_cast<std::uint32_t>(label) && i.bbox == box &&
                        std::abs(i.centroid_x - centroids.at<double>(k, 0)) < 1e-9 &&
                        std::abs(i.centroid_y - centroids.at<double>(k, 1)) < 1e-9)
                        match = &i;
                ASSERT_NE(match, nullptr) << "trial " << trial << " label " << label << " part " << k;
                EXPECT_EQ(match->pixel_count, stats.at<int>(k, cv::CC_STAT_AREA));

                // Part + holes: flood the background from outside (4-connected) in a padded copy.
                cv::Mat part;
                cv::compare(cc, k, part, cv::CMP_EQ);
                cv::Mat padded;
                cv::copyMakeBorder(part, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, 0);
                cv::floodFill(padded, cv::Point(0, 0), 128, nullptr, 0, 0, 4);
                cv::Mat filled;
                cv::compare(padded, 128, filled, cv::CMP_NE);
                const cv::Moments mo = cv::moments(filled, true);
                EXPECT_DOUBLE_EQ(match->polygon_area, mo.m00) << "trial " << trial << " label " << label;
                EXPECT_NEAR(match->polygon_cx, mo.m10 / mo.m00 - 1, 1e-9);
                EXPECT_NEAR(match->polygon_cy, mo.m01 / mo.m00 - 1, 1e-9);

                cv::Scalar mean = cv::mean(raw, part);
                double mx = 0;
                cv::minMaxLoc(raw, nullptr, &mx, nullptr, nullptr, part);
                EXPECT_NEAR(match->mean_intensity, mean[0], 1e-9);
                EXPECT_EQ(match->max_intensity, mx);
            }
        }
        EXPECT_EQ(in.size(), expected_parts);
        for (std::size_t i = 1; i < in.size(); ++i) EXPECT_LE(in[i - 1].label, in[i].label);
    }
}

// Many objects: every outline's polygon area equals its pixel count when the objects have no
// holes, and the polygon centroid equals the pixel centroid. Also prints the time taken (no
// assertion on time: see ARCHITECTURE.md §11).
TEST(Instances, ManyDiscsOnALargeFrame) {
    cv::Mat labels(1024, 1024, CV_32S, cv::Scalar(0));
    int label = 0;
    for (int y = 20; y + 20 < 1024; y += 43)
        for (int x = 20; x + 20 < 1024; x += 43) {
            ++label;
            cv::circle(labels, {x + label % 7, y + label % 5}, 8 + label % 12, cv::Scalar(label), cv::FILLED);
        }
    ASSERT_GE(label, 500);
    const auto t0 = std::chrono::steady_clock::now();
    const auto in = instances_from_labels(labels, 0);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "[ instances_from_labels: " << in.size() << " objects on 1024x1024 in " << ms << " ms ]\n";
    ASSERT_EQ(static_cast<int>(in.size()), label);
    for (const Instance& i : in) {
        EXPECT_DOUBLE_EQ(i.polygon_area, static_cast<double>(i.pixel_count));
        EXPECT_NEAR(i.polygon_cx, i.centroid_x, 1e-9);
        EXPECT_NEAR(i.polygon_cy, i.centroid_y, 1e-9);
    }
}

// ---------------------------------------------------------------- reference: TrackMate's own spots

namespace {

struct TmSpot {
    double x, y, quality, radius;
    Poly roi;  // relative to (x, y)
};

std::vector<TmSpot> read_reference_spots(const fs::path& xml, double& quality_threshold) {
    pugi::xml_document doc;
    const auto ok = doc.load_file(xml.c_str());
    if (!ok) throw std::runtime_error(std::string("cannot parse ") + xml.string() + ": " + ok.description());
    const pugi::xml_node tm = doc.child("TrackMate");
    quality_threshold = tm.child("Settings").child("InitialSpotFilter").attribute("value").as_double();
    std::vector<TmSpot> out;
    for (pugi::xml_node f : tm.child("Model").child("AllSpots").children("SpotsInFrame"))
        for (pugi::xml_node s : f.children("Spot")) {
            TmSpot t{s.attribute("POSITION_X").as_double(), s.attribute("POSITION_Y").as_double(),
                     s.attribute("QUALITY").as_double(), s.attribute("RADIUS").as_double(), {}};
            std::istringstream text(s.child_value());
            double a, b;
            while (text >> a >> b) t.roi.emplace_back(a, b);
            EXPECT_EQ(static_cast<int>(t.roi.size()), s.attribute("ROI_N_POINTS").as_int());
            out.push_back(std::move(t));
        }
    return out;
}

}  // namespace

// Our instances of LabelImage.tif must be the spots TrackMate 7 found in it (LabelImage.xml,
// LABEL_IMAGE_DETECTOR, SIMPLIFY_CONTOURS=false): same positions, quality (polygon area),
// radius and ROI polygon, vertex for vertex and from the same start vertex.
TEST(InstancesReference, TrackMateLabelImage) {
    const fs::path dir = trackmate_data() / "labelimage-v7";
    if (!fs::exists(dir / "LabelImage.tif") || !fs::exists(dir / "LabelImage.xml"))
        GTEST_SKIP() << "reference data not found in " << dir << " (set NATIVESEG_SHARED_DATA)";

    double threshold = 0;
    const std::vector<TmSpot> ref = read_reference_spots(dir / "LabelImage.xml", threshold);
    ASSERT_EQ(ref.size(), 469u);

    const Image image = read_tiff((dir / "LabelImage.tif").string());
    ASSERT_EQ(image.shape().x, 1024);
    ASSERT_EQ(image.dtype(), DType::U16);
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<Instance> all = instances_from_labels(image.plane_mat(0), 0);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();

    // TrackMate's initial filter (quality above the threshold in the file) removed one spot.
    std::vector<const Instance*> ours;
    for (const Instance& i : all)
        if (i.polygon_area > threshold) ours.push_back(&i);
    std::cout << "[ LabelImage.tif: " << all.size() << " instances in " << ms << " ms, " << ours.size()
              << " above the initial quality filter " << threshold << "; TrackMate: " << ref.size() << " spots ]\n";
    ASSERT_EQ(ours.size(), ref.size());

    double dpos = 0, dquality = 0, dradius = 0, dvertex = 0;
    int rotated = 0, unmatched = 0;
    std::vector<bool> used(ours.size(), false);
    for (const TmSpot& t : ref) {
        std::size_t best = 0;
        double best_d = 1e300;
        for (std::size_t i = 0; i < ours.size(); ++i) {
            const double d = std::hypot(ours[i]->polygon_cx - t.x, ours[i]->polygon_cy - t.y);
            if (d < best_d) best_d = d, best = i;
        }
        const Instance& in = *ours[best];
        if (used[best] || best_d > 1e-6) {
            ++unmatched;
            continue;
        }
        used[best] = true;
        dpos = std::max(dpos, best_d);
        dquality = std::max(dquality, std::abs(in.polygon_area - t.quality));
        dradius = std::max(dradius, std::abs(std::sqrt(in.polygon_area / 3.14159265358979323846) - t.radius));
        ASSERT_EQ(in.outline.size(), t.roi.size()) << "spot at " << t.x << ", " << t.y;
        // Compare up to a rotation of the vertex list, and count how often one was needed.
        const std::size_t n = t.roi.size();
        std::size_t shift = n;
        for (std::size_t k = 0; k < n && shift == n; ++k) {
            const cv::Point2d v = in.outline[k] - cv::Point2d(in.polygon_cx, in.polygon_cy);
            if (std::abs(v.x - t.roi[0].x) < 1e-6 && std::abs(v.y - t.roi[0].y) < 1e-6) shift = k;
        }
        ASSERT_LT(shift, n) << "no vertex matches TrackMate's first vertex, spot at " << t.x << ", " << t.y;
        if (shift != 0) ++rotated;
        for (std::size_t k = 0; k < n; ++k) {
            const cv::Point2d v = in.outline[(k + shift) % n] - cv::Point2d(in.polygon_cx, in.polygon_cy);
            dvertex = std::max({dvertex, std::abs(v.x - t.roi[k].x), std::abs(v.y - t.roi[k].y)});
        }
    }
    std::cout << "[ max |dPOSITION| " << dpos << ", max |dQUALITY| " << dquality << ", max |dRADIUS| " << dradius
              << ", max |dROI vertex| " << dvertex << ", spots whose vertex list starts elsewhere: " << rotated
              << ", unmatched: " << unmatched << " ]\n";
    EXPECT_EQ(unmatched, 0);
    EXPECT_LT(dpos, 1e-9);
    EXPECT_LT(dquality, 1e-9);
    EXPECT_LT(dradius, 1e-9);
    EXPECT_LT(dvertex, 1e-9);
    EXPECT_EQ(rotated, 0);
}
