// The native methods of org.nativeseg.jni.NativeSeg: translation only. Handles (models,
// jobs, open videos) are pointers owned by Java objects with close(); every entry point runs
// inside guarded(), so no C++ exception crosses into the JVM.
#include <jni.h>

#include <stdexcept>
#include <vector>

#include "jni_support.h"
#include "nativeseg/about.h"
#include "nativeseg/model.h"
#include "nativeseg/pipeline.h"
#include "nativeseg/settings.h"
#include "nativeseg/video_io.h"

using namespace nativeseg;
using namespace nativeseg::jni;

namespace {

template <typename T>
T& handle(jlong h, const char* what) {
    if (h == 0) throw Error(std::string(what) + " is closed");
    return *reinterpret_cast<T*>(h);
}

std::function<void(const std::string&)> logger(JavaJob& job) {
    return [&job](const std::string& note) { job.log(note); };
}

}  // namespace

#define NS_JNI(ret, name) extern "C" JNIEXPORT ret JNICALL Java_org_nativeseg_jni_NativeSeg_##name

NS_JNI(jstring, version)(JNIEnv* env, jclass) {
    return guarded<jstring>(env, nullptr, [&] { return to_jstring(env, library_versions().dump()); });
}

NS_JNI(jstring, settingsSchema)(JNIEnv* env, jclass) {
    return guarded<jstring>(env, nullptr, [&] { return to_jstring(env, settings_schema_json().dump()); });
}

NS_JNI(jstring, modelsAndDevices)(JNIEnv* env, jclass, jobjectArray models, jboolean validate) {
    return guarded<jstring>(env, nullptr, [&] {
        std::vector<std::string> names;
        const jsize n = models ? env->GetArrayLength(models) : 0;
        for (jsize i = 0; i < n; ++i) {
            auto s = static_cast<jstring>(env->GetObjectArrayElement(models, i));
            names.push_back(to_string(env, s));
            env->DeleteLocalRef(s);
        }
        return to_jstring(env, models_and_devices(names, validate == JNI_TRUE).dump());
    });
}

NS_JNI(jlong, modelLoad)(JNIEnv* env, jclass, jstring model) {
    return guarded<jlong>(env, 0, [&] { return reinterpret_cast<jlong>(new Model(to_string(env, model))); });
}

NS_JNI(jstring, modelName)(JNIEnv* env, jclass, jlong model) {
    return guarded<jstring>(env, nullptr,
                            [&] { return to_jstring(env, handle<Model>(model, "model").description().name); });
}

NS_JNI(void, modelFree)(JNIEnv*, jclass, jlong model) { delete reinterpret_cast<Model*>(model); }

NS_JNI(jlong, jobNew)(JNIEnv* env, jclass, jobject listener) {
    return guarded<jlong>(env, 0, [&] { return reinterpret_cast<jlong>(new JavaJob(env, listener)); });
}

// May be called from any thread while the job runs (the token is atomic).
NS_JNI(void, jobCancel)(JNIEnv*, jclass, jlong job) {
    if (job) reinterpret_cast<JavaJob*>(job)->cancel_token().cancel();
}

NS_JNI(void, jobFree)(JNIEnv* env, jclass, jlong job) {
    if (!job) return;
    auto* j = reinterpret_cast<JavaJob*>(job);
    j->release(env);
    delete j;
}

NS_JNI(jstring, segmentImage)(JNIEnv* env, jclass, jlong job, jlong model, jstring spec, jobject source,
                              jstring input_name, jstring output, jstring settings) {
    return guarded<jstring>(env, nullptr, [&] {
        JavaJob& j = handle<JavaJob>(job, "job");
        const SettingValues values = settings_from_json(to_json(env, settings, "settings"), "predict");
        auto input = java_video(env, spec, source);
        const nlohmann::json r = segment_image(handle<Model>(model, "model"), *input, to_string(env, input_name),
                                               to_string(env, output), values, &j, logger(j));
        return to_jstring(env, r.dump());
    });
}

NS_JNI(jstring, segmentAndTrack)(JNIEnv* env, jclass, jlong job, jlong model, jstring spec, jobject source,
                                 jstring input_name, jstring raw_path, jstring out_dir, jstring name,
                                 jstring settings) {
    return guarded<jstring>(env, nullptr, [&] {
        JavaJob& j = handle<JavaJob>(job, "job");
        const SettingValues values = settings_from_json(to_json(env, settings, "settings"), "segment-video");
        auto input = java_video(env, spec, source);
        const nlohmann::json r =
            segment_and_track(handle<Model>(model, "model"), *input, to_string(env, input_name),
                              to_string(env, raw_path), to_string(env, out_dir), to_string(env, name), values, &j,
                              logger(j));
        return to_jstring(env, r.dump());
    });
}

NS_JNI(jstring, segmentImageFile)(JNIEnv* env, jclass, jlong job, jlong model, jstring input, jstring output,
                                  jstring settings) {
    return guarded<jstring>(env, nullptr, [&] {
        JavaJob& j = handle<JavaJob>(job, "job");
        const SettingValues values = settings_from_json(to_json(env, settings, "settings"), "predict");
        const nlohmann::json r = segment_image_file(handle<Model>(model, "model"), to_string(env, input),
                                                    to_string(env, output), values, &j, logger(j));
        return to_jstring(env, r.dump());
    });
}

