#include "nativeseg/ctc.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "nativeseg/atomic_file.h"
#include "nativeseg/error.h"

namespace nativeseg {

namespace {

// Parses one token of a track line as a non-negative integer; Error naming file and line.
std::int64_t parse_field(const std::string& token, const char* field, const std::string& where) {
    if (!token.empty() && token[0] == '-')
        throw Error(where + ": " + field + " is negative ('" + token + "'); track files hold only non-negative integers");
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(token.c_str(), &end, 10);
    if (token.empty() || *end != '\0' || token[0] == '+')
        throw Error(where + ": " + field + " '" + token + "' is not an integer (expected 'L B E P')");
    if (errno == ERANGE || v > static_cast<unsigned long long>(std::numeric_limits<std::int64_t>::max()))
        throw Error(where + ": " + field + " '" + token + "' is too large");
    return static_cast<std::int64_t>(v);
}

// "3, 5-7, 9" for a sorted list of frames; long lists are cut after a few ranges.
std::string frame_ranges(const std::vector<std::int64_t>& frames) {
    std::ostringstream s;
    std::size_t i = 0;
    int ranges = 0;
    while (i < frames.size()) {
        std::size_t j = i;
        while (j + 1 < frames.size() && frames[j + 1] == frames[j] + 1) ++j;
        if (ranges == 8) {
            s << ", ...";
            break;
        }
        if (ranges > 0) s << ", ";
        s << frames[i];
        if (j > i) s << "-" << frames[j];
        ++ranges;
        i = j + 1;
    }
    return s.str();
}

std::string span(std::int64_t b, std::int64_t e) {
    return std::to_string(b) + ".." + std::to_string(e);
}

template <typename T>
void collect_labels(const T* p, std::size_t n, std::vector<std::uint32_t>& out) {
    if constexpr (sizeof(T) <= 2 && !std::is_signed_v<T>) {
        // Small types: a presence table is faster than sorting.
        std::vector<std::uint8_t> seen(std::size_t{1} << (8 * sizeof(T)), 0);
        for (std::size_t i = 0; i < n; ++i) seen[p[i]] = 1;
        for (std::size_t v = 1; v < seen.size(); ++v)
            if (seen[v]) out.push_back(static_cast<std::uint32_t>(v));
    } else {
        // Labels come in runs along a row: skip repeats before sorting.
        T last = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const T v = p[i];
            if (v == 0 || v == last) continue;
            if constexpr (std::is_signed_v<T>) {
                if (v < 0) throw Error("label image holds a negative value (" + std::to_string(v) + "); labels must be >= 0");
            }
            out.push_back(static_cast<std::uint32_t>(v));
            last = v;
        }
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
    }
}

}  // namespace

std::vector<CtcTrack> read_ctc_tracks(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw Error("cannot read track file '" + path + "'");
    std::vector<CtcTrack> tracks;
    std::map<std::uint32_t, std::int64_t> first_line;  // label -> line that declared it
    std::string line;
    std::int64_t line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        const std::string where = "track file '" + path + "', line " + std::to_string(line_no);
        std::istringstream tokens(line);  // any whitespace separates, '\r' included
        std::vector<std::string> fields;
        std::string tok;
        while (tokens >> tok) fields.push_back(tok);
        if (fields.empty()) continue;  // blank lines (e.g. a trailing one) are harmless
        if (fields.size() != 4)
            throw Error(where + ": expected 4 integers 'L B E P', got " + std::to_string(fields.size()) +
                        " fields ('" + line + "')");
        const std::int64_t l = parse_field(fields[0], "label L", where);
        const std::int64_t b = parse_field(fields[1], "begin B", where);
        const std::int64_t e = parse_field(fields[2], "end E", where);
        const std::int64_t p = parse_field(fields[3], "parent P", where);
        constexpr std::int64_t max_label = std::numeric_limits<std::uint32_t>::max();
        if (l == 0) throw Error(where + ": label 0 is the background, not a track label");
        if (l > max_label || p > max_label) throw Error(where + ": label out of range ('" + line + "')");
        if (b > e)
            throw Error(where + ": track " + std::to_string(l) + " begins at frame " + std::to_string(b) +
                        " after it ends at frame " + std::to_string(e));
        const auto label = static_cast<std::uint32_t>(l);
        auto [it, inserted] = first_line.emplace(label, line_no);
        if (!inserted)
            throw Error(where + ": duplicate label " + std::to_string(l) + " (already declared on line " +
                        std::to_string(it->second) + ")");
        tracks.push_back(CtcTrack{label, b, e, static_cast<std::uint32_t>(p)});
    }
    if (in.bad()) throw Error("error while reading track file '" + path + "'");
    return tracks;
}

void write_ctc_tracks(const std::string& path, const std::vector<CtcTrack>& tracks) {
    std::vector<CtcTrack> sorted = tracks;
    std::sort(sorted.begin(), sorted.end(),
              [](const CtcTrack& a, const CtcTrack& b) { return a.label < b.label; });
    AtomicOutput out(path);
    {
        std::ofstream f(out.temp_path());
        if (!f) throw Error("cannot write track file '" + path + "'");
        for (const CtcTrack& t : sorted) f << t.label << ' ' << t.begin << ' ' << t.end << ' ' << t.parent << '\n';
        f.flush();
        if (!f) throw Error("error while writing track file '" + path + "'");
    }
    out.commit();
}

