#pragma once
// Test fixtures for models: tiny TorchScript modules compiled from source with
// torch::jit::Module::define (fixed weights, so receptive fields and outputs are known),
// and model packages (rdf.yaml + weights + test tensors) written the way the spec says.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <torch/script.h>

namespace fixtures {

/// A module whose forward is `forward_source` (TorchScript), with the given tensors as
/// buffers (self.<name>).
torch::jit::Module make_module(const std::string& forward_source,
                               const std::vector<std::pair<std::string, at::Tensor>>& buffers = {});

/// A fresh, empty folder under the test tmp folder.
std::string fresh_dir(const std::string& name);
void write_text(const std::string& path, const std::string& text);

/// The message of the nativeseg::Error that `f` throws, or "(no error)".
std::string error_of(const std::function<void()>& f);

/// Runs a module on one tensor (no grad) and returns its output.
at::Tensor forward(torch::jit::Module& m, const at::Tensor& x);

/// A 2-D package: `module` saved as weights.pt, `rdf` written as rdf.yaml, and, when
/// `test_input` is defined, test_input.npy plus test_output.npy = forward(test_input).
void write_package(const std::string& dir, torch::jit::Module& module, const std::string& rdf,
                   const at::Tensor& test_input = at::Tensor());

/// Symmetric mirror padding (… c b a | a b c …) of the last two dims by `p` pixels, done
/// independently of the code under test (p must not exceed the size).
at::Tensor mirror_pad2d(const at::Tensor& x, int p);

}  // namespace fixtures
