#include "jni_support.h"

#include <cstring>
#include <limits>

namespace nativeseg::jni {

void throw_java(JNIEnv* env, const char* class_name, const std::string& message) {
    if (env->ExceptionCheck()) return;  // the first problem is the one to report
    jclass cls = env->FindClass(class_name);
    if (!cls) return;  // FindClass left NoClassDefFoundError pending
    env->ThrowNew(cls, message.c_str());
    env->DeleteLocalRef(cls);
}

void check_java(JNIEnv* env) {
    if (env->ExceptionCheck()) throw JavaExceptionPending{};
}

std::string to_string(JNIEnv* env, jstring s) {
    if (!s) return {};
    const char* chars = env->GetStringUTFChars(s, nullptr);
    if (!chars) throw JavaExceptionPending{};
    std::string out(chars);
    env->ReleaseStringUTFChars(s, chars);
    return out;
}

jstring to_jstring(JNIEnv* env, const std::string& s) {
    jstring j = env->NewStringUTF(s.c_str());
    check_java(env);
    return j;
}

nlohmann::json to_json(JNIEnv* env, jstring s, const std::string& what) {
    const std::string text = to_string(env, s);
    if (text.empty()) return nullptr;
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(what + ": not valid JSON (" + e.what() + ")");
    }
}

namespace {

jsize checked_length(const Image& plane) {
    const std::int64_t n = plane.shape().plane_pixels();
    if (n > std::numeric_limits<jsize>::max())
        throw Error("a plane of " + std::to_string(plane.shape().x) + "x" + std::to_string(plane.shape().y) +
                    " pixels is larger than a Java array can hold (2^31 elements)");
    return static_cast<jsize>(n);
}

}  // namespace

jobject plane_to_java(JNIEnv* env, const Image& plane) {
    const jsize n = checked_length(plane);
    jarray out = nullptr;
    switch (dtype_size(plane.dtype())) {
    case 1: {
        jbyteArray a = env->NewByteArray(n);
        if (a) env->SetByteArrayRegion(a, 0, n, reinterpret_cast<const jbyte*>(plane.bytes()));
        out = a;
        break;
    }
    case 2: {
        jshortArray a = env->NewShortArray(n);
        if (a) env->SetShortArrayRegion(a, 0, n, reinterpret_cast<const jshort*>(plane.bytes()));
        out = a;
        break;
    }
    default:
        if (plane.dtype() == DType::F32) {
            jfloatArray a = env->NewFloatArray(n);
            if (a) env->SetFloatArrayRegion(a, 0, n, reinterpret_cast<const jfloat*>(plane.bytes()));
            out = a;
        } else {
            jintArray a = env->NewIntArray(n);
            if (a) env->SetIntArrayRegion(a, 0, n, reinterpret_cast<const jint*>(plane.bytes()));
            out = a;
        }
    }
    check_java(env);  // OutOfMemoryError from the JVM
    return out;
}

Image plane_from_java(JNIEnv* env, jobject array, DType dtype, std::int64_t width, std::int64_t height) {
    if (!array) throw Error("the image gave no pixels for a plane");
    Shape s;
    s.y = height;
    s.x = width;
    Image plane(s, dtype);
    const jsize n = checked_length(plane);
    auto check_length = [&](jarray a, const char* java_type) {
        jclass cls = env->FindClass(java_type);
        const bool matches = cls && env->IsInstanceOf(array, cls);
        if (cls) env->DeleteLocalRef(cls);
        check_java(env);
        if (!matches)
            throw Error(std::string("a plane of ") + dtype_name(dtype) + " pixels must arrive as " + java_type);
        if (env->GetArrayLength(a) != n)
            throw Error("a plane must have " + std::to_string(n) + " pixels, got " +
                        std::to_string(env->GetArrayLength(a)));
    };
    switch (dtype_size(dtype)) {
    case 1:
        check_length(static_cast<jarray>(array), "[B");
        env->GetByteArrayRegion(static_cast<jbyteArray>(array), 0, n, reinterpret_cast<jbyte*>(plane.bytes()));
        break;
    case 2:
        check_length(static_cast<jarray>(array), "[S");
        env->GetShortArrayRegion(static_cast<jshortArray>(array), 0, n, reinterpret_cast<jshort*>(plane.bytes()));
        break;
    default:
        if (dtype == DType::F32) {
            check_length(static_cast<jarray>(array), "[F");
            env->GetFloatArrayRegion(static_cast<jfloatArray>(array), 0, n, reinterpret_cast<jfloat*>(plane.bytes()));
        } else {
            check_length(static_cast<jarray>(array), "[I");
            env->GetIntArrayRegion(static_cast<jintArray>(array), 0, n, reinterpret_cast<jint*>(plane.bytes()));
        }
    }
    check_java(env);
    return plane;
}

