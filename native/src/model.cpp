// Loading model packages (TorchScript weights) and validating them against their test tensors.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include <ATen/Parallel.h>
#include <caffe2/serialize/versions.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include "model_impl.h"
#include "nativeseg/error.h"
#include "nativeseg/processing.h"

namespace nativeseg {

// ---------------------------------------------------------------------------------------------
// What is in a TorchScript archive (a zip file; records are stored uncompressed). Used only
// to explain a failed load.

namespace {

struct ZipEntry {
    std::string name;
    std::uint16_t method = 0;
    std::uint64_t size = 0;
    std::uint64_t local_offset = 0;
};

std::uint64_t le(const std::string& b, std::size_t at, int bytes) {
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(b[at + static_cast<std::size_t>(i)]);
    return v;
}

std::string read_range(std::ifstream& f, std::uint64_t at, std::size_t n) {
    std::string s(n, '\0');
    f.seekg(static_cast<std::streamoff>(at));
    f.read(s.data(), static_cast<std::streamsize>(n));
    s.resize(static_cast<std::size_t>(f.gcount()));
    return s;
}

// The central directory of a zip file; empty when it is not one.
std::vector<ZipEntry> zip_entries(std::ifstream& f) {
    std::vector<ZipEntry> out;
    f.seekg(0, std::ios::end);
    const std::uint64_t size = static_cast<std::uint64_t>(f.tellg());
    if (size < 22) return out;
    const std::uint64_t tail_len = std::min<std::uint64_t>(size, 65557);
    const std::string tail = read_range(f, size - tail_len, static_cast<std::size_t>(tail_len));
    std::size_t eocd = std::string::npos;
    for (std::size_t i = tail.size() - 22 + 1; i-- > 0;)
        if (le(tail, i, 4) == 0x06054b50) {
            eocd = i;
            break;
        }
    if (eocd == std::string::npos) return out;
    std::uint64_t entries = le(tail, eocd + 10, 2), cd_size = le(tail, eocd + 12, 4), cd_offset = le(tail, eocd + 16, 4);
    if ((cd_offset == 0xffffffffu || entries == 0xffff) && eocd >= 20 && le(tail, eocd - 20, 4) == 0x07064b50) {
        const std::uint64_t z64 = le(tail, eocd - 20 + 8, 8);
        const std::string rec = read_range(f, z64, 56);
        if (rec.size() == 56 && le(rec, 0, 4) == 0x06064b50) {
            entries = le(rec, 32, 8);
            cd_size = le(rec, 40, 8);
            cd_offset = le(rec, 48, 8);
        }
    }
    if (cd_offset + cd_size > size) return out;
    const std::string cd = read_range(f, cd_offset, static_cast<std::size_t>(cd_size));
    std::size_t p = 0;
    for (std::uint64_t e = 0; e < entries && p + 46 <= cd.size() && le(cd, p, 4) == 0x02014b50; ++e) {
        ZipEntry z;
        z.method = static_cast<std::uint16_t>(le(cd, p + 10, 2));
        z.size = le(cd, p + 20, 4);
        const std::size_t name_len = le(cd, p + 28, 2), extra_len = le(cd, p + 30, 2), comment_len = le(cd, p + 32, 2);
        z.local_offset = le(cd, p + 42, 4);
        z.name = cd.substr(p + 46, name_len);
        // ZIP64 extra field: the 64-bit values of the fields that were saturated.
        std::size_t x = p + 46 + name_len;
        const std::size_t x_end = x + extra_len;
        while (x + 4 <= x_end && x_end <= cd.size()) {
            const std::uint64_t id = le(cd, x, 2), len = le(cd, x + 2, 2);
            if (id == 0x0001) {
                std::size_t q = x + 4;
                if (le(cd, p + 24, 4) == 0xffffffffu) q += 8;  // uncompressed size
                if (z.size == 0xffffffffu) {
                    z.size = le(cd, q, 8);
                    q += 8;
                }
                if (z.local_offset == 0xffffffffu) z.local_offset = le(cd, q, 8);
            }
            x += 4 + len;
        }
        out.push_back(z);
        p += 46 + name_len + extra_len + comment_len;
    }
    return out;
}

std::string stored_record(std::ifstream& f, const ZipEntry& z) {
    if (z.method != 0 || z.size > 4096) return {};
    const std::string local = read_range(f, z.local_offset, 30);
    if (local.size() < 30 || le(local, 0, 4) != 0x04034b50) return {};
    const std::uint64_t data = z.local_offset + 30 + le(local, 26, 2) + le(local, 28, 2);
    return read_range(f, data, static_cast<std::size_t>(z.size));
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// major * 1000 + minor of "2.1.0+cu121" (0 when unreadable).
int version_number(const std::string& v) {
    int major = 0, minor = 0;
    if (std::sscanf(v.c_str(), "%d.%d", &major, &minor) < 1) return 0;
    return major * 1000 + minor;
}

// Why a TorchScript file may have failed to load: format version, state dict instead of script.
std::string diagnose_weights(const std::string& path, const ModelDescription& m) {
    std::ostringstream why;
    std::ifstream f(path, std::ios::binary);
    const auto entries = f ? zip_entries(f) : std::vector<ZipEntry>{};
    if (entries.empty()) {
        why << "; the file is not a TorchScript archive (not a zip file): save the model with torch.jit.save";
        return why.str();
    }
    bool has_code = false, has_constants = false;
    std::string version;
    for (const auto& z : entries) {
        if (z.name.find("/code/") != std::string::npos) has_code = true;
        if (ends_with(z.name, "/constants.pkl")) has_constants = true;
        if (ends_with(z.name, "/.data/version") || (ends_with(z.name, "/version") && version.empty()))
            version = stored_record(f, z);
    }
    while (!version.empty() && std::isspace(static_cast<unsigned char>(version.back()))) version.pop_back();
    if (!has_code && !has_constants)
        why << "; the archive holds no TorchScript code: it looks like a state dict saved with torch.save, "
               "export the model with torch.jit.script(model) and torch.jit.save";
    const long long fv = version.empty() ? -1 : std::atoll(version.c_str());
    if (fv > static_cast<long long>(caffe2::serialize::kMaxSupportedFileFormatVersion))
        why << "; its file format version is " << fv << " but LibTorch " << TORCH_VERSION << " reads up to "
            << caffe2::serialize::kMaxSupportedFileFormatVersion << ": a newer LibTorch is needed";
    const std::string& pv = m.weights.pytorch_version;
    if (!pv.empty() && version_number(pv) > version_number(TORCH_VERSION))
        why << "; the weights were saved with PyTorch " << pv << " (weights.torchscript.pytorch_version) and this "
            << "NativeSeg runs LibTorch " << TORCH_VERSION << ": use a NativeSeg built with LibTorch >= " << pv
            << ", or re-export the model with torch.jit.save from PyTorch " << TORCH_VERSION;
    else if (!version.empty() && why.str().empty())
        why << " (file format version " << version << ", LibTorch " << TORCH_VERSION << " reads up to "
            << caffe2::serialize::kMaxSupportedFileFormatVersion << ")";
    return why.str();
}

}  // namespace

std::string short_torch_message(const std::exception& e) {
    std::string msg;
    if (const auto* c = dynamic_cast<const c10::Error*>(&e)) msg = c->what_without_backtrace();
    else msg = e.what();
    // LibTorch messages may carry a TorchScript traceback; the first line says what happened.
    const auto nl = msg.find('\n');
    if (nl != std::string::npos) {
        std::string first = msg.substr(0, nl);
        // TorchScript runtime errors start with "The following operation failed ..."; keep the cause.
        const auto cause = msg.rfind("RuntimeError: ");
        if (cause != std::string::npos) {
            std::string c = msg.substr(cause + 14);
            const auto end = c.find('\n');
            return end == std::string::npos ? c : c.substr(0, end);
        }
        return first;
    }
    return msg;
}

// ---------------------------------------------------------------------------------------------

Model::Model(const std::string& model_or_id) : impl_(std::make_shared<Impl>()) {
    impl_->desc = read_model_description(find_model(model_or_id));
    const std::string path = impl_->desc.weights_path();
    try {
        impl_->module = torch::jit::load(path, torch::kCPU);
        impl_->module.eval();
    } catch (const std::exception& e) {
        throw Error(path + ": the TorchScript weights cannot be loaded by LibTorch " TORCH_VERSION ": " +
                    short_torch_message(e) + diagnose_weights(path, impl_->desc));
    }
}

Model::~Model() = default;

const ModelDescription& Model::description() const { return impl_->desc; }

// ---------------------------------------------------------------------------------------------

c10::Device resolve_device(const std::string& name_in, std::string* reason) {
    std::string name = name_in;
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    if (name == "gpu") name = "cuda";
    const bool available = torch::cuda::is_available();
    const auto count = available ? static_cast<int>(torch::cuda::device_count()) : 0;
    auto set = [reason](const std::string& r) {
        if (reason) *reason = r;
    };
    if (name.empty() || name == "auto") {
        if (available) {
            set("device auto: CUDA GPU found (" + std::to_string(count) + " visible), using cuda:0");
            return c10::Device(c10::kCUDA, 0);
        }
        set(std::string("device auto: using the CPU (") +
            (torch::cuda::is_available() ? "" : "no CUDA GPU usable by LibTorch " TORCH_VERSION) + ", " +
            std::to_string(at::get_num_threads()) + " threads)");
        return c10::Device(c10::kCPU);
    }
    if (name == "cpu") {
        set("device cpu (" + std::to_string(at::get_num_threads()) + " threads)");
        return c10::Device(c10::kCPU);
    }
    if (name.rfind("cuda", 0) == 0) {
        int index = 0;
        if (name.size() > 4) {
            if (name[4] != ':' || name.size() == 5 ||
                !std::all_of(name.begin() + 5, name.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }))
                throw Error("device: expected auto, cpu, cuda or cuda:N, got '" + name_in + "'");
            index = std::stoi(name.substr(5));
        }
        if (!available)
            throw Error("device '" + name_in + "': no CUDA GPU can be used: this LibTorch (" TORCH_VERSION
                        ") was built without CUDA or no GPU/driver is visible; use --device cpu (or auto), or "
                        "install the CUDA build of NativeSeg");
        if (index >= count)
            throw Error("device '" + name_in + "': only " + std::to_string(count) + " CUDA device(s) visible (cuda:0" +
                        (count > 1 ? " to cuda:" + std::to_string(count - 1) : std::string()) + ")");
        set("device " + name + " (requested)");
        return c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(index));
    }
    throw Error("device: expected auto, cpu, cuda or cuda:N, got '" + name_in + "'");
}

