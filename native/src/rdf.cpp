// Reading bioimage.io model descriptions (rdf.yaml, format 0.4.x and 0.5.x) with yaml-cpp.
#include "nativeseg/rdf.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "nativeseg/error.h"

namespace fs = std::filesystem;

namespace nativeseg {

// ---------------------------------------------------------------------------------------------
// Axis sizes

AxisSize AxisSize::of(std::int64_t n) {
    AxisSize s;
    s.kind = Kind::Fixed;
    s.fixed = n;
    return s;
}

AxisSize AxisSize::parameterized(std::int64_t min, std::int64_t step) {
    if (step <= 0) return of(min);
    AxisSize s;
    s.kind = Kind::Parameterized;
    s.min = min;
    s.step = step;
    return s;
}

bool AxisSize::valid(std::int64_t n) const {
    switch (kind) {
    case Kind::Fixed: return n == fixed;
    case Kind::Parameterized: return n >= min && (n - min) % step == 0;
    default: return n >= 1;
    }
}

std::int64_t AxisSize::at_least(std::int64_t n) const {
    switch (kind) {
    case Kind::Fixed: return n <= fixed ? fixed : -1;
    case Kind::Parameterized:
        if (n <= min) return min;
        return min + ((n - min + step - 1) / step) * step;
    default: return std::max<std::int64_t>(n, 1);
    }
}

std::int64_t AxisSize::at_most(std::int64_t n) const {
    switch (kind) {
    case Kind::Fixed: return n >= fixed ? fixed : -1;
    case Kind::Parameterized:
        if (n < min) return -1;
        return min + ((n - min) / step) * step;
    default: return n >= 1 ? n : -1;
    }
}

std::string AxisSize::str() const {
    switch (kind) {
    case Kind::Fixed: return std::to_string(fixed);
    case Kind::Parameterized: return "min " + std::to_string(min) + ", step " + std::to_string(step);
    case Kind::Reference: {
        std::string s = "= " + ref_tensor + "." + ref_axis;
        if (ref_scale != 1.0) {
            std::ostringstream o;
            o << " x " << ref_scale;
            s += o.str();
        }
        if (offset) s += (offset > 0 ? " + " : " - ") + std::to_string(std::llabs(offset));
        return s;
    }
    default: return "any";
    }
}

std::string TensorDesc::letters() const {
    std::string s;
    for (const auto& a : axes) s += a.letter;
    return s;
}

const AxisDesc* TensorDesc::axis(char letter) const {
    for (const auto& a : axes)
        if (a.letter == letter) return &a;
    return nullptr;
}

std::int64_t TensorDesc::channels() const {
    const AxisDesc* c = axis('c');
    if (!c) return 1;
    if (c->size.kind == AxisSize::Kind::Fixed) return c->size.fixed;
    return -1;
}

std::string ModelDescription::file(const std::string& name) const {
    if (name.empty()) return {};
    fs::path p(name);
    return p.is_absolute() ? name : (fs::path(dir) / p).string();
}

std::string ModelDescription::weights_path() const { return file(weights.source); }

std::int64_t ModelDescription::halo(char letter) const {
    if (nativeseg.halo) return *nativeseg.halo;
    std::int64_t h = 0;
    for (const auto& o : outputs)
        if (const AxisDesc* a = o.axis(letter)) h = std::max(h, a->halo);
    return h;
}

int ModelDescription::foreground_channel() const {
    const auto& names = nativeseg.channels;
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == "foreground" || names[i] == "interior" || names[i] == "cell" || names[i] == "nucleus")
            return static_cast<int>(i);
    if (outputs.empty()) return 0;
    return outputs[0].channels() >= 2 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// YAML helpers

namespace {

struct Ctx {
    std::string name;  // file name for messages
    [[noreturn]] void missing(const std::string& field) const {
        throw Error(name + ": missing required field '" + field + "'");
    }
    [[noreturn]] void bad(const std::string& field, const std::string& what) const {
        throw Error(name + ": field '" + field + "': " + what);
    }
};

nlohmann::json to_json(const YAML::Node& n) {
    switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return nullptr;
    case YAML::NodeType::Sequence: {
        nlohmann::json a = nlohmann::json::array();
        for (const auto& e : n) a.push_back(to_json(e));
        return a;
    }
    case YAML::NodeType::Map: {
        nlohmann::json o = nlohmann::json::object();
        for (const auto& kv : n) o[kv.first.as<std::string>()] = to_json(kv.second);
        return o;
    }
    case YAML::NodeType::Scalar: {
        const std::string s = n.Scalar();
        if (n.Tag() == "!") return s;  // quoted: a string whatever it looks like
        if (s == "true" || s == "True") return true;
        if (s == "false" || s == "False") return false;
        if (s == "null" || s == "~" || s.empty()) return nullptr;
        if (s == ".inf" || s == "inf") return std::numeric_limits<double>::infinity();
        if (s == "-.inf" || s == "-inf") return -std::numeric_limits<double>::infinity();
        char* end = nullptr;
        const long long i = std::strtoll(s.c_str(), &end, 10);
        if (end && *end == '\0') return i;
        const double d = std::strtod(s.c_str(), &end);
        if (end && *end == '\0') return d;
        return s;
    }
    }
    return nullptr;
}

std::string str(const YAML::Node& n, const std::string& def = {}) {
    if (!n || !n.IsScalar()) return def;
    return n.Scalar();
}

std::string required_str(const YAML::Node& parent, const std::string& key, const std::string& where, const Ctx& c) {
    const YAML::Node n = parent[key];
    if (!n || n.IsNull()) c.missing(where + key);
    if (!n.IsScalar()) c.bad(where + key, "expected text");
    return n.Scalar();
}

std::int64_t to_int(const YAML::Node& n, const std::string& field, const Ctx& c) {
    try {
        return n.as<std::int64_t>();
    } catch (const std::exception&) {
        c.bad(field, "expected an integer, got '" + (n.IsScalar() ? n.Scalar() : std::string("a list or map")) + "'");
    }
}

double to_double(const YAML::Node& n, const std::string& field, const Ctx& c) {
    try {
        return n.as<double>();
    } catch (const std::exception&) {
        c.bad(field, "expected a number");
    }
}

// A file reference: "name.npy" (v0.4) or {source: name.npy, sha256: ...} (v0.5).
std::string file_ref(const YAML::Node& n) {
    if (!n) return {};
    if (n.IsScalar()) return n.Scalar();
    if (n.IsMap()) return str(n["source"]);
    if (n.IsSequence() && n.size() > 0) return file_ref(n[0]);
    return {};
}

char letter_for(AxisType t, const std::string& id, const std::string& field, const Ctx& c) {
    switch (t) {
    case AxisType::Batch: return 'b';
    case AxisType::Time: return 't';
    case AxisType::Channel: return 'c';
    case AxisType::Index: return 'i';
    case AxisType::Space:
        if (id == "x" || id == "y" || id == "z") return id[0];
        c.bad(field, "space axis id '" + id + "' is not supported (NativeSeg reads space axes x, y and z)");
    }
    return '?';
}

// ---------------------------------------------------------------------------------------------
// Processing steps

std::string axes_letters(const YAML::Node& n, const TensorDesc& t, const std::string& field, const Ctx& c) {
    if (!n || n.IsNull()) return {};
    std::string out;
    auto add_id = [&](const std::string& id) {
        for (const auto& a : t.axes)
            if (a.id == id) {
                out += a.letter;
                return;
            }
        // v0.4 writes letters; v0.5 ids such as "channel" may name axes the tensor lacks.
        if (id.size() == 1 && std::string("btcizyx").find(id) != std::string::npos) {
            out += id;
            return;
        }
        if (id == "channel") out += 'c';
        else if (id == "batch") out += 'b';
        else if (id == "time") out += 't';
        else if (id == "index") out += 'i';
        else c.bad(field, "unknown axis '" + id + "'");
    };
    if (n.IsSequence()) {
        for (const auto& e : n) add_id(str(e));
    } else if (n.IsScalar()) {
        const std::string s = n.Scalar();
        // v0.4: a string of letters ("xy", "cyx"); v0.5 single axis id ("channel").
        const bool all_letters = std::all_of(s.begin(), s.end(), [](char ch) {
            return std::string("btcizyx").find(ch) != std::string::npos;
        });
        if (all_letters) for (char ch : s) add_id(std::string(1, ch));
        else add_id(s);
    }
    return out;
}

ProcessingStep parse_step(const YAML::Node& n, const TensorDesc& t, const std::string& field, const Ctx& c) {
    ProcessingStep s;
    std::string id = str(n["id"]);
    if (id.empty()) id = str(n["name"]);  // v0.4
    if (id.empty()) c.missing(field + ".id");
    const YAML::Node kw = n["kwargs"];
    if (kw && kw.IsMap()) s.kwargs = to_json(kw);
    s.mode = s.kwargs.value("mode", std::string());
    if (kw && kw.IsMap()) {
        s.axes = axes_letters(kw["axes"], t, field + ".kwargs.axes", c);
        if (kw["axis"] && !kw["axis"].IsNull()) {
            const std::string a = axes_letters(kw["axis"], t, field + ".kwargs.axis", c);
            s.axis = a.empty() ? 0 : a[0];
        }
    }
    if (id == "zero_mean_unit_variance" && s.mode == "fixed") id = "fixed_zero_mean_unit_variance";
    static const std::vector<std::string> known = {
        "scale_range", "zero_mean_unit_variance", "fixed_zero_mean_unit_variance", "scale_linear",
        "scale_mean_variance", "clip", "binarize", "sigmoid", "softmax", "ensure_dtype"};
    if (std::find(known.begin(), known.end(), id) == known.end())
        c.bad(field, "unsupported processing '" + id +
                         "' (supported: scale_range, zero_mean_unit_variance, fixed_zero_mean_unit_variance, "
                         "scale_linear, scale_mean_variance, clip, binarize, sigmoid, softmax, ensure_dtype)");
    // v0.4 fixed zero-mean with list values and `axes` (e.g. "c"): the lists vary along that axis.
    if (id == "fixed_zero_mean_unit_variance" || id == "scale_linear" || id == "binarize") {
        bool lists = false;
        for (const char* k : {"mean", "std", "gain", "offset", "threshold"})
            if (s.kwargs.contains(k) && s.kwargs[k].is_array()) lists = true;
        if (lists && !s.axis) {
            if (s.axes.size() == 1) s.axis = s.axes[0];
            else s.axis = 'c';
        }
    }
    s.id = id;
    return s;
}

// ---------------------------------------------------------------------------------------------
// Tensors, v0.5

AxisDesc parse_axis_v05(const YAML::Node& n, const std::string& field, const Ctx& c) {
    AxisDesc a;
    const std::string type = str(n["type"]);
    if (type.empty()) c.missing(field + ".type");
    if (type == "batch") a.type = AxisType::Batch;
    else if (type == "time") a.type = AxisType::Time;
    else if (type == "channel") a.type = AxisType::Channel;
    else if (type == "index") a.type = AxisType::Index;
    else if (type == "space") a.type = AxisType::Space;
    else c.bad(field + ".type", "unknown axis type '" + type + "' (batch, time, channel, index, space)");
    static const char* default_ids[] = {"batch", "time", "channel", "index", "x"};
    a.id = str(n["id"], default_ids[static_cast<int>(a.type)]);
    a.letter = letter_for(a.type, a.id, field, c);
    if (a.type == AxisType::Channel) {
        const YAML::Node names = n["channel_names"];
        if (!names || !names.IsSequence()) c.missing(field + ".channel_names");
        for (const auto& e : names) a.channel_names.push_back(str(e));
        a.size = AxisSize::of(static_cast<std::int64_t>(a.channel_names.size()));
    } else {
        const YAML::Node s = n["size"];
        if (!s || s.IsNull()) {
            if (a.type == AxisType::Batch) a.size = AxisSize::any();
            else c.missing(field + ".size");
        } else if (s.IsScalar()) {
            a.size = AxisSize::of(to_int(s, field + ".size", c));
        } else if (s.IsMap() && s["tensor_id"]) {
            a.size.kind = AxisSize::Kind::Reference;
            a.size.ref_tensor = str(s["tensor_id"]);
            a.size.ref_axis = str(s["axis_id"]);
            if (a.size.ref_axis.empty()) c.missing(field + ".size.axis_id");
            if (s["offset"]) a.size.offset = to_int(s["offset"], field + ".size.offset", c);
        } else if (s.IsMap() && s["step"]) {
            if (!s["min"]) c.missing(field + ".size.min");
            a.size = AxisSize::parameterized(to_int(s["min"], field + ".size.min", c),
                                             to_int(s["step"], field + ".size.step", c));
        } else if (s.IsMap()) {
            a.size = AxisSize::any();  // data-dependent size {min, max}
        } else {
            c.bad(field + ".size", "expected an integer, {min, step} or {tensor_id, axis_id}");
        }
    }
    if (n["halo"]) a.halo = to_int(n["halo"], field + ".halo", c);
    return a;
}

TensorDesc parse_tensor_v05(const YAML::Node& n, bool input, const std::string& field, const Ctx& c) {
    TensorDesc t;
    t.id = required_str(n, "id", field + ".", c);
    t.description = str(n["description"]);
    const YAML::Node axes = n["axes"];
    if (!axes || !axes.IsSequence() || axes.size() == 0) c.missing(field + ".axes");
    for (std::size_t i = 0; i < axes.size(); ++i)
        t.axes.push_back(parse_axis_v05(axes[i], field + ".axes[" + std::to_string(i) + "]", c));
    const YAML::Node data = n["data"];
    if (data && data.IsMap()) t.data_type = str(data["type"], "float32");
    else if (data && data.IsSequence() && data.size() > 0) t.data_type = str(data[0]["type"], "float32");
    t.test_tensor = file_ref(n["test_tensor"]);
    if (t.test_tensor.empty()) c.missing(field + ".test_tensor");
    t.sample_tensor = file_ref(n["sample_tensor"]);
    const YAML::Node proc = n[input ? "preprocessing" : "postprocessing"];
    const std::string pfield = field + (input ? ".preprocessing" : ".postprocessing");
    if (proc && proc.IsSequence())
        for (std::size_t i = 0; i < proc.size(); ++i)
            t.processing.push_back(parse_step(proc[i], t, pfield + "[" + std::to_string(i) + "]", c));
    return t;
}

// ---------------------------------------------------------------------------------------------
// Tensors, v0.4

TensorDesc parse_tensor_v04(const YAML::Node& n, bool input, const std::string& field, const Ctx& c) {
    TensorDesc t;
    t.id = required_str(n, "name", field + ".", c);
    t.description = str(n["description"]);
    const std::string letters = required_str(n, "axes", field + ".", c);
    t.data_type = required_str(n, "data_type", field + ".", c);
    for (std::size_t i = 0; i < letters.size(); ++i) {
        AxisDesc a;
        a.letter = letters[i];
        switch (a.letter) {
        case 'b': a.type = AxisType::Batch; a.id = "batch"; break;
        case 't': a.type = AxisType::Time; a.id = "time"; break;
        case 'c': a.type = AxisType::Channel; a.id = "channel"; break;
        case 'i': a.type = AxisType::Index; a.id = "index"; break;
        case 'x': case 'y': case 'z': a.type = AxisType::Space; a.id = std::string(1, a.letter); break;
        default: c.bad(field + ".axes", std::string("unknown axis letter '") + a.letter + "' (use b, t, c, i, z, y, x)");
        }
        t.axes.push_back(a);
    }
    const YAML::Node shape = n["shape"];
    if (!shape) c.missing(field + ".shape");
    const std::size_t rank = t.axes.size();
    auto need_len = [&](const YAML::Node& l, const std::string& f) {
        if (!l || !l.IsSequence() || l.size() != rank)
            c.bad(f, "expected a list of " + std::to_string(rank) + " values (one per axis of '" + letters + "')");
    };
    if (shape.IsSequence()) {
        need_len(shape, field + ".shape");
        for (std::size_t i = 0; i < rank; ++i)
            t.axes[i].size = AxisSize::of(to_int(shape[i], field + ".shape", c));
    } else if (shape.IsMap() && shape["min"]) {
        need_len(shape["min"], field + ".shape.min");
        need_len(shape["step"], field + ".shape.step");
        for (std::size_t i = 0; i < rank; ++i)
            t.axes[i].size = AxisSize::parameterized(to_int(shape["min"][i], field + ".shape.min", c),
                                                     to_int(shape["step"][i], field + ".shape.step", c));
    } else if (shape.IsMap() && shape["reference_tensor"]) {
        const std::string ref = str(shape["reference_tensor"]);
        const YAML::Node scale = shape["scale"], offset = shape["offset"];
        need_len(scale, field + ".shape.scale");
        if (offset) need_len(offset, field + ".shape.offset");
        for (std::size_t i = 0; i < rank; ++i) {
            AxisSize& s = t.axes[i].size;
            if (scale[i].IsNull()) {  // a new axis: its size is 2 * offset
                s = AxisSize::of(offset ? 2 * static_cast<std::int64_t>(to_double(offset[i], field + ".shape.offset", c)) : 1);
                continue;
            }
            const double sc = to_double(scale[i], field + ".shape.scale", c);
            const double off = offset ? to_double(offset[i], field + ".shape.offset", c) : 0.0;
            if (sc == 0.0) {  // independent of the input: e.g. the channels of the output
                s = AxisSize::of(static_cast<std::int64_t>(std::lround(2 * off)));
                continue;
            }
            s.kind = AxisSize::Kind::Reference;
            s.ref_tensor = ref;
            s.ref_axis = std::string(1, t.axes[i].letter);
            s.ref_scale = sc;
            s.offset = static_cast<std::int64_t>(std::lround(2 * off));  // v0.4: output = input * scale + 2 * offset
        }
    } else {
        c.bad(field + ".shape", "expected a list, {min, step} or {reference_tensor, scale, offset}");
    }
    // A v0.4 batch size is not binding (the bioimage.io 0.5 converter frees it too): models
    // written with shape [1, 1, 512, 512] take batches.
    for (auto& a : t.axes)
        if (a.letter == 'b') a.size = AxisSize::any();
    if (const YAML::Node halo = n["halo"]) {
        need_len(halo, field + ".halo");
        for (std::size_t i = 0; i < rank; ++i) t.axes[i].halo = to_int(halo[i], field + ".halo", c);
    }
    const YAML::Node proc = n[input ? "preprocessing" : "postprocessing"];
    const std::string pfield = field + (input ? ".preprocessing" : ".postprocessing");
    if (proc && proc.IsSequence())
        for (std::size_t i = 0; i < proc.size(); ++i)
            t.processing.push_back(parse_step(proc[i], t, pfield + "[" + std::to_string(i) + "]", c));
    return t;
}

void parse_nativeseg_config(const YAML::Node& n, NativesegConfig& cfg, const Ctx& c) {
    if (!n || !n.IsMap()) return;
    const std::string f = "config.nativeseg.";
    if (const YAML::Node ch = n["channels"]; ch && ch.IsSequence())
        for (const auto& e : ch) cfg.channels.push_back(str(e));
    if (n["threshold"]) cfg.threshold = to_double(n["threshold"], f + "threshold", c);
    for (auto [key, target] : {std::pair{"object_min_size", &cfg.object_min_size}, std::pair{"seed_min_size", &cfg.seed_min_size}}) {
        if (!n[key]) continue;
        const auto v = to_int(n[key], f + key, c);
        if (v < 0) c.bad(f + key, "expected a number of pixels (0 or more)");
        *target = v;
    }
    if (n["temporal_window"]) {
        const auto k = to_int(n["temporal_window"], f + "temporal_window", c);
        if (k < 1 || k > 1000) c.bad(f + "temporal_window", "expected 1 to 1000 frames");
        cfg.temporal_window = static_cast<int>(k);
    }
    cfg.temporal_mode = str(n["temporal_mode"], cfg.temporal_mode);
    if (cfg.temporal_mode == "centred") cfg.temporal_mode = "centered";
    if (cfg.temporal_mode != "causal" && cfg.temporal_mode != "centered")
        c.bad(f + "temporal_mode", "expected causal or centered, got '" + cfg.temporal_mode + "'");
    cfg.temporal_padding = str(n["temporal_padding"], cfg.temporal_padding);
    if (cfg.temporal_padding != "replicate" && cfg.temporal_padding != "reflect")
        c.bad(f + "temporal_padding", "expected replicate or reflect, got '" + cfg.temporal_padding + "'");
    if (cfg.temporal_mode == "centered" && cfg.temporal_window % 2 == 0)
        c.bad(f + "temporal_window", "a centered window needs an odd number of frames");
    cfg.normalize = str(n["normalize"]);
    if (!cfg.normalize.empty()) {
        std::transform(cfg.normalize.begin(), cfg.normalize.end(), cfg.normalize.begin(), ::tolower);
        static const std::vector<std::string> modes = {"none", "percentile", "mean", "median", "he"};
        if (std::find(modes.begin(), modes.end(), cfg.normalize) == modes.end())
            c.bad(f + "normalize", "expected none, percentile, mean, median or he, got '" + cfg.normalize + "'");
    }
    if (n["halo"]) cfg.halo = to_int(n["halo"], f + "halo", c);
}

}  // namespace

