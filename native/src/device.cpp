#include "nativeseg/device.h"

#include <dlfcn.h>

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <nlohmann/json.hpp>

namespace nativeseg {

DeviceInfo query_devices() {
    DeviceInfo d;
    d.torch_version = TORCH_VERSION;
    // A CUDA build of LibTorch links libtorch_cuda.so into the process; a CPU build has none.
    if (void* h = ::dlopen("libtorch_cuda.so", RTLD_NOW | RTLD_NOLOAD)) {
        d.cuda_built = true;
        ::dlclose(h);
    }
    d.cuda_available = torch::cuda::is_available();
    d.cuda_built = d.cuda_built || d.cuda_available;
    d.cuda_devices = d.cuda_available ? static_cast<int>(torch::cuda::device_count()) : 0;
    d.cpu_threads = at::get_num_threads();
    if (d.cuda_available) {
        d.auto_device = "cuda:0";
        d.why = "CUDA GPU found (" + std::to_string(d.cuda_devices) + " visible)";
    } else {
        d.auto_device = "cpu";
        d.why = d.cuda_built ? "LibTorch has CUDA but no usable GPU is visible (check the NVIDIA driver and "
                               "CUDA_VISIBLE_DEVICES)"
                             : "this LibTorch build is CPU-only; install the CUDA build of NativeSeg to use a GPU";
    }
    return d;
}

nlohmann::json device_info_json(const DeviceInfo& d) {
    return {{"libtorch", d.torch_version},     {"cuda_built", d.cuda_built}, {"cuda_available", d.cuda_available},
            {"cuda_devices", d.cuda_devices}, {"cpu_threads", d.cpu_threads}, {"auto_device", d.auto_device},
            {"why", d.why}};
}

}  // namespace nativeseg