NS_JNI(jstring, segmentAndTrackFile)(JNIEnv* env, jclass, jlong job, jlong model, jstring input, jstring out_dir,
                                     jstring name, jstring settings) {
    return guarded<jstring>(env, nullptr, [&] {
        JavaJob& j = handle<JavaJob>(job, "job");
        const SettingValues values = settings_from_json(to_json(env, settings, "settings"), "segment-video");
        const nlohmann::json r =
            segment_and_track_file(handle<Model>(model, "model"), to_string(env, input), to_string(env, out_dir),
                                   to_string(env, name), values, &j, logger(j));
        return to_jstring(env, r.dump());
    });
}

NS_JNI(jstring, trackLabels)(JNIEnv* env, jclass, jlong job, jstring labels_spec, jobject labels_source,
                             jstring labels_name, jstring raw_spec, jobject raw_source, jstring raw_path,
                             jstring out_dir, jstring name, jstring settings) {
    return guarded<jstring>(env, nullptr, [&] {
        JavaJob& j = handle<JavaJob>(job, "job");
        const SettingValues values = settings_from_json(to_json(env, settings, "settings"), "track");
        auto labels = java_video(env, labels_spec, labels_source);
        std::unique_ptr<VideoReader> raw;
        if (raw_source) raw = java_video(env, raw_spec, raw_source);
        const nlohmann::json r = track_labels(*labels, to_string(env, labels_name), raw.get(),
                                              to_string(env, raw_path), to_string(env, out_dir),
                                              to_string(env, name), values, &j);
        return to_jstring(env, r.dump());
    });
}

NS_JNI(void, mergeTracks)(JNIEnv* env, jclass, jlong job, jstring tracks_spec, jobject tracks_source,
                          jstring tracks_name, jstring seg_spec, jobject seg_source, jstring seg_name,
                          jstring output) {
    guarded<int>(env, 0, [&] {
        JavaJob& j = handle<JavaJob>(job, "job");
        auto tracks = java_video(env, tracks_spec, tracks_source);
        auto seg = java_video(env, seg_spec, seg_source);
        merge_tracks(*tracks, to_string(env, tracks_name), *seg, to_string(env, seg_name), to_string(env, output), &j);
        return 0;
    });
}

NS_JNI(jstring, evaluate)(JNIEnv* env, jclass, jlong job, jstring gt, jstring res, jstring settings) {
    return guarded<jstring>(env, nullptr, [&] {
        JavaJob& j = handle<JavaJob>(job, "job");
        const SettingValues values = settings_from_json(to_json(env, settings, "settings"), "evaluate");
        return to_jstring(env, evaluate_request(to_string(env, gt), to_string(env, res), values, &j).dump());
    });
}

NS_JNI(jstring, trainModel)(JNIEnv* env, jclass, jlong job, jstring settings, jstring images_spec,
                            jobject images_source, jstring images_name, jstring labels_spec, jobject labels_source,
                            jstring labels_name, jstring pairs_dir) {
    return guarded<jstring>(env, nullptr, [&] {
        JavaJob& j = handle<JavaJob>(job, "job");
        const SettingValues values = settings_from_json(to_json(env, settings, "settings"), "train");
        std::string pairs;
        if (images_source) {
            auto images = java_video(env, images_spec, images_source);
            auto labels = java_video(env, labels_spec, labels_source);
            pairs = to_string(env, pairs_dir);
            export_training_pairs(*images, to_string(env, images_name), *labels, to_string(env, labels_name), pairs);
        }
        return to_jstring(env, train_job(values, pairs, &j, logger(j)).dump());
    });
}

NS_JNI(jlong, videoOpen)(JNIEnv* env, jclass, jstring path) {
    return guarded<jlong>(env, 0, [&] { return reinterpret_cast<jlong>(open_video(to_string(env, path)).release()); });
}

NS_JNI(jstring, videoSpec)(JNIEnv* env, jclass, jlong video) {
    return guarded<jstring>(env, nullptr, [&] {
        VideoReader& v = handle<VideoReader>(video, "video");
        return to_jstring(env, video_spec_json(v.shape(), v.dtype(), v.calibration()).dump());
    });
}

NS_JNI(jobject, videoReadPlane)(JNIEnv* env, jclass, jlong video, jlong index) {
    return guarded<jobject>(env, nullptr,
                            [&] { return plane_to_java(env, handle<VideoReader>(video, "video").read_plane(index)); });
}

NS_JNI(void, videoFree)(JNIEnv*, jclass, jlong video) { delete reinterpret_cast<VideoReader*>(video); }

// For the tests of this boundary: each kind of C++ exception must arrive as a Java exception.
NS_JNI(void, raiseForTest)(JNIEnv* env, jclass, jint kind) {
    guarded<int>(env, 0, [&]() -> int {
        switch (kind) {
        case 0: throw Error("a nativeseg::Error from C++");
        case 1: throw std::runtime_error("a std::runtime_error from C++");
        case 2: throw Cancelled();
        default: throw 42;  // not a std::exception
        }
    });
}
