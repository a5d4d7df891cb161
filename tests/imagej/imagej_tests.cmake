# ImageJ itself (Debian's libij-java) opens what we write and writes what we read.
# ImageJ 1.x needs a display even with -batch, so it runs under xvfb-run; -batch exits 0
# even when a macro fails, so each test passes only on its sentinel line, within a TIMEOUT.
set(IJ_JAR /usr/share/java/ij.jar CACHE FILEPATH "ImageJ 1.x jar for the macro tests")
add_test(NAME imagej.hyperstack_roundtrip
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/imagej/hyperstack_roundtrip.sh $<TARGET_FILE:nativeseg>
                 $<TARGET_FILE:tiff_probe> ${IJ_JAR} ${CMAKE_CURRENT_SOURCE_DIR}/imagej
                 ${CMAKE_CURRENT_BINARY_DIR}/tmp/imagej)
set_tests_properties(imagej.hyperstack_roundtrip PROPERTIES RESOURCE_LOCK xvfb TIMEOUT 300 PASS_REGULAR_EXPRESSION "IMAGEJ ROUNDTRIP OK")
