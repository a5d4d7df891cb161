#pragma once
// Model package descriptions: the bioimage.io `rdf.yaml` (format_version 0.5.x and 0.4.x)
// read into one version-independent structure, plus our own `config.nativeseg` block.
// Axes are also given a canonical letter (b t c i z y x) so the rest of the code never
// deals with the two spellings (v0.4 axis strings "bcyx", v0.5 typed axes with ids).
// Unknown fields are ignored; a missing required field is an Error naming it.
// Format reference: docs/models.md.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nativeseg {

enum class AxisType { Batch, Time, Channel, Index, Space };

/// The size rule of one tensor axis.
struct AxisSize {
    enum class Kind { Any, Fixed, Parameterized, Reference };
    Kind kind = Kind::Any;
    std::int64_t fixed = 0;              // Fixed
    std::int64_t min = 0, step = 0;      // Parameterized: min + n*step, n = 0, 1, ...
    std::string ref_tensor, ref_axis;    // Reference: size = ref size * ref_scale + offset
    double ref_scale = 1.0;
    std::int64_t offset = 0;

    static AxisSize any() { return {}; }
    static AxisSize of(std::int64_t n);
    static AxisSize parameterized(std::int64_t min, std::int64_t step);

    /// Whether n is allowed (Any and Reference accept every n >= 1).
    bool valid(std::int64_t n) const;
    /// The smallest allowed size >= n; -1 when there is none (a fixed size below n).
    std::int64_t at_least(std::int64_t n) const;
    /// The largest allowed size <= n; -1 when there is none.
    std::int64_t at_most(std::int64_t n) const;
    /// "64", "min 64, step 16", "any", "= raw.x"
    std::string str() const;
};

struct AxisDesc {
    AxisType type = AxisType::Space;
    std::string id;   // as written in the rdf ("x", "channel", "batch", ...)
    char letter = 'x';  // canonical: b t c i z y x
    AxisSize size;
    std::int64_t halo = 0;  // output axes: pixels on each side that are not reliable
    std::vector<std::string> channel_names;
};

/// One pre- or post-processing step. v0.4 names are mapped to v0.5 ids
/// (zero_mean_unit_variance with mode "fixed" becomes fixed_zero_mean_unit_variance).
struct ProcessingStep {
    std::string id;
    /// Canonical letters of the axes reduced jointly (statistics); empty = all axes.
    std::string axes;
    /// Letter of the axis along which list-valued parameters vary (0 = scalars).
    char axis = 0;
    /// v0.4 mode (per_sample, per_dataset, fixed) when given.
    std::string mode;
    nlohmann::json kwargs = nlohmann::json::object();
};

struct TensorDesc {
    std::string id;
    std::string description;
    std::vector<AxisDesc> axes;
    std::string data_type = "float32";
    std::vector<ProcessingStep> processing;  // preprocessing (inputs) or postprocessing (outputs)
    std::string test_tensor;                 // file name in the package, may be empty
    std::string sample_tensor;

    /// Canonical letters in the tensor's axis order, e.g. "bcyx".
    std::string letters() const;
    /// The axis with this canonical letter, or null.
    const AxisDesc* axis(char letter) const;
    /// Number of channels (1 without a channel axis; -1 when the channel axis has no fixed size).
    std::int64_t channels() const;
};

struct Author {
    std::string name, affiliation, email, github_user, orcid;
};

struct Citation {
    std::string text, doi, url;
};

struct WeightsDesc {
    std::string source;           // file name in the package
    std::string sha256;
    std::string pytorch_version;  // version of PyTorch that wrote the file, when given
};

/// Our own block, `config.nativeseg` (docs/models.md).
struct NativesegConfig {
    /// Meaning of each output channel: "foreground", "background", "boundary", "interior", ...
    std::vector<std::string> channels;
    std::optional<double> threshold;     // suggested threshold of the foreground probability
    /// Suggested sizes for the labels output (predict --output-type labels), in pixels, for
    /// objects the size of those the model was trained on: the smallest object, and the
    /// smallest interior seed of a three-class model. Flags given by the user win.
    std::optional<std::int64_t> object_min_size, seed_min_size;
    int temporal_window = 1;             // frames per prediction (1: not temporal)
    std::string temporal_mode = "causal";         // causal (t-k+1 .. t) or centered (t-r .. t+r)
    std::string temporal_padding = "replicate";   // replicate (copies of the first/last frame) or reflect
    std::string normalize;               // normalisation used in training: percentile, mean, median, he, none
    std::optional<std::int64_t> halo;    // overrides the rdf halo (pixels)
};

struct ModelDescription {
    std::string dir;       // package folder
    std::string rdf_path;  // its rdf.yaml
    std::string format_version;
    std::string type = "model";
    std::string id, name, description, license, version, documentation;
    std::vector<Author> authors;
    std::vector<Citation> cite;
    std::vector<std::string> tags;
    std::vector<TensorDesc> inputs, outputs;
    WeightsDesc weights;                       // TorchScript
    std::vector<std::string> weight_formats;   // every format the rdf lists
    NativesegConfig nativeseg;
    /// config.bioimageio.reproducibility_tolerance (first entry), when given.
    std::optional<double> test_abs_tolerance, test_rel_tolerance, test_mismatched_per_million;

    bool is_v04() const { return format_version.rfind("0.4", 0) == 0; }
    /// Absolute path of the TorchScript file.
    std::string weights_path() const;
    /// Path of a file of the package.
    std::string file(const std::string& name) const;
    /// The spatial halo (input pixels) of axis 'x', 'y' or 'z': config.nativeseg.halo, else
    /// the largest halo of the outputs' axes with that letter, else 0.
    std::int64_t halo(char letter) const;
    /// Index of the output channel that means "foreground" (see docs/models.md).
    int foreground_channel() const;
};

/// Reads DIR/rdf.yaml (or bioimageio.yaml, *.bioimageio.yaml), or the given .yaml file.
/// Does not load the weights but checks that the weights file exists.
ModelDescription read_model_description(const std::string& dir_or_file);
/// Parses rdf text; `dir` is the package folder, `name` the file name used in messages.
ModelDescription parse_model_description(const std::string& yaml, const std::string& dir, const std::string& name);

/// What a user needs to know about a model, as text (nativeseg model-info).
std::string model_info_text(const ModelDescription& m);

/// A model folder for a folder path or a model id. Ids are looked up in $NATIVESEG_MODELS
/// (':'-separated folders), then `models/` next to the executable and ../share/nativeseg/models,
/// then the source tree's models/. Error listing where it looked.
std::string find_model(const std::string& model_or_id);

}  // namespace nativeseg
