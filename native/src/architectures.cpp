// Network definitions as generated TorchScript source plus registered parameters
// (see architectures.h). The source is plain aten calls (torch.conv2d, torch.batch_norm, ...)
// so that it compiles the same in LibTorch and in Python's torch.jit.load.
#include "nativeseg/architectures.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "nativeseg/error.h"

namespace nativeseg {

namespace {

// Emits one statement per layer and records the parameters each layer needs.
class SourceBuilder {
public:
    SourceBuilder(const ArchitectureSpec& spec, bool make_tensors) : spec_(spec), make_tensors_(make_tensors) {
        nd_ = spec.spatial_dims == 3 ? "3d" : "2d";
    }

    // k×k convolution with padding that keeps the size.
    std::string conv(const std::string& in, int cin, int cout, int k, int dilation = 1) {
        const std::string w = param("w", {cout, cin, k}, std::sqrt(2.0 / (cin * std::pow(k, spec_.spatial_dims))));
        const std::string b = param("b", {cout}, 0.0);
        const int pad = (k / 2) * dilation;
        return emit("torch.conv" + nd_ + "(" + in + ", self." + w + ", self." + b + ", " + ints(1) + ", " +
                    ints(pad) + ", " + ints(dilation) + ", 1)");
    }

    std::string bn(const std::string& in, int c) {
        if (!spec_.batch_norm) return in;
        const std::string name = "n" + std::to_string(layer_++);
        add(name + "_w", at::ones({c}), true);
        add(name + "_b", at::zeros({c}), true);
        add(name + "_rm", at::zeros({c}), false);
        add(name + "_rv", at::ones({c}), false);
        return emit("torch.batch_norm(" + in + ", self." + name + "_w, self." + name + "_b, self." + name +
                    "_rm, self." + name + "_rv, self.training, 0.1, 1e-05, True)");
    }

    std::string relu(const std::string& in) { return emit("torch.relu(" + in + ")"); }
    std::string add_of(const std::vector<std::string>& terms) {
        std::string e = terms[0];
        for (std::size_t i = 1; i < terms.size(); ++i) e += " + " + terms[i];
        return emit(e);
    }
    std::string pool(const std::string& in) {
        return emit("torch.max_pool" + nd_ + "(" + in + ", " + ints(2) + ", " + ints(2) + ")");
    }
    std::string dropout(const std::string& in) {
        if (spec_.dropout <= 0) return in;
        std::ostringstream p;
        p << spec_.dropout;
        return emit("torch.dropout(" + in + ", " + p.str() + ", self.training)");
    }
    // Doubles the spatial size and maps cin to cout channels.
    std::string up(const std::string& in, int cin, int cout) {
        if (spec_.upsampling == "transposed") {
            const std::string w = param("w", {cin, cout, 2}, std::sqrt(2.0 / (cin * std::pow(2, spec_.spatial_dims))));
            const std::string b = param("b", {cout}, 0.0);
            return emit("torch.conv_transpose" + nd_ + "(" + in + ", self." + w + ", self." + b + ", " + ints(2) + ")");
        }
        const std::string scales = spec_.spatial_dims == 3 ? "[2.0, 2.0, 2.0]" : "[2.0, 2.0]";
        const std::string fn = spec_.spatial_dims == 3 ? "torch.upsample_trilinear3d" : "torch.upsample_bilinear2d";
        const std::string u = emit(fn + "(" + in + ", None, False, " + scales + ")");
        return conv(u, cin, cout, 1);
    }
    std::string cat(const std::string& a, const std::string& b) { return emit("torch.cat([" + a + ", " + b + "], 1)"); }

