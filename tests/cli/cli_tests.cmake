# Command-line tests: exit codes, messages and files of `nativeseg` subcommands.
set(NS $<TARGET_FILE:nativeseg>)
set(EXPECT bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh)
set(CLI_TMP ${CMAKE_CURRENT_BINARY_DIR}/tmp/cli)
file(MAKE_DIRECTORY ${CLI_TMP})

function(cli_test name)
  add_test(NAME cli.${name} COMMAND ${ARGN})
  set_tests_properties(cli.${name} PROPERTIES TIMEOUT 120 PASS_REGULAR_EXPRESSION "EXPECT OK")
endfunction()

cli_test(help ${EXPECT} 0 "convert +Convert between" -- ${NS} --help)
cli_test(version ${EXPECT} 0 "^0\\.|[0-9]+\\.[0-9]+\\.[0-9]+" -- ${NS} --version)
cli_test(info ${EXPECT} 0 "LibTorch +[12]\\.[0-9]+.*" -- ${NS} info)
cli_test(info_json ${EXPECT} 0 "\"cuda_available\": (true|false)" -- ${NS} info --json)
cli_test(settings_json ${EXPECT} 0 "\"flag\": \"--cell-radius\"" -- ${NS} settings --json)
cli_test(simulate_help ${EXPECT} 0 "--blink-rate" -- ${NS} simulate --help)
cli_test(no_subcommand ${EXPECT} nonzero "subcommand" -- ${NS})
cli_test(bad_integer ${EXPECT} nonzero "--frames: expected an integer from 1 to 100000, got 'many'"
         -- ${NS} simulate --out ${CLI_TMP}/never --frames many)
cli_test(bad_choice ${EXPECT} nonzero "--modality: expected one of fluo, phase, got 'dic'"
         -- ${NS} simulate --out ${CLI_TMP}/never --modality dic)
cli_test(missing_input ${EXPECT} nonzero "/no/such/file.tif"
         -- ${NS} convert --input /no/such/file.tif --output ${CLI_TMP}/x.tif)
cli_test(unwritable_output ${EXPECT} nonzero "/proc/nativeseg"
         -- ${NS} simulate --out /proc/nativeseg/out --frames 2 --width 32 --height 32)

# docs/settings.md is generated from the schema and must not drift from it.
add_test(NAME cli.settings_doc_up_to_date
         COMMAND bash -c "\"$1\" settings --markdown | diff -u \"$2\" - && echo EXPECT OK" _ ${NS}
                 ${PROJECT_SOURCE_DIR}/docs/settings.md)
set_tests_properties(cli.settings_doc_up_to_date PROPERTIES TIMEOUT 60 PASS_REGULAR_EXPRESSION "EXPECT OK")

# simulate → hyperstack → folder → big-endian deflate hyperstack: shape, type and calibration survive.
add_test(NAME cli.simulate_convert_roundtrip
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/simulate_convert_roundtrip.sh ${NS}
                 $<TARGET_FILE:tiff_probe> ${CLI_TMP}/roundtrip)
set_tests_properties(cli.simulate_convert_roundtrip PROPERTIES TIMEOUT 300 PASS_REGULAR_EXPRESSION "EXPECT OK")

# `nativeseg evaluate`: GT against itself, a perturbed track file with known TRA/LNK, label
# videos, instance and semantic kinds, --csv, --validate and bad input.
cli_test(evaluate_help ${EXPECT} 0 "--iou-thresholds" -- ${NS} evaluate --help)
add_test(NAME cli.evaluate
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/evaluate_cli.sh ${NS} ${CLI_TMP}/evaluate)
set_tests_properties(cli.evaluate PROPERTIES TIMEOUT 300 PASS_REGULAR_EXPRESSION "EXPECT OK")

# Tracking the simulator's ground truth reproduces it (TRA = 1), with every export written.
add_test(NAME cli.track_ground_truth
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/track_gt_roundtrip.sh ${NS} ${CLI_TMP}/track_gt)
set_tests_properties(cli.track_ground_truth PROPERTIES TIMEOUT 300 PASS_REGULAR_EXPRESSION "EXPECT OK")
cli_test(track_bad_labels ${EXPECT} nonzero "no/such/labels"
         -- ${NS} track --labels /no/such/labels --out ${CLI_TMP}/never)
cli_test(track_bad_exports ${EXPECT} nonzero "exports: unknown export 'xml'"
         -- ${NS} track --labels /no/such/labels --out ${CLI_TMP}/never --exports labels,xml)

# predict / validate-model / model-info on a simulated video with a tiny model package.
add_test(NAME cli.predict_simulated
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/predict_simulated.sh ${NS} $<TARGET_FILE:tiff_probe>
                 $<TARGET_FILE:make_test_model> ${CLI_TMP}/predict)
set_tests_properties(cli.predict_simulated PROPERTIES TIMEOUT 300 PASS_REGULAR_EXPRESSION "EXPECT OK")
# Bad model folders and devices: one-line errors that name the file or parameter.
add_test(NAME cli.predict_errors
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/predict_errors.sh ${NS} $<TARGET_FILE:make_test_model>
                 ${CLI_TMP}/predict_errors ${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh)
set_tests_properties(cli.predict_errors PROPERTIES TIMEOUT 300 PASS_REGULAR_EXPRESSION "ALL EXPECT OK"
                     FAIL_REGULAR_EXPRESSION "EXPECT FAILED")
cli_test(predict_help ${EXPECT} 0 "--output-type.*--threshold|--tile" -- ${NS} predict --help)
cli_test(predict_missing_model ${EXPECT} nonzero "model: no such model folder '/no/such/model'"
         -- ${NS} predict --model /no/such/model --input /no/such.tif --output ${CLI_TMP}/never.tif)
cli_test(predict_bad_output_type ${EXPECT} nonzero "--output-type: expected one of probability, classes, mask, labels"
         -- ${NS} predict --model x --input x --output x --output-type blobs)

# The main job end to end with a tiny model on a simulated video.
add_test(NAME cli.segment_video
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/segment_video.sh ${NS} $<TARGET_FILE:make_test_model>
                 ${CLI_TMP}/segment_video ${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh)
set_tests_properties(cli.segment_video PROPERTIES TIMEOUT 300 PASS_REGULAR_EXPRESSION "SEGMENT VIDEO OK")
add_test(NAME cli.track_bad_input
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/track_bad_input.sh ${NS} ${CLI_TMP}/track_bad
                 ${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh)
set_tests_properties(cli.track_bad_input PROPERTIES TIMEOUT 120 PASS_REGULAR_EXPRESSION "TRACK BAD INPUT OK")
