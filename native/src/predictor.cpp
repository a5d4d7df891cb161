// The Predictor: pre-processing, overlap-tiles with a mirrored halo, batches on the device,
// test-time augmentation, out-of-memory retries, stitching, post-processing.
#include "nativeseg/predictor.h"

#include <sched.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <new>

#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>

#include "model_impl.h"
#include "nativeseg/error.h"
#include "nativeseg/processing.h"
#include "nativeseg/tiling.h"

#if NATIVESEG_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <cuda_runtime_api.h>
#endif

namespace nativeseg {

bool is_out_of_memory(const std::exception& e) {
    if (dynamic_cast<const c10::OutOfMemoryError*>(&e) || dynamic_cast<const std::bad_alloc*>(&e)) return true;
    const std::string m = e.what();
    return m.find("out of memory") != std::string::npos || m.find("not enough memory") != std::string::npos ||
           m.find("CUDA_ERROR_OUT_OF_MEMORY") != std::string::npos;
}

namespace {

// Canonical layout of samples and tiles: batch, time, z, channel, y, x (the memory order of
// an Image's planes, so samples need no copy to become tensors).
const std::string kCanon = "btzcyx";
constexpr int kZ = 2, kC = 3, kY = 4, kX = 5;

// Moves a tensor from one axis layout to another: axes missing in `to` must have size 1 and
// are dropped; axes missing in `from` are added with size 1.
at::Tensor relayout(at::Tensor x, const std::string& from, const std::string& to, const std::string& what) {
    std::string cur = from;
    for (std::size_t i = cur.size(); i-- > 0;) {
        if (to.find(cur[i]) != std::string::npos) continue;
        if (x.size(static_cast<std::int64_t>(i)) != 1)
            throw Error(what + ": axis '" + std::string(1, cur[i]) + "' has size " +
                        std::to_string(x.size(static_cast<std::int64_t>(i))) + " but the other side has no such axis");
        x = x.squeeze(static_cast<std::int64_t>(i));
        cur.erase(i, 1);
    }
    for (char l : to)
        if (cur.find(l) == std::string::npos) {
            x = x.unsqueeze(static_cast<std::int64_t>(cur.size()));
            cur += l;
        }
    std::vector<std::int64_t> perm;
    for (char l : to) perm.push_back(static_cast<std::int64_t>(cur.find(l)));
    return x.permute(perm);
}

struct Transform {
    int rot = 0;  // quarter turns in the y-x plane
    bool flip = false, zflip = false;
};

at::Tensor apply_transform(at::Tensor x, const Transform& t) {
    if (t.flip) x = x.flip({kX});
    if (t.zflip) x = x.flip({kZ});
    if (t.rot) x = at::rot90(x, t.rot, {kY, kX});
    return x;
}

at::Tensor invert_transform(at::Tensor y, const Transform& t) {
    if (t.rot) y = at::rot90(y, -t.rot, {kY, kX});
    if (t.zflip) y = y.flip({kZ});
    if (t.flip) y = y.flip({kX});
    return y;
}

at::Tensor mirror_indices(std::int64_t start, std::int64_t len, std::int64_t n) {
    std::vector<std::int64_t> v(static_cast<std::size_t>(len));
    for (std::int64_t i = 0; i < len; ++i) v[static_cast<std::size_t>(i)] = mirror_index(start + i, n);
    return at::tensor(v, at::kLong);
}

// Thrown inside a predict call to start it again with smaller tiles or a larger halo.
struct Replan {};

}  // namespace

struct Predictor::Impl {
    Model model;
    const ModelDescription& desc;
    PredictorOptions opt;
    torch::jit::Module module;
    c10::Device device{c10::kCPU};
    std::string device_name, device_reason;
    bool half = false;
    const TensorDesc* in = nullptr;
    const TensorDesc* out = nullptr;
    std::string in_letters, out_letters;
    bool has_z = false;
    bool time_axis = false;   // the model's input has a t axis
    int window = 1;
    bool centered = false;
    std::int64_t in_channels = -1;
    at::ScalarType in_type = at::kFloat;
    AxisSize rule_x, rule_y, rule_z;
    std::int64_t halo_x = 0, halo_y = 0, halo_z = 0;
    std::int64_t tile_yx = 0, tile_z = 0;
    std::int64_t batch = 1, max_batch = 1 << 20;
    bool auto_batch = false, batch_probed = false;
    // statistics
    std::int64_t forwards = 0, tiles_run = 0, oom_retries = 0, nonfinite = 0, samples = 0;
    bool noted_small = false, noted_tta = false, noted_nonfinite = false;
    std::vector<std::string> notes;

