#pragma once
// Progress reporting and cooperative cancellation. Long work reports (stage, done, total,
// message) and checks a cancel token between frames and tiles; the CLI draws a bar, the
// Fiji plugin the status bar, and Esc in Fiji sets the token.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace nativeseg {

class CancelToken {
public:
    void cancel() { cancelled_.store(true); }
    bool cancelled() const { return cancelled_.load(); }
    /// Throws Cancelled when the token is set.
    void check() const;

private:
    std::atomic<bool> cancelled_{false};
};

class Progress {
public:
    virtual ~Progress() = default;
    /// `done` of `total` units of `stage` finished (total 0 = unknown).
    virtual void report(const std::string& stage, std::int64_t done, std::int64_t total,
                        const std::string& message = {}) = 0;
    CancelToken& cancel_token() { return token_; }
    /// Throws Cancelled if cancel was requested.
    void check_cancel() const { token_.check(); }

private:
    CancelToken token_;
};

/// Helpers that accept a null Progress.
void report(Progress* p, const std::string& stage, std::int64_t done, std::int64_t total,
            const std::string& message = {});
void check_cancel(const Progress* p);

/// Command-line progress on a stream (stderr): on a terminal a bar redrawn in place with
/// rate and ETA; otherwise plain lines for logs, at most one per 10% step and per
/// `plain_interval` seconds, and one when a stage completes.
class ConsoleProgress : public Progress {
public:
    explicit ConsoleProgress(std::FILE* out = stderr, bool force_plain = false, double plain_interval = 2.0);
    ~ConsoleProgress() override;
    void report(const std::string& stage, std::int64_t done, std::int64_t total,
                const std::string& message = {}) override;
    /// Ends the current bar line (called before other output is printed).
    void finish_line();

private:
    std::FILE* out_;
    bool tty_;
    std::string stage_;
    std::chrono::steady_clock::time_point stage_start_;
    std::chrono::steady_clock::time_point last_draw_;
    double plain_interval_;
    int last_decile_ = -1;
    bool open_line_ = false;
};

/// "1m05s", "12.3s": for ETA and elapsed times.
std::string format_duration(double seconds);

}  // namespace nativeseg
