#pragma once
// What every JNI entry point needs: one guard that turns any C++ exception into a Java
// exception, string and JSON conversion, pixel arrays in and out, and the Java objects that
// the core calls back (progress listener, plane source).
#include <jni.h>

#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "nativeseg/error.h"
#include "nativeseg/image.h"
#include "nativeseg/pipeline.h"
#include "nativeseg/progress.h"

namespace nativeseg::jni {

/// Thrown in C++ when a Java call made from native code left a Java exception pending: the
/// guard then lets that Java exception propagate unchanged.
struct JavaExceptionPending {};

/// Throws org.nativeseg.jni.NativeSegException (or CancelledException) with `message`,
/// unless a Java exception is already pending.
void throw_java(JNIEnv* env, const char* class_name, const std::string& message);

/// Runs `body`; any C++ exception becomes a Java exception and `fallback` is returned.
template <typename R, typename F>
R guarded(JNIEnv* env, R fallback, F&& body) {
    try {
        return body();
    } catch (const JavaExceptionPending&) {
    } catch (const Cancelled& e) {
        throw_java(env, "org/nativeseg/jni/CancelledException", e.what());
    } catch (const std::bad_alloc&) {
        throw_java(env, "org/nativeseg/jni/NativeSegException", "not enough memory");
    } catch (const std::exception& e) {
        throw_java(env, "org/nativeseg/jni/NativeSegException", e.what());
    } catch (...) {
        throw_java(env, "org/nativeseg/jni/NativeSegException", "unknown native error");
    }
    return fallback;
}

std::string to_string(JNIEnv* env, jstring s);
jstring to_jstring(JNIEnv* env, const std::string& s);
/// Parses a JSON argument; Error naming `what` when it is not JSON.
nlohmann::json to_json(JNIEnv* env, jstring s, const std::string& what);
/// Throws JavaExceptionPending when a Java exception is pending.
void check_java(JNIEnv* env);

/// One plane as a Java array: byte[] (8-bit), short[] (16-bit), int[] (32-bit integer),
/// float[] (float32). Error when the plane has 2^31 pixels or more.
jobject plane_to_java(JNIEnv* env, const Image& plane);
/// A Java array (as above) → a 1-plane image of `dtype`, `width` x `height`.
Image plane_from_java(JNIEnv* env, jobject array, DType dtype, std::int64_t width, std::int64_t height);

/// A video whose planes are asked of a Java PlaneSource (`Object plane(int index)`) on the
/// calling thread.
std::unique_ptr<VideoReader> java_video(JNIEnv* env, jstring spec, jobject source);

/// A job: progress and cancel token; progress and notes go to a Java ProgressListener
/// (`report(String, long, long, String)`, `log(String)`) when called on a Java thread.
class JavaJob : public Progress {
public:
    JavaJob(JNIEnv* env, jobject listener);
    ~JavaJob() override;
    void release(JNIEnv* env);
    void report(const std::string& stage, std::int64_t done, std::int64_t total, const std::string& message) override;
    void log(const std::string& note);

private:
    JNIEnv* env_for_this_thread() const;
    JavaVM* vm_ = nullptr;
    jobject listener_ = nullptr;  // global reference
    jmethodID report_ = nullptr, log_ = nullptr;
};

}  // namespace nativeseg::jni