std::vector<at::Tensor> run_module(torch::jit::Module& module, const std::vector<at::Tensor>& inputs) {
    std::vector<torch::jit::IValue> args(inputs.begin(), inputs.end());
    const torch::jit::IValue out = module.forward(args);
    std::vector<at::Tensor> result;
    std::function<void(const torch::jit::IValue&)> collect = [&](const torch::jit::IValue& v) {
        if (v.isTensor()) result.push_back(v.toTensor());
        else if (v.isTuple())
            for (const auto& e : v.toTupleRef().elements()) collect(e);
        else if (v.isList())
            for (const auto& e : v.toListRef()) collect(e);
        else if (v.isGenericDict())
            for (const auto& kv : v.toGenericDict()) collect(kv.value());
        else
            throw Error("the model returned " + v.tagKind() + ", not tensors");
    };
    collect(out);
    if (result.empty()) throw Error("the model returned no tensor");
    return result;
}

at::Tensor npy_to_tensor(const NpyArray& a) {
    at::ScalarType t;
    switch (a.kind) {
    case 'f': t = a.itemsize == 4 ? at::kFloat : at::kDouble; break;
    case 'b': t = at::kBool; break;
    case 'i': t = a.itemsize == 1 ? at::kChar : a.itemsize == 2 ? at::kShort : a.itemsize == 4 ? at::kInt : at::kLong; break;
    default:
        if (a.itemsize == 1) t = at::kByte;
        else t = at::kDouble;  // uint16/32/64 have no tensor type: go through double
    }
    if (a.kind == 'u' && a.itemsize > 1) {
        std::vector<double> v(static_cast<std::size_t>(a.size()));
        for (std::int64_t i = 0; i < a.size(); ++i) v[static_cast<std::size_t>(i)] = a.value(i);
        return at::tensor(v, at::kDouble).reshape(a.shape);
    }
    at::Tensor out = at::empty(a.shape, at::TensorOptions().dtype(t));
    std::memcpy(out.data_ptr(), a.data.data(), a.data.size());
    return out;
}

