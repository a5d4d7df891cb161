# The Fiji plugin (java/) in ImageJ 1.x under xvfb-run; each test passes on its sentinel line
# only (ImageJ's -batch exits 0 even when a macro fails) and has a TIMEOUT. They take the
# resource lock "xvfb": two `xvfb-run -a` starting at once can pick the same display.
if(TARGET nativeseg_plugin)
  add_test(NAME imagej.fiji_segment_and_track
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/imagej/fiji_plugin.sh $<TARGET_FILE:nativeseg>
                   $<TARGET_FILE:make_test_model> ${NATIVESEG_PLUGIN_JAR} ${IJ_JAR} ${CMAKE_CURRENT_SOURCE_DIR}/imagej
                   ${CMAKE_CURRENT_BINARY_DIR}/tmp/fiji_segment_and_track)
  set_tests_properties(imagej.fiji_segment_and_track PROPERTIES RESOURCE_LOCK xvfb TIMEOUT 400
                       PASS_REGULAR_EXPRESSION "FIJI SEGMENT AND TRACK OK")
endif()
if(TARGET nativeseg_plugin)
  add_test(NAME imagej.fiji_commands
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/imagej/fiji_commands.sh $<TARGET_FILE:nativeseg>
                   $<TARGET_FILE:make_test_model> ${NATIVESEG_PLUGIN_JAR} ${IJ_JAR} ${CMAKE_CURRENT_SOURCE_DIR}/imagej
                   ${CMAKE_CURRENT_BINARY_DIR}/tmp/fiji_commands)
  set_tests_properties(imagej.fiji_commands PROPERTIES RESOURCE_LOCK xvfb TIMEOUT 400 PASS_REGULAR_EXPRESSION "FIJI COMMANDS OK")
endif()
if(TARGET nativeseg_plugin)
  add_test(NAME imagej.fiji_train
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/imagej/fiji_train.sh $<TARGET_FILE:nativeseg> ${NATIVESEG_PLUGIN_JAR}
                   ${IJ_JAR} ${CMAKE_CURRENT_SOURCE_DIR}/imagej ${CMAKE_CURRENT_BINARY_DIR}/tmp/fiji_train)
  set_tests_properties(imagej.fiji_train PROPERTIES RESOURCE_LOCK xvfb TIMEOUT 500 PASS_REGULAR_EXPRESSION "FIJI TRAIN OK")
endif()
if(TARGET nativeseg_plugin)
  add_test(NAME imagej.fiji_macros
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/imagej/fiji_macros.sh $<TARGET_FILE:nativeseg>
                   $<TARGET_FILE:make_test_model> ${NATIVESEG_PLUGIN_JAR} ${IJ_JAR} ${PROJECT_SOURCE_DIR}/macros
                   ${CMAKE_CURRENT_BINARY_DIR}/tmp/fiji_macros)
  set_tests_properties(imagej.fiji_macros PROPERTIES RESOURCE_LOCK xvfb TIMEOUT 600 PASS_REGULAR_EXPRESSION "FIJI MACROS OK")
endif()
if(TARGET nativeseg_plugin)
  get_target_property(_classes_jar nativeseg_classes JAR_FILE)
  add_test(NAME imagej.fiji_no_library
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/imagej/fiji_no_library.sh ${_classes_jar} ${IJ_JAR}
                   ${CMAKE_CURRENT_SOURCE_DIR}/imagej ${CMAKE_CURRENT_BINARY_DIR}/tmp/fiji_no_library)
  set_tests_properties(imagej.fiji_no_library PROPERTIES RESOURCE_LOCK xvfb TIMEOUT 200
                       PASS_REGULAR_EXPRESSION "FIJI NO LIBRARY OK")
endif()
