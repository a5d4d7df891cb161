#pragma once
// A loaded model package: the description (rdf.h) plus its TorchScript weights, loaded once
// on the CPU with torch::jit::load (predictors copy them to their device). LibTorch stays
// behind the pimpl; code that needs the module includes the private src/model_impl.h.
// Also: `validate-model`, which runs the package's test inputs and compares the results
// with its test outputs using the bioimage.io tolerance.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nativeseg/rdf.h"

namespace nativeseg {

class Model {
public:
    /// Reads the package (folder, rdf.yaml or model id, see find_model) and loads the weights.
    /// Error naming the file for a malformed rdf, missing weights, or weights LibTorch cannot
    /// load (with the LibTorch version that is needed when that is the cause).
    explicit Model(const std::string& model_or_id);
    ~Model();
    Model(const Model&) = default;
    Model& operator=(const Model&) = default;

    const ModelDescription& description() const;

    struct Impl;
    Impl& impl() const { return *impl_; }

private:
    std::shared_ptr<Impl> impl_;
};

struct ValidationOptions {
    std::string device = "cpu";
    /// bioimage.io defaults: |out - ref| <= abs + rel * |ref|, at most 100 mismatched values per
    /// million. A model's config.bioimageio.reproducibility_tolerance overrides them.
    double abs_tolerance = 1e-3;
    double rel_tolerance = 1e-3;
    double mismatched_per_million = 100;
};

struct ValueMismatch {
    std::string index;  // "(0, 1, 12, 40)"
    double value = 0, expected = 0;
};

struct OutputValidation {
    std::string id;
    std::vector<std::int64_t> shape, expected_shape;
    std::int64_t elements = 0;
    std::int64_t mismatched = 0;    // values outside the tolerance
    std::int64_t allowed = 0;       // mismatches allowed
    double max_abs_difference = 0;
    std::vector<ValueMismatch> worst;  // the largest differences, worst first
    std::string problem;            // shape mismatch etc.
    bool passed = false;
};

struct ValidationResult {
    bool passed = false;
    std::string device;
    double seconds = 0;  // the forward pass
    double abs_tolerance = 0, rel_tolerance = 0, mismatched_per_million = 0;
    std::vector<OutputValidation> outputs;
};

/// Runs the test inputs through pre-processing, the network and post-processing (no tiling)
/// and compares every output with its test tensor.
ValidationResult validate_model(const std::string& model_or_id, const ValidationOptions& options = {});

/// "PASS"/"FAIL" with the worst differences, as printed by `nativeseg validate-model`.
std::string validation_text(const ValidationResult& result);

}  // namespace nativeseg