    // conv-BN-ReLU twice (the U-Net block).
    std::string double_conv(const std::string& in, int cin, int cout) {
        std::string h = relu(bn(conv(in, cin, cout, 3), cout));
        return relu(bn(conv(h, cout, cout, 3), cout));
    }
    // conv-BN-ReLU-conv-BN plus the input (projected when the channels change), then ReLU.
    std::string residual(const std::string& in, int cin, int cout) {
        std::string h = relu(bn(conv(in, cin, cout, 3), cout));
        h = bn(conv(h, cout, cout, 3), cout);
        const std::string shortcut = cin == cout ? in : conv(in, cin, cout, 1);
        return relu(add_of({h, shortcut}));
    }
    std::string block(const std::string& in, int cin, int cout) {
        return spec_.concatenates_skips() ? double_conv(in, cin, cout) : residual(in, cin, cout);
    }
    // D-LinkNet centre: cascaded dilated convolutions, every stage's output summed with the input.
    std::string dilated_centre(const std::string& in, int c) {
        std::vector<std::string> terms = {in};
        std::string h = in;
        for (int rate : {1, 2, 4, 8}) {
            h = relu(conv(h, c, c, 3, rate));
            terms.push_back(h);
        }
        return add_of(terms);
    }

    std::string body() const { return body_.str(); }
    // The statements emitted so far (one method's body), leaving the builder empty for the next.
    std::string take_body() {
        std::string b = body_.str();
        body_.str("");
        return b;
    }
    // A statement written as is (shape arithmetic, checks); `expr` becomes a fresh variable.
    void statement(const std::string& text) { body_ << "    " << text << "\n"; }
    std::string value(const std::string& expr) { return emit(expr); }
    // The name of the most recent bias parameter (for initialisations other than zero).
    const std::string& last_bias() const { return last_bias_; }
    std::vector<std::pair<std::string, at::Tensor>> parameters, buffers;

private:
    std::string ints(int v) const {
        std::string s = "[" + std::to_string(v);
        for (int i = 1; i < spec_.spatial_dims; ++i) s += ", " + std::to_string(v);
        return s + "]";
    }
    std::string emit(const std::string& expr) {
        const std::string v = "h" + std::to_string(var_++);
        body_ << "    " << v << " = " << expr << "\n";
        return v;
    }
    // A weight {cout, cin, k} (expanded to k×k or k×k×k) or a bias {c}; std 0 gives zeros.
    std::string param(const std::string& kind, const std::vector<int64_t>& dims, double std) {
        const std::string name = kind == "w" ? "c" + std::to_string(layer_) + "_w" : "c" + std::to_string(layer_++) + "_b";
        if (kind != "w") last_bias_ = name;
        if (!make_tensors_) return name;
        std::vector<int64_t> shape = dims;
        if (dims.size() == 3) {
            shape.pop_back();
            for (int i = 0; i < spec_.spatial_dims; ++i) shape.push_back(dims[2]);
        }
        at::Tensor t = std == 0.0 ? at::zeros(shape) : at::randn(shape) * std;
        add(name, t, true);
        return name;
    }
    void add(const std::string& name, const at::Tensor& t, bool trainable) {
        if (!make_tensors_) return;
        (trainable ? parameters : buffers).emplace_back(name, t);
    }

