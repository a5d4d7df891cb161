#pragma once
// What the deep-learning runtime offers on this machine: LibTorch version, whether it was
// built with CUDA, which GPUs are visible, CPU threads. `nativeseg info` and Fiji's
// "Models and Devices" show it; device=auto uses it to choose.
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace nativeseg {

struct DeviceInfo {
    std::string torch_version;
    bool cuda_built = false;      // LibTorch has CUDA support compiled in
    bool cuda_available = false;  // ... and a usable GPU is visible
    int cuda_devices = 0;
    int cpu_threads = 0;          // intra-op threads LibTorch will use
    std::string auto_device;      // what device=auto picks: "cuda:0" or "cpu"
    std::string why;              // one line: why auto picked it, and what to do for a GPU
};

DeviceInfo query_devices();
nlohmann::json device_info_json(const DeviceInfo& info);

}  // namespace nativeseg
