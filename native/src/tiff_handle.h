#pragma once
// A libtiff handle whose error messages are collected per handle (libtiff 4.5 open
// options), not printed: they become the text of our Error, and warnings (e.g. the
// private tags ImageJ and microscope software write) are dropped. Per-handle handlers
// keep this thread-safe, unlike libtiff's global TIFFSetErrorHandler.
#include <tiffio.h>

#include <string>

namespace nativeseg::detail {

class TiffHandle {
public:
    /// Opens `file` with a libtiff mode ("rm", "wl8", ...). On failure throws Error:
    /// "'<shown>': <what>: <libtiff message>". `shown` is the name users know (the
    /// final name when `file` is a temporary one).
    TiffHandle(const std::string& file, const char* mode, const std::string& shown, const std::string& what);
    ~TiffHandle();
    TiffHandle(const TiffHandle&) = delete;
    TiffHandle& operator=(const TiffHandle&) = delete;

    TIFF* get() const { return tif_; }
    /// Closes the file (libtiff flushes pending data of a writer here).
    void close();

    /// True when libtiff reported an error since the last clear_errors().
    bool failed() const { return !errors_.empty(); }
    void clear_errors() { errors_.clear(); }
    /// Throws Error "'<shown>': <what>: <libtiff messages>" (or `fallback` when libtiff said nothing).
    [[noreturn]] void fail(const std::string& what, const std::string& fallback = "") const;

private:
    static int on_error(TIFF*, void* self, const char* module, const char* fmt, va_list ap);
    static int on_warning(TIFF*, void*, const char*, const char*, va_list) { return 1; }

    TIFF* tif_ = nullptr;
    std::string shown_;
    std::string errors_;
};

}  // namespace nativeseg::detail
