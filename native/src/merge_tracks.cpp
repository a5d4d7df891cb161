#include "nativeseg/merge_tracks.h"

#include <map>

#include <opencv2/imgproc.hpp>

#include "nativeseg/error.h"

namespace nativeseg {

cv::Mat merge_tracks_frame(const cv::Mat& tracks, const cv::Mat& mask) {
    if (tracks.type() != CV_32S) throw Error("merge tracks: expected CV_32S track labels");
    if (mask.type() != CV_8U) throw Error("merge tracks: expected an 8-bit mask");
    if (tracks.size() != mask.size())
        throw Error("merge tracks: track labels are " + std::to_string(tracks.cols) + "x" + std::to_string(tracks.rows) +
                    " but the segmentation is " + std::to_string(mask.cols) + "x" + std::to_string(mask.rows));
    cv::Mat components;
    cv::connectedComponents(mask != 0, components, 8, CV_32S);

    // overlap[track][component] in pixels, in ascending order of both.
    std::map<int, std::map<int, long long>> overlap;
    for (int y = 0; y < tracks.rows; ++y) {
        const int* t = tracks.ptr<int>(y);
        const int* c = components.ptr<int>(y);
        for (int x = 0; x < tracks.cols; ++x)
            if (t[x] > 0) ++overlap[t[x]][c[x]];  // component 0 = background: the track has pixels but maybe no overlap
    }
    cv::Mat out = cv::Mat::zeros(tracks.size(), CV_32S);
    for (const auto& [label, by_component] : overlap) {
        int best = 0;
        long long best_n = 0;
        for (const auto& [comp, n] : by_component)
            if (comp > 0 && n > best_n) {  // strict: a tie keeps the lower component
                best = comp;
                best_n = n;
            }
        if (best > 0) out.setTo(label, components == best);
        else out.setTo(label, tracks == label);
    }
    return out;
}

}  // namespace nativeseg