    Impl(const Model& m, PredictorOptions o) : model(m), desc(model.description()), opt(std::move(o)) {}

    void note(const std::string& s) {
        notes.push_back(s);
        if (opt.log) opt.log(s);
    }

    void setup();
    std::vector<Image> predict(const std::vector<Image>& samples, Progress* progress);
    std::vector<Image> predict_once(const std::vector<Image>& samples, Progress* progress);
    at::Tensor prepare(const Image& s);
    void empty_cache();
    void probe_batch(const std::function<void(std::int64_t)>& run_one);
};

void Predictor::Impl::setup() {
    const std::string where = "model '" + desc.name + "' (" + desc.dir + ")";
    if (desc.inputs.size() != 1)
        throw Error(where + ": has " + std::to_string(desc.inputs.size()) +
                    " inputs; predict runs models with one image input");
    in = &desc.inputs[0];
    out = &desc.outputs[0];
    in_letters = in->letters();
    out_letters = out->letters();
    for (char l : std::string("yx")) {
        if (!in->axis(l)) throw Error(where + ": input '" + in->id + "' has no " + l + " axis (axes " + in_letters + ")");
        if (!out->axis(l))
            throw Error(where + ": output '" + out->id + "' has no " + l + " axis (axes " + out_letters +
                        "): not an image-to-image model");
    }
    if (const AxisDesc* i = in->axis('i'); i && !(i->size.kind == AxisSize::Kind::Fixed && i->size.fixed == 1))
        throw Error(where + ": input axes with type 'index' are not supported");
    has_z = in->axis('z') != nullptr;
    if (has_z && !out->axis('z')) throw Error(where + ": the input has a z axis but the output has none");
    auto rule = [](const AxisDesc* a) {
        return a->size.kind == AxisSize::Kind::Reference ? AxisSize::any() : a->size;
    };
    rule_x = rule(in->axis('x'));
    rule_y = rule(in->axis('y'));
    if (has_z) rule_z = rule(in->axis('z'));

    // Temporal models: a t axis, or k frames stacked as channels.
    window = desc.nativeseg.temporal_window;
    centered = desc.nativeseg.temporal_mode == "centered";
    time_axis = in->axis('t') != nullptr;
    if (time_axis) {
        const AxisSize& ts = in->axis('t')->size;
        if (ts.kind == AxisSize::Kind::Fixed) {
            if (window > 1 && window != ts.fixed)
                throw Error(where + ": config.nativeseg.temporal_window is " + std::to_string(window) +
                            " but the input's time axis has size " + std::to_string(ts.fixed));
            window = static_cast<int>(ts.fixed);
        } else if (window == 1) {
            throw Error(where + ": the input has a time axis of variable size; set config.nativeseg.temporal_window");
        }
    }
    in_channels = in->channels();
    if (in_channels > 0 && !time_axis && window > 1) {
        if (in_channels % window != 0)
            throw Error(where + ": temporal window " + std::to_string(window) + " without a time axis needs the input's " +
                        std::to_string(in_channels) + " channels to be frames x channels");
        in_channels /= window;
    }
    in_type = scalar_type_from_name(in->data_type, "inputs." + in->id + ".data_type");

    // Batch: the model may fix it to 1 (v0.5 batch size 1, or no batch axis).
    const AxisDesc* b = in->axis('b');
    if (!b || (b->size.kind == AxisSize::Kind::Fixed && b->size.fixed == 1)) max_batch = 1;

    // Device, precision, threads.
    // Threads: the setting, else every core this process may use (OpenMP may default to fewer).
    if (opt.threads > 0) {
        at::set_num_threads(opt.threads);
    } else {
        cpu_set_t set;
        CPU_ZERO(&set);
        if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > at::get_num_threads())
            at::set_num_threads(CPU_COUNT(&set));
    }
    device = resolve_device(opt.device, &device_reason);
    device_name = device.str();
    half = opt.half && device.is_cuda();
    if (opt.half && !device.is_cuda()) note("half precision runs on CUDA only; using float32 on the CPU");
    try {
        module = model.impl().module.clone();
        if (half) module.to(device, at::kHalf);
        else module.to(device);
        module.eval();
    } catch (const std::exception& e) {
        throw Error(where + ": cannot move the model to " + device_name + ": " + short_torch_message(e));
    }
    // The module runs as saved: torch::jit::optimize_for_inference (oneDNN convolutions) measured
    // 5-8% faster on 544² tiles but 5-10% slower on 1056² ones (docs/benchmarks.md), so no gain to bank on.

