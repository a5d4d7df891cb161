#pragma once
// `nativeseg train --config train.yaml`: the YAML file holds settings of the "training" group
// (and seed, device, threads, normalize), one key each, as in docs/settings.md. Every key
// must be a setting of the train command: a misspelt key is an error before anything runs.
#include <string>

#include "nativeseg/settings.h"
#include "nativeseg/train.h"

namespace nativeseg {

/// Applies the keys of a YAML file to `values`, leaving keys that were set explicitly (on the
/// command line) alone. Lists become ';'-separated (training_data, validation_data) or
/// ','-separated (class_weights) text. Error naming the file, the line and the key.
void apply_train_config(const std::string& yaml_path, SettingValues& values);

}  // namespace nativeseg
