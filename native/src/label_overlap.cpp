#include "nativeseg/label_overlap.h"

#include <algorithm>
#include <type_traits>
#include <unordered_map>

#include "nativeseg/error.h"

namespace nativeseg {

namespace {

using PairCounts = std::unordered_map<std::uint64_t, std::int64_t>;

// Labels as unsigned 32-bit values: unsigned types are used as they are, signed types are
// copied (a negative label is an error, not a label).
struct LabelPixels {
    DType type = DType::U8;
    const void* data = nullptr;
    std::vector<std::uint32_t> converted;
};

template <typename T>
void copy_signed(const T* p, std::size_t n, std::vector<std::uint32_t>& out, const std::string& what) {
    out.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (p[i] < 0)
            throw Error(what + ": label images must not hold negative values (found " + std::to_string(p[i]) + ")");
        out[i] = static_cast<std::uint32_t>(p[i]);
    }
}

LabelPixels label_pixels(const Image& img, const std::string& what) {
    LabelPixels l;
    const auto n = static_cast<std::size_t>(img.shape().pixels());
    switch (img.dtype()) {
        case DType::U8:
        case DType::U16:
        case DType::U32:
            l.type = img.dtype();
            l.data = img.bytes();
            return l;
        case DType::I8: copy_signed(img.data<std::int8_t>(), n, l.converted, what); break;
        case DType::I16: copy_signed(img.data<std::int16_t>(), n, l.converted, what); break;
        case DType::I32: copy_signed(img.data<std::int32_t>(), n, l.converted, what); break;
        case DType::F32:
            throw Error(what + ": label images need an integer pixel type, got float32");
    }
    l.type = DType::U32;
    l.data = l.converted.data();
    return l;
}

// Counts runs of equal (a, b) pairs: along a row most neighbouring pixels belong to the same
// pair, so the hash map sees one update per run instead of one per pixel.
template <typename A, typename B>
void count_pairs(const A* a, const B* b, std::size_t n, PairCounts& counts) {
    if (n == 0) return;
    std::uint64_t key = (std::uint64_t{a[0]} << 32) | b[0];
    std::int64_t run = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t k = (std::uint64_t{a[i]} << 32) | b[i];
        if (k != key) {
            counts[key] += run;
            key = k;
            run = 0;
        }
        ++run;
    }
    counts[key] += run;
}

template <typename A>
void count_pairs_b(const A* a, const LabelPixels& b, std::size_t n, PairCounts& counts) {
    switch (b.type) {
        case DType::U8: count_pairs(a, static_cast<const std::uint8_t*>(b.data), n, counts); break;
        case DType::U16: count_pairs(a, static_cast<const std::uint16_t*>(b.data), n, counts); break;
        default: count_pairs(a, static_cast<const std::uint32_t*>(b.data), n, counts); break;
    }
}

}  // namespace

LabelOverlap label_overlap(const Image& gt, const Image& res, const std::string& what_gt,
                           const std::string& what_res) {
    const Shape& sg = gt.shape();
    const Shape& sr = res.shape();
    if (sg.pixels() != sr.pixels() || sg.x != sr.x || sg.y != sr.y)
        throw Error(what_res + " has size " + std::to_string(sr.x) + "x" + std::to_string(sr.y) + " (" +
                    std::to_string(sr.planes()) + " plane(s)) but " + what_gt + " has size " + std::to_string(sg.x) +
                    "x" + std::to_string(sg.y) + " (" + std::to_string(sg.planes()) + " plane(s))");
    const LabelPixels a = label_pixels(gt, what_gt);
    const LabelPixels b = label_pixels(res, what_res);
    const auto n = static_cast<std::size_t>(sg.pixels());

    PairCounts counts;
    counts.reserve(1024);
    switch (a.type) {
        case DType::U8: count_pairs_b(static_cast<const std::uint8_t*>(a.data), b, n, counts); break;
        case DType::U16: count_pairs_b(static_cast<const std::uint16_t*>(a.data), b, n, counts); break;
        default: count_pairs_b(static_cast<const std::uint32_t*>(a.data), b, n, counts); break;
    }

    LabelOverlap o;
    o.pixels = static_cast<std::int64_t>(n);
    std::vector<std::pair<std::uint64_t, std::int64_t>> sorted(counts.begin(), counts.end());
    std::sort(sorted.begin(), sorted.end());
    // Keys sort by gt label first, so gt labels come out in order; res labels need a sort.
    for (const auto& entry : sorted) {
        const auto g = static_cast<std::uint32_t>(entry.first >> 32);
        const auto r = static_cast<std::uint32_t>(entry.first & 0xffffffffu);
        if (g != 0 && (o.gt_labels.empty() || o.gt_labels.back() != g)) o.gt_labels.push_back(g);
        if (r != 0) o.res_labels.push_back(r);
    }
    std::sort(o.res_labels.begin(), o.res_labels.end());
    o.res_labels.erase(std::unique(o.res_labels.begin(), o.res_labels.end()), o.res_labels.end());
    o.gt_area.assign(o.gt_labels.size(), 0);
    o.res_area.assign(o.res_labels.size(), 0);

    auto index_of = [](const std::vector<std::uint32_t>& v, std::uint32_t label) {
        return static_cast<std::uint32_t>(std::lower_bound(v.begin(), v.end(), label) - v.begin());
    };
    for (const auto& [key, count] : sorted) {
        const auto g = static_cast<std::uint32_t>(key >> 32);
        const auto r = static_cast<std::uint32_t>(key & 0xffffffffu);
        const std::uint32_t gi = g ? index_of(o.gt_labels, g) : 0;
        const std::uint32_t ri = r ? index_of(o.res_labels, r) : 0;
        if (g) o.gt_area[gi] += count;
        if (r) o.res_area[ri] += count;
        if (g && r) o.pairs.push_back({gi, ri, count});
    }
    return o;
}

}  // namespace nativeseg
