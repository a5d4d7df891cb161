#include "nativeseg/progress.h"

#include <unistd.h>

#include <cmath>

#include "nativeseg/error.h"

namespace nativeseg {

void CancelToken::check() const {
    if (cancelled()) throw Cancelled();
}

void report(Progress* p, const std::string& stage, std::int64_t done, std::int64_t total,
            const std::string& message) {
    if (p) p->report(stage, done, total, message);
}

void check_cancel(const Progress* p) {
    if (p) p->check_cancel();
}

std::string format_duration(double s) {
    if (!std::isfinite(s) || s < 0) return "?";
    char buf[32];
    if (s < 60) {
        std::snprintf(buf, sizeof buf, "%.1fs", s);
    } else if (s < 3600) {
        int m = static_cast<int>(s / 60);
        std::snprintf(buf, sizeof buf, "%dm%02ds", m, static_cast<int>(s - 60 * m));
    } else {
        int h = static_cast<int>(s / 3600);
        std::snprintf(buf, sizeof buf, "%dh%02dm", h, static_cast<int>((s - 3600 * h) / 60));
    }
    return buf;
}

ConsoleProgress::ConsoleProgress(std::FILE* out, bool force_plain, double plain_interval)
    : out_(out), tty_(!force_plain && ::isatty(::fileno(out)) != 0), plain_interval_(plain_interval) {}

ConsoleProgress::~ConsoleProgress() { finish_line(); }

void ConsoleProgress::finish_line() {
    if (open_line_) {
        std::fputc('\n', out_);
        std::fflush(out_);
        open_line_ = false;
    }
}

void ConsoleProgress::report(const std::string& stage, std::int64_t done, std::int64_t total,
                             const std::string& message) {
    using clock = std::chrono::steady_clock;
    const auto now = clock::now();
    if (stage != stage_) {
        finish_line();
        stage_ = stage;
        stage_start_ = now;
        last_decile_ = -1;
        last_draw_ = {};
    }
    const double elapsed = std::chrono::duration<double>(now - stage_start_).count();
    const bool complete = total > 0 && done >= total;
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
    const double eta = (rate > 0 && total > 0) ? static_cast<double>(total - done) / rate : -1;

    if (tty_) {
        // Redraw at most 10 times a second, but always draw the final state.
        if (!complete && now - last_draw_ < std::chrono::milliseconds(100)) return;
        last_draw_ = now;
        const int width = 30;
        std::string bar;
        if (total > 0) {
            const int filled = static_cast<int>(width * static_cast<double>(done) / static_cast<double>(total));
            bar = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "]";
        }
        std::fprintf(out_, "\r%s %s %lld/%lld  %.1f/s  %s %s%s\x1b[K", stage.c_str(), bar.c_str(),
                     static_cast<long long>(done), static_cast<long long>(total), rate,
                     complete ? "took" : "ETA", format_duration(complete ? elapsed : eta).c_str(),
                     message.empty() ? "" : ("  " + message).c_str());
        open_line_ = true;
        if (complete) finish_line();
        std::fflush(out_);
        return;
    }
    // Plain lines for logs: one per 10% step (not more often than plain_interval_), and one
    // when the stage completes.
    const int decile = total > 0 ? static_cast<int>(10.0 * static_cast<double>(done) / static_cast<double>(total)) : 0;
    if (complete && last_decile_ == 10) return;
    if (!complete) {
        if (decile == last_decile_) return;
        if (std::chrono::duration<double>(now - last_draw_).count() < plain_interval_ &&
            last_draw_ != std::chrono::steady_clock::time_point{})
            return;
        if (last_draw_ == std::chrono::steady_clock::time_point{} && elapsed < plain_interval_) {
            last_draw_ = now;  // a stage's first report starts the clock; short stages print only their end
            return;
        }
    }
    last_draw_ = now;
    last_decile_ = complete ? 10 : decile;
    std::fprintf(out_, "%s: %lld/%lld (%.1f/s, %s %s)%s\n", stage.c_str(), static_cast<long long>(done),
                 static_cast<long long>(total), rate, complete ? "took" : "ETA",
                 format_duration(complete ? elapsed : eta).c_str(), message.empty() ? "" : ("  " + message).c_str());
    std::fflush(out_);
}

}  // namespace nativeseg