std::unique_ptr<VideoReader> java_video(JNIEnv* env, jstring spec_json, jobject source) {
    if (!source) throw Error("no image given");
    const VideoSpec spec = video_spec_from_json(to_json(env, spec_json, "image description"));
    jclass cls = env->GetObjectClass(source);
    jmethodID plane = env->GetMethodID(cls, "plane", "(I)Ljava/lang/Object;");
    env->DeleteLocalRef(cls);
    check_java(env);
    const std::int64_t w = spec.shape.x, h = spec.shape.y;
    const DType dtype = spec.dtype;
    // The source is only used during the native call that received it, on the same thread.
    return std::make_unique<CallbackVideoReader>(
        spec.shape, spec.dtype, spec.calibration, [env, source, plane, w, h, dtype](std::int64_t index) {
            jobject array = env->CallObjectMethod(source, plane, static_cast<jint>(index));
            check_java(env);
            Image p = plane_from_java(env, array, dtype, w, h);
            env->DeleteLocalRef(array);
            return p;
        });
}

JavaJob::JavaJob(JNIEnv* env, jobject listener) {
    env->GetJavaVM(&vm_);
    if (!listener) return;
    listener_ = env->NewGlobalRef(listener);
    jclass cls = env->GetObjectClass(listener);
    report_ = env->GetMethodID(cls, "report", "(Ljava/lang/String;JJLjava/lang/String;)V");
    log_ = env->GetMethodID(cls, "log", "(Ljava/lang/String;)V");
    env->DeleteLocalRef(cls);
    check_java(env);
}

JavaJob::~JavaJob() = default;

void JavaJob::release(JNIEnv* env) {
    if (listener_) env->DeleteGlobalRef(listener_);
    listener_ = nullptr;
}

JNIEnv* JavaJob::env_for_this_thread() const {
    JNIEnv* env = nullptr;
    if (!listener_ || !vm_ || vm_->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_8) != JNI_OK) return nullptr;
    return env;  // null on threads the JVM does not know (LibTorch workers): those reports are skipped
}

void JavaJob::report(const std::string& stage, std::int64_t done, std::int64_t total, const std::string& message) {
    JNIEnv* env = env_for_this_thread();
    if (!env || env->ExceptionCheck()) return;
    jstring s = env->NewStringUTF(stage.c_str());
    jstring m = env->NewStringUTF(message.c_str());
    if (s && m) env->CallVoidMethod(listener_, report_, s, static_cast<jlong>(done), static_cast<jlong>(total), m);
    if (s) env->DeleteLocalRef(s);
    if (m) env->DeleteLocalRef(m);
    // A listener that throws stops the job; its exception is the one the caller sees.
    check_java(env);
}

void JavaJob::log(const std::string& note) {
    JNIEnv* env = env_for_this_thread();
    if (!env || env->ExceptionCheck()) return;
    jstring s = env->NewStringUTF(note.c_str());
    if (s) env->CallVoidMethod(listener_, log_, s);
    if (s) env->DeleteLocalRef(s);
    check_java(env);
}

}  // namespace nativeseg::jni