    const ArchitectureSpec& spec_;
    bool make_tensors_;
    std::string nd_;
    std::ostringstream body_;
    int var_ = 0;
    int layer_ = 0;
    std::string last_bias_;
};

struct Generated {
    std::string source;
    std::vector<std::pair<std::string, at::Tensor>> parameters, buffers;
};

// Channels per level: base_filters doubled at each of the depth poolings.
std::vector<int> level_filters(const ArchitectureSpec& s) {
    std::vector<int> f;
    for (int l = 0; l <= s.depth; ++l) f.push_back(s.base_filters << l);
    return f;
}

// The encoder path from x: a block and a pooling per level (the block outputs are the skips),
// then the bottom block. Returns the bottom features.
std::string encoder(SourceBuilder& b, const ArchitectureSpec& s, const std::vector<int>& f,
                    std::vector<std::string>& skips) {
    std::string h = "x";
    int cin = s.in_channels;
    for (int l = 0; l < s.depth; ++l) {
        h = b.block(h, cin, f[l]);
        skips.push_back(h);
        h = b.pool(h);
        cin = f[l];
    }
    return b.block(h, cin, f[s.depth]);
}

// forward(x): the probabilities of logits(x).
std::string forward_source(const ArchitectureSpec& s) {
    return "def forward(self, x: Tensor) -> Tensor:\n    return " +
           std::string(s.out_channels == 1 ? "torch.sigmoid(self.logits(x))" : "torch.softmax(self.logits(x), 1)") +
           "\n";
}

// The temporal U-Net (architectures.h): x is (B, k·C, Y, X), k frames oldest first. One 2-D
// encoder (its own method, so its weights are shared) runs on all B·k frames at once; a
// ConvLSTM cell runs over the k bottom feature maps in time order (unrolled: k is fixed); the
// decoder takes the last hidden state and the skips of the target frame.
Generated generate_temporal(const ArchitectureSpec& s, bool make_tensors) {
    SourceBuilder b(s, make_tensors);
    const std::vector<int> f = level_filters(s);
    const int k = s.temporal_window, hidden = s.lstm_channels(), bottom = f[s.depth];
    const int target = s.target_frame();

    // encode(x): skips of every level and the bottom features of single frames.
    std::vector<std::string> skips;
    std::string h = encoder(b, s, f, skips);
    std::string tuple_type, tuple_value;
    for (int l = 0; l <= s.depth; ++l) {
        tuple_type += std::string(l ? ", " : "") + "Tensor";
        tuple_value += std::string(l ? ", " : "") + (l < s.depth ? skips[l] : h);
    }
    const std::string encode = "def encode(self, x: Tensor) -> Tuple[" + tuple_type + "]:\n" + b.take_body() +
                               "    return (" + tuple_value + ")\n";

    // logits(x): frames as batch entries, the encoder once, then time.
    const std::string K = std::to_string(k), C = std::to_string(s.in_channels);
    b.statement("assert x.dim() == 4 and x.size(1) == " + std::to_string(k * s.in_channels) +
                ", \"temporal_unet: expected an input (batch, " + std::to_string(k * s.in_channels) + " = " + K +
                " frames x " + C + " channel(s), y, x)\"");
    b.statement("nb = x.size(0)");
    b.statement("e = self.encode(torch.reshape(x, [nb * " + K + ", " + C + ", x.size(2), x.size(3)]))");
    auto per_frame = [&](int l) {
        const std::string el = "e[" + std::to_string(l) + "]";
        return b.value("torch.reshape(" + el + ", [nb, " + K + ", " + el + ".size(1), " + el + ".size(2), " + el +
                       ".size(3)])");
    };
    std::vector<std::string> target_skips;
    for (int l = 0; l < s.depth; ++l) target_skips.push_back(b.value("torch.select(" + per_frame(l) + ", 1, " + std::to_string(target) + ")"));
    const std::string z = per_frame(s.depth);
    std::string hs = b.value("torch.zeros([nb, " + std::to_string(hidden) + ", " + z + ".size(3), " + z +
                             ".size(4)], dtype=x.dtype, device=x.device)");
    std::string cs = hs;
    // One set of gate weights for every step: conv3x3(cat[x_t, h]) → i, f, o, g.
    std::string lstm_bias;
    for (int t = 0; t < k; ++t) {
        const std::string xt = b.value("torch.select(" + z + ", 1, " + std::to_string(t) + ")");
        std::string g;
        if (t == 0) {
            g = b.conv(b.cat(xt, hs), bottom + hidden, 4 * hidden, 3);
            lstm_bias = b.last_bias();
            b.statement("lstm_w = self." + lstm_bias.substr(0, lstm_bias.size() - 2) + "_w");
            b.statement("lstm_b = self." + lstm_bias);
        } else {
            g = b.value("torch.conv2d(torch.cat([" + xt + ", " + hs + "], 1), lstm_w, lstm_b, [1, 1], [1, 1], [1, 1], 1)");
        }
        auto gate = [&](int i) {
            return "torch.narrow(" + g + ", 1, " + std::to_string(i * hidden) + ", " + std::to_string(hidden) + ")";
        };
        cs = b.value("torch.sigmoid(" + gate(1) + ") * " + cs + " + torch.sigmoid(" + gate(0) + ") * torch.tanh(" +
                     gate(3) + ")");
        hs = b.value("torch.sigmoid(" + gate(2) + ") * torch.tanh(" + cs + ")");
    }
    h = b.dropout(hs);
    int below = hidden;
    for (int l = s.depth - 1; l >= 0; --l) {
        const std::string u = b.up(h, below, f[l]);
        h = b.block(b.cat(u, target_skips[l]), 2 * f[l], f[l]);
        below = f[l];
    }
    const std::string out = b.conv(h, f[0], s.out_channels, 1);
    Generated g;
    g.source = encode + "\ndef logits(self, x: Tensor) -> Tensor:\n" + b.take_body() + "    return " + out + "\n\n" +
               forward_source(s);
    g.parameters = std::move(b.parameters);
    g.buffers = std::move(b.buffers);
    // Forget-gate bias 1: the cell keeps its state early in training instead of forgetting it.
    for (auto& [name, t] : g.parameters)
        if (name == lstm_bias) t.narrow(0, hidden, hidden).fill_(1.0);
    return g;
}

Generated generate(const ArchitectureSpec& s, bool make_tensors) {
    s.check();
    if (s.is_temporal()) return generate_temporal(s, make_tensors);
    SourceBuilder b(s, make_tensors);
    const std::vector<int> f = level_filters(s);
    std::vector<std::string> skips;
    std::string h = encoder(b, s, f, skips);
    if (s.name == "dlinknet") h = b.dilated_centre(h, f[s.depth]);
    h = b.dropout(h);
    for (int l = s.depth - 1; l >= 0; --l) {
        const std::string u = b.up(h, f[l + 1], f[l]);
        if (s.name == "unet") h = b.block(b.cat(u, skips[l]), 2 * f[l], f[l]);
        else h = b.block(b.add_of({u, skips[l]}), f[l], f[l]);
    }
    const std::string out = b.conv(h, f[0], s.out_channels, 1);
    Generated g;
    g.source = "def logits(self, x: Tensor) -> Tensor:\n" + b.body() + "    return " + out + "\n\n" + forward_source(s);
    g.parameters = std::move(b.parameters);
    g.buffers = std::move(b.buffers);
    return g;
}

}  // namespace

const std::vector<std::string>& architecture_names() {
    static const std::vector<std::string> names = {"unet", "residual_unet", "dlinknet", "temporal_unet"};
    return names;
}

nlohmann::json ArchitectureSpec::to_json() const {
    nlohmann::json j = {{"name", name},         {"spatial_dims", spatial_dims}, {"in_channels", in_channels},
                        {"out_channels", out_channels}, {"depth", depth},       {"base_filters", base_filters},
                        {"batch_norm", batch_norm},     {"dropout", dropout},   {"upsampling", upsampling}};
    // Only temporal networks carry these, so the kwargs (and checkpoints) of the others stay as they were.
    if (is_temporal()) {
        j["temporal_window"] = temporal_window;
        j["temporal_mode"] = temporal_mode;
    }
    return j;
}

ArchitectureSpec ArchitectureSpec::from_json(const nlohmann::json& j) {
    ArchitectureSpec s;
    s.name = j.value("name", s.name);
    s.spatial_dims = j.value("spatial_dims", s.spatial_dims);
    s.in_channels = j.value("in_channels", s.in_channels);
    s.out_channels = j.value("out_channels", s.out_channels);
    s.depth = j.value("depth", s.depth);
    s.base_filters = j.value("base_filters", s.base_filters);
    s.batch_norm = j.value("batch_norm", s.batch_norm);
    s.dropout = j.value("dropout", s.dropout);
    s.upsampling = j.value("upsampling", s.upsampling);
    s.temporal_window = j.value("temporal_window", s.temporal_window);
    s.temporal_mode = j.value("temporal_mode", s.temporal_mode);
    s.check();
    return s;
}

void ArchitectureSpec::check() const {
    const auto& names = architecture_names();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        throw Error("architecture: unknown '" + name + "' (expected one of " + list + ")");
    }
    if (spatial_dims != 2 && spatial_dims != 3) throw Error("architecture: spatial_dims must be 2 or 3");
    if (spatial_dims == 3 && name != "unet") throw Error("architecture: 3-D is available for 'unet' only");
    if (is_temporal()) {
        if (temporal_window < 2 || temporal_window > 64)
            throw Error("architecture: temporal_window must be 2..64 frames for temporal_unet, got " +
                        std::to_string(temporal_window));
        if (temporal_mode != "causal" && temporal_mode != "centered")
            throw Error("architecture: temporal_mode must be 'causal' or 'centered', got '" + temporal_mode + "'");
        if (temporal_mode == "centered" && temporal_window % 2 == 0)
            throw Error("architecture: a centered temporal window needs an odd number of frames, got " +
                        std::to_string(temporal_window));
    }
    if (depth < 1 || depth > 6) throw Error("architecture: depth must be 1..6, got " + std::to_string(depth));
    if (base_filters < 1 || base_filters > 256) throw Error("architecture: base_filters must be 1..256");
    if (in_channels < 1 || out_channels < 1) throw Error("architecture: channels must be at least 1");
    if (dropout < 0 || dropout >= 1) throw Error("architecture: dropout must be in [0, 1)");
    if (upsampling != "transposed" && upsampling != "bilinear")
        throw Error("architecture: upsampling must be 'transposed' or 'bilinear', got '" + upsampling + "'");
}

