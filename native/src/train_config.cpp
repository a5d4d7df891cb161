// Training settings from YAML and the setting values (train_config.h, train.h).
#include "nativeseg/train_config.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "nativeseg/error.h"

namespace nativeseg {

void apply_train_config(const std::string& path, SettingValues& values) {
    if (!std::filesystem::is_regular_file(path)) throw Error("config: '" + path + "' is not a file");
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::Exception& e) {
        throw Error(path + ": not valid YAML (line " + std::to_string(e.mark.line + 1) + "): " + e.msg);
    }
    if (root.IsNull()) return;
    if (!root.IsMap()) throw Error(path + ": expected a map of settings (key: value)");
    const auto allowed = settings_for_command("train");
    for (auto it = root.begin(); it != root.end(); ++it) {
        const std::string key = it->first.as<std::string>();
        const std::string where = path + " line " + std::to_string(it->first.Mark().line + 1);
        if (std::none_of(allowed.begin(), allowed.end(), [&](const Setting* s) { return s->key == key; }))
            throw Error(where + ": unknown key '" + key + "' (the settings of nativeseg train are listed in "
                        "docs/settings.md, group training)");
        if (!values.is_default(key)) continue;  // the command line wins
        const YAML::Node v = it->second;  // a copy: the iterator's pair is a temporary
        std::string text;
        if (v.IsSequence()) {
            const std::string sep = key == "class_weights" ? "," : ";";
            for (const YAML::Node& item : v) text += (text.empty() ? "" : sep) + item.as<std::string>();
        } else if (v.IsScalar()) {
            text = v.as<std::string>();
        } else if (v.IsNull()) {
            continue;
        } else {
            throw Error(where + ": '" + key + "' must be a value or a list");
        }
        try {
            values.set(key, text);
        } catch (const Error& e) {
            throw Error(where + ": " + e.what());
        }
    }
}

TrainOptions train_options(const SettingValues& v) {
    TrainOptions o;
    o.data = v.get_string("training_data");
    if (o.data.empty()) throw Error("training_data: no training data given");
    o.validation_data = v.get_string("validation_data");
    o.out = v.get_string("out");
    if (o.out.empty()) throw Error("out: no output folder given");
    o.model_name = v.get_string("model_name");
    o.dataset.layout = v.get_string("data_layout");
    o.dataset.target = v.get_string("target") == "three_class" ? TargetKind::ThreeClass : TargetKind::Binary;
    const std::string norm = v.get_string("normalize");
    o.dataset.normalize = norm == "auto" ? NormalizeMode::Percentile : normalize_mode_from_name(norm);
    o.dataset.boundary_thickness = static_cast<int>(v.get_int("boundary_thickness"));
    o.dataset.border_weight = v.get_float("border_weight");
    o.dataset.border_sigma = v.get_float("border_sigma");
    o.dataset.ignore_margin = static_cast<int>(v.get_int("ignore_margin"));
    o.architecture.name = v.get_string("architecture");
    o.architecture.depth = static_cast<int>(v.get_int("depth"));
    o.architecture.base_filters = static_cast<int>(v.get_int("base_filters"));
    o.architecture.batch_norm = v.get_bool("batch_norm");
    o.architecture.dropout = v.get_float("dropout");
    o.architecture.upsampling = v.get_string("upsampling");
    o.architecture.temporal_window = static_cast<int>(v.get_int("temporal_window"));
    o.architecture.temporal_mode = v.get_string("temporal_mode");
    o.architecture.spatial_dims = static_cast<int>(v.get_int("spatial_dims"));
    o.loss.kind = loss_from_name(v.get_string("loss"));
    o.loss.focal_gamma = v.get_float("focal_gamma");
    std::stringstream cw(v.get_string("class_weights"));
    for (std::string item; std::getline(cw, item, ',');) {
        try {
            std::size_t used = 0;
            o.loss.class_weights.push_back(std::stod(item, &used));
        } catch (const std::exception&) {
            throw Error("class_weights: expected numbers separated by commas, got '" + v.get_string("class_weights") + "'");
        }
    }
    if (!o.loss.class_weights.empty()) {
        const std::size_t classes = o.dataset.target == TargetKind::Binary ? 2 : 3;
        if (o.loss.class_weights.size() != classes)
            throw Error("class_weights: " + std::to_string(o.loss.class_weights.size()) + " values for " +
                        std::to_string(classes) + " classes");
    }
    o.optimizer = v.get_string("optimizer");
    o.learning_rate = v.get_float("learning_rate");
    o.weight_decay = v.get_float("weight_decay");
    o.lr_schedule = v.get_string("lr_schedule");
    o.epochs = static_cast<int>(v.get_int("epochs"));
    o.steps_per_epoch = static_cast<int>(v.get_int("steps_per_epoch"));
    o.batch_size = static_cast<int>(v.get_int("batch_size"));
    o.augment.patch = static_cast<int>(v.get_int("patch_size"));
    if (o.architecture.spatial_dims == 3) o.augment.patch_z = static_cast<int>(v.get_int("patch_size_z"));
    o.validation_fraction = v.get_float("validation_fraction");
    o.validation_split = v.get_string("validation_split");
    o.patience = static_cast<int>(v.get_int("patience"));
    o.resume = v.get_bool("resume");
    o.seed = static_cast<std::uint64_t>(v.get_int("seed"));
    o.device = v.get_string("device");
    o.threads = static_cast<int>(v.get_int("threads"));
    o.augment_workers = static_cast<int>(v.get_int("augment_workers"));
    o.max_minutes = v.get_float("max_minutes");
    o.augment.foreground_sampling = v.get_float("foreground_sampling");
    o.augment.flip = v.get_bool("augment_flip");
    o.augment.rotate90 = v.get_bool("augment_rotate90");
    o.augment.rotation = v.get_float("augment_rotation");
    o.augment.shift = v.get_float("augment_shift");
    o.augment.shear = v.get_float("augment_shear");
    o.augment.scale = v.get_float("augment_scale");
    o.augment.elastic = v.get_float("augment_elastic");
    o.augment.intensity = v.get_float("augment_intensity");
    o.augment.gamma = v.get_float("augment_gamma");
    o.augment.noise_sigma = v.get_float("augment_noise_sigma");
    o.augment.blur_sigma = v.get_float("augment_blur_sigma");
    o.threshold = v.get_float("threshold");
    if (!v.is_default("object_min_size")) o.suggested_object_min_size = static_cast<int>(v.get_int("object_min_size"));
    if (!v.is_default("seed_min_size")) o.suggested_seed_min_size = static_cast<int>(v.get_int("seed_min_size"));
    o.recipe = v.to_json("train");
    return o;
}

}  // namespace nativeseg
