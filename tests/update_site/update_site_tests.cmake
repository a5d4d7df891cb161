# The update site built, installed into an empty ImageJ folder and used from there (issue 8).
if(TARGET nativeseg_plugin AND TARGET nativeseg_site_tools)
  add_test(NAME update_site.install
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/update_site/install_test.sh ${CMAKE_BINARY_DIR}
                   $<TARGET_FILE:nativeseg> ${NATIVESEG_SITE_TOOLS_JAR} ${IJ_JAR} ${CMAKE_CURRENT_SOURCE_DIR}/update_site
                   ${CMAKE_CURRENT_BINARY_DIR}/tmp/update_site)
  set_tests_properties(update_site.install PROPERTIES TIMEOUT 900 PASS_REGULAR_EXPRESSION "UPDATE SITE INSTALL OK"
                       RUN_SERIAL TRUE RESOURCE_LOCK xvfb)
endif()
