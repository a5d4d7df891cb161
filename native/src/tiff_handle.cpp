#include "tiff_handle.h"

#include <cstdarg>
#include <cstdio>

#include "nativeseg/error.h"

namespace nativeseg::detail {

TiffHandle::TiffHandle(const std::string& file, const char* mode, const std::string& shown, const std::string& what)
    : shown_(shown) {
    TIFFOpenOptions* opts = TIFFOpenOptionsAlloc();
    if (!opts) throw Error("'" + shown_ + "': out of memory opening the file");
    TIFFOpenOptionsSetErrorHandlerExtR(opts, &TiffHandle::on_error, this);
    TIFFOpenOptionsSetWarningHandlerExtR(opts, &TiffHandle::on_warning, this);
    tif_ = TIFFOpenExt(file.c_str(), mode, opts);
    TIFFOpenOptionsFree(opts);
    if (!tif_) fail(what, "libtiff could not open it");
}

TiffHandle::~TiffHandle() { close(); }

void TiffHandle::close() {
    if (tif_) {
        TIFFClose(tif_);
        tif_ = nullptr;
    }
}

void TiffHandle::fail(const std::string& what, const std::string& fallback) const {
    std::string detail = errors_.empty() ? fallback : errors_;
    throw Error("'" + shown_ + "': " + what + (detail.empty() ? "" : ": " + detail));
}

int TiffHandle::on_error(TIFF*, void* self, const char*, const char* fmt, va_list ap) {
    // Called from C: must not throw. The module name (a libtiff function) means nothing
    // to users and is left out; the first few distinct messages are kept.
    auto* h = static_cast<TiffHandle*>(self);
    char buf[512];
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    std::string msg(buf);
    if (h->errors_.size() > 1000 || h->errors_.find(msg) != std::string::npos) return 1;
    if (!h->errors_.empty()) h->errors_ += "; ";
    h->errors_ += msg;
    return 1;  // handled: libtiff's global handler (stderr) is not called
}

}  // namespace nativeseg::detail
