// The training loop (train.h): batches, optimiser, schedule, validation, checkpoints, resume.
#include "nativeseg/train.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>

#include <opencv2/imgproc.hpp>
#include <torch/csrc/jit/python/update_graph_executor_opt.h>
#include <torch/torch.h>

#include "nativeseg/atomic_file.h"
#include "nativeseg/device.h"
#include "nativeseg/error.h"
#include "nativeseg/label_overlap.h"
#include "nativeseg/metrics_ctc.h"
#include "nativeseg/tiling.h"
#include "nativeseg/train_export.h"

namespace fs = std::filesystem;

namespace nativeseg {

namespace {

struct Batch {
    at::Tensor x, target, weight;
};

at::Tensor mat_tensor(const cv::Mat& m) {
    const cv::Mat c = m.isContinuous() ? m : m.clone();
    at::ScalarType t = c.depth() == CV_32F ? at::kFloat : c.depth() == CV_8U ? at::kByte : at::kInt;
    return at::from_blob(c.data, {c.rows, c.cols}, t).clone();
}

Batch make_batch(const std::vector<TrainingItem>& items, const std::vector<double>& item_weights,
                 const AugmentOptions& aug, int batch_size, std::uint64_t seed, int epoch, int step) {
    std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                      static_cast<std::uint32_t>(epoch), static_cast<std::uint32_t>(step)};
    std::mt19937_64 rng(seq);
    std::discrete_distribution<std::size_t> pick(item_weights.begin(), item_weights.end());
    std::vector<at::Tensor> xs, ts, ws;
    for (int b = 0; b < batch_size; ++b) {
        const Patch p = augment_patch(items[pick(rng)], aug, rng);
        if (aug.patch_z > 0) {  // 3-D: slices stacked vertically → 1×Z×Y×X
            xs.push_back(mat_tensor(p.image).view({1, aug.patch_z, aug.patch, aug.patch}));
            ts.push_back(mat_tensor(p.target).to(at::kLong).view({aug.patch_z, aug.patch, aug.patch}));
            ws.push_back(mat_tensor(p.weight).view({aug.patch_z, aug.patch, aug.patch}));
            continue;
        }
        if (p.frames.empty()) {
            xs.push_back(mat_tensor(p.image).unsqueeze(0));
        } else {  // a temporal window: its frames as channels, oldest first
            std::vector<at::Tensor> fs;
            for (const cv::Mat& f : p.frames) fs.push_back(mat_tensor(f));
            xs.push_back(at::stack(fs));
        }
        ts.push_back(mat_tensor(p.target).to(at::kLong));
        ws.push_back(mat_tensor(p.weight));
    }
    return {at::stack(xs), at::stack(ts), at::stack(ws)};
}

std::string resolve_device(const std::string& requested) {
    if (requested == "auto") return query_devices().auto_device;
    if (requested.rfind("cuda", 0) == 0 && !query_devices().cuda_available)
        throw Error("device: '" + requested + "' asked for, but " + query_devices().why + "; use device cpu or auto");
    if (requested != "cpu" && requested.rfind("cuda", 0) != 0)
        throw Error("device: expected auto, cpu, cuda or cuda:N, got '" + requested + "'");
    return requested;
}

double schedule_lr(const TrainOptions& o, int epoch0, double plateau_lr) {
    const double base = o.learning_rate;
    if (o.lr_schedule == "constant") return base;
    if (o.lr_schedule == "cosine") {
        const double min_lr = 0.02 * base;
        return min_lr + (base - min_lr) * 0.5 * (1 + std::cos(M_PI * epoch0 / std::max(1, o.epochs)));
    }
    if (o.lr_schedule == "step") return base * std::pow(0.5, epoch0 / std::max(1, o.epochs / 3));
    if (o.lr_schedule == "plateau") return plateau_lr;
    throw Error("lr_schedule: unknown '" + o.lr_schedule + "' (constant, cosine, step, plateau)");
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const TrainOptions& o, std::vector<at::Tensor> params) {
    if (o.optimizer == "adam")
        return std::make_unique<torch::optim::Adam>(params, torch::optim::AdamOptions(o.learning_rate).weight_decay(o.weight_decay));
    if (o.optimizer == "adamw")
        return std::make_unique<torch::optim::AdamW>(params, torch::optim::AdamWOptions(o.learning_rate).weight_decay(o.weight_decay));
    throw Error("optimizer: unknown '" + o.optimizer + "' (adam, adamw)");
}

void set_lr(torch::optim::Optimizer& opt, double lr) {
    for (auto& g : opt.param_groups()) g.options().set_lr(lr);
}

std::vector<at::Tensor> trainable(torch::jit::Module& m) {
    std::vector<at::Tensor> ps;
    for (at::Tensor p : m.parameters()) {
        p.set_requires_grad(true);
        ps.push_back(p);
    }
    return ps;
}

// The padded input for a whole image (its frames, for a temporal window): reflected up to the
// next valid size, frames as channels.
at::Tensor padded_input(const std::vector<cv::Mat>& frames, std::int64_t step) {
    const int h = frames[0].rows, w = frames[0].cols;
    const int H = static_cast<int>((h + step - 1) / step * step), W = static_cast<int>((w + step - 1) / step * step);
    std::vector<at::Tensor> channels;
    for (const cv::Mat& f : frames) {
        cv::Mat p;
        cv::copyMakeBorder(f, p, 0, H - h, 0, W - w, cv::BORDER_REFLECT_101);
        channels.push_back(mat_tensor(p));
    }
    return at::stack(channels).unsqueeze(0);
}

// A whole z stack (slices stacked vertically) as 1×1×Z×Y×X, mirrored up to the next valid size.
at::Tensor padded_volume(const cv::Mat& stacked, int slices, std::int64_t step) {
    const std::int64_t Z = slices, H = stacked.rows / slices, W = stacked.cols;
    at::Tensor v = mat_tensor(stacked).view({1, 1, Z, H, W});
    auto pad = [&](int dim, std::int64_t n) {
        const std::int64_t to = (n + step - 1) / step * step;
        std::vector<std::int64_t> idx;
        for (std::int64_t i = 0; i < to; ++i) idx.push_back(mirror_index(i, n));
        v = v.index_select(dim, at::tensor(idx, at::kLong));
    };
    pad(2, Z);
    pad(3, H);
    pad(4, W);
    return v;
}

// What the network takes for an item: its window, or the image alone.
std::vector<cv::Mat> item_frames(const TrainingItem& item) {
    return item.frames.empty() ? std::vector<cv::Mat>{item.image} : item.frames;
}

at::Tensor image_logits(torch::jit::Module& module, const std::vector<cv::Mat>& frames, const ArchitectureSpec& spec,
                        const std::string& device, int slices = 1) {
    if (spec.spatial_dims == 3) {
        const std::int64_t H = frames[0].rows / slices;
        at::Tensor y = module.get_method("logits")({padded_volume(frames[0], slices, spec.size_step()).to(device)}).toTensor();
        return y.narrow(2, 0, slices).narrow(3, 0, H).narrow(4, 0, frames[0].cols).to(at::kCPU);
    }
    if (static_cast<int>(frames.size()) != spec.input_frames())
        throw Error(spec.name + ": " + std::to_string(frames.size()) + " frame(s) given, the network takes " +
                    std::to_string(spec.input_frames()));
    at::Tensor x = padded_input(frames, spec.size_step()).to(device);
    at::Tensor y = module.get_method("logits")({x}).toTensor();
    return y.narrow(2, 0, frames[0].rows).narrow(3, 0, frames[0].cols).to(at::kCPU);
}

at::Tensor probabilities(const at::Tensor& logits) {
    return logits.size(1) == 1 ? at::sigmoid(logits) : at::softmax(logits, 1);
}

// Instances from the network output: components of the foreground (one channel) or of the
// interior, grown into the boundary pixels next to them (three classes).
cv::Mat predicted_instances(const at::Tensor& prob, double threshold) {
    const int h = static_cast<int>(prob.size(2)), w = static_cast<int>(prob.size(3));
    cv::Mat labels;
    if (prob.size(1) == 1) {
        at::Tensor fg = (prob[0][0] > threshold).to(at::kByte).contiguous();
        cv::Mat m(h, w, CV_8U, fg.data_ptr());
        cv::connectedComponents(m, labels, 8, CV_32S);
        return labels;
    }
    at::Tensor cls = prob[0].argmax(0).to(at::kByte).contiguous();
    cv::Mat c(h, w, CV_8U, cls.data_ptr());
    cv::connectedComponents(c == 1, labels, 4, CV_32S);
    const cv::Mat boundary = c == 2;
    cv::Mat lf;
    labels.convertTo(lf, CV_32F);
    for (int i = 0; i < 3; ++i) {
        cv::Mat grown;
        cv::dilate(lf, grown, cv::Mat());
        grown.copyTo(lf, boundary & (lf == 0));
    }
    lf.convertTo(labels, CV_32S);
    return labels;
}

Image label_image(const cv::Mat& labels) {
    Image img(Shape{1, 1, 1, labels.rows, labels.cols}, DType::I32);
    cv::Mat c = labels.isContinuous() ? labels : labels.clone();
    std::memcpy(img.bytes(), c.data, img.byte_size());
    return img;
}

void save_module(torch::jit::Module& m, const std::string& path) {
    AtomicOutput out(path);
    m.save(out.temp_path());
    out.commit();
}

void write_json(const std::string& path, const nlohmann::json& j) {
    AtomicOutput out(path);
    {
        std::ofstream f(out.temp_path());
        f << j.dump(2) << "\n";
        if (!f) throw Error(path + ": cannot write");
    }
    out.commit();
}

// Splits items into training and validation (when no separate validation data is given).
void split_validation(std::vector<TrainingItem>& train, std::vector<TrainingItem>& val, const TrainOptions& o) {
    if (o.validation_fraction <= 0 || train.size() < 2) return;
    const std::size_t n = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(train.size() * o.validation_fraction)));
    std::vector<std::size_t> order(train.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (o.validation_split == "time") {
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return train[a].number < train[b].number; });
        std::reverse(order.begin(), order.end());
    } else if (o.validation_split == "file") {
        std::mt19937_64 rng(o.seed);
        std::shuffle(order.begin(), order.end(), rng);
    } else {
        throw Error("validation_split: unknown '" + o.validation_split + "' (file, time)");
    }
    std::vector<bool> is_val(train.size(), false);
    for (std::size_t i = 0; i < n && i + 1 < train.size(); ++i) is_val[order[i]] = true;
    std::vector<TrainingItem> keep;
    for (std::size_t i = 0; i < train.size(); ++i) (is_val[i] ? val : keep).push_back(std::move(train[i]));
    train = std::move(keep);
}

}  // namespace