std::vector<std::string> ctc_validate(const std::vector<CtcTrack>& tracks,
                                      const std::vector<std::vector<std::uint32_t>>& frame_labels) {
    std::vector<std::string> problems;
    const auto frames = static_cast<std::int64_t>(frame_labels.size());

    // Where each label occurs: label -> sorted frames.
    std::map<std::uint32_t, std::vector<std::int64_t>> found;
    bool any_object = false;
    for (std::int64_t t = 0; t < frames; ++t) {
        std::set<std::uint32_t> in_frame(frame_labels[t].begin(), frame_labels[t].end());
        in_frame.erase(0);
        for (std::uint32_t l : in_frame) found[l].push_back(t);
        any_object = any_object || !in_frame.empty();
    }

    if (tracks.empty()) problems.push_back("empty result: the track list declares no track");
    if (frames == 0) problems.push_back("empty result: there are no frames");
    else if (!any_object) problems.push_back("empty result: no frame contains a labelled object");

    std::map<std::uint32_t, const CtcTrack*> declared;
    for (const CtcTrack& t : tracks) {
        const std::string name = "track " + std::to_string(t.label);
        if (t.label == 0) {
            problems.push_back("label 0 is the background and cannot be a track label");
            continue;
        }
        if (!declared.emplace(t.label, &t).second) {
            problems.push_back("label " + std::to_string(t.label) + " is declared more than once");
            continue;
        }
        if (t.begin > t.end)
            problems.push_back(name + ": begins at frame " + std::to_string(t.begin) + " after it ends at frame " +
                               std::to_string(t.end));
        if (t.begin < 0 || t.end < 0 || t.begin >= frames || t.end >= frames)
            problems.push_back(name + ": frames " + span(t.begin, t.end) + " lie outside the sequence (" +
                               span(0, frames - 1) + ")");
    }

    for (const auto& [label, track] : declared) {
        const CtcTrack& t = *track;
        const std::string name = "track " + std::to_string(label);
        if (t.parent != 0) {
            auto p = declared.find(t.parent);
            if (p == declared.end())
                problems.push_back(name + ": parent " + std::to_string(t.parent) + " is not a declared track");
            else if (!(p->second->end < t.begin))
                problems.push_back(name + ": parent " + std::to_string(t.parent) + " ends at frame " +
                                   std::to_string(p->second->end) + ", not before the child's first frame " +
                                   std::to_string(t.begin));
        }
        // Presence: every frame of [B, E] inside the sequence, and none outside.
        const auto it = found.find(label);
        static const std::vector<std::int64_t> none;
        const std::vector<std::int64_t>& present = it == found.end() ? none : it->second;
        std::vector<std::int64_t> missing, outside;
        std::size_t k = 0;
        for (std::int64_t f = std::max<std::int64_t>(t.begin, 0); f <= std::min(t.end, frames - 1); ++f) {
            while (k < present.size() && present[k] < f) ++k;
            if (k == present.size() || present[k] != f) missing.push_back(f);
        }
        for (std::int64_t f : present)
            if (f < t.begin || f > t.end) outside.push_back(f);
        if (!missing.empty())
            problems.push_back(name + ": label missing in frame(s) " + frame_ranges(missing) +
                               " (a track must be present in every frame of " + span(t.begin, t.end) +
                               "; a gap is a new track whose parent is the old one)");
        if (!outside.empty())
            problems.push_back(name + ": label found in frame(s) " + frame_ranges(outside) + " outside its frames " +
                               span(t.begin, t.end));
    }

    for (const auto& [label, where] : found)
        if (declared.find(label) == declared.end())
            problems.push_back("label " + std::to_string(label) + " found in frame(s) " + frame_ranges(where) +
                               " is not declared in the track list");
    return problems;
}

std::vector<std::uint32_t> labels_in_plane(const Image& plane) {
    std::vector<std::uint32_t> out;
    if (plane.empty()) return out;
    const auto n = static_cast<std::size_t>(plane.shape().pixels());
    switch (plane.dtype()) {
        case DType::U8: collect_labels(plane.data<std::uint8_t>(), n, out); break;
        case DType::U16: collect_labels(plane.data<std::uint16_t>(), n, out); break;
        case DType::U32: collect_labels(plane.data<std::uint32_t>(), n, out); break;
        case DType::I8: collect_labels(plane.data<std::int8_t>(), n, out); break;
        case DType::I16: collect_labels(plane.data<std::int16_t>(), n, out); break;
        case DType::I32: collect_labels(plane.data<std::int32_t>(), n, out); break;
        case DType::F32:
            throw Error("label images must have an integer pixel type, got float32");
    }
    return out;
}

std::string ctc_frame_name(const std::string& prefix, std::int64_t t, std::int64_t frames) {
    if (t < 0) throw Error("frame index must not be negative, got " + std::to_string(t));
    const int digits = frames > 1000 ? 4 : 3;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%0*" PRId64, digits, t);
    return prefix + buf + ".tif";
}

}  // namespace nativeseg
