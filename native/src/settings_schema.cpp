// The one place where user-facing parameters are declared. Everything else (CLI flags,
// Fiji dialogs, macro keys, docs/settings.md) is generated from this table.
#include "nativeseg/settings.h"

namespace nativeseg {

namespace {

Setting integer(std::string key, std::string def, double min, double max, std::string unit, std::string group,
                std::vector<std::string> commands, std::string help) {
    Setting s;
    s.key = std::move(key);
    s.type = SettingType::Int;
    s.default_value = std::move(def);
    s.min = min;
    s.max = max;
    s.unit = std::move(unit);
    s.group = std::move(group);
    s.commands = std::move(commands);
    s.help = std::move(help);
    return s;
}

Setting real(std::string key, std::string def, double min, double max, std::string unit, std::string group,
             std::vector<std::string> commands, std::string help) {
    Setting s = integer(std::move(key), std::move(def), min, max, std::move(unit), std::move(group),
                        std::move(commands), std::move(help));
    s.type = SettingType::Float;
    return s;
}

Setting choice(std::string key, std::string def, std::vector<std::string> choices, std::string group,
               std::vector<std::string> commands, std::string help) {
    Setting s;
    s.key = std::move(key);
    s.type = SettingType::Choice;
    s.default_value = std::move(def);
    s.choices = std::move(choices);
    s.group = std::move(group);
    s.commands = std::move(commands);
    s.help = std::move(help);
    return s;
}

Setting boolean(std::string key, std::string def, std::string group, std::vector<std::string> commands,
                std::string help) {
    Setting s;
    s.key = std::move(key);
    s.type = SettingType::Bool;
    s.default_value = std::move(def);
    s.group = std::move(group);
    s.commands = std::move(commands);
    s.help = std::move(help);
    return s;
}

Setting text(std::string key, std::string def, std::string group, std::vector<std::string> commands,
             std::string help) {
    Setting s;
    s.key = std::move(key);
    s.type = SettingType::String;
    s.default_value = std::move(def);
    s.group = std::move(group);
    s.commands = std::move(commands);
    s.help = std::move(help);
    return s;
}

std::vector<Setting> build_schema() {
    const std::vector<std::string> sim = {"simulate"};
    const std::vector<std::string> tr = {"train"};
    return {
        // --- simulation: synthetic cell videos with ground truth ---
        integer("frames", "60", 1, 100000, "frames", "simulation", sim, "Number of frames of the simulated video."),
        integer("width", "512", 32, 16384, "px", "simulation", sim, "Frame width."),
        integer("height", "512", 32, 16384, "px", "simulation", sim, "Frame height."),
        integer("cells", "20", 0, 5000, "", "simulation", sim, "Number of cells in the first frame."),
        integer("seed", "1", 0, 4294967295.0, "", "simulation", {"simulate", "train"},
                "Random seed; the same seed and settings give the same video."),
        choice("modality", "fluo", {"fluo", "phase"}, "simulation", sim,
               "Image type: fluorescence (bright nuclei on a dark background) or phase contrast "
               "(dark cells with a bright halo)."),
        real("cell_radius", "14", 3, 200, "px", "simulation", sim, "Mean cell radius."),
        real("motion_step", "2", 0, 50, "px", "simulation", sim,
             "Standard deviation of each cell's random step per frame."),
        real("drift_x", "0.5", -20, 20, "px/frame", "simulation", sim, "Drift of all cells along x per frame."),
        real("drift_y", "0.2", -20, 20, "px/frame", "simulation", sim, "Drift of all cells along y per frame."),
        real("division_rate", "0.01", 0, 1, "1/frame", "simulation", sim,
             "Probability that a cell divides in a given frame."),
        real("blink_rate", "0.01", 0, 1, "1/frame", "simulation", sim,
             "Probability that a cell starts a blink (goes out of focus for 1-5 frames while it stays in "
             "the ground truth) in a given frame."),
        real("enter_rate", "0.05", 0, 10, "cells/frame", "simulation", sim,
             "Expected number of cells entering through the border per frame."),
        real("noise", "1", 0, 10, "", "simulation", sim,
             "Noise strength (shot and read noise); 0 gives a noise-free video, 1 a realistic one."),
        real("blur", "1.5", 0, 20, "px", "simulation", sim, "Sigma of the optical blur."),
        real("pixel_size", "0.25", 1e-6, 1e6, "µm", "simulation", sim, "Pixel size written into the calibration."),
        real("frame_interval", "5", 0, 1e6, "min", "simulation", sim,
             "Time between frames written into the calibration."),

        // --- output files ---
        choice("compression", "lzw", {"none", "lzw", "deflate", "packbits"}, "output", {"convert"},
               "TIFF compression of written images. LZW and Deflate are lossless and open in ImageJ/Fiji."),
        choice("byte_order", "native", {"native", "little", "big"}, "output", {"convert"},
               "Byte order of written TIFF files."),
        integer("tile_size", "0", 0, 65536, "px", "output", {"convert"},
                "Write TIFF tiles of this edge length (a multiple of 16); 0 writes strips, which every reader "
                "supports."),
        boolean("bigtiff", "false", "output", {"convert"},
                "Always write BigTIFF (chosen automatically when a file would pass 4 GB)."),
        choice("pixel_type", "keep", {"keep", "uint8", "uint16", "uint32", "int8", "int16", "int32", "float32"},
               "output", {"convert"},
               "Pixel type of the written image; values outside the new type's range are clamped."),

        // --- inference: running a model (docs/inference.md) ---
        text("device", "auto", "inference", {"predict", "segment-video", "train"},
             "Where the model runs: auto (a CUDA GPU when this build has CUDA and one is visible, else the CPU), "
             "cpu, cuda or cuda:N."),
        integer("tile", "0", 0, 65536, "px", "inference", {"predict", "segment-video"},
                "Largest tile fed to the model along y and x (rounded to sizes the model accepts); 0 chooses "
                "automatically (CPU: whole frames up to 1536 px; CUDA: 1024 px)."),
        integer("batch", "0", 0, 4096, "tiles", "inference", {"predict", "segment-video"},
                "Tiles per forward pass; 0 chooses from the device's memory. Halved automatically after an "
                "out-of-memory error."),
        boolean("tta", "false", "inference", {"predict", "segment-video"},
                "Test-time augmentation: average the predictions of the 8 flips and rotations of each tile (16 with "
                "z flips for 3-D models); about 8 times slower."),
        integer("halo", "-1", -1, 4096, "px", "inference", {"predict", "segment-video"},
                "Overlap added on each side of a tile and cropped after prediction; -1 takes the model's halo "
                "(config.nativeseg.halo, else the rdf)."),
        choice("precision", "float32", {"float32", "float16"}, "inference", {"predict", "segment-video"},
               "Arithmetic on the GPU; float16 halves memory and is faster on recent GPUs (the CPU always uses "
               "float32)."),
        integer("threads", "0", 0, 1024, "", "inference", {"predict", "segment-video", "train"},
                "CPU threads used by the model; 0 uses all cores."),
        choice("normalize", "auto", {"auto", "none", "percentile", "mean", "median", "he"}, "inference", {"predict", "segment-video", "train"},
               "Intensity normalisation before the model's own pre-processing: auto (what the model was trained "
               "with, config.nativeseg.normalize, else none), none, percentile (0.1/99.1 percentiles of the whole "
               "video), mean, median, or he (histogram equalisation per frame)."),
        boolean("illumination_correction", "false", "inference", {"predict", "segment-video"},
                "Remove uneven illumination before normalising: subtract a 501x501 Gaussian blur of each plane and "
                "add back its mean."),
        choice("output_type", "probability", {"probability", "classes", "mask", "labels"}, "inference", {"predict"},
               "What to write: probability maps (32-bit, one channel per model output), classes (argmax), mask "
               "(8-bit 0/255 foreground) or labels (16-bit instances per frame: 8-connected components of the mask, or "
               "for three-class models interior regions grown through their boundary band)."),
        integer("seed_min_size", "10", 1, 1000000, "px", "inference", {"predict", "train"},
                "Labels output of three-class models (background / interior / boundary): interior regions with "
                "fewer pixels do not start an object of their own (each object is an interior region grown through "
                "its boundary band). Default: the model's suggestion; given to train, it is written into the "
                "package as that suggestion."),
        real("threshold", "0.5", -1e9, 1e9, "", "inference", {"predict", "segment-video", "train"},
             "Foreground threshold of mask and labels outputs. Default: the model's suggested threshold for "
             "one-channel outputs, and the argmax for several channels; giving it thresholds the foreground "
             "channel instead. Given to train, it is written into a one-channel package as its suggested "
             "threshold (default 0.5)."),

        // --- evaluation: results against ground truth (docs/evaluation.md) ---
        choice("kind", "ctc", {"ctc", "semantic", "instance"}, "evaluation", {"evaluate"},
               "What to compare: ctc (Cell Tracking Challenge SEG, DET, TRA of label masks with tracks), "
               "semantic (pixel scores of a mask or probability map against a binary mask) or instance "
               "(object matching of instance labels by IoU)."),
        text("iou_thresholds", "0.5:0.95:0.05", "evaluation", {"evaluate"},
             "IoU thresholds of the instance scores, as a list (0.5,0.75,0.9) or a range first:last:step; each "
             "from 0.5 to 1."),
        real("semantic_cutoff", "0.5", -1e9, 1e9, "", "evaluation", {"evaluate"},
             "Probability maps (32-bit float) count as foreground where the value is above this cutoff; integer "
             "masks count as foreground where non-zero."),
        text("cutoff_sweep", "", "evaluation", {"evaluate"},
             "Semantic evaluation of probability maps: also compute V_rand and V_info at each of these cutoffs (a "
             "list 0.3,0.5,0.7 or a range first:last:step such as 0.1:0.9:0.1) and report the best of each with its "
             "cutoff, as the ISBI 2012 challenge reported the best score over thresholds. Empty: only "
             "semantic_cutoff."),
        real("cremi_tolerance", "0", 0, 10000, "px", "evaluation", {"evaluate"},
             "Distance tolerance of the false-positive and false-negative pixel counts: only errors farther than "
             "this from the other image's foreground count (0 counts every wrong pixel)."),
        boolean("rand_scores", "true", "evaluation", {"evaluate"},
                "Compute the ISBI-2012 foreground-restricted Rand and information scores (V_rand, V_info) on "
                "thinned boundaries; meant for membrane/boundary maps, slow on images with large background "
                "areas."),

        // --- video: clean-up, temporal gap filling, instances, tracking, exports ---
        integer("closing_radius", "3", 0, 50, "px", "video", {"segment-video", "track"},
                "Radius of the morphological closing applied to each frame's mask (masks only; the reference uses "
                "3; 0 turns it off)."),
        boolean("fill_holes", "true", "video", {"segment-video", "track"},
                "Fill holes in each frame's mask (background not 4-connected to the frame border)."),
        integer("cleanup_min_size", "150", 0, 1000000, "px", "video", {"segment-video", "track"},
                "Remove 4-connected mask objects smaller than this before gap filling (the reference uses 150)."),
        boolean("clear_border", "false", "video", {"segment-video", "track"},
                "Remove mask objects that touch the frame border."),
        choice("gap_fill", "temporal", {"reference", "temporal", "off"}, "video", {"segment-video", "track"},
               "Temporal gap filling of the masks: 'temporal' (the default, which measured better) is a 1-D "
               "Gaussian along time per pixel with no spatial growth (gap_sigma, gap_level); 'reference' "
               "reproduces the published temporal Gaussian bit for bit (sigma 2; objects also grow spatially and "
               "close neighbours fuse); 'off' keeps the masks as they are. See docs/gap-filling.md."),
        real("gap_sigma", "2", 0.1, 20, "frames", "video", {"segment-video", "track"},
             "Sigma of the temporal Gaussian in 'temporal' gap filling."),
        real("gap_level", "0.25", 0.001, 1, "", "video", {"segment-video", "track"},
             "Threshold of 'temporal' gap filling on the 0-1 scale of the time-filtered masks: lower bridges "
             "longer gaps (0.5: 2 frames, 0.25: 4, 0.1: 6 at sigma 2) and extends objects longer past their end."),
        integer("object_min_size", "100", 0, 1000000, "px", "video", {"segment-video", "track", "predict", "train"},
                "Instances (8-connected) with fewer pixels are removed (the reference uses 100); for predict, "
                "applies to the labels output (default: the model's suggestion); given to train, it is written into "
                "the package as that suggestion."),
        integer("max_gap", "2", 1, 100, "frames", "video", {"segment-video", "track"},
                "Largest frame step of a link, counted as TrackMate's MAX_FRAME_GAP: a link may join frame t to "
                "t + d for 1 <= d <= max_gap, so 2 bridges one missing frame."),
        real("link_distance", "30", 0, 100000, "px", "video", {"segment-video", "track"},
             "Farthest centroid move between consecutive frames for objects that do not overlap (overlapping "
             "objects are linked by overlap)."),
        real("gap_distance", "40", 0, 100000, "px", "video", {"segment-video", "track"},
             "Farthest centroid move for a gap-closing link."),
        boolean("divisions", "true", "video", {"segment-video", "track"},
                "Detect divisions: an object that appears inside the previous footprint of an object that "
                "continues becomes its second daughter."),
        text("exports", "labels,tracks,trackmate,ctc", "video", {"segment-video", "track"},
             "What to write, comma-separated: labels (labels.tif), tracks (tracks.tif), trackmate (<name>.xml), "
             "trackmate_spots (<name>.xml with spots only, for TrackMate's own trackers), ctc (ctc/ folder)."),

        // --- training: nativeseg train (docs/training.md) ---
        text("training_data", "", "training", tr,
             "Training data: a folder in a known layout (docs/training.md), optionally with a selection of "
             "frames or files such as DIR[0-33]; several folders separated by ';'."),
        text("validation_data", "", "training", tr,
             "Validation data (same form as training_data); empty: a part of the training data "
             "(validation_fraction)."),
        text("out", "", "training", tr,
             "Output folder: checkpoints, training curve and, when training ends, the model package."),
        text("model_name", "nativeseg-model", "training", tr, "Name and id written into the model package."),
        choice("data_layout", "auto", {"auto", "pairs", "raw_labels", "ctc", "png_pairs", "sets"}, "training", tr,
               "Layout of the data folders; auto recognises each one."),
        choice("target", "binary", {"binary", "three_class"}, "training", tr,
               "What the network learns: binary foreground (sigmoid), or background / interior / boundary "
               "(softmax; separates touching cells)."),
        integer("boundary_thickness", "2", 1, 20, "px", "training", tr,
                "three_class: width of the boundary band inside each object."),
        real("border_weight", "0", 0, 100, "", "training", tr,
             "U-Net border weight w0 for background pixels between close objects (0: off; 10 in the U-Net paper)."),
        real("border_sigma", "5", 0.5, 100, "px", "training", tr, "U-Net border weight sigma."),
        integer("ignore_margin", "15", 0, 500, "px", "training", tr,
                "CTC data with sparse SEG masks: pixels within this distance of a TRA marker without a SEG mask "
                "are left out of the loss."),
        choice("architecture", "unet", {"unet", "residual_unet", "dlinknet", "temporal_unet"}, "training", tr,
               "Network: U-Net, residual U-Net with additive skips, D-LinkNet-style dilated centre, or temporal "
               "U-Net (a window of consecutive frames, a ConvLSTM at the bottom; needs sequences)."),
        integer("temporal_window", "5", 2, 64, "frames", "training", tr,
                "temporal_unet: frames per prediction (the frame and its neighbours)."),
        choice("temporal_mode", "causal", {"causal", "centered"}, "training", tr,
               "temporal_unet: the window of frame t is t-k+1 .. t (causal) or t-r .. t+r (centered, k = 2r+1)."),
        integer("spatial_dims", "2", 2, 3, "", "training", tr,
                "2: images; 3: z stacks (unet only; data: one stack per file in x/ + y/ or inputs/ + labels/)."),
        integer("depth", "4", 1, 6, "", "training", tr, "Poolings of the network (input sizes are multiples of 2^depth)."),
        integer("base_filters", "16", 1, 256, "", "training", tr, "Channels of the first level, doubled per level."),
        boolean("batch_norm", "true", "training", tr, "Batch normalisation after each convolution."),
        real("dropout", "0", 0, 0.9, "", "training", tr, "Dropout probability at the deepest level."),
        choice("upsampling", "transposed", {"transposed", "bilinear"}, "training", tr,
               "Decoder upsampling: transposed convolution, or bilinear interpolation and a 1x1 convolution."),
        choice("loss", "bce_dice", {"bce", "weighted_bce", "dice", "bce_dice", "focal", "cross_entropy"}, "training",
               tr, "Loss: (weighted) binary cross-entropy, Dice, BCE + Dice, focal, or cross-entropy with class weights."),
        text("class_weights", "", "training", tr,
             "Loss weight of each class, comma-separated (background first); empty: all 1."),
        real("focal_gamma", "2", 0, 10, "", "training", tr, "Focal loss exponent."),
        choice("optimizer", "adam", {"adam", "adamw"}, "training", tr, "Optimiser."),
        real("learning_rate", "0.001", 1e-7, 1, "", "training", tr, "Initial learning rate."),
        real("weight_decay", "0", 0, 1, "", "training", tr, "Weight decay (L2 for adam, decoupled for adamw)."),
        choice("lr_schedule", "cosine", {"constant", "cosine", "step", "plateau"}, "training", tr,
               "Learning-rate schedule over the epochs: constant, cosine decay to 2%, halved every third of the "
               "epochs (step), or halved after 3 epochs without improvement (plateau)."),
        integer("epochs", "40", 1, 100000, "", "training", tr, "Epochs."),
        integer("steps_per_epoch", "50", 1, 1000000, "", "training", tr, "Batches per epoch."),
        integer("batch_size", "8", 1, 4096, "", "training", tr, "Patches per batch."),
        integer("patch_size", "128", 16, 4096, "px", "training", tr,
                "Edge of the training patches (a multiple of 2^depth)."),
        integer("patch_size_z", "16", 4, 1024, "slices", "training", tr,
                "spatial_dims 3: slices per training patch (a multiple of 2^depth)."),
        real("validation_fraction", "0.15", 0, 0.9, "", "training", tr,
             "Part of the training images held out for validation when no validation_data is given."),
        choice("validation_split", "file", {"file", "time"}, "training", tr,
               "Which images are held out: random files, or the last frames / numbers (time)."),
        integer("patience", "0", 0, 100000, "epochs", "training", tr,
                "Early stopping: stop after this many epochs without a better validation score (0: never)."),
        boolean("resume", "true", "training", tr,
                "Continue from the checkpoint in the output folder when there is one."),
        real("max_minutes", "0", 0, 1e7, "min", "training", tr,
             "Stop after the epoch that passes this time (0: no limit); run again to continue."),
        integer("augment_workers", "1", 1, 64, "", "training", tr, "CPU threads preparing batches ahead."),
        real("foreground_sampling", "0.5", 0, 1, "", "training", tr,
             "Probability that a patch is centred on a foreground pixel."),
        boolean("augment_flip", "true", "training", tr, "Augmentation: random mirroring."),
        boolean("augment_rotate90", "true", "training", tr, "Augmentation: random quarter turns."),
        real("augment_rotation", "0", 0, 180, "°", "training", tr, "Augmentation: free rotation up to ± this angle."),
        real("augment_shift", "0", 0, 0.5, "", "training", tr, "Augmentation: shift up to ± this fraction of the patch."),
        real("augment_shear", "0", 0, 45, "°", "training", tr, "Augmentation: shear up to ± this angle."),
        real("augment_scale", "0", 0, 0.9, "", "training", tr, "Augmentation: zoom by 1 ± this fraction."),
        real("augment_elastic", "0", 0, 100, "px", "training", tr,
             "Augmentation: elastic deformation amplitude (0: off)."),
        real("augment_intensity", "0", 0, 2, "", "training", tr,
             "Augmentation: gain 1 ± i and offset ± i on the normalised image."),
        real("augment_gamma", "0", 0, 2, "", "training", tr, "Augmentation: gamma exp(± g)."),
        real("augment_noise_sigma", "0", 0, 1, "", "training", tr,
             "Augmentation: Gaussian noise with a sigma up to this (normalised units)."),
        real("augment_blur_sigma", "0", 0, 10, "px", "training", tr, "Augmentation: Gaussian blur up to this sigma."),
    };
}

}  // namespace

const std::vector<Setting>& settings_schema() {
    static const std::vector<Setting> schema = build_schema();
    return schema;
}

}  // namespace nativeseg
