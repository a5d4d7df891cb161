#pragma once
// The bioimage.io pre- and post-processing operations on tensors (LibTorch; include only
// from code linked to nativeseg_torch). Each tensor comes with its axes as canonical
// letters (b t c i z y x, see rdf.h), which is how the steps' `axes`/`axis` are resolved.
//
//   scale_range                     (x - p_lo) / (p_hi - p_lo + eps), percentiles over `axes` (numpy "linear")
//   zero_mean_unit_variance         (x - mean) / (std + eps), statistics over `axes`
//   fixed_zero_mean_unit_variance   (x - mean) / (std + eps) with given mean/std (scalars or lists along `axis`)
//   scale_linear                    x * gain + offset (scalars or lists along `axis`)
//   scale_mean_variance             match mean/std of a reference tensor:
//                                   (x - mean) / (std + eps) * (ref_std + eps) + ref_mean
//   clip                            clamp to [min, max]
//   binarize                        1 where x > threshold, else 0
//   sigmoid                         1 / (1 + exp(-x))
//   softmax                         softmax along `axis` (default: channel)
//   ensure_dtype                    cast to `dtype`
// Statistics are per sample: computed over the given axes of the tensor passed in, in
// float64; std is the population standard deviation (numpy's default).
#include <map>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "nativeseg/rdf.h"

namespace nativeseg {

struct LetteredTensor {
    at::Tensor tensor;
    std::string letters;  // one canonical letter per dimension
};

/// Applies one step. `refs` holds tensors that steps may name as `reference_tensor`
/// (the model inputs, after their preprocessing). Returns float32 unless the step is ensure_dtype.
at::Tensor apply_step(const at::Tensor& x, const std::string& letters, const ProcessingStep& step,
                      const std::map<std::string, LetteredTensor>& refs = {});

/// Applies the steps in order (input converted to float32 first).
at::Tensor apply_processing(const at::Tensor& x, const std::string& letters, const std::vector<ProcessingStep>& steps,
                            const std::map<std::string, LetteredTensor>& refs = {});

/// The q-th percentiles (0..100) of x over `dims`, numpy's "linear" method, keeping the
/// reduced dimensions with size 1. Result float64.
at::Tensor percentile_linear(const at::Tensor& x, const std::vector<std::int64_t>& dims, double q);

/// The torch dtype for a bioimage.io data type name ("float32", "uint8", ...); Error naming `what`.
at::ScalarType scalar_type_from_name(const std::string& name, const std::string& what);

}  // namespace nativeseg
