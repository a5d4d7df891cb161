#pragma once
// The `evaluate` job: compares a result with ground truth and reports the measures of one of
// three kinds (docs/evaluation.md):
//   ctc       Cell Tracking Challenge SEG, DET, TRA, LNK, OP_CSB, OP_CTB (+ the AOGM counts) of
//             a result (`01_RES`: maskTTT.tif + res_track.txt, or a label video + track file)
//             against CTC ground truth (`01_GT` with TRA/ and SEG/, or a label video + track
//             file), with the CTC validity check of the result;
//   semantic  pixel accuracy, precision, recall, IoU, Dice, FP/FN pixel counts and the
//             ISBI-2012 V_rand / V_info of a mask or probability map against a binary mask;
//   instance  precision, recall, F1 and AP at IoU thresholds, mean matched IoU, splits and
//             merges of instance labels against instance labels.
// Frames are read and compared one at a time.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nativeseg/progress.h"
#include "nativeseg/settings.h"

namespace nativeseg {

enum class EvaluationKind { Ctc, Semantic, Instance };

const char* evaluation_kind_name(EvaluationKind k);
EvaluationKind evaluation_kind_from_name(const std::string& name);

struct EvaluateOptions {
    EvaluationKind kind = EvaluationKind::Ctc;
    std::string gt;          // ground truth: CTC `01_GT` folder, a folder of frames, or an image/video file
    std::string res;         // result: CTC `01_RES` folder, a folder of frames, or an image/video file
    std::string gt_tracks;   // ctc: track file of the ground truth; empty = `TRA/man_track.txt` or beside the frames
    std::string res_tracks;  // ctc: track file of the result; empty = `res_track.txt` beside the masks
    std::vector<double> iou_thresholds = {0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95};
    double semantic_cutoff = 0.5;  // float maps: foreground where value > cutoff
    double cremi_tolerance = 0;    // px; 0 = plain FP/FN pixel counts
    bool rand_scores = true;       // ISBI V_rand / V_info (thinning; slow on large background areas)
    /// Semantic, probability maps: cutoffs at which V_rand / V_info are also computed, the best
    /// reported (as the ISBI 2012 challenge reported the best over thresholds); empty = none.
    std::vector<double> cutoff_sweep;
    std::string csv;               // per-frame CSV file; empty = none
};

/// Options from the "evaluation" settings (kind, iou_thresholds, semantic_cutoff,
/// cremi_tolerance, rand_scores, cutoff_sweep); paths are left empty.
EvaluateOptions evaluate_options(const SettingValues& values);

struct EvaluationReport {
    nlohmann::json json;                 // everything, for --json and scripts
    std::string table;                   // readable summary for the terminal
    std::vector<std::string> problems;   // broken CTC rules and input warnings (the measures are still computed)
};

/// Runs the evaluation. Errors (Error) name the file and what was expected: missing files or track
/// files, frame counts or sizes that differ, non-integer label images. Broken CTC rules of the
/// result are listed in `problems` and do not stop the evaluation.
EvaluationReport evaluate(const EvaluateOptions& options, Progress* progress = nullptr);

/// The CTC validity check of a result alone (`evaluate --validate`): one message per broken rule,
/// empty when the result is valid.
std::vector<std::string> validate_ctc_result(const std::string& res, const std::string& res_tracks = {},
                                             Progress* progress = nullptr);

}  // namespace nativeseg
