#pragma once
// Instances from the output of a three-class model (background / cell interior / cell
// boundary), as trained with `target: three_class`. The boundary class is what keeps touching
// cells apart, so connected components of "not background" would merge them and components
// of "interior" alone would lose the boundary band (and leave small interior crumbs as
// objects). Instead: interior components are the seeds, each seed grows through the
// foreground (interior or boundary pixels) until the foreground is used up, and objects
// under a minimum size are dropped.
#include <opencv2/core/mat.hpp>

namespace nativeseg {

struct ClassInstanceParams {
    int min_seed_size = 10;  // interior components with fewer pixels do not start an object
    int min_size = 0;        // objects with fewer pixels (after growing) are removed
};

/// `classes`: CV_8U class per pixel (the argmax: 0 background, `interior`, `boundary`).
/// Returns CV_32S labels 1..n (0 background), numbered in scan order of their first pixel.
/// Each foreground pixel joins the seed it is connected to through the fewest foreground
/// steps (8-connected; a pixel equally far from two seeds goes to the higher label).
/// Foreground components that hold no seed become objects of their own when they are large
/// enough (a cell predicted as boundary only is still a cell).
cv::Mat instances_from_classes(const cv::Mat& classes, int interior, int boundary,
                               const ClassInstanceParams& params);

}  // namespace nativeseg
