#include "nativeseg/atomic_file.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <system_error>

#include "nativeseg/error.h"

namespace fs = std::filesystem;

namespace nativeseg {

namespace {
std::atomic<unsigned> g_counter{0};

std::string parent_or_dot(const fs::path& p) {
    fs::path parent = p.parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}
}  // namespace

void ensure_writable_dir(const std::string& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec && !fs::is_directory(dir))
        throw Error("cannot create output folder '" + dir + "': " + ec.message());
    if (!fs::is_directory(dir)) throw Error("output path '" + dir + "' exists and is not a folder");
    if (::access(dir.c_str(), W_OK) != 0) throw Error("output folder '" + dir + "' is not writable");
}

AtomicOutput::AtomicOutput(std::string final_path) : final_(std::move(final_path)) {
    if (final_.empty()) throw Error("output path is empty");
    fs::path p(final_);
    if (fs::is_directory(p)) throw Error("output '" + final_ + "' is a folder, expected a file name");
    const std::string dir = parent_or_dot(p);
    if (!fs::is_directory(dir)) throw Error("cannot write '" + final_ + "': folder '" + dir + "' does not exist");
    if (::access(dir.c_str(), W_OK) != 0) throw Error("cannot write '" + final_ + "': folder '" + dir + "' is not writable");
    // A hidden name in the same folder, so the final rename stays on one file system.
    temp_ = (fs::path(dir) / ("." + p.filename().string() + ".tmp" + std::to_string(::getpid()) + "_" +
                              std::to_string(g_counter++)))
                .string();
}

AtomicOutput::~AtomicOutput() {
    if (!committed_) {
        std::error_code ec;
        fs::remove(temp_, ec);
    }
}

void AtomicOutput::commit() {
    std::error_code ec;
    fs::rename(temp_, final_, ec);
    if (ec) throw Error("cannot rename '" + temp_ + "' to '" + final_ + "': " + ec.message());
    committed_ = true;
}

}  // namespace nativeseg