    // Halo: setting, else config.nativeseg.halo, else the rdf's output halo.
    halo_x = opt.halo >= 0 ? opt.halo : desc.halo('x');
    halo_y = opt.halo >= 0 ? opt.halo : desc.halo('y');
    halo_z = has_z ? desc.halo('z') : 0;

    // Tiles and batch: settings, else defaults for the device (CUDA: batch from free memory
    // after a first forward pass; out-of-memory retries adjust both).
    const bool cuda = device.is_cuda();
    tile_yx = opt.tile > 0 ? opt.tile : (has_z ? (cuda ? 192 : 256) : (cuda ? 1024 : 1536));
    tile_z = opt.tile_z > 0 ? opt.tile_z : 64;
    auto_batch = opt.batch <= 0;
    batch = std::min<std::int64_t>(auto_batch ? 1 : opt.batch, max_batch);
}

void Predictor::Impl::empty_cache() {
#if NATIVESEG_WITH_CUDA
    if (device.is_cuda()) c10::cuda::CUDACachingAllocator::emptyCache();
#endif
}

// Automatic batch size for a tile of `tile_px` input pixels.
namespace {
std::int64_t default_batch(bool cuda, std::int64_t tile_px) {
    const std::int64_t budget = cuda ? (8LL << 20) : (1LL << 20);  // input pixels per forward pass
    return std::clamp<std::int64_t>(budget / std::max<std::int64_t>(tile_px, 1), 1, cuda ? 16 : 8);
}
}  // namespace

at::Tensor Predictor::Impl::prepare(const Image& s) {
    const Shape& sh = s.shape();
    const std::string what = "input image";
    const int frames = (time_axis || window > 1) ? window : 1;
    if (sh.t != frames)
        throw Error("predict: a sample of model '" + desc.name + "' needs " + std::to_string(frames) + " frame(s), got " +
                    std::to_string(sh.t));
    if (!has_z && sh.z != 1)
        throw Error("predict: model '" + desc.name + "' is 2-D; give its slices one at a time (got " +
                    std::to_string(sh.z) + " slices)");
    if (in_channels > 0 && sh.c != in_channels)
        throw Error(what + " has " + std::to_string(sh.c) + " channel(s) but model '" + desc.name + "' takes " +
                    std::to_string(in_channels) + " (input '" + in->id + "', axes " + in_letters + ")");
    Image f32 = s.dtype() == DType::F32 ? Image() : s.converted(DType::F32);
    const Image& src = s.dtype() == DType::F32 ? s : f32;
    at::Tensor x = at::empty({1, sh.t, sh.z, sh.c, sh.y, sh.x}, at::kFloat);
    std::memcpy(x.data_ptr<float>(), src.bytes(), src.byte_size());
    // NaN and ±Inf become 0 (counted, reported once).
    const std::int64_t bad = (~at::isfinite(x)).sum().item<std::int64_t>();
    if (bad) {
        x = at::nan_to_num(x, 0.0, 0.0, 0.0);
        nonfinite += bad;
        if (!noted_nonfinite) {
            noted_nonfinite = true;
            note("the input has NaN or infinite pixels; they are replaced by 0 (" + std::to_string(bad) +
                 " in the first sample that had any)");
        }
    }
    if (window > 1 && !time_axis)  // frames stacked as channels, oldest first
        x = x.permute({0, 2, 1, 3, 4, 5}).reshape({1, 1, sh.z, sh.t * sh.c, sh.y, sh.x});
    try {
        return apply_processing(x, kCanon, in->processing, {}).contiguous();
    } catch (const Error& e) {
        throw Error("model '" + desc.name + "' preprocessing of input '" + in->id + "': " + e.what());
    }
}