cv::Mat predict_foreground(torch::jit::Module& module, const cv::Mat& image, const ArchitectureSpec& spec,
                           const std::string& device) {
    torch::NoGradGuard no_grad;
    module.train(false);
    // A single image for a temporal network: its window holds copies of it (as in prediction).
    const std::vector<cv::Mat> frames(static_cast<std::size_t>(spec.input_frames()), image);
    at::Tensor p = probabilities(image_logits(module, frames, spec, device));
    at::Tensor fg = (p.size(1) == 1 ? p[0][0] : 1 - p[0][0]).contiguous();
    return cv::Mat(image.rows, image.cols, CV_32F, fg.data_ptr()).clone();
}

EpochRecord evaluate_network(torch::jit::Module& module, const std::vector<TrainingItem>& items,
                             const ArchitectureSpec& spec, const LossOptions& loss, const std::string& device,
                             double threshold) {
    torch::NoGradGuard no_grad;
    module.train(false);
    EpochRecord r;
    double loss_sum = 0;
    std::int64_t tp = 0, fp = 0, fn = 0;
    double jaccard_sum = 0;
    std::int64_t seg_objects = 0;
    bool any_instances = false;
    for (const TrainingItem& item : items) {
        const at::Tensor logits = image_logits(module, item_frames(item), spec, device, item.slices);
        const std::vector<std::int64_t> shape =
            spec.spatial_dims == 3 ? std::vector<std::int64_t>{1, item.slices, item.height(), item.image.cols}
                                   : std::vector<std::int64_t>{1, item.image.rows, item.image.cols};
        const at::Tensor target = mat_tensor(item.target).to(at::kLong).view(shape);
        const at::Tensor weight = mat_tensor(item.weight).view(shape);
        loss_sum += compute_loss(logits, target, weight, loss).item<double>();
        const at::Tensor prob = probabilities(logits);
        const at::Tensor pred_fg = prob.size(1) == 1 ? prob[0][0] > threshold : prob[0].argmax(0) > 0;
        const at::Tensor true_fg = target[0] > 0, known = weight[0] > 0;
        tp += (pred_fg & true_fg & known).sum().item<std::int64_t>();
        fp += (pred_fg & ~true_fg & known).sum().item<std::int64_t>();
        fn += (~pred_fg & true_fg & known).sum().item<std::int64_t>();
        if (!item.instances.empty() && spec.spatial_dims == 2) {  // SEG: 2-D instances only
            any_instances = true;
            const CtcFrameMatch m = ctc_match(label_overlap(label_image(item.instances),
                                                            label_image(predicted_instances(prob, threshold))));
            for (double j : m.gt_jaccard) jaccard_sum += j;
            seg_objects += static_cast<std::int64_t>(m.gt_labels.size());
        }
    }
    r.val_loss = items.empty() ? 0 : loss_sum / items.size();
    r.val_iou = tp + fp + fn > 0 ? double(tp) / double(tp + fp + fn) : 1.0;
    r.val_dice = 2 * tp + fp + fn > 0 ? 2.0 * tp / double(2 * tp + fp + fn) : 1.0;
    r.val_seg = any_instances && seg_objects > 0 ? jaccard_sum / seg_objects : -1;
    return r;
}