std::int64_t ArchitectureSpec::halo() const {
    // Receptive-field radius: each 3×3 conv at level l adds 2^l pixels per side.
    std::int64_t r = 0;
    for (int l = 0; l < depth; ++l) r += 2 * 2 * (std::int64_t{1} << l);  // encoder and decoder blocks
    r += 2 * (std::int64_t{1} << depth);                                    // bottom block
    if (name == "dlinknet") r += 15 * (std::int64_t{1} << depth);           // dilations 1+2+4+8 (+1 rounding)
    // Each ConvLSTM step's 3×3 convolution at the bottom level widens what the state has seen.
    if (is_temporal()) r += temporal_window * (std::int64_t{1} << depth);
    return (r + 7) / 8 * 8;
}

std::string architecture_source(const ArchitectureSpec& spec) { return generate(spec, false).source; }

torch::jit::Module build_architecture(const ArchitectureSpec& spec, std::uint64_t seed) {
    torch::NoGradGuard no_grad;
    at::manual_seed(seed);  // at::randn draws from the default generator: a deterministic initialisation
    Generated g = generate(spec, true);
    torch::jit::Module m("NativeSeg_" + spec.name);
    if (!m.hasattr("training")) m.register_attribute("training", c10::BoolType::get(), true);
    for (auto& [name, t] : g.parameters) m.register_parameter(name, t.contiguous().set_requires_grad(true), false);
    for (auto& [name, t] : g.buffers) m.register_buffer(name, t.contiguous());
    m.define(g.source);
    m.train(true);
    return m;
}

std::int64_t parameter_count(const torch::jit::Module& module) {
    std::int64_t n = 0;
    for (const at::Tensor& p : module.parameters()) n += p.numel();
    return n;
}

}  // namespace nativeseg