std::vector<Image> Predictor::Impl::predict(const std::vector<Image>& samples, Progress* progress) {
    c10::InferenceMode guard;
    for (int attempt = 0;; ++attempt) {
        try {
            return predict_once(samples, progress);
        } catch (const Replan&) {
            if (attempt > 64) throw Error("predict: could not find tiles that fit on " + device_name);
        }
    }
}

std::vector<Image> Predictor::Impl::predict_once(const std::vector<Image>& samples, Progress* progress) {
    const std::string where = "model '" + desc.name + "'";
    struct Prepared {
        at::Tensor x;  // canonical, preprocessed
        AxisPlan pz, py, px;
        at::Tensor out;  // canonical [1, 1, Z, C, Y, X] accumulator
    };
    std::vector<Prepared> prep;
    prep.reserve(samples.size());
    for (const Image& s : samples) {
        Prepared p;
        p.x = prepare(s);
        const auto sz = p.x.sizes();
        p.py = plan_axis(sz[kY], rule_y, halo_y, tile_yx, "y");
        p.px = plan_axis(sz[kX], rule_x, halo_x, tile_yx, "x");
        if (has_z) p.pz = plan_axis(sz[kZ], rule_z, halo_z, tile_z, "z");
        else p.pz = AxisPlan{1, 1, 0, {{0, 0, 1}}, false};
        if ((p.py.padded_to_minimum || p.px.padded_to_minimum || p.pz.padded_to_minimum) && !noted_small) {
            noted_small = true;
            note("the image (" + std::to_string(sz[kX]) + " x " + std::to_string(sz[kY]) +
                 (has_z ? " x " + std::to_string(sz[kZ]) : std::string()) + ") is smaller than model '" + desc.name +
                 "' needs; it is mirror-padded to " + std::to_string(p.px.tile) + " x " + std::to_string(p.py.tile) +
                 (has_z ? " x " + std::to_string(p.pz.tile) : std::string()) + " and the result cropped back");
        }
        prep.push_back(std::move(p));
    }

    // Test-time augmentation: the 8 symmetries of the square (x 2 z flips in 3-D). Quarter
    // turns swap the tile's y and x sizes; they are left out when the model cannot take that.
    std::vector<Transform> transforms{{}};
    if (opt.tta) {
        transforms.clear();
        bool quarter_ok = true;
        for (const auto& p : prep)
            if (p.py.tile != p.px.tile && !(rule_y.valid(p.px.tile) && rule_x.valid(p.py.tile))) quarter_ok = false;
        for (int zf = 0; zf < (has_z ? 2 : 1); ++zf)
            for (int rot = 0; rot < 4; ++rot)
                for (int fl = 0; fl < 2; ++fl)
                    if (quarter_ok || rot % 2 == 0) transforms.push_back({rot, fl == 1, zf == 1});
        if (!quarter_ok && !noted_tta) {
            noted_tta = true;
            note("test-time augmentation without quarter turns: the model's y and x sizes differ");
        }
    }
    const double weight = 1.0 / static_cast<double>(transforms.size());

    struct Item {
        std::size_t sample;
        std::size_t tz, ty, tx;
        Transform tf;
        std::vector<std::int64_t> shape;  // transformed tile input (z, y, x)
    };
    // Items grouped by input shape, so a batch is one tensor.
    std::map<std::vector<std::int64_t>, std::vector<Item>> buckets;
    std::int64_t total = 0;
    for (std::size_t s = 0; s < prep.size(); ++s) {
        const auto& p = prep[s];
        for (std::size_t a = 0; a < p.pz.tiles.size(); ++a)
            for (std::size_t b = 0; b < p.py.tiles.size(); ++b)
                for (std::size_t c = 0; c < p.px.tiles.size(); ++c)
                    for (const auto& tf : transforms) {
                        std::vector<std::int64_t> shape{p.pz.tile, p.py.tile, p.px.tile};
                        if (tf.rot % 2) std::swap(shape[1], shape[2]);
                        buckets[shape].push_back({s, a, b, c, tf, shape});
                        ++total;
                    }
    }

    // Runs items [first, first + n) of a bucket as one forward pass and accumulates the results.
    auto run = [&](const std::vector<Item>& items, std::size_t first, std::size_t n) {
        std::vector<at::Tensor> tiles;
        for (std::size_t k = first; k < first + n; ++k) {
            const Item& it = items[k];
            const Prepared& p = prep[it.sample];
            const auto sz = p.x.sizes();
            // The tile with its mirrored margins; an axis the tile covers exactly is not copied.
            at::Tensor t = p.x;
            auto take = [&](int dim, std::int64_t start, std::int64_t len) {
                if (start == 0 && len == sz[dim]) return;
                t = t.index_select(dim, mirror_indices(start, len, sz[dim]));
            };
            take(kZ, p.pz.tiles[it.tz].read_start, p.pz.tile);
            take(kY, p.py.tiles[it.ty].read_start, p.py.tile);
            take(kX, p.px.tiles[it.tx].read_start, p.px.tile);
            tiles.push_back(apply_transform(t, it.tf));
        }
        at::Tensor batch_in = relayout(tiles.size() == 1 ? tiles[0] : at::cat(tiles, 0), kCanon, in_letters, "model input");
        batch_in = batch_in.to(half && in_type == at::kFloat ? at::kHalf : in_type).contiguous().to(device);
        if (opt.before_forward) opt.before_forward(static_cast<std::int64_t>(n), items[first].shape);
        at::Tensor y;
        try {
            y = run_module(module, {batch_in})[0];
        } catch (const std::exception& e) {
            if (is_out_of_memory(e)) throw;
            throw Error(desc.weights_path() + ": the model failed on a batch of " + std::to_string(n) + " tile(s) of " +
                        std::to_string(items[first].shape[2]) + " x " + std::to_string(items[first].shape[1]) +
                        (has_z ? " x " + std::to_string(items[first].shape[0]) : std::string()) + " px: " +
                        short_torch_message(e));
        }
        ++forwards;
        y = y.to(at::kCPU).to(at::kFloat);
        // The output's time axis: one time point, or the window's (take the frame predicted).
        std::string letters = out_letters;
        if (const auto tpos = letters.find('t'); tpos != std::string::npos) {
            const std::int64_t len = y.size(static_cast<std::int64_t>(tpos));
            const std::int64_t pick = len == 1 ? 0 : len == window ? (centered ? window / 2 : window - 1) : -1;
            if (pick < 0)
                throw Error(where + ": the output's time axis has " + std::to_string(len) + " points for a window of " +
                            std::to_string(window));
            y = y.narrow(static_cast<std::int64_t>(tpos), pick, 1);
        }
        y = relayout(y, letters, kCanon, "model output");
        if (y.size(0) != static_cast<std::int64_t>(n))
            throw Error(where + ": the output has batch size " + std::to_string(y.size(0)) + " for " + std::to_string(n) +
                        " input tiles");
        for (std::size_t k = 0; k < n; ++k) {
            const Item& it = items[first + k];
            Prepared& p = prep[it.sample];
            at::Tensor o = invert_transform(y.narrow(0, static_cast<std::int64_t>(k), 1), it.tf);
            if (!p.out.defined()) {
                const auto sz = p.x.sizes();
                p.out = at::zeros({1, 1, sz[kZ], o.size(kC), sz[kY], sz[kX]}, at::kFloat);
            }
            if (o.size(kC) != p.out.size(kC)) throw Error(where + ": the number of output channels changed between tiles");
            // Where the tile's output sits in its input: the same size, or smaller by the same
            // amount on both sides (networks without padding).
            const AxisPlan* plans[3] = {&p.pz, &p.py, &p.px};
            const int dims[3] = {kZ, kY, kX};
            at::Tensor part = o;
            std::vector<std::pair<std::int64_t, std::int64_t>> dst(3);
            for (int a = 0; a < 3; ++a) {
                const AxisPlan& pl = *plans[a];
                const AxisTile& tile = pl.tiles[a == 0 ? it.tz : a == 1 ? it.ty : it.tx];
                const std::int64_t out_size = o.size(dims[a]);
                const std::int64_t shrink = pl.tile - out_size;
                if (shrink < 0 || shrink % 2)
                    throw Error(where + ": output size " + std::to_string(out_size) + " for an input tile of " +
                                std::to_string(pl.tile) + " px along " + std::string(1, "zyx"[a]) +
                                ": only outputs of the input's size (or smaller by the same amount on both sides) "
                                "are supported");
                const std::int64_t off = shrink / 2;
                const std::int64_t from = tile.write_start - tile.read_start - off;
                const std::int64_t len = tile.write_end - tile.write_start;
                if (from < 0 || from + len > out_size) {
                    // A network without padding loses `off` px per side: the halo must cover it.
                    std::int64_t& h = a == 0 ? halo_z : a == 1 ? halo_y : halo_x;
                    if (h >= off) throw Error(where + ": internal tiling error along " + std::string(1, "zyx"[a]));
                    note("the model's output is " + std::to_string(shrink) + " px smaller than its input along " +
                         std::string(1, "zyx"[a]) + "; halo raised to " + std::to_string(off) + " px");
                    h = off;
                    throw Replan{};
                }
                part = part.narrow(dims[a], from, len);
                dst[static_cast<std::size_t>(a)] = {tile.write_start, len};
            }
            at::Tensor target = p.out.narrow(kZ, dst[0].first, dst[0].second)
                                    .narrow(kY, dst[1].first, dst[1].second)
                                    .narrow(kX, dst[2].first, dst[2].second);
            if (transforms.size() == 1) target.copy_(part);
            else target.add_(part, weight);
        }
        tiles_run += static_cast<std::int64_t>(n);
    };

    std::int64_t done = 0;
    for (auto& [shape, items] : buckets) {
        std::size_t pos = 0;
        while (pos < items.size()) {
            check_cancel(progress);
            // With an automatic batch the first pass runs one tile; the batch is then chosen
            // from the device's free memory (CUDA) or a pixel budget (CPU).
            const bool probing = auto_batch && !batch_probed;
            const std::size_t n =
                probing ? 1 : std::min<std::size_t>(static_cast<std::size_t>(batch), items.size() - pos);
#if NATIVESEG_WITH_CUDA
            std::size_t free0 = 0, free1 = 0, total_mem = 0;
            if (probing && device.is_cuda()) {
                empty_cache();
                cudaMemGetInfo(&free0, &total_mem);
            }
#endif
            try {
                run(items, pos, n);
            } catch (const Replan&) {
                throw;
            } catch (const Error&) {
                throw;
            } catch (const std::exception& e) {
                if (!is_out_of_memory(e)) throw;
                ++oom_retries;
                empty_cache();
                if (probing) {
                    batch_probed = true;
                    batch = 1;
                }
                if (n > 1) {
                    batch = std::max<std::int64_t>(1, static_cast<std::int64_t>(n) / 2);
                    note("out of memory on " + device_name + " with a batch of " + std::to_string(n) +
                         " tiles; retrying with " + std::to_string(batch));
                    continue;
                }
                // Batch 1 did not fit: smaller tiles, then start the call again.
                const std::int64_t cur = std::max(shape[1], shape[2]);
                const std::int64_t smaller = std::max(rule_y.at_most(cur / 2), rule_x.at_most(cur / 2));
                const std::int64_t hmax = std::max(halo_x, halo_y);
                if (smaller > 0 && smaller < cur && smaller - 2 * hmax >= 16) {
                    tile_yx = smaller;
                    note("out of memory on " + device_name + " with one tile of " + std::to_string(cur) +
                         " px; retrying with tiles of at most " + std::to_string(tile_yx) + " px");
                    throw Replan{};
                }
                if (has_z && rule_z.at_most(shape[0] / 2) > 2 * halo_z) {
                    tile_z = rule_z.at_most(shape[0] / 2);
                    note("out of memory on " + device_name + "; retrying with tiles of " + std::to_string(tile_z) +
                         " slices");
                    throw Replan{};
                }
                throw Error("out of memory on " + device_name + " even with one tile of " + std::to_string(shape[2]) +
                            " x " + std::to_string(shape[1]) + " px per forward pass (" + short_torch_message(e) +
                            "); use the CPU or a smaller model");
            }
            if (probing) {
                std::int64_t chosen = default_batch(device.is_cuda(), shape[0] * shape[1] * shape[2]);
#if NATIVESEG_WITH_CUDA
                if (device.is_cuda()) {
                    cudaMemGetInfo(&free1, &total_mem);
                    // The caching allocator keeps what the pass needed: free0 - free1 is about its peak.
                    const double used =
                        std::max<double>(static_cast<double>(free0) - static_cast<double>(free1), double(1 << 20));
                    chosen = std::clamp<std::int64_t>(static_cast<std::int64_t>(0.7 * static_cast<double>(free0) / used),
                                                      1, 32);
                    note("batch " + std::to_string(chosen) + " chosen from free GPU memory (" +
                         std::to_string(free0 >> 20) + " MiB free, about " +
                         std::to_string(static_cast<std::int64_t>(used) >> 20) + " MiB per tile)");
                }
#endif
                batch = std::min(chosen, max_batch);
                batch_probed = true;
            }
            pos += n;
            done += static_cast<std::int64_t>(n);
            if (opt.on_tiles) opt.on_tiles(done, total);
        }
    }

    // Post-processing of each whole stitched output, then back to images.
    std::vector<Image> result;
    result.reserve(prep.size());
    for (std::size_t s = 0; s < prep.size(); ++s) {
        Prepared& p = prep[s];
        at::Tensor o = p.out;
        if (!out->processing.empty()) {
            std::map<std::string, LetteredTensor> refs{{in->id, {p.x, kCanon}}};
            try {
                o = apply_processing(o, kCanon, out->processing, refs);
            } catch (const Error& e) {
                throw Error(where + " postprocessing of output '" + out->id + "': " + e.what());
            }
        }
        o = o.to(at::kFloat).contiguous();
        Shape sh;
        sh.t = 1;
        sh.z = o.size(kZ);
        sh.c = o.size(kC);
        sh.y = o.size(kY);
        sh.x = o.size(kX);
        Image img(sh, DType::F32);
        img.calibration() = samples[s].calibration();
        std::memcpy(img.bytes(), o.data_ptr<float>(), img.byte_size());
        result.push_back(std::move(img));
        p.x = at::Tensor();
        p.out = at::Tensor();
        ++this->samples;
    }
    return result;
}

