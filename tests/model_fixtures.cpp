#include "model_fixtures.h"

#include <filesystem>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "nativeseg/error.h"
#include "nativeseg/npy.h"

namespace fixtures {

torch::jit::Module make_module(const std::string& forward_source,
                               const std::vector<std::pair<std::string, at::Tensor>>& buffers) {
    torch::jit::Module m("M");
    for (const auto& [name, t] : buffers) m.register_buffer(name, t);
    m.define(forward_source);
    m.eval();
    return m;
}

std::string fresh_dir(const std::string& name) {
    const std::filesystem::path p = std::filesystem::path(NATIVESEG_TEST_TMP) / name;
    std::filesystem::remove_all(p);
    std::filesystem::create_directories(p);
    return p.string();
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream f(path);
    f << text;
    if (!f) throw std::runtime_error("cannot write " + path);
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const nativeseg::Error& e) {
        return e.what();
    }
    return "(no error)";
}

at::Tensor forward(torch::jit::Module& m, const at::Tensor& x) {
    torch::NoGradGuard g;
    return m.forward({x}).toTensor();
}

namespace {
nativeseg::NpyArray to_npy(const at::Tensor& t_in) {
    const at::Tensor t = t_in.to(at::kFloat).contiguous();
    nativeseg::NpyArray a;
    a.shape = t.sizes().vec();
    a.kind = 'f';
    a.itemsize = 4;
    a.data.resize(static_cast<std::size_t>(t.numel()) * 4);
    std::memcpy(a.data.data(), t.data_ptr<float>(), a.data.size());
    return a;
}
}  // namespace

void write_package(const std::string& dir, torch::jit::Module& module, const std::string& rdf,
                   const at::Tensor& test_input) {
    std::filesystem::create_directories(dir);
    module.save(dir + "/weights.pt");
    write_text(dir + "/rdf.yaml", rdf);
    if (test_input.defined()) {
        nativeseg::write_npy(dir + "/test_input.npy", to_npy(test_input));
        nativeseg::write_npy(dir + "/test_output.npy", to_npy(forward(module, test_input)));
    }
}

at::Tensor mirror_pad2d(const at::Tensor& x, int p) {
    // Built from flips and concatenation, not from the library's index arithmetic.
    const int64_t h = x.size(-2), w = x.size(-1);
    if (p > h || p > w) throw std::runtime_error("mirror_pad2d: pad larger than the image");
    at::Tensor rows = at::cat({x.narrow(-2, 0, p).flip({-2}), x, x.narrow(-2, h - p, p).flip({-2})}, -2);
    return at::cat({rows.narrow(-1, 0, p).flip({-1}), rows, rows.narrow(-1, w - p, p).flip({-1})}, -1);
}

}  // namespace fixtures