// ---------------------------------------------------------------------------------------------

namespace {
ModelDescription parse_description(const std::string& yaml, const std::string& dir, const std::string& name);
}  // namespace

ModelDescription parse_model_description(const std::string& yaml, const std::string& dir, const std::string& name) {
    try {
        return parse_description(yaml, dir, name);
    } catch (const YAML::Exception& e) {
        // A field of an unexpected kind (a list where a map belongs, ...) that the checks above missed.
        throw Error(name + ": unexpected content at line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
}

namespace {
ModelDescription parse_description(const std::string& yaml, const std::string& dir, const std::string& name) {
    const Ctx c{name};
    YAML::Node root;
    try {
        root = YAML::Load(yaml);
    } catch (const YAML::Exception& e) {
        throw Error(name + ": malformed YAML at line " + std::to_string(e.mark.line + 1) + ", column " +
                    std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
    if (!root.IsMap()) throw Error(name + ": not a model description (expected a YAML mapping at the top level)");
    ModelDescription m;
    m.dir = dir;
    m.rdf_path = name;
    m.format_version = required_str(root, "format_version", "", c);
    const bool v04 = m.format_version.rfind("0.4", 0) == 0;
    const bool v05 = m.format_version.rfind("0.5", 0) == 0;
    if (!v04 && !v05)
        c.bad("format_version", "version " + m.format_version + " is not supported (NativeSeg reads 0.4.x and 0.5.x)");
    m.type = str(root["type"], "model");
    if (m.type != "model") c.bad("type", "expected 'model', got '" + m.type + "'");
    m.name = required_str(root, "name", "", c);
    m.id = str(root["id"]);
    m.description = str(root["description"]);
    m.license = str(root["license"]);
    m.version = str(root["version"]);
    m.documentation = str(root["documentation"]);
    if (const YAML::Node a = root["authors"]; a && a.IsSequence())
        for (const auto& e : a)
            m.authors.push_back({str(e["name"]), str(e["affiliation"]), str(e["email"]), str(e["github_user"]),
                                 str(e["orcid"])});
    if (const YAML::Node a = root["cite"]; a && a.IsSequence())
        for (const auto& e : a) m.cite.push_back({str(e["text"]), str(e["doi"]), str(e["url"])});
    if (const YAML::Node a = root["tags"]; a && a.IsSequence())
        for (const auto& e : a) m.tags.push_back(str(e));

    const YAML::Node inputs = root["inputs"], outputs = root["outputs"];
    if (!inputs || !inputs.IsSequence() || inputs.size() == 0) c.missing("inputs");
    if (!outputs || !outputs.IsSequence() || outputs.size() == 0) c.missing("outputs");
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const std::string f = "inputs[" + std::to_string(i) + "]";
        m.inputs.push_back(v04 ? parse_tensor_v04(inputs[i], true, f, c) : parse_tensor_v05(inputs[i], true, f, c));
    }
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        const std::string f = "outputs[" + std::to_string(i) + "]";
        m.outputs.push_back(v04 ? parse_tensor_v04(outputs[i], false, f, c) : parse_tensor_v05(outputs[i], false, f, c));
    }
    if (v04) {  // test tensors are listed separately in 0.4
        const YAML::Node ti = root["test_inputs"], to = root["test_outputs"];
        if (!ti || !ti.IsSequence()) c.missing("test_inputs");
        if (!to || !to.IsSequence()) c.missing("test_outputs");
        for (std::size_t i = 0; i < m.inputs.size() && i < ti.size(); ++i) m.inputs[i].test_tensor = str(ti[i]);
        for (std::size_t i = 0; i < m.outputs.size() && i < to.size(); ++i) m.outputs[i].test_tensor = str(to[i]);
        const YAML::Node si = root["sample_inputs"];
        for (std::size_t i = 0; si && si.IsSequence() && i < m.inputs.size() && i < si.size(); ++i)
            m.inputs[i].sample_tensor = str(si[i]);
    }
    // Reference sizes must point at an existing input axis.
    for (auto* list : {&m.inputs, &m.outputs})
        for (auto& t : *list)
            for (auto& a : t.axes) {
                if (a.size.kind != AxisSize::Kind::Reference) continue;
                const auto it = std::find_if(m.inputs.begin(), m.inputs.end(),
                                             [&](const TensorDesc& in) { return in.id == a.size.ref_tensor; });
                if (it == m.inputs.end())
                    c.bad(t.id + "." + a.id + ".size", "refers to tensor '" + a.size.ref_tensor + "', which is no input");
                bool found = false;
                for (const auto& ra : it->axes)
                    if (ra.id == a.size.ref_axis || std::string(1, ra.letter) == a.size.ref_axis) found = true;
                if (!found)
                    c.bad(t.id + "." + a.id + ".size",
                          "refers to axis '" + a.size.ref_axis + "' of '" + a.size.ref_tensor + "', which it lacks");
            }

    const YAML::Node weights = root["weights"];
    if (!weights || !weights.IsMap() || weights.size() == 0) c.missing("weights");
    for (const auto& kv : weights) m.weight_formats.push_back(kv.first.as<std::string>());
    // "pytorch_script" is the early 0.3/0.4 name.
    const YAML::Node ts = weights["torchscript"] ? weights["torchscript"] : weights["pytorch_script"];
    if (!ts) {
        std::string have;
        for (const auto& f : m.weight_formats) have += (have.empty() ? "" : ", ") + f;
        throw Error(name + ": the model has no TorchScript weights (it has: " + have +
                    "); NativeSeg runs TorchScript models only");
    }
    m.weights.source = file_ref(ts);
    if (m.weights.source.empty()) c.missing("weights.torchscript.source");
    m.weights.sha256 = str(ts["sha256"]);
    m.weights.pytorch_version = str(ts["pytorch_version"]);

    if (const YAML::Node cfg = root["config"]; cfg && cfg.IsMap()) {
        parse_nativeseg_config(cfg["nativeseg"], m.nativeseg, c);
        const YAML::Node bio = cfg["bioimageio"];
        const YAML::Node tol = bio && bio.IsMap() ? bio["reproducibility_tolerance"] : YAML::Node();
        if (tol && tol.IsSequence() && tol.size() > 0 && tol[0].IsMap()) {
            const std::string f = "config.bioimageio.reproducibility_tolerance[0].";
            if (tol[0]["absolute_tolerance"])
                m.test_abs_tolerance = to_double(tol[0]["absolute_tolerance"], f + "absolute_tolerance", c);
            if (tol[0]["relative_tolerance"])
                m.test_rel_tolerance = to_double(tol[0]["relative_tolerance"], f + "relative_tolerance", c);
            if (tol[0]["mismatched_elements_per_million"])
                m.test_mismatched_per_million =
                    to_double(tol[0]["mismatched_elements_per_million"], f + "mismatched_elements_per_million", c);
        }
    }
    return m;
}
}  // namespace

namespace {

std::string find_rdf_in(const fs::path& dir) {
    for (const char* n : {"rdf.yaml", "bioimageio.yaml", "rdf.yml"})
        if (fs::is_regular_file(dir / n)) return (dir / n).string();
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string f = e.path().filename().string();
        const std::string suffix = ".bioimageio.yaml";
        if (f.size() > suffix.size() && f.compare(f.size() - suffix.size(), suffix.size(), suffix) == 0)
            return e.path().string();
    }
    return {};
}

}  // namespace

ModelDescription read_model_description(const std::string& dir_or_file) {
    std::error_code ec;
    const fs::path p(dir_or_file);
    std::string rdf;
    if (fs::is_directory(p, ec)) {
        rdf = find_rdf_in(p);
        if (rdf.empty())
            throw Error(dir_or_file + ": not a model folder (no rdf.yaml or bioimageio.yaml in it)");
    } else if (fs::is_regular_file(p, ec)) {
        rdf = p.string();
    } else {
        throw Error(dir_or_file + ": no such model folder or rdf.yaml");
    }
    std::ifstream in(rdf);
    if (!in) throw Error(rdf + ": cannot be read");
    std::stringstream ss;
    ss << in.rdbuf();
    ModelDescription m = parse_model_description(ss.str(), fs::path(rdf).parent_path().string(), rdf);
    if (!fs::is_regular_file(m.weights_path(), ec))
        throw Error(m.dir + ": the weights file '" + m.weights.source + "' named in " + fs::path(rdf).filename().string() +
                    " is missing from the model folder");
    return m;
}

// ---------------------------------------------------------------------------------------------

std::string model_info_text(const ModelDescription& m) {
    std::ostringstream o;
    o << m.name;
    if (!m.version.empty()) o << " (version " << m.version << ")";
    o << "\n";
    if (!m.id.empty()) o << "  id:          " << m.id << "\n";
    o << "  folder:      " << m.dir << "\n";
    o << "  format:      bioimage.io model description " << m.format_version << "\n";
    if (!m.description.empty()) o << "  description: " << m.description << "\n";
    if (!m.authors.empty()) {
        o << "  authors:     ";
        for (std::size_t i = 0; i < m.authors.size(); ++i) o << (i ? ", " : "") << m.authors[i].name;
        o << "\n";
    }
    if (!m.license.empty()) o << "  licence:     " << m.license << "\n";
    for (const auto& c : m.cite) {
        o << "  cite:        " << c.text;
        if (!c.doi.empty()) o << " (doi:" << c.doi << ")";
        else if (!c.url.empty()) o << " (" << c.url << ")";
        o << "\n";
    }
    if (!m.documentation.empty()) o << "  documentation: " << m.file(m.documentation) << "\n";
    o << "  weights:     TorchScript " << m.weights.source;
    if (!m.weights.pytorch_version.empty()) o << " (saved with PyTorch " << m.weights.pytorch_version << ")";
    o << "\n";
    auto tensor = [&o](const TensorDesc& t, const char* kind) {
        o << "  " << kind << " '" << t.id << "': axes " << t.letters() << ", " << t.data_type << "\n";
        for (const auto& a : t.axes) {
            o << "      " << a.id << ": " << a.size.str();
            if (a.halo) o << ", halo " << a.halo;
            if (!a.channel_names.empty()) {
                o << " (";
                for (std::size_t i = 0; i < a.channel_names.size(); ++i) o << (i ? ", " : "") << a.channel_names[i];
                o << ")";
            }
            o << "\n";
        }
        for (const auto& s : t.processing) o << "      " << (kind[0] == 'i' ? "pre" : "post") << "processing: " << s.id
                                             << (s.kwargs.empty() ? "" : " " + s.kwargs.dump()) << "\n";
    };
    for (const auto& t : m.inputs) tensor(t, "input ");
    for (const auto& t : m.outputs) tensor(t, "output");
    const NativesegConfig& c = m.nativeseg;
    if (!c.channels.empty()) {
        o << "  output channels: ";
        for (std::size_t i = 0; i < c.channels.size(); ++i) o << (i ? ", " : "") << i << "=" << c.channels[i];
        o << " (foreground: channel " << m.foreground_channel() << ")\n";
    }
    if (c.threshold) o << "  suggested threshold: " << *c.threshold << "\n";
    if (c.object_min_size) o << "  suggested object_min_size: " << *c.object_min_size << " px\n";
    if (c.seed_min_size) o << "  suggested seed_min_size: " << *c.seed_min_size << " px\n";
    if (c.temporal_window > 1)
        o << "  temporal window: " << c.temporal_window << " frames, " << c.temporal_mode << ", ends padded by "
          << c.temporal_padding << "\n";
    if (!c.normalize.empty()) o << "  normalisation: " << c.normalize << "\n";
    o << "  halo:        x " << m.halo('x') << ", y " << m.halo('y');
    if (m.inputs[0].axis('z')) o << ", z " << m.halo('z');
    o << " px" << (c.halo ? " (config.nativeseg.halo)" : "") << "\n";
    return o.str();
}

namespace {

std::string executable_dir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : exe.parent_path().string();
}

}  // namespace