TrainResult train_model(const TrainOptions& o, Progress* progress) {
    auto log = [&](const std::string& s) { if (o.log) o.log(s); };
    if (o.out.empty()) throw Error("out: no output folder given");
    if (o.epochs < 1 || o.steps_per_epoch < 1 || o.batch_size < 1) throw Error("epochs, steps_per_epoch and batch_size must be at least 1");
    if (o.augment.patch % o.architecture.size_step() != 0)
        throw Error("patch_size: " + std::to_string(o.augment.patch) + " is not a multiple of " +
                    std::to_string(o.architecture.size_step()) + " (2^depth)");
    if (o.architecture.spatial_dims == 3 && (o.augment.patch_z < 1 || o.augment.patch_z % o.architecture.size_step() != 0))
        throw Error("patch_size_z: " + std::to_string(o.augment.patch_z) + " is not a positive multiple of " +
                    std::to_string(o.architecture.size_step()) + " (2^depth), as 3-D patches need");
    if (o.architecture.spatial_dims != 3 && o.augment.patch_z != 0)
        throw Error("patch_size_z: 3-D patches need spatial_dims 3");
    o.architecture.check();
    schedule_lr(o, 0, o.learning_rate);  // checks the schedule's name before the data is read
    const std::string device = resolve_device(o.device);
    if (o.threads > 0) at::set_num_threads(o.threads);
    ensure_writable_dir(o.out);
    ensure_writable_dir(o.out + "/checkpoint");

    // Data first: every error in it is raised before the first step. Temporal networks take
    // every item with its window of frames.
    DatasetOptions data_options = o.dataset;
    data_options.temporal_window = o.architecture.input_frames();
    data_options.temporal_mode = temporal_mode_from_name(o.architecture.temporal_mode);
    data_options.temporal_network = o.architecture.name;
    data_options.spatial_dims = o.architecture.spatial_dims;
    std::vector<TrainingItem> train = load_dataset(o.data, data_options, progress), val;
    if (!o.validation_data.empty()) val = load_dataset(o.validation_data, data_options, progress);
    else split_validation(train, val, o);
    std::vector<double> item_weights;
    for (const TrainingItem& it : train) {
        if (it.height() < o.augment.patch / 2 || it.image.cols < o.augment.patch / 2)
            log("note: " + it.source + " is smaller than half a patch; it is mirrored to fill patches");
        item_weights.push_back(std::max(1, cv::countNonZero(it.weight > 0)));
    }
    log("data: " + std::to_string(train.size()) + " training and " + std::to_string(val.size()) + " validation images" +
        (o.architecture.is_temporal() ? ", each with its " + o.architecture.temporal_mode + " window of " +
                                            std::to_string(o.architecture.temporal_window) + " frames"
                                      : std::string()));

    ArchitectureSpec spec = o.architecture;
    spec.in_channels = 1;
    spec.out_channels = o.dataset.target == TargetKind::Binary ? 1 : 3;

    // Resume or start.
    const std::string ckpt = o.out + "/checkpoint";
    TrainResult result;
    result.device = device;
    nlohmann::json state;
    torch::jit::Module module;
    int start_epoch = 0;
    double plateau_lr = o.learning_rate;
    int since_best = 0;
    double elapsed_before = 0;
    const bool resuming = o.resume && fs::exists(ckpt + "/state.json") && fs::exists(ckpt + "/last.pt");
    if (resuming) {
        std::ifstream f(ckpt + "/state.json");
        state = nlohmann::json::parse(f);
        if (state.at("architecture") != spec.to_json())
            throw Error(ckpt + ": the checkpoint was made with another architecture (" + state.at("architecture").dump() +
                        "); use another out folder, or resume: false to start again");
        module = torch::jit::load(ckpt + "/last.pt");
        start_epoch = state.at("epoch");
        for (const auto& e : state.at("history")) result.history.push_back(epoch_from_json(e));
        result.best_epoch = state.at("best_epoch");
        result.best_score = state.at("best_score");
        result.score_name = state.value("score", std::string());
        plateau_lr = state.value("plateau_lr", o.learning_rate);
        since_best = state.value("since_best", 0);
        elapsed_before = state.value("elapsed_seconds", 0.0);
        log("resuming after epoch " + std::to_string(start_epoch) + " from " + ckpt);
    } else {
        module = build_architecture(spec, o.seed);
    }
    module.to(device);
    result.parameters = parameter_count(module);
    auto optimizer = make_optimizer(o, trainable(module));
    if (resuming && fs::exists(ckpt + "/optimizer.pt")) torch::load(*optimizer, ckpt + "/optimizer.pt");
    log(spec.name + ": " + std::to_string(result.parameters) + " parameters, on " + device);

    // The interpreter runs the ops one by one, with autograd as in eager mode (no fusion passes).
    torch::jit::setGraphExecutorOptimize(false);
    const auto t0 = std::chrono::steady_clock::now();
    auto seconds_since = [](auto t) { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count(); };
    const std::int64_t total_steps = std::int64_t(o.epochs) * o.steps_per_epoch;
    LossOptions loss = o.loss;

    int epoch = start_epoch;
    for (; epoch < o.epochs; ++epoch) {
        if (o.max_minutes > 0 && seconds_since(t0) > o.max_minutes * 60) break;
        if (o.patience > 0 && since_best >= o.patience) {
            result.stopped_early = true;
            break;
        }
        const auto te = std::chrono::steady_clock::now();
        const double lr = schedule_lr(o, epoch, plateau_lr);
        set_lr(*optimizer, lr);
        torch::manual_seed(o.seed + 7919 * static_cast<std::uint64_t>(epoch));  // dropout
        module.train(true);
        std::deque<std::future<Batch>> ahead;
        auto launch = [&](int k) {
            ahead.push_back(std::async(std::launch::async, make_batch, std::cref(train), std::cref(item_weights),
                                       std::cref(o.augment), o.batch_size, o.seed, epoch, k));
        };
        for (int k = 0; k < std::min(o.steps_per_epoch, std::max(1, o.augment_workers)); ++k) launch(k);
        double loss_sum = 0;
        for (int k = 0; k < o.steps_per_epoch; ++k) {
            check_cancel(progress);
            Batch b = ahead.front().get();
            ahead.pop_front();
            const int next = k + static_cast<int>(ahead.size()) + 1;
            if (next < o.steps_per_epoch) launch(next);
            at::Tensor logits = module.get_method("logits")({b.x.to(device)}).toTensor();
            at::Tensor l = compute_loss(logits, b.target.to(device), b.weight.to(device), loss);
            optimizer->zero_grad();
            l.backward();
            optimizer->step();
            loss_sum += l.item<double>();
            char msg[96];
            std::snprintf(msg, sizeof msg, "epoch %d/%d, loss %.4f", epoch + 1, o.epochs, loss_sum / (k + 1));
            report(progress, "training", std::int64_t(epoch) * o.steps_per_epoch + k + 1, total_steps, msg);
        }
        EpochRecord r = val.empty() ? EpochRecord{} : evaluate_network(module, val, spec, loss, device, o.threshold);
        r.epoch = epoch + 1;
        r.train_loss = loss_sum / o.steps_per_epoch;
        r.lr = lr;
        r.seconds = seconds_since(te);
        result.history.push_back(r);
        const bool use_seg = r.val_seg >= 0;
        result.score_name = val.empty() ? "train_loss" : use_seg ? "val_seg" : "val_iou";
        const double score = val.empty() ? -r.train_loss : use_seg ? r.val_seg : r.val_iou;
        if (result.best_epoch < 0 || score > result.best_score) {
            result.best_score = score;
            result.best_epoch = r.epoch;
            since_best = 0;
            save_module(module, o.out + "/best.pt");
        } else {
            ++since_best;
            if (o.lr_schedule == "plateau" && since_best % 3 == 0) plateau_lr *= 0.5;
        }
        char line[256];
        std::snprintf(line, sizeof line,
                      "epoch %d/%d: train loss %.4f, val loss %.4f, IoU %.4f, Dice %.4f, SEG %.4f, lr %.2g, %.0f s%s",
                      r.epoch, o.epochs, r.train_loss, r.val_loss, r.val_iou, r.val_dice, r.val_seg, lr, r.seconds,
                      since_best == 0 ? " (best)" : "");
        log(line);
        // Checkpoint: network, optimiser and state, so that a stopped run continues here.
        save_module(module, ckpt + "/last.pt");
        {
            AtomicOutput out(ckpt + "/optimizer.pt");
            torch::save(*optimizer, out.temp_path());
            out.commit();
        }
        nlohmann::json history = nlohmann::json::array();
        for (const EpochRecord& e : result.history) history.push_back(epoch_to_json(e));
        state = {{"epoch", epoch + 1},
                 {"architecture", spec.to_json()},
                 {"history", history},
                 {"best_epoch", result.best_epoch},
                 {"best_score", result.best_score},
                 {"score", result.score_name},
                 {"plateau_lr", plateau_lr},
                 {"since_best", since_best},
                 {"seed", o.seed},
                 {"elapsed_seconds", elapsed_before + seconds_since(t0)}};
        write_json(ckpt + "/state.json", state);
        write_history_csv(o.out + "/history.csv", result.history);
        write_training_curve(o.out + "/training_curve.png", result.history);
    }
    if (o.patience > 0 && since_best >= o.patience) result.stopped_early = true;
    result.finished = epoch >= o.epochs || result.stopped_early;
    if (!result.finished)
        log("time budget reached after epoch " + std::to_string(epoch) + "; run the same command again to continue");
    if (result.best_epoch < 0) return result;
    // The package holds the best network so far (also when the time budget stopped the run).
    torch::jit::Module best = torch::jit::load(o.out + "/best.pt");
    best.to(at::kCPU);
    best.train(false);
    export_package(best, spec, o, result, val.empty() ? train : val);
    log("wrote the model package " + o.out);
    return result;
}

}  // namespace nativeseg