// ---------------------------------------------------------------------------------------------

Predictor::Predictor(const Model& model, PredictorOptions options)
    : impl_(std::make_unique<Impl>(model, std::move(options))) {
    impl_->setup();
}

Predictor::~Predictor() = default;

std::vector<Image> Predictor::predict(const std::vector<Image>& samples, Progress* progress) {
    if (samples.empty()) return {};
    try {
        return impl_->predict(samples, progress);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error("model '" + impl_->desc.name + "' on " + impl_->device_name + ": " + short_torch_message(e));
    }
}

Image Predictor::predict(const Image& sample, Progress* progress) {
    return std::move(predict(std::vector<Image>{sample}, progress).front());
}

const std::string& Predictor::device() const { return impl_->device_name; }
const std::string& Predictor::device_reason() const { return impl_->device_reason; }
std::int64_t Predictor::batch() const { return impl_->batch; }
std::int64_t Predictor::tile() const { return impl_->tile_yx; }
int Predictor::temporal_window() const { return impl_->window; }
bool Predictor::is_3d() const { return impl_->has_z; }
std::int64_t Predictor::input_channels() const { return impl_->in_channels; }
std::int64_t Predictor::output_channels() const { return impl_->out->channels(); }

nlohmann::json Predictor::report() const {
    const Impl& i = *impl_;
    nlohmann::json j = {{"device", i.device_name},
                        {"device_reason", i.device_reason},
                        {"precision", i.half ? "float16" : "float32"},
                        {"threads", at::get_num_threads()},
                        {"batch", i.batch},
                        {"tile", i.tile_yx},
                        {"halo", {{"x", i.halo_x}, {"y", i.halo_y}}},
                        {"tta", i.opt.tta},
                        {"samples", i.samples},
                        {"tiles", i.tiles_run},
                        {"forward_passes", i.forwards},
                        {"oom_retries", i.oom_retries},
                        {"nonfinite_pixels", i.nonfinite},
                        {"notes", i.notes}};
    if (i.has_z) {
        j["tile_z"] = i.tile_z;
        j["halo"]["z"] = i.halo_z;
    }
    return j;
}

}  // namespace nativeseg