std::string find_model(const std::string& model_or_id) {
    std::error_code ec;
    if (model_or_id.empty()) throw Error("model: no model given (a model folder or a model id)");
    if (fs::is_directory(model_or_id, ec) || fs::is_regular_file(model_or_id, ec)) return model_or_id;
    const bool looks_like_path = model_or_id.find('/') != std::string::npos;
    std::vector<fs::path> roots;
    if (!looks_like_path) {
        if (const char* env = std::getenv("NATIVESEG_MODELS")) {
            std::stringstream ss(env);
            std::string item;
            while (std::getline(ss, item, ':'))
                if (!item.empty()) roots.emplace_back(item);
        }
        const std::string exe = executable_dir();
        if (!exe.empty()) {
            roots.push_back(fs::path(exe) / "models");
            roots.push_back(fs::path(exe) / ".." / "share" / "nativeseg" / "models");
        }
#ifdef NATIVESEG_SOURCE_DIR
        roots.push_back(fs::path(NATIVESEG_SOURCE_DIR) / "models");
#endif
        for (const auto& r : roots)
            if (fs::is_directory(r / model_or_id, ec)) return (r / model_or_id).lexically_normal().string();
    }
    std::string where;
    for (const auto& r : roots) where += (where.empty() ? "" : ", ") + r.lexically_normal().string();
    if (looks_like_path || where.empty()) throw Error("model: no such model folder '" + model_or_id + "'");
    throw Error("model: '" + model_or_id + "' is neither a folder nor a known model id (looked in " + where + ")");
}

}  // namespace nativeseg
