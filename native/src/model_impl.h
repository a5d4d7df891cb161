#pragma once
// Private: the LibTorch side of Model, shared by model.cpp and predictor.cpp.
#include <string>
#include <vector>

#include <torch/script.h>

#include "nativeseg/model.h"
#include "nativeseg/npy.h"

namespace nativeseg {

struct Model::Impl {
    ModelDescription desc;
    torch::jit::Module module;  // on the CPU, eval mode
};

/// The device for "auto", "cpu", "cuda", "cuda:N" (also "gpu"); Error explaining why CUDA
/// cannot be used when it was asked for. `reason` gets one line on why.
c10::Device resolve_device(const std::string& name, std::string* reason);

/// Runs the module on inputs; returns every output tensor (a tuple or list is flattened).
std::vector<at::Tensor> run_module(torch::jit::Module& module, const std::vector<at::Tensor>& inputs);

/// .npy ⇄ tensor (the tensor is contiguous, on the CPU).
at::Tensor npy_to_tensor(const NpyArray& a);
NpyArray tensor_to_npy(const at::Tensor& t);

/// The first line of a LibTorch message (no C++ backtrace).
std::string short_torch_message(const std::exception& e);

}  // namespace nativeseg
