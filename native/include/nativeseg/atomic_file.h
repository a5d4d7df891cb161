#pragma once
// Outputs are written under a temporary name in the destination folder and renamed over
// the final name only when complete, so a failed or cancelled job never leaves a
// half-written file under the name a user (or a macro) will open.
#include <string>

namespace nativeseg {

class AtomicOutput {
public:
    /// Checks that the folder of `final_path` exists and is writable (Error naming it if not)
    /// and picks a unique temporary name beside it. Nothing is created yet.
    explicit AtomicOutput(std::string final_path);
    /// Removes the temporary file when commit() was not called.
    ~AtomicOutput();
    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;

    const std::string& temp_path() const { return temp_; }
    const std::string& final_path() const { return final_; }
    /// Renames the temporary file to the final name (replacing an older file).
    void commit();

private:
    std::string final_;
    std::string temp_;
    bool committed_ = false;
};

/// Creates `dir` (and parents) if needed; Error naming it when that fails or it is not writable.
void ensure_writable_dir(const std::string& dir);

}  // namespace nativeseg
