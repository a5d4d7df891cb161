#pragma once
// Writes a trained network as a model package (docs/models.md) that NativeSeg's predictor,
// `nativeseg validate-model`, Python torch.jit.load and the bioimage.io tools read:
// rdf.yaml (format 0.5), weights.pt (TorchScript), test_input.npy / test_output.npy (a crop of
// a validation image and the network's output for it), README.md (model card: data, recipe,
// scores, limits), train.yaml (the settings), cover.png (input | prediction).
// Percentile normalisation is written as rdf pre-processing (scale_range + clip), so tools
// that know nothing of NativeSeg feed the network what it was trained on.
#include <vector>

#include "nativeseg/train.h"

namespace nativeseg {

void export_package(torch::jit::Module& module, const ArchitectureSpec& spec, const TrainOptions& options,
                    const TrainResult& result, const std::vector<TrainingItem>& samples);

/// The rdf.yaml text of a package (exposed for tests).
std::string package_rdf(const ArchitectureSpec& spec, const TrainOptions& options, const TrainResult& result);

}  // namespace nativeseg
