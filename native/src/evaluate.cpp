#include "nativeseg/evaluate.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>

#include "nativeseg/atomic_file.h"
#include "nativeseg/ctc.h"
#include "nativeseg/error.h"
#include "nativeseg/label_overlap.h"
#include "nativeseg/metrics_ctc.h"
#include "nativeseg/metrics_instance.h"
#include "nativeseg/metrics_semantic.h"
#include "nativeseg/number_list.h"
#include "nativeseg/video_io.h"

namespace fs = std::filesystem;

namespace nativeseg {

const char* evaluation_kind_name(EvaluationKind k) {
    switch (k) {
        case EvaluationKind::Ctc: return "ctc";
        case EvaluationKind::Semantic: return "semantic";
        case EvaluationKind::Instance: return "instance";
    }
    return "?";
}

EvaluationKind evaluation_kind_from_name(const std::string& name) {
    for (EvaluationKind k : {EvaluationKind::Ctc, EvaluationKind::Semantic, EvaluationKind::Instance})
        if (name == evaluation_kind_name(k)) return k;
    throw Error("kind: expected one of ctc, semantic, instance, got '" + name + "'");
}

EvaluateOptions evaluate_options(const SettingValues& v) {
    EvaluateOptions o;
    o.kind = evaluation_kind_from_name(v.get_string("kind"));
    o.iou_thresholds = parse_iou_thresholds(v.get_string("iou_thresholds"));
    o.semantic_cutoff = v.get_float("semantic_cutoff");
    o.cremi_tolerance = v.get_float("cremi_tolerance");
    o.rand_scores = v.get_bool("rand_scores");
    if (!v.get_string("cutoff_sweep").empty()) o.cutoff_sweep = parse_number_list(v.get_string("cutoff_sweep"), "cutoff_sweep");
    return o;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Reading frames

// The frames of a sequence, whatever holds them: a folder with one file per frame (CTC layout)
// or one file (a TIFF hyperstack or stack; frames on T). Frames are read one at a time.
class FrameSource {
public:
    FrameSource(std::string path, std::string role) : path_(std::move(path)), role_(std::move(role)) {
        if (!fs::exists(path_)) throw Error(role_ + " '" + path_ + "' does not exist");
        if (fs::is_directory(path_)) {
            files_ = list_frame_files(path_);
            frames_ = static_cast<std::int64_t>(files_.size());
            return;
        }
        video_ = open_video(path_);
        shape_ = video_->shape();
        if (shape_.c != 1)
            throw Error(role_ + " '" + path_ + "' has " + std::to_string(shape_.c) +
                        " channels; label images and masks must have one channel");
        // A plain stack (T = 1, Z slices) is taken for a 2-D sequence: its slices are the frames.
        if (shape_.t == 1 && shape_.z > 1) {
            swapped_ = true;
            std::swap(shape_.t, shape_.z);
        }
        frames_ = shape_.t;
    }

    const std::string& path() const { return path_; }
    std::int64_t frames() const { return frames_; }
    bool is_folder() const { return video_ == nullptr; }
    bool stack_read_as_time() const { return swapped_; }

    std::string where(std::int64_t t) const {
        if (is_folder()) return "'" + files_[static_cast<std::size_t>(t)] + "'";
        return "'" + path_ + "' frame " + std::to_string(t);
    }

    /// Frame t: T = 1, Z planes, C = 1.
    Image read(std::int64_t t) {
        Image img;
        if (is_folder()) {
            const std::string& file = files_[static_cast<std::size_t>(t)];
            img = open_video(file)->read_all();
            Shape s = img.shape();
            if (s.c != 1)
                throw Error(role_ + " frame '" + file + "' has " + std::to_string(s.c) +
                            " channels; label images and masks must have one channel");
            // One file per frame: its pages are slices.
            s.z = s.t * s.z;
            s.t = 1;
            img.reshape(s);
        } else if (swapped_) {
            img = video_->read_plane(t);
        } else {
            img = video_->read_frame(t);
        }
        return img;
    }

private:
    std::string path_, role_;
    std::vector<std::string> files_;
    std::unique_ptr<VideoReader> video_;
    Shape shape_{};
    std::int64_t frames_ = 0;
    bool swapped_ = false;
};

void check_same_frame_size(const Image& gt, const Image& res, const std::string& gt_where,
                           const std::string& res_where) {
    const Shape& a = gt.shape();
    const Shape& b = res.shape();
    if (a.z != b.z || a.y != b.y || a.x != b.x)
        throw Error("result " + res_where + " is " + std::to_string(b.x) + "x" + std::to_string(b.y) +
                    (b.z > 1 ? "x" + std::to_string(b.z) : std::string()) + " but ground truth " + gt_where + " is " +
                    std::to_string(a.x) + "x" + std::to_string(a.y) +
                    (a.z > 1 ? "x" + std::to_string(a.z) : std::string()) + "; they must have the same size");
}

void check_integer(const Image& img, const std::string& role, const std::string& where) {
    if (!dtype_is_integer(img.dtype()))
        throw Error(role + " " + where + " holds float32 pixels; label images need an integer pixel type (16-bit for "
                    "the CTC)");
}

std::string fmt(double v, int digits = 6) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(digits) << v;
    return s.str();
}

nlohmann::json opt_json(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
std::string opt_text(const std::optional<double>& v) { return v ? fmt(*v) : std::string("n/a"); }

// Writes a CSV through a temporary file renamed into place when complete.
void write_csv(const std::string& path, const std::string& text) {
    AtomicOutput out(path);
    {
        std::ofstream f(out.temp_path());
        if (!f) throw Error("cannot write CSV file '" + path + "'");
        f << text;
        f.flush();
        if (!f) throw Error("error while writing CSV file '" + path + "'");
    }
    out.commit();
}

// ---------------------------------------------------------------------------------------------
// CTC

struct SegAnnotation {
    std::string file;                                       // whole-frame annotation (man_segTTT.tif)
    std::vector<std::pair<std::int64_t, std::string>> slices;  // 3-D slice annotations (man_seg_TTT_ZZZ.tif)
};

// man_segTTT.tif and man_seg_TTT_ZZZ.tif files of a CTC SEG folder, by frame.
std::map<std::int64_t, SegAnnotation> list_seg_files(const std::string& dir) {
    std::map<std::int64_t, SegAnnotation> out;
    static const std::regex whole(R"(man_seg(\d+)\.tiff?)"), slice(R"(man_seg_(\d+)_(\d+)\.tiff?)");
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& p : files) {
        const std::string name = p.filename().string();
        std::smatch m;
        if (std::regex_match(name, m, whole)) {
            out[std::stoll(m[1].str())].file = p.string();
        } else if (std::regex_match(name, m, slice)) {
            out[std::stoll(m[1].str())].slices.emplace_back(std::stoll(m[2].str()), p.string());
        }
    }
    return out;
}

std::string existing_track_file(const std::vector<std::string>& candidates) {
    for (const std::string& c : candidates)
        if (fs::is_regular_file(c)) return c;
    return {};
}

// Stacks 2-D planes (any integer type) into one uint32 image with Z = planes.
Image stack_planes(const std::vector<Image>& planes) {
    const Shape& s0 = planes.front().shape();
    Image out(Shape{1, static_cast<std::int64_t>(planes.size()), 1, s0.y, s0.x}, DType::U32);
    for (std::size_t i = 0; i < planes.size(); ++i) out.set_plane(static_cast<std::int64_t>(i), planes[i].converted(DType::U32));
    return out;
}

void note_not_16bit(const Image& img, const std::string& role, const std::string& where,
                    std::vector<std::string>& problems, bool& noted) {
    if (noted || img.dtype() == DType::U16) return;
    noted = true;
    problems.push_back(role + " masks are " + dtype_name(img.dtype()) + " (first: " + where +
                       "); the CTC requires 16-bit unsigned masks and its Java evaluator refuses others");
}

struct CtcInputs {
    std::unique_ptr<FrameSource> gt_tra, res;
    std::string gt_tracks, res_tracks;
    std::map<std::int64_t, SegAnnotation> seg;  // SEG annotations by frame
    bool seg_from_tra = false;                  // a label video: every frame is fully annotated
    std::string seg_note;
};

CtcInputs open_ctc_inputs(const EvaluateOptions& o) {
    CtcInputs in;
    if (o.gt.empty()) throw Error("no ground truth given (--gt)");
    if (o.res.empty()) throw Error("no result given (--res)");
    if (!fs::exists(o.gt)) throw Error("ground truth '" + o.gt + "' does not exist");
    const fs::path gt(o.gt);
    if (fs::is_directory(gt) && fs::is_directory(gt / "TRA")) {
        // CTC layout: 01_GT/TRA/man_trackTTT.tif + man_track.txt, 01_GT/SEG/man_segTTT.tif.
        in.gt_tra = std::make_unique<FrameSource>((gt / "TRA").string(), "ground truth");
        in.gt_tracks = o.gt_tracks.empty() ? (gt / "TRA" / "man_track.txt").string() : o.gt_tracks;
        if (!fs::is_regular_file(in.gt_tracks))
            throw Error("ground truth '" + o.gt + "': missing track file '" + in.gt_tracks +
                        "' (the CTC layout has 01_GT/TRA/man_track.txt with one 'L B E P' line per track)");
        if (fs::is_directory(gt / "SEG")) {
            in.seg = list_seg_files((gt / "SEG").string());
            if (in.seg.empty()) in.seg_note = "no man_segTTT.tif in '" + (gt / "SEG").string() + "': SEG not computed";
        } else {
            in.seg_note = "no SEG folder in '" + o.gt + "': SEG not computed";
        }
    } else {
        // A label video or a folder of label frames: markers and segmentation in one.
        in.gt_tra = std::make_unique<FrameSource>(o.gt, "ground truth");
        std::vector<std::string> candidates;
        if (!o.gt_tracks.empty()) candidates = {o.gt_tracks};
        else if (fs::is_directory(gt)) candidates = {(gt / "man_track.txt").string(), (gt / "res_track.txt").string()};
        in.gt_tracks = existing_track_file(candidates);
        if (in.gt_tracks.empty())
            throw Error(o.gt_tracks.empty()
                            ? "ground truth '" + o.gt + "': no track file; give --gt-tracks FILE (" +
                                  (fs::is_directory(gt) ? "or put man_track.txt in the folder" : "a label video needs one") + ")"
                            : "ground truth track file '" + o.gt_tracks + "' does not exist");
        in.seg_from_tra = true;
    }

    if (!fs::exists(o.res)) throw Error("result '" + o.res + "' does not exist");
    const fs::path res(o.res);
    in.res = std::make_unique<FrameSource>(o.res, "result");
    std::vector<std::string> candidates;
    if (!o.res_tracks.empty()) candidates = {o.res_tracks};
    else if (fs::is_directory(res)) candidates = {(res / "res_track.txt").string(), (res / "man_track.txt").string()};
    in.res_tracks = existing_track_file(candidates);
    if (in.res_tracks.empty())
        throw Error(o.res_tracks.empty()
                        ? "result '" + o.res + "': no track file; " +
                              (fs::is_directory(res) ? "expected '" + (res / "res_track.txt").string() +
                                                           "' (or give --res-tracks FILE)"
                                                     : std::string("a label video needs --res-tracks FILE"))
                        : "result track file '" + o.res_tracks + "' does not exist");

    if (in.gt_tra->frames() != in.res->frames())
        throw Error("result '" + o.res + "' has " + std::to_string(in.res->frames()) + " frames but ground truth '" +
                    in.gt_tra->path() + "' has " + std::to_string(in.gt_tra->frames()) +
                    " (a result needs one mask per ground-truth frame)");
    return in;
}

EvaluationReport evaluate_ctc(const EvaluateOptions& o, Progress* progress) {
    CtcInputs in = open_ctc_inputs(o);
    EvaluationReport out;
    std::vector<std::string>& problems = out.problems;
    const std::vector<CtcTrack> gt_tracks = read_ctc_tracks(in.gt_tracks);
    const std::vector<CtcTrack> res_tracks = read_ctc_tracks(in.res_tracks);
    const std::int64_t frames = in.gt_tra->frames();
    if (in.res->stack_read_as_time())
        problems.push_back("result '" + o.res + "' is a single-frame stack; its " + std::to_string(frames) +
                           " slices were read as frames");

    CtcEvaluator ev(gt_tracks, res_tracks, frames);
    bool noted_res = false, noted_gt = false;
    for (const auto& [t, ann] : in.seg)
        if (t < 0 || t >= frames)
            problems.push_back("SEG annotation of frame " + std::to_string(t) + " has no result frame (the result has " +
                               std::to_string(frames) + " frames); skipped");

    for (std::int64_t t = 0; t < frames; ++t) {
        check_cancel(progress);
        const Image gt = in.gt_tra->read(t);
        const Image res = in.res->read(t);
        check_integer(gt, "ground truth", in.gt_tra->where(t));
        check_integer(res, "result", in.res->where(t));
        check_same_frame_size(gt, res, in.gt_tra->where(t), in.res->where(t));
        note_not_16bit(res, "result", in.res->where(t), problems, noted_res);
        note_not_16bit(gt, "ground-truth", in.gt_tra->where(t), problems, noted_gt);
        const LabelOverlap tra = label_overlap(gt, res, "ground truth " + in.gt_tra->where(t), "result " + in.res->where(t));
        ev.add_tra_frame(t, tra);
        if (in.seg_from_tra) {
            ev.add_seg_frame(t, tra);
        } else if (const auto it = in.seg.find(t); it != in.seg.end()) {
            const SegAnnotation& ann = it->second;
            if (!ann.file.empty()) {
                Image seg = open_video(ann.file)->read_all();
                Shape s = seg.shape();
                s.z *= s.t * s.c;
                s.t = s.c = 1;
                seg.reshape(s);
                check_integer(seg, "ground truth", "'" + ann.file + "'");
                check_same_frame_size(seg, res, "'" + ann.file + "'", in.res->where(t));
                ev.add_seg_frame(t, label_overlap(seg, res, "ground truth '" + ann.file + "'", "result " + in.res->where(t)));
            } else {
                // 3-D: the annotated slices, stacked, against the same slices of the result.
                std::vector<Image> gt_slices, res_slices;
                for (const auto& [z, file] : ann.slices) {
                    Image slice = open_video(file)->read_all();
                    check_integer(slice, "ground truth", "'" + file + "'");
                    if (z < 0 || z >= res.shape().z)
                        throw Error("ground truth '" + file + "' annotates slice " + std::to_string(z) + " but result " +
                                    in.res->where(t) + " has " + std::to_string(res.shape().z) + " slices");
                    if (slice.shape().planes() != 1 || slice.shape().y != res.shape().y || slice.shape().x != res.shape().x)
                        throw Error("ground truth '" + file + "' is not one " + std::to_string(res.shape().x) + "x" +
                                    std::to_string(res.shape().y) + " slice like result " + in.res->where(t));
                    gt_slices.push_back(std::move(slice));
                    res_slices.push_back(res.plane_copy(z));
                }
                ev.add_seg_frame(t, label_overlap(stack_planes(gt_slices), stack_planes(res_slices),
                                                  "ground truth SEG slices of frame " + std::to_string(t),
                                                  "result " + in.res->where(t)));
            }
        }
        report(progress, "evaluate", t + 1, frames);
    }

    // Validity of the result (and, as a warning, of the ground truth).
    for (const std::string& p : ctc_validate(res_tracks, ev.res_frame_labels()))
        problems.push_back("result: " + p);
    for (const std::string& p : ctc_validate(gt_tracks, ev.gt_frame_labels()))
        problems.push_back("ground truth: " + p);
    if (!in.seg_note.empty()) problems.push_back(in.seg_note);

    const CtcMeasures m = ev.finish();
    bool valid = true;
    for (const std::string& p : problems)
        if (p.rfind("result", 0) == 0) valid = false;

    nlohmann::json& j = out.json;
    j["kind"] = "ctc";
    j["gt"] = o.gt;
    j["res"] = o.res;
    j["gt_tracks"] = in.gt_tracks;
    j["res_tracks"] = in.res_tracks;
    j["frames"] = frames;
    j["measures"] = {{"SEG", opt_json(m.seg)},       {"DET", opt_json(m.det)},       {"TRA", opt_json(m.tra)},
                     {"LNK", opt_json(m.lnk)},       {"OP_CSB", opt_json(m.op_csb)}, {"OP_CTB", opt_json(m.op_ctb)}};
    j["aogm"] = {{"NS", m.ops.ns},     {"FN", m.ops.fn},     {"FP", m.ops.fp},         {"ED", m.ops.ed},
                 {"EA", m.ops.ea},     {"EC", m.ops.ec},     {"AOGM", m.aogm},         {"AOGM_0", m.aogm0},
                 {"AOGM_D", m.aogm_d}, {"AOGM_D0", m.aogm_d0}, {"AOGM_A", m.aogm_a}};
    j["counts"] = {{"gt_vertices", m.gt_vertices}, {"gt_edges", m.gt_edges},     {"res_vertices", m.res_vertices},
                   {"res_edges", m.res_edges},     {"seg_frames", m.seg_frames}, {"seg_objects", m.seg_objects}};
    j["valid"] = valid;
    j["problems"] = problems;

    std::ostringstream t;
    t << "CTC evaluation of '" << o.res << "' against '" << o.gt << "'\n"
      << "  " << frames << " frames, " << m.gt_vertices << " GT markers, " << m.gt_edges << " GT edges, "
      << m.res_vertices << " result objects; SEG on " << m.seg_frames << " frames (" << m.seg_objects
      << " objects)\n\n"
      << "  SEG     " << opt_text(m.seg) << "\n"
      << "  DET     " << opt_text(m.det) << "\n"
      << "  TRA     " << opt_text(m.tra) << "\n"
      << "  LNK     " << opt_text(m.lnk) << "\n"
      << "  OP_CSB  " << opt_text(m.op_csb) << "\n"
      << "  OP_CTB  " << opt_text(m.op_ctb) << "\n\n"
      << "  AOGM " << m.aogm << " of AOGM_0 " << m.aogm0 << ": NS " << m.ops.ns << ", FN " << m.ops.fn << ", FP "
      << m.ops.fp << ", ED " << m.ops.ed << ", EA " << m.ops.ea << ", EC " << m.ops.ec << "\n";
    t << "  result " << (valid ? "follows the CTC rules" : "breaks CTC rules (the official evaluators would refuse it)")
      << "\n";
    out.table = t.str();

    if (!o.csv.empty()) {
        std::ostringstream c;
        c << "frame,gt_objects,res_objects,matched,NS,FN,FP,ED,EA,EC,seg_objects,seg_jaccard_mean\n";
        for (const CtcFrameCounts& f : m.per_frame) {
            c << f.frame << ',' << f.gt_objects << ',' << f.res_objects << ',' << f.matched << ',' << f.ops.ns << ','
              << f.ops.fn << ',' << f.ops.fp << ',' << f.ops.ed << ',' << f.ops.ea << ',' << f.ops.ec << ',';
            if (f.seg_objects >= 0)
                c << f.seg_objects << ','
                  << fmt(f.seg_objects > 0 ? f.seg_jaccard_sum / static_cast<double>(f.seg_objects) : 0.0, 9);
            else
                c << ',';
            c << '\n';
        }
        write_csv(o.csv, c.str());
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Semantic and instance

void check_same_planes(const VideoReader& gt, const VideoReader& res, const std::string& gt_path,
                       const std::string& res_path) {
    const Shape& a = gt.shape();
    const Shape& b = res.shape();
    if (a.c != 1 || b.c != 1)
        throw Error((a.c != 1 ? "ground truth '" + gt_path : "result '" + res_path) + "' has " +
                    std::to_string(a.c != 1 ? a.c : b.c) + " channels; expected one");
    if (a.planes() != b.planes())
        throw Error("result '" + res_path + "' has " + std::to_string(b.planes()) + " planes (" + b.str() +
                    ") but ground truth '" + gt_path + "' has " + std::to_string(a.planes()) + " (" + a.str() + ")");
    if (a.y != b.y || a.x != b.x)
        throw Error("result '" + res_path + "' is " + std::to_string(b.x) + "x" + std::to_string(b.y) +
                    " but ground truth '" + gt_path + "' is " + std::to_string(a.x) + "x" + std::to_string(a.y));
}

EvaluationReport evaluate_semantic(const EvaluateOptions& o, Progress* progress) {
    if (o.gt.empty()) throw Error("no ground truth given (--gt)");
    if (o.res.empty()) throw Error("no result given (--res)");
    auto gt = open_video(o.gt);
    auto res = open_video(o.res);
    check_same_planes(*gt, *res, o.gt, o.res);
    const Shape shape = gt->shape();
    const std::int64_t planes = shape.planes();

    if (!o.cutoff_sweep.empty()) {
        if (!o.rand_scores) throw Error("cutoff_sweep: it sweeps V_rand and V_info, which --no-rand-scores turns off");
        if (res->dtype() != DType::F32)
            throw Error("cutoff_sweep: result '" + o.res + "' is not a probability map (32-bit float), so it has no "
                        "cutoff to sweep");
    }
    PixelCounts total;
    DistanceErrors errors;
    RandInfoSums rand;
    std::vector<RandInfoSums> swept(o.cutoff_sweep.size());
    std::ostringstream csv;
    csv << "plane,t,z,tp,fp,fn,tn,accuracy,precision,recall,iou,dice,fp_pixels,fn_pixels"
        << (o.rand_scores ? ",v_rand,v_info" : "") << "\n";
    for (std::int64_t p = 0; p < planes; ++p) {
        check_cancel(progress);
        const Image g = gt->read_plane(p);
        const Image r = res->read_plane(p);
        const cv::Mat gt_fg = foreground_mask(g, 0, 0.5);
        const cv::Mat res_fg = foreground_mask(r, 0, o.semantic_cutoff);
        const PixelCounts c = pixel_counts(gt_fg, res_fg);
        total += c;
        const DistanceErrors e = distance_errors(gt_fg, res_fg, o.cremi_tolerance);
        errors.fp_pixels += e.fp_pixels;
        errors.fn_pixels += e.fn_pixels;
        RandInfoSums ri;
        if (o.rand_scores) {
            const cv::Mat gt_regions = ground_truth_regions(g, 0);
            ri = rand_info_sums(gt_regions, thinned_regions(res_fg));
            rand += ri;
            for (std::size_t k = 0; k < o.cutoff_sweep.size(); ++k)
                swept[k] += rand_info_sums(gt_regions, thinned_regions(foreground_mask(r, 0, o.cutoff_sweep[k])));
        }
        const PixelScores s = pixel_scores(c);
        csv << p << ',' << p / (shape.z * shape.c) << ',' << (p / shape.c) % shape.z << ',' << c.tp << ',' << c.fp
            << ',' << c.fn << ',' << c.tn << ',' << fmt(s.accuracy, 9) << ',' << fmt(s.precision, 9) << ','
            << fmt(s.recall, 9) << ',' << fmt(s.iou, 9) << ',' << fmt(s.dice, 9) << ',' << e.fp_pixels << ','
            << e.fn_pixels;
        if (o.rand_scores)
            csv << ',' << (ri.v_rand() ? fmt(*ri.v_rand(), 9) : "") << ',' << (ri.v_info() ? fmt(*ri.v_info(), 9) : "");
        csv << '\n';
        report(progress, "evaluate", p + 1, planes);
    }

    const PixelScores s = pixel_scores(total);
    EvaluationReport out;
    nlohmann::json& j = out.json;
    j["kind"] = "semantic";
    j["gt"] = o.gt;
    j["res"] = o.res;
    j["planes"] = planes;
    j["semantic_cutoff"] = o.semantic_cutoff;
    j["cremi_tolerance"] = o.cremi_tolerance;
    j["measures"] = {{"accuracy", s.accuracy}, {"precision", s.precision}, {"recall", s.recall},
                     {"iou", s.iou},           {"dice", s.dice},           {"fp_pixels", errors.fp_pixels},
                     {"fn_pixels", errors.fn_pixels}};
    if (o.rand_scores) {
        j["measures"]["v_rand"] = opt_json(rand.v_rand());
        j["measures"]["v_info"] = opt_json(rand.v_info());
        j["measures"]["rand_precision"] = opt_json(rand.rand_precision());
        j["measures"]["rand_recall"] = opt_json(rand.rand_recall());
    }
    // The sweep: every cutoff's scores, and the best of each (the first cutoff on ties).
    std::optional<std::size_t> best_rand, best_info;
    if (!o.cutoff_sweep.empty()) {
        j["cutoff_sweep"] = nlohmann::json::array();
        for (std::size_t k = 0; k < swept.size(); ++k) {
            j["cutoff_sweep"].push_back({{"cutoff", o.cutoff_sweep[k]},
                                         {"v_rand", opt_json(swept[k].v_rand())},
                                         {"v_info", opt_json(swept[k].v_info())}});
            if (swept[k].v_rand() && (!best_rand || *swept[k].v_rand() > *swept[*best_rand].v_rand())) best_rand = k;
            if (swept[k].v_info() && (!best_info || *swept[k].v_info() > *swept[*best_info].v_info())) best_info = k;
        }
        if (best_rand) {
            j["measures"]["best_v_rand"] = *swept[*best_rand].v_rand();
            j["measures"]["best_v_rand_cutoff"] = o.cutoff_sweep[*best_rand];
        }
        if (best_info) {
            j["measures"]["best_v_info"] = *swept[*best_info].v_info();
            j["measures"]["best_v_info_cutoff"] = o.cutoff_sweep[*best_info];
        }
    }
    j["counts"] = {{"tp", total.tp}, {"fp", total.fp}, {"fn", total.fn}, {"tn", total.tn}};
    j["problems"] = nlohmann::json::array();

    std::ostringstream t;
    t << "Semantic evaluation of '" << o.res << "' against '" << o.gt << "' (" << planes << " plane"
      << (planes == 1 ? "" : "s");
    if (res->dtype() == DType::F32) t << ", foreground where value > " << o.semantic_cutoff;
    t << ")\n\n"
      << "  accuracy   " << fmt(s.accuracy) << "\n"
      << "  precision  " << fmt(s.precision) << "\n"
      << "  recall     " << fmt(s.recall) << "\n"
      << "  IoU        " << fmt(s.iou) << "\n"
      << "  Dice       " << fmt(s.dice) << "\n"
      << "  FP pixels  " << errors.fp_pixels << (o.cremi_tolerance > 0 ? " (beyond " + fmt(o.cremi_tolerance, 2) + " px)" : "")
      << "\n"
      << "  FN pixels  " << errors.fn_pixels << (o.cremi_tolerance > 0 ? " (beyond " + fmt(o.cremi_tolerance, 2) + " px)" : "")
      << "\n";
    if (o.rand_scores)
        t << "  V_rand     " << opt_text(rand.v_rand()) << "  (ISBI-2012, thinned boundaries)\n"
          << "  V_info     " << opt_text(rand.v_info()) << "\n";
    if (!o.cutoff_sweep.empty()) {
        t << "\n  cutoff  V_rand     V_info\n";
        for (std::size_t k = 0; k < swept.size(); ++k)
            t << "  " << fmt(o.cutoff_sweep[k], 3) << "   " << opt_text(swept[k].v_rand()) << "  "
              << opt_text(swept[k].v_info()) << "\n";
        if (best_rand)
            t << "  best V_rand " << fmt(*swept[*best_rand].v_rand()) << " at cutoff " << fmt(o.cutoff_sweep[*best_rand], 3);
        if (best_info)
            t << ", best V_info " << fmt(*swept[*best_info].v_info()) << " at cutoff " << fmt(o.cutoff_sweep[*best_info], 3);
        t << "\n";
    }
    out.table = t.str();
    if (!o.csv.empty()) write_csv(o.csv, csv.str());
    return out;
}

std::string threshold_name(double tau) { return fmt(tau, 2); }

EvaluationReport evaluate_instance(const EvaluateOptions& o, Progress* progress) {
    if (o.gt.empty()) throw Error("no ground truth given (--gt)");
    if (o.res.empty()) throw Error("no result given (--res)");
    if (o.iou_thresholds.empty()) throw Error("iou_thresholds: no threshold given");
    for (double tau : o.iou_thresholds)
        if (!(tau >= 0.5 && tau <= 1.0))
            throw Error("iou_thresholds: expected IoU thresholds from 0.5 to 1, got " + std::to_string(tau));
    auto gt = open_video(o.gt);
    auto res = open_video(o.res);
    check_same_planes(*gt, *res, o.gt, o.res);
    if (gt->shape().t != res->shape().t || gt->shape().z != res->shape().z)
        throw Error("result '" + o.res + "' (" + res->shape().str() + ") and ground truth '" + o.gt + "' (" +
                    gt->shape().str() + ") differ in frames or slices");
    const std::int64_t frames = gt->shape().t;

    InstanceResult total;
    std::ostringstream csv;
    csv << "frame,gt_objects,res_objects,splits,merges";
    for (double tau : o.iou_thresholds) {
        const std::string n = threshold_name(tau);
        csv << ",tp@" << n << ",fp@" << n << ",fn@" << n << ",ap@" << n;
    }
    csv << '\n';
    for (std::int64_t t = 0; t < frames; ++t) {
        check_cancel(progress);
        const Image g = gt->read_frame(t);
        const Image r = res->read_frame(t);
        const std::string where = " frame " + std::to_string(t);
        const InstanceResult fr =
            instance_match(label_overlap(g, r, "ground truth '" + o.gt + "'" + where, "result '" + o.res + "'" + where),
                           o.iou_thresholds);
        total += fr;
        csv << t << ',' << fr.gt_objects << ',' << fr.res_objects << ',' << fr.splits << ',' << fr.merges;
        for (const InstanceCounts& c : fr.at) csv << ',' << c.tp << ',' << c.fp << ',' << c.fn << ',' << fmt(c.ap(), 9);
        csv << '\n';
        report(progress, "evaluate", t + 1, frames);
    }

    EvaluationReport out;
    nlohmann::json& j = out.json;
    j["kind"] = "instance";
    j["gt"] = o.gt;
    j["res"] = o.res;
    j["frames"] = frames;
    j["counts"] = {{"gt_objects", total.gt_objects},
                   {"res_objects", total.res_objects},
                   {"splits", total.splits},
                   {"merges", total.merges}};
    nlohmann::json per = nlohmann::json::array();
    double ap_sum = 0;
    for (const InstanceCounts& c : total.at) {
        per.push_back({{"iou_threshold", c.threshold},
                       {"tp", c.tp},
                       {"fp", c.fp},
                       {"fn", c.fn},
                       {"precision", c.precision()},
                       {"recall", c.recall()},
                       {"f1", c.f1()},
                       {"ap", c.ap()},
                       {"mean_matched_iou", c.mean_matched_iou()},
                       {"panoptic_quality", c.panoptic_quality()}});
        ap_sum += c.ap();
    }
    j["thresholds"] = per;
    const double mean_ap = ap_sum / static_cast<double>(total.at.size());
    j["measures"] = {{"mean_ap", mean_ap},
                     {"ap50", nullptr},
                     {"f1_50", nullptr},
                     {"mean_matched_iou_50", nullptr},
                     {"splits", total.splits},
                     {"merges", total.merges}};
    for (const InstanceCounts& c : total.at)
        if (std::abs(c.threshold - 0.5) < 1e-9) {
            j["measures"]["ap50"] = c.ap();
            j["measures"]["f1_50"] = c.f1();
            j["measures"]["mean_matched_iou_50"] = c.mean_matched_iou();
        }
    j["problems"] = nlohmann::json::array();

    std::ostringstream t;
    t << "Instance evaluation of '" << o.res << "' against '" << o.gt << "' (" << frames << " frame"
      << (frames == 1 ? "" : "s") << ", " << total.gt_objects << " GT objects, " << total.res_objects
      << " result objects)\n\n"
      << "  IoU>=  TP      FP      FN      precision  recall    F1        AP        mean IoU\n";
    for (const InstanceCounts& c : total.at) {
        t << "  " << std::left << std::setw(6) << threshold_name(c.threshold) << " " << std::setw(7) << c.tp << " "
          << std::setw(7) << c.fp << " " << std::setw(7) << c.fn << " " << std::setw(10) << fmt(c.precision()) << " "
          << std::setw(9) << fmt(c.recall()) << " " << std::setw(9) << fmt(c.f1()) << " " << std::setw(9)
          << fmt(c.ap()) << " " << fmt(c.mean_matched_iou()) << "\n";
    }
    t << std::right << "\n  mean AP over " << total.at.size() << " thresholds  " << fmt(mean_ap) << "\n"
      << "  splits " << total.splits << ", merges " << total.merges << "\n";
    out.table = t.str();
    if (!o.csv.empty()) write_csv(o.csv, csv.str());
    return out;
}

}  // namespace

EvaluationReport evaluate(const EvaluateOptions& options, Progress* progress) {
    switch (options.kind) {
        case EvaluationKind::Ctc: return evaluate_ctc(options, progress);
        case EvaluationKind::Semantic: return evaluate_semantic(options, progress);
        case EvaluationKind::Instance: return evaluate_instance(options, progress);
    }
    throw Error("unknown evaluation kind");
}

std::vector<std::string> validate_ctc_result(const std::string& res, const std::string& res_tracks,
                                             Progress* progress) {
    if (res.empty()) throw Error("no result given (--res)");
    if (!fs::exists(res)) throw Error("result '" + res + "' does not exist");
    FrameSource frames(res, "result");
    std::vector<std::string> candidates;
    if (!res_tracks.empty()) candidates = {res_tracks};
    else if (fs::is_directory(res))
        candidates = {(fs::path(res) / "res_track.txt").string(), (fs::path(res) / "man_track.txt").string()};
    const std::string tracks_path = existing_track_file(candidates);
    if (tracks_path.empty())
        throw Error(res_tracks.empty() ? "result '" + res + "': no track file; " +
                                             (fs::is_directory(res) ? "expected '" +
                                                                          (fs::path(res) / "res_track.txt").string() + "'"
                                                                    : std::string("a label video needs --res-tracks FILE"))
                                       : "result track file '" + res_tracks + "' does not exist");
    const std::vector<CtcTrack> tracks = read_ctc_tracks(tracks_path);
    std::vector<std::string> problems;
    std::vector<std::vector<std::uint32_t>> labels;
    bool noted = false;
    for (std::int64_t t = 0; t < frames.frames(); ++t) {
        // Reported before each frame: a short check prints nothing, so a failing check leaves
        // only its one-line error on the console.
        report(progress, "validate", t, frames.frames());
        check_cancel(progress);
        const Image img = frames.read(t);
        check_integer(img, "result", frames.where(t));
        note_not_16bit(img, "result", frames.where(t), problems, noted);
        labels.push_back(labels_in_plane(img));
    }
    for (const std::string& p : ctc_validate(tracks, labels)) problems.push_back(p);
    return problems;
}

}  // namespace nativeseg
