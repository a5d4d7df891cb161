#include "nativeseg/processing.h"

#include <ATen/ATen.h>

#include "nativeseg/error.h"

namespace nativeseg {

namespace {

std::vector<std::int64_t> reduce_dims(const std::string& letters, const std::string& axes) {
    std::vector<std::int64_t> dims;
    if (axes.empty()) {
        for (std::size_t i = 0; i < letters.size(); ++i) dims.push_back(static_cast<std::int64_t>(i));
        return dims;
    }
    for (std::size_t i = 0; i < letters.size(); ++i)
        if (axes.find(letters[i]) != std::string::npos) dims.push_back(static_cast<std::int64_t>(i));
    return dims;
}

double number(const nlohmann::json& v, const std::string& what) {
    if (v.is_number()) return v.get<double>();
    throw Error("processing " + what + ": expected a number, got " + v.dump());
}

double kwarg(const ProcessingStep& s, const char* key, double def) {
    if (!s.kwargs.contains(key) || s.kwargs[key].is_null()) return def;
    return number(s.kwargs[key], s.id + "." + key);
}

// A parameter that is a number or a list along `step.axis`, shaped to broadcast against x.
at::Tensor param(const ProcessingStep& s, const char* key, const at::Tensor& x, const std::string& letters) {
    if (!s.kwargs.contains(key) || s.kwargs[key].is_null())
        throw Error("processing " + s.id + ": missing parameter '" + key + "'");
    const nlohmann::json& v = s.kwargs[key];
    auto opts = at::TensorOptions().dtype(at::kDouble);
    if (!v.is_array()) return at::full({}, number(v, s.id + "." + key), opts);
    std::vector<double> vals;
    for (const auto& e : v) vals.push_back(number(e, s.id + "." + key));
    at::Tensor t = at::tensor(vals, opts);
    const auto pos = letters.find(s.axis ? s.axis : 'c');
    if (pos == std::string::npos) {
        if (vals.size() == 1) return t.reshape({});
        throw Error("processing " + s.id + ": '" + key + "' has " + std::to_string(vals.size()) +
                    " values but the tensor has no axis '" + std::string(1, s.axis ? s.axis : 'c') + "'");
    }
    const std::int64_t n = x.size(static_cast<std::int64_t>(pos));
    if (static_cast<std::int64_t>(vals.size()) != n && vals.size() != 1)
        throw Error("processing " + s.id + ": '" + key + "' has " + std::to_string(vals.size()) +
                    " values for an axis of size " + std::to_string(n));
    std::vector<std::int64_t> shape(letters.size(), 1);
    shape[pos] = static_cast<std::int64_t>(vals.size());
    return t.reshape(shape);
}

struct MeanStd {
    at::Tensor mean, std;
};

MeanStd mean_std(const at::Tensor& x, const std::vector<std::int64_t>& dims) {
    const at::Tensor d = x.to(at::kDouble);
    const at::Tensor mean = d.mean(dims, /*keepdim=*/true);
    const at::Tensor var = (d - mean).pow(2).mean(dims, /*keepdim=*/true);
    return {mean, var.sqrt()};
}

const LetteredTensor& reference(const ProcessingStep& s, const std::map<std::string, LetteredTensor>& refs) {
    const std::string name = s.kwargs.value("reference_tensor", std::string());
    if (name.empty()) throw Error("processing " + s.id + ": needs a 'reference_tensor'");
    const auto it = refs.find(name);
    if (it == refs.end()) throw Error("processing " + s.id + ": reference tensor '" + name + "' is not a model input");
    return it->second;
}

}  // namespace

at::ScalarType scalar_type_from_name(const std::string& name, const std::string& what) {
    if (name == "float32") return at::kFloat;
    if (name == "float64") return at::kDouble;
    if (name == "float16") return at::kHalf;
    if (name == "uint8") return at::kByte;
    if (name == "int8") return at::kChar;
    if (name == "int16") return at::kShort;
    if (name == "int32") return at::kInt;
    if (name == "int64") return at::kLong;
    if (name == "bool") return at::kBool;
    if (name == "uint16" || name == "uint32" || name == "uint64")
        throw Error(what + ": data type " + name + " has no LibTorch equivalent; NativeSeg feeds such inputs as float32");
    throw Error(what + ": unknown data type '" + name + "'");
}

at::Tensor percentile_linear(const at::Tensor& x, const std::vector<std::int64_t>& dims, double q) {
    const std::int64_t nd = x.dim();
    std::vector<std::int64_t> keep, perm;
    for (std::int64_t d = 0; d < nd; ++d)
        if (std::find(dims.begin(), dims.end(), d) == dims.end()) keep.push_back(d);
    perm = keep;
    perm.insert(perm.end(), dims.begin(), dims.end());
    std::vector<std::int64_t> kept_shape;
    for (auto d : keep) kept_shape.push_back(x.size(d));
    at::Tensor flat = x.to(at::kDouble).permute(perm).reshape({-1, [&] {
                                                                   std::int64_t n = 1;
                                                                   for (auto d : dims) n *= x.size(d);
                                                                   return n;
                                                               }()});
    const std::int64_t n = flat.size(1);
    if (n == 0) throw Error("percentile of an empty tensor");
    const at::Tensor sorted = std::get<0>(flat.sort(1));
    // numpy "linear": position (n - 1) * q / 100, interpolated between its neighbours.
    const double pos = (static_cast<double>(n) - 1.0) * q / 100.0;
    const std::int64_t lo = std::min<std::int64_t>(static_cast<std::int64_t>(std::floor(pos)), n - 1);
    const std::int64_t hi = std::min<std::int64_t>(lo + 1, n - 1);
    const double frac = pos - static_cast<double>(lo);
    const at::Tensor a = sorted.select(1, lo), b = sorted.select(1, hi);
    at::Tensor r = a + (b - a) * frac;
    // Back to the input's rank with the reduced dimensions kept as size 1.
    std::vector<std::int64_t> out_shape(static_cast<std::size_t>(nd), 1);
    for (std::size_t i = 0; i < keep.size(); ++i) out_shape[static_cast<std::size_t>(keep[i])] = kept_shape[i];
    return r.reshape(out_shape);
}

at::Tensor apply_step(const at::Tensor& in, const std::string& letters, const ProcessingStep& s,
                      const std::map<std::string, LetteredTensor>& refs) {
    if (static_cast<std::int64_t>(letters.size()) != in.dim())
        throw Error("processing " + s.id + ": axes '" + letters + "' do not match a tensor of rank " +
                    std::to_string(in.dim()));
    if (s.id == "ensure_dtype") {
        const std::string dt = s.kwargs.value("dtype", std::string());
        if (dt.empty()) throw Error("processing ensure_dtype: missing parameter 'dtype'");
        return in.to(scalar_type_from_name(dt, "ensure_dtype"));
    }
    const at::Tensor x = in.is_floating_point() && in.scalar_type() != at::kHalf ? in : in.to(at::kFloat);
    const auto out_type = x.scalar_type() == at::kDouble ? at::kDouble : at::kFloat;
    const auto dims = reduce_dims(letters, s.axes);
    at::Tensor y;
    if (s.id == "scale_range") {
        const double eps = kwarg(s, "eps", 1e-6);
        const double qlo = kwarg(s, "min_percentile", 0.0), qhi = kwarg(s, "max_percentile", 100.0);
        at::Tensor src = x;
        std::vector<std::int64_t> sdims = dims;
        if (s.kwargs.contains("reference_tensor") && s.kwargs["reference_tensor"].is_string()) {
            const LetteredTensor& r = reference(s, refs);
            src = r.tensor;
            sdims = reduce_dims(r.letters, s.axes);
            if (r.letters != letters) throw Error("processing scale_range: the reference tensor's axes differ");
        }
        const at::Tensor lo = percentile_linear(src, sdims, qlo), hi = percentile_linear(src, sdims, qhi);
        y = (x.to(at::kDouble) - lo) / (hi - lo + eps);
    } else if (s.id == "zero_mean_unit_variance") {
        const double eps = kwarg(s, "eps", 1e-6);
        const MeanStd ms = mean_std(x, dims);
        y = (x.to(at::kDouble) - ms.mean) / (ms.std + eps);
    } else if (s.id == "fixed_zero_mean_unit_variance") {
        const double eps = kwarg(s, "eps", 1e-6);
        y = (x.to(at::kDouble) - param(s, "mean", x, letters)) / (param(s, "std", x, letters) + eps);
    } else if (s.id == "scale_linear") {
        const at::Tensor gain = s.kwargs.contains("gain") ? param(s, "gain", x, letters) : at::full({}, 1.0, at::kDouble);
        const at::Tensor offset =
            s.kwargs.contains("offset") ? param(s, "offset", x, letters) : at::full({}, 0.0, at::kDouble);
        y = x.to(at::kDouble) * gain + offset;
    } else if (s.id == "scale_mean_variance") {
        const double eps = kwarg(s, "eps", 1e-6);
        const LetteredTensor& r = reference(s, refs);
        const MeanStd ms = mean_std(x, dims);
        const MeanStd rs = mean_std(r.tensor, reduce_dims(r.letters, s.axes));
        if (rs.mean.numel() != 1 && r.letters != letters)
            throw Error("processing scale_mean_variance: the reference tensor's axes differ from the output's");
        y = (x.to(at::kDouble) - ms.mean) / (ms.std + eps) * (rs.std + eps) + rs.mean;
    } else if (s.id == "clip") {
        const bool has_min = s.kwargs.contains("min") && !s.kwargs["min"].is_null();
        const bool has_max = s.kwargs.contains("max") && !s.kwargs["max"].is_null();
        if (!has_min && !has_max) throw Error("processing clip: needs 'min' or 'max'");
        y = x;
        if (has_min) y = y.clamp_min(number(s.kwargs["min"], "clip.min"));
        if (has_max) y = y.clamp_max(number(s.kwargs["max"], "clip.max"));
    } else if (s.id == "binarize") {
        y = (x.to(at::kDouble) > param(s, "threshold", x, letters)).to(out_type);
    } else if (s.id == "sigmoid") {
        y = at::sigmoid(x);
    } else if (s.id == "softmax") {
        const auto pos = letters.find(s.axis ? s.axis : 'c');
        if (pos == std::string::npos)
            throw Error("processing softmax: the tensor has no axis '" + std::string(1, s.axis ? s.axis : 'c') + "'");
        y = at::softmax(x.to(at::kDouble), static_cast<std::int64_t>(pos));
    } else {
        throw Error("processing: unsupported operation '" + s.id + "'");
    }
    return y.to(out_type);
}

at::Tensor apply_processing(const at::Tensor& x, const std::string& letters, const std::vector<ProcessingStep>& steps,
                            const std::map<std::string, LetteredTensor>& refs) {
    at::Tensor y = x.scalar_type() == at::kFloat ? x : x.to(at::kFloat);
    for (const auto& s : steps) y = apply_step(y, letters, s, refs);
    return y;
}

}  // namespace nativeseg
