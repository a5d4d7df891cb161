// Training losses (losses.h). All are weighted means over pixels.
#include "nativeseg/losses.h"

#include "nativeseg/error.h"

namespace nativeseg {

namespace {

constexpr double kEps = 1e-6;

at::Tensor weighted_mean(const at::Tensor& values, const at::Tensor& w) {
    return (values * w).sum() / w.sum().clamp_min(kEps);
}

// Per-pixel class weights from the class of each pixel (ones when none are given).
at::Tensor class_weight_map(const at::Tensor& target, const std::vector<double>& cw, int64_t classes) {
    if (cw.empty()) return at::ones(target.sizes(), target.options().dtype(at::kFloat));
    if (static_cast<int64_t>(cw.size()) != classes)
        throw Error("class_weights: " + std::to_string(cw.size()) + " values for " + std::to_string(classes) +
                    " classes");
    std::vector<float> v(cw.begin(), cw.end());
    const at::Tensor table = at::tensor(v).to(target.device());
    return table.index_select(0, target.flatten()).view(target.sizes());
}

// Log-probabilities of every class, N×K×H×W (one channel: K = 2, background and foreground).
at::Tensor log_probabilities(const at::Tensor& logits) {
    if (logits.size(1) == 1) return at::cat({at::log_sigmoid(-logits), at::log_sigmoid(logits)}, 1);
    return at::log_softmax(logits, 1);
}

at::Tensor cross_entropy(const at::Tensor& logits, const at::Tensor& target, const at::Tensor& w,
                         const std::vector<double>& cw) {
    const at::Tensor logp = log_probabilities(logits);
    const at::Tensor nll = -logp.gather(1, target.unsqueeze(1)).squeeze(1);
    return weighted_mean(nll, w * class_weight_map(target, cw, logp.size(1)));
}

at::Tensor dice(const at::Tensor& logits, const at::Tensor& target, const at::Tensor& w) {
    const at::Tensor mask = (w > 0).to(at::kFloat).unsqueeze(1);
    if (logits.size(1) == 1) {
        const at::Tensor p = at::sigmoid(logits) * mask, t = target.unsqueeze(1).to(at::kFloat) * mask;
        return 1 - (2 * (p * t).sum() + kEps) / (p.sum() + t.sum() + kEps);
    }
    const at::Tensor p = at::softmax(logits, 1) * mask;
    const at::Tensor t = at::one_hot(target, logits.size(1)).movedim(-1, 1).to(at::kFloat) * mask;
    std::vector<int64_t> dims{0};  // everything but the class axis (2-D and 3-D)
    for (int64_t d = 2; d < logits.dim(); ++d) dims.push_back(d);
    const at::Tensor inter = (p * t).sum(dims), sums = p.sum(dims) + t.sum(dims);
    return (1 - (2 * inter + kEps) / (sums + kEps)).mean();
}

at::Tensor focal(const at::Tensor& logits, const at::Tensor& target, const at::Tensor& w, double gamma,
                 const std::vector<double>& cw) {
    const at::Tensor logp = log_probabilities(logits).gather(1, target.unsqueeze(1)).squeeze(1);
    const at::Tensor loss = -at::pow(1 - logp.exp(), gamma) * logp;
    return weighted_mean(loss, w * class_weight_map(target, cw, std::max<int64_t>(2, logits.size(1))));
}

}  // namespace

LossKind loss_from_name(const std::string& n) {
    if (n == "bce") return LossKind::BCE;
    if (n == "weighted_bce") return LossKind::WeightedBCE;
    if (n == "dice") return LossKind::Dice;
    if (n == "bce_dice") return LossKind::BCEDice;
    if (n == "focal") return LossKind::Focal;
    if (n == "cross_entropy") return LossKind::CrossEntropy;
    throw Error("loss: unknown '" + n + "' (bce, weighted_bce, dice, bce_dice, focal, cross_entropy)");
}

const char* loss_name(LossKind k) {
    switch (k) {
        case LossKind::BCE: return "bce";
        case LossKind::WeightedBCE: return "weighted_bce";
        case LossKind::Dice: return "dice";
        case LossKind::BCEDice: return "bce_dice";
        case LossKind::Focal: return "focal";
        case LossKind::CrossEntropy: return "cross_entropy";
    }
    return "?";
}

at::Tensor compute_loss(const at::Tensor& logits, const at::Tensor& target_in, const at::Tensor& weight,
                        const LossOptions& o) {
    bool fits = (logits.dim() == 4 || logits.dim() == 5) && target_in.dim() == logits.dim() - 1 &&
                weight.sizes() == target_in.sizes() && logits.size(0) == target_in.size(0);
    for (int64_t d = 2; fits && d < logits.dim(); ++d) fits = logits.size(d) == target_in.size(d - 1);
    if (!fits) throw Error("loss: logits N×C×[D×]H×W, target and weight N×[D×]H×W of the same size expected");
    const at::Tensor target = target_in.to(at::kLong);
    const at::Tensor mask = (weight > 0).to(at::kFloat);
    const int64_t classes = std::max<int64_t>(2, logits.size(1));
    if (target.numel() > 0 && target.max().item<int64_t>() >= classes)
        throw Error("loss: a target class is " + std::to_string(target.max().item<int64_t>()) + " but the network has " +
                    std::to_string(classes) + " classes");
    switch (o.kind) {
        case LossKind::BCE: return cross_entropy(logits, target, mask, {});
        case LossKind::WeightedBCE: return cross_entropy(logits, target, weight, {});
        case LossKind::Dice: return dice(logits, target, weight);
        case LossKind::BCEDice: return cross_entropy(logits, target, weight, o.class_weights) + dice(logits, target, weight);
        case LossKind::Focal: return focal(logits, target, weight, o.focal_gamma, o.class_weights);
        case LossKind::CrossEntropy: return cross_entropy(logits, target, weight, o.class_weights);
    }
    throw Error("loss: unknown kind");
}

}  // namespace nativeseg
