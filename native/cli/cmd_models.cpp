// `nativeseg validate-model` and `nativeseg model-info`: check and describe model packages.
#include <iostream>

#include "commands.h"
#include "nativeseg/error.h"
#include "nativeseg/model.h"
#include "nativeseg/rdf.h"

namespace nativeseg::cli {

void add_model_commands(CLI::App& app) {
    {
        auto* sub = app.add_subcommand(
            "validate-model",
            "Run a model package's test inputs and compare with its test outputs (bioimage.io tolerance: "
            "|out - ref| <= 1e-3 + 1e-3 |ref|, at most 100 mismatches per million); prints PASS or FAIL");
        struct Args {
            std::string model, device = "cpu";
        };
        auto a = std::make_shared<Args>();
        sub->add_option("model", a->model, "Model folder (or rdf.yaml, or model id)")->required();
        sub->add_option("--device", a->device, "auto, cpu, cuda or cuda:N")->capture_default_str();
        sub->callback([a] {
            ValidationOptions o;
            o.device = a->device;
            const ValidationResult r = validate_model(a->model, o);
            std::cout << validation_text(r) << std::flush;
            if (!r.passed) throw Error("model '" + a->model + "' failed validation: its outputs differ from its test outputs");
        });
    }
    {
        auto* sub = app.add_subcommand("model-info", "Describe a model package: inputs, outputs, sizes, halo, "
                                                     "processing, authors, licence, citation");
        struct Args {
            std::string model;
        };
        auto a = std::make_shared<Args>();
        sub->add_option("model", a->model, "Model folder (or rdf.yaml, or model id)")->required();
        sub->callback([a] { std::cout << model_info_text(read_model_description(find_model(a->model))); });
    }
}

}  // namespace nativeseg::cli
