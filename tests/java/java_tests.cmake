# JUnit 4 tests of the Java side (Debian junit4 + libhamcrest-java), run by CTest through
# org.junit.runner.JUnitCore. The JNI tests load the library built here by absolute path.
if(TARGET nativeseg_classes)
  find_package(Java 11 REQUIRED COMPONENTS Runtime Development)
  include(UseJava)
  find_jar(JUNIT4_JAR NAMES junit4 PATHS /usr/share/java REQUIRED)
  find_jar(HAMCREST_JAR NAMES hamcrest-core hamcrest PATHS /usr/share/java REQUIRED)
  get_target_property(_classes_jar nativeseg_classes JAR_FILE)
  file(GLOB _java_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/java/org/nativeseg/*/*.java)
  add_jar(nativeseg_java_tests SOURCES ${_java_tests}
          INCLUDE_JARS nativeseg_classes ${IJ_JAR} ${JUNIT4_JAR} ${HAMCREST_JAR}
          OUTPUT_NAME NativeSegTests)
  get_target_property(_tests_jar nativeseg_java_tests JAR_FILE)
  set(_cp "${_tests_jar}:${_classes_jar}:${IJ_JAR}:${JUNIT4_JAR}:${HAMCREST_JAR}")
  set(_tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/java)
  set(_mk $<TARGET_FILE:make_test_model>)
  add_test(NAME java.unit
           COMMAND bash -c "rm -rf \"$1\" && mkdir -p \"$1\" && \"$2\" \"$1/model\" >/dev/null && \
exec \"$3\" -Djava.awt.headless=true -Dnativeseg.library.path=\"$4\" -Dnativeseg.test.model=\"$1/model\" \
-Djava.io.tmpdir=\"$1\" -cp \"$5\" org.junit.runner.JUnitCore org.nativeseg.jni.JsonTest \
org.nativeseg.jni.NativeLoaderTest org.nativeseg.jni.BoundaryTest org.nativeseg.jni.JobTest \
org.nativeseg.jni.InstallationTest \
org.nativeseg.fiji.SchemaTest org.nativeseg.fiji.EscCancelsTest org.nativeseg.fiji.ModelCacheTest"
                   _ ${_tmp}/unit $<TARGET_FILE:make_test_model> ${Java_JAVA_EXECUTABLE} $<TARGET_FILE:nativeseg_jni>
                   ${_cp})
  set_tests_properties(java.unit PROPERTIES TIMEOUT 300 PASS_REGULAR_EXPRESSION "^OK \\(|\nOK \\(")
  # Without a loadable library: the error lists every place tried.
  add_test(NAME java.loader_failure
           COMMAND ${Java_JAVA_EXECUTABLE} -Djava.awt.headless=true
                   -Dnativeseg.library.path=/no/such/libnativeseg_jni.so -Dij.dir=${_tmp}/no-fiji
                   -cp ${_cp} org.junit.runner.JUnitCore org.nativeseg.jni.NativeLoaderFailureTest)
  set_tests_properties(java.loader_failure PROPERTIES TIMEOUT 60 PASS_REGULAR_EXPRESSION "\nOK \\(")
  # From Fiji's lib/linux64 with a dependency listed in nativeseg-libs.txt (loaded by absolute path first).
  add_test(NAME java.loader_fiji_folder
           COMMAND bash -c "set -e; rm -rf \"$1\"; L=\"$1/lib/linux64\"; mkdir -p \"$L\"; cp \"$2\" \"$L/\"; \
dep=$(ldd \"$2\" | awk '/libyaml-cpp/ { print $3 }'); cp \"$dep\" \"$L/\"; basename \"$dep\" > \"$L/nativeseg-libs.txt\"; \
exec \"$3\" -Djava.awt.headless=true -Dij.dir=\"$1\" -Dnativeseg.test.dependency=$(basename \"$dep\") \
-cp \"$4\" org.junit.runner.JUnitCore org.nativeseg.jni.NativeLoaderFijiTest"
                   _ ${_tmp}/fiji $<TARGET_FILE:nativeseg_jni> ${Java_JAVA_EXECUTABLE} ${_cp})
  set_tests_properties(java.loader_fiji_folder PROPERTIES TIMEOUT 60 PASS_REGULAR_EXPRESSION "\nOK \\(")
  # A recorded macro line replays (the Recorder is a window: under xvfb-run).
  add_test(NAME java.record_replay
           COMMAND bash -c "rm -rf \"$1\" && mkdir -p \"$1\" && \"$2\" \"$1/model\" >/dev/null && \
\"$6\" simulate --out \"$1/sim\" --frames 8 --width 96 --height 96 --cells 4 --seed 5 >/dev/null && \
exec timeout 240 xvfb-run -a \"$3\" -Djava.awt.headless=false -Dnativeseg.library.path=\"$4\" \
-Dnativeseg.test.model=\"$1/model\" -Dnativeseg.test.video=\"$1/sim/video.tif\" -Djava.io.tmpdir=\"$1\" \
-cp \"$5\" org.junit.runner.JUnitCore org.nativeseg.fiji.RecordReplayTest"
                   _ ${_tmp}/record ${_mk} ${Java_JAVA_EXECUTABLE} $<TARGET_FILE:nativeseg_jni> ${_cp}
                   $<TARGET_FILE:nativeseg>)
  set_tests_properties(java.record_replay PROPERTIES RESOURCE_LOCK xvfb TIMEOUT 300 PASS_REGULAR_EXPRESSION "\nOK \\(")
endif()