NpyArray tensor_to_npy(const at::Tensor& t_in) {
    at::Tensor t = t_in.to(at::kCPU).contiguous();
    if (!t.is_floating_point() || t.scalar_type() == at::kHalf) t = t.to(at::kFloat);
    NpyArray a;
    a.shape = t.sizes().vec();
    a.kind = 'f';
    a.itemsize = static_cast<int>(t.element_size());
    a.data.resize(static_cast<std::size_t>(t.numel()) * a.itemsize);
    std::memcpy(a.data.data(), t.data_ptr(), a.data.size());
    return a;
}

// ---------------------------------------------------------------------------------------------
// validate-model

namespace {

std::string index_text(std::int64_t flat, const std::vector<std::int64_t>& shape) {
    std::vector<std::int64_t> idx(shape.size());
    for (std::size_t d = shape.size(); d-- > 0;) {
        idx[d] = flat % shape[d];
        flat /= shape[d];
    }
    std::string s = "(";
    for (std::size_t d = 0; d < idx.size(); ++d) s += (d ? ", " : "") + std::to_string(idx[d]);
    return s + ")";
}

std::string shape_text(const std::vector<std::int64_t>& s) {
    std::string r = "(";
    for (std::size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
    return r + ")";
}

}  // namespace

ValidationResult validate_model(const std::string& model_or_id, const ValidationOptions& options) {
    Model model(model_or_id);
    const ModelDescription& m = model.description();
    ValidationResult r;
    r.abs_tolerance = m.test_abs_tolerance.value_or(options.abs_tolerance);
    r.rel_tolerance = m.test_rel_tolerance.value_or(options.rel_tolerance);
    r.mismatched_per_million = m.test_mismatched_per_million.value_or(options.mismatched_per_million);
    std::string reason;
    const c10::Device device = resolve_device(options.device, &reason);
    r.device = device.str();
    c10::InferenceMode guard;
    torch::jit::Module module = model.impl().module.clone();
    module.to(device);

    std::vector<at::Tensor> inputs;
    std::map<std::string, LetteredTensor> refs;
    for (const auto& in : m.inputs) {
        if (in.test_tensor.empty()) throw Error(m.rdf_path + ": input '" + in.id + "' has no test tensor");
        at::Tensor x = npy_to_tensor(read_npy(m.file(in.test_tensor)));
        if (x.dim() != static_cast<std::int64_t>(in.axes.size()))
            throw Error(m.file(in.test_tensor) + ": test input has " + std::to_string(x.dim()) + " axes, input '" +
                        in.id + "' has " + std::to_string(in.axes.size()) + " (" + in.letters() + ")");
        try {
            x = apply_processing(x, in.letters(), in.processing, refs);
        } catch (const Error& e) {
            throw Error(m.rdf_path + ": input '" + in.id + "' preprocessing: " + e.what());
        }
        refs[in.id] = {x, in.letters()};
        inputs.push_back(x.to(scalar_type_from_name(in.data_type, "inputs." + in.id + ".data_type")).to(device));
    }
    std::vector<at::Tensor> outs;
    const auto t0 = std::chrono::steady_clock::now();
    try {
        outs = run_module(module, inputs);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(m.weights_path() + ": the model failed on its test input: " + short_torch_message(e));
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (outs.size() < m.outputs.size())
        throw Error(m.rdf_path + ": the model returned " + std::to_string(outs.size()) + " tensor(s) but the rdf lists " +
                    std::to_string(m.outputs.size()) + " outputs");
    r.passed = true;
    for (std::size_t i = 0; i < m.outputs.size(); ++i) {
        const TensorDesc& od = m.outputs[i];
        OutputValidation v;
        v.id = od.id;
        at::Tensor y = outs[i].to(at::kCPU).to(at::kFloat);
        try {
            y = apply_processing(y, od.letters(), od.processing, refs).to(at::kDouble);
        } catch (const Error& e) {
            throw Error(m.rdf_path + ": output '" + od.id + "' postprocessing: " + e.what());
        }
        v.shape = y.sizes().vec();
        if (od.test_tensor.empty()) {
            v.problem = "no test tensor";
            r.passed = false;
            r.outputs.push_back(v);
            continue;
        }
        const at::Tensor ref = npy_to_tensor(read_npy(m.file(od.test_tensor))).to(at::kDouble);
        v.expected_shape = ref.sizes().vec();
        if (v.shape != v.expected_shape) {
            v.problem = "shape " + shape_text(v.shape) + " differs from the test output's " + shape_text(v.expected_shape);
            r.passed = false;
            r.outputs.push_back(v);
            continue;
        }
        v.elements = y.numel();
        const at::Tensor diff = (y - ref).abs();
        const at::Tensor bad = (diff > r.abs_tolerance + r.rel_tolerance * ref.abs()) | (y.isnan() != ref.isnan());
        v.mismatched = bad.sum().item<std::int64_t>();
        v.allowed = static_cast<std::int64_t>(std::floor(r.mismatched_per_million * static_cast<double>(v.elements) / 1e6));
        const at::Tensor finite_diff = at::nan_to_num(diff, 1e300);
        v.max_abs_difference = v.elements ? finite_diff.max().item<double>() : 0.0;
        const std::int64_t k = std::min<std::int64_t>(5, v.elements);
        if (k > 0) {
            const auto top = finite_diff.reshape({-1}).topk(k);
            const at::Tensor idx = std::get<1>(top);
            const at::Tensor yf = y.reshape({-1}), rf = ref.reshape({-1});
            for (std::int64_t j = 0; j < k; ++j) {
                const std::int64_t flat = idx[j].item<std::int64_t>();
                if (finite_diff.reshape({-1})[flat].item<double>() == 0.0) break;
                v.worst.push_back({index_text(flat, v.shape), yf[flat].item<double>(), rf[flat].item<double>()});
            }
        }
        v.passed = v.mismatched <= v.allowed;
        r.passed = r.passed && v.passed;
        r.outputs.push_back(v);
    }
    return r;
}

std::string validation_text(const ValidationResult& r) {
    std::ostringstream o;
    o << (r.passed ? "PASS" : "FAIL") << " (device " << r.device << "; tolerance |out - ref| <= " << r.abs_tolerance
      << " + " << r.rel_tolerance << " * |ref|, at most " << r.mismatched_per_million << " mismatches per million)\n";
    for (const auto& v : r.outputs) {
        o << "  output '" << v.id << "': ";
        if (!v.problem.empty()) {
            o << "FAIL: " << v.problem << "\n";
            continue;
        }
        o << (v.passed ? "ok" : "FAIL") << ", " << v.mismatched << " of " << v.elements << " values outside the tolerance"
          << " (" << v.allowed << " allowed), largest difference " << v.max_abs_difference << "\n";
        for (const auto& w : v.worst)
            o << "      at " << w.index << ": " << w.value << " expected " << w.expected << " (difference "
              << std::abs(w.value - w.expected) << ")\n";
    }
    return o.str();
}

}  // namespace nativeseg
