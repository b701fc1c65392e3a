// Vector-file reader and writers: strict errors, tolerated layout variations, bit order and
// sign, and the checked-in hand-worked example.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "golden/error.hpp"
#include "golden/ws_model.hpp"
#include "test_support.hpp"
#include "vector_files/layer_files.hpp"
#include "vector_files/vector_file.hpp"
#include "vector_files/vector_set.hpp"

namespace golden {
namespace {

using golden_test::read_text;
using golden_test::TempDir;
using golden_test::test_data_dir;
using golden_test::write_text;

const RecordFormat kTwoNibbles{2, 4, true};  // 8-character lines: element 1 then element 0

InputError parse_error(const std::string& text, int expected, int header_lines = 3) {
  ReadOptions options;
  options.header_lines = header_lines;
  try {
    parse_record_file(text, "weight_kij3.txt", kTwoNibbles, expected, options);
  } catch (const InputError& error) {
    return error;
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return InputError("none");
}

const std::string kHeader = "#a\n#b\n#c\n";

ReadOptions with_header_lines(int lines) {
  ReadOptions options;
  options.header_lines = lines;
  return options;
}

TEST(VectorFile, ReadsElementsHighFirstMsbFirstWithSign) {
  const RecordFile file =
      parse_record_file(kHeader + "01111000\n10000111\n", "w.txt", kTwoNibbles, 2);
  EXPECT_EQ(file.at(0, 1), 7);   // first nibble is the highest element
  EXPECT_EQ(file.at(0, 0), -8);  // 1000 is -8 in 4-bit two's complement
  EXPECT_EQ(file.at(1, 1), -8);
  EXPECT_EQ(file.at(1, 0), 7);
  EXPECT_EQ(file.first_record_line, 4);
  EXPECT_EQ(file.line_of(1), 5);
}

TEST(VectorFile, ReadsUnsignedActivations) {
  const RecordFile file =
      parse_record_file(kHeader + "11110001\n", "a.txt", RecordFormat{2, 4, false}, 1);
  EXPECT_EQ(file.at(0, 1), 15);
  EXPECT_EQ(file.at(0, 0), 1);
}

TEST(VectorFile, ReadsLowFirstOrder) {
  ReadOptions options;
  options.order = ElementOrder::LowFirst;
  const RecordFile file = parse_record_file(kHeader + "00011110\n", "w.txt", kTwoNibbles, 1, options);
  EXPECT_EQ(file.at(0, 0), 1);
  EXPECT_EQ(file.at(0, 1), -2);
}

TEST(VectorFile, ReaderAcceptsCrlfTrailingBlanksAndBlankLinesAtEnd) {
  const RecordFile file = parse_record_file(
      "#a\r\n#b\r\n#c\r\n00010010 \t\r\n00110100\r\n\r\n   \n\n", "w.txt", kTwoNibbles, 2);
  EXPECT_EQ(file.records, 2);
  EXPECT_EQ(file.at(0, 0), 2);
  EXPECT_EQ(file.at(1, 1), 3);
  // No line end after the last record.
  EXPECT_EQ(parse_record_file(kHeader + "00010010", "w.txt", kTwoNibbles, 1).at(0, 1), 1);
}

TEST(VectorFile, ReaderSkipsConfiguredHeaderLines) {
  EXPECT_EQ(parse_record_file("00010010\n", "w.txt", kTwoNibbles, 1, with_header_lines(0)).at(0, 0), 2);
  EXPECT_EQ(parse_record_file("l\n00010010\n", "w.txt", kTwoNibbles, 1, with_header_lines(1)).at(0, 0), 2);
  // 12 header lines mixing comments, a bare token and blanks; a header line may even look
  // like data.
  const std::string twelve = "#x\nl\n\n#y\n\n00000000\n#\n\n\n#z\ntoken\n\n";
  const RecordFile file = parse_record_file(twelve + "00010010\n", "w.txt", kTwoNibbles, 1, with_header_lines(12));
  EXPECT_EQ(file.at(0, 0), 2);
  EXPECT_EQ(file.first_record_line, 13);
}

TEST(VectorFile, ReaderRejectsWrongLineLength) {
  const InputError error = parse_error(kHeader + "00010010\n0001001\n", 2);
  EXPECT_EQ(error.file(), "weight_kij3.txt");
  EXPECT_EQ(error.line(), 5);
  EXPECT_EQ(std::string(error.what()),
            "weight_kij3.txt line 5: line has 7 characters, expected 8 characters (2 elements of "
            "4 bits)");
}

TEST(VectorFile, ReaderRejectsStrayCharacter) {
  const InputError error = parse_error(kHeader + "00010010\n0001x010\n", 2);
  EXPECT_EQ(error.line(), 5);
  EXPECT_EQ(error.column(), 5);
  EXPECT_EQ(std::string(error.what()), "weight_kij3.txt line 5 col 5: expected '0' or '1', found 'x'");
  // A blank inside a line is a stray character too, not a trailing blank.
  const InputError blank = parse_error(kHeader + "0001 0010\n", 1);
  EXPECT_EQ(blank.line(), 4);
  EXPECT_EQ(blank.column(), 5);
  EXPECT_NE(std::string(blank.what()).find("found a blank"), std::string::npos);
}

TEST(VectorFile, ReaderRejectsTooFewRecords) {
  const InputError error = parse_error(kHeader + "00010010\n00010010\n", 3);
  EXPECT_EQ(error.line(), 6);
  EXPECT_EQ(std::string(error.what()),
            "weight_kij3.txt line 6: file ends after 2 records, expected 3 of 8 characters (2 "
            "elements of 4 bits)");
}

TEST(VectorFile, ReaderRejectsTooManyRecords) {
  const InputError error = parse_error(kHeader + "00010010\n00010010\n00010010\n", 2);
  EXPECT_EQ(error.line(), 6);
  EXPECT_EQ(std::string(error.what()),
            "weight_kij3.txt line 6: more records than expected: the file holds 3, expected 2");
}

TEST(VectorFile, ReaderRejectsBlankLineBetweenRecords) {
  const InputError error = parse_error(kHeader + "00010010\n\n00010010\n", 2);
  EXPECT_EQ(error.line(), 5);
  EXPECT_NE(std::string(error.what()).find("blank line where record 2 was expected"),
            std::string::npos)
      << error.what();
}

TEST(VectorFile, ReaderRejectsFileEndingInsideItsHeader) {
  const InputError error = parse_error("#a\n#b\n", 1);
  EXPECT_EQ(error.line(), 3);
  EXPECT_NE(std::string(error.what()).find("file ends inside its 3 header lines"),
            std::string::npos)
      << error.what();
}

TEST(VectorFile, ReaderRejectsEmptyFile) {
  const InputError error = parse_error(kHeader, 1);
  EXPECT_EQ(error.line(), 4);
  EXPECT_NE(std::string(error.what()).find("no records after the 3 header lines"),
            std::string::npos)
      << error.what();
}

TEST(VectorFile, ReaderRejectsMissingFile) {
  TempDir dir;
  try {
    read_record_file(dir.path() / "psum_kij4.txt", RecordFormat{8, 16, true}, 36,
                     ReadOptions{3, ElementOrder::HighFirst, "psum_kij4.txt"});
    FAIL() << "missing file accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()),
              "psum_kij4.txt: cannot open file, expected 36 records of 128 characters (8 "
              "elements of 16 bits)");
  }
}

TEST(VectorFile, ReportsTheFirstBadLineInFileOrder) {
  // Line 4 is malformed and there are too many records: line 4 is what the user must fix.
  const InputError error = parse_error(kHeader + "0001001\n00010010\n00010010\n", 2);
  EXPECT_EQ(error.line(), 4);
}

TEST(VectorFile, FormatRecordWritesTwosComplementHighFirst) {
  const std::vector<std::int64_t> psums = {-51, 39};  // col0, col1
  EXPECT_EQ(format_record(psums.data(), RecordFormat{2, 16, true}),
            "0000000000100111"
            "1111111111001101");
  EXPECT_EQ(format_record(psums.data(), RecordFormat{2, 16, true}, ElementOrder::LowFirst),
            "1111111111001101"
            "0000000000100111");
  const std::vector<std::int64_t> weights = {-1, 5, -8, 7};  // row0..row3
  EXPECT_EQ(format_record(weights.data(), RecordFormat{4, 4, true}), "0111100001011111");
}

TEST(VectorFile, WriterRejectsValuesThatDoNotFit) {
  TempDir dir;
  EXPECT_THROW(write_record_file(dir.path() / "w.txt", RecordFormat{2, 4, true}, {8, 0}, {}),
               InputError);
  EXPECT_THROW(write_record_file(dir.path() / "a.txt", RecordFormat{2, 4, false}, {-1, 0}, {}),
               InputError);
}

TEST(VectorFile, WriteThenReadGivesTheSameRecords) {
  TempDir dir;
  const RecordFormat format{5, 12, true};
  std::vector<std::int64_t> values;
  for (int i = 0; i < 35; ++i) values.push_back((i * 977) % 4096 - 2048);
  const std::vector<std::string> header = {"#one", "#two"};
  for (ElementOrder order : {ElementOrder::HighFirst, ElementOrder::LowFirst}) {
    write_record_file(dir.path() / "x.txt", format, values, header, order);
    const RecordFile file =
        read_record_file(dir.path() / "x.txt", format, 7, ReadOptions{2, order, "x.txt"});
    EXPECT_EQ(file.values, values);
  }
}

TEST(VectorFile, NotebookHeadersMatchSeed001) {
  const ArrayShape array;
  EXPECT_EQ(notebook_header(FileKind::Activation, array),
            (std::vector<std::string>{
                "#time0row7[msb-lsb],time0row6[msb-lst],....,time0row0[msb-lst]#",
                "#time1row7[msb-lsb],time1row6[msb-lst],....,time1row0[msb-lst]#", "#.....#"}));
  EXPECT_EQ(notebook_header(FileKind::Weight, array),
            (std::vector<std::string>{"#col0row7[msb-lsb],col0row6[msb-lst],...,col0row0[msb-lst]#",
                                      "#col1row7[msb-lsb],col1row6[msb-lst],...,col1row0[msb-lst]#",
                                      "#.....#"}));
  EXPECT_EQ(notebook_header(FileKind::Psum, array),
            (std::vector<std::string>{
                "#time0col7[msb-lsb],time0col6[msb-lst],....,time0col0[msb-lst]#",
                "#time1col7[msb-lsb],time1col6[msb-lst],....,time1col0[msb-lst]#", "#.....#"}));
  EXPECT_EQ(notebook_header(FileKind::Out, array),
            (std::vector<std::string>{"#time0col7[msb-lsb],time0col6[msb-lst],...,time0col0[msb-lst]#",
                                      "#time1col7[msb-lsb],time1col6[msb-lst],...,time1col0[msb-lst]#",
                                      "#.....#"}));
  EXPECT_EQ(notebook_header(FileKind::Psum, ArrayShape::square(16))[0],
            "#time0col15[msb-lsb],time0col14[msb-lst],....,time0col0[msb-lst]#");
}

TEST(VectorFile, FileNamesFollowDesign) {
  const Tiling single{1, 1};
  const Tiling tiled{2, 3};
  EXPECT_EQ(activation_file_name(single, 0), "activation.txt");
  EXPECT_EQ(weight_file_name(single, 0, 0, 4), "weight_kij4.txt");
  EXPECT_EQ(psum_file_name(single, 0, 0, 8), "psum_kij8.txt");
  EXPECT_EQ(out_file_name(single, 0), "out.txt");
  EXPECT_EQ(activation_file_name(tiled, 1), "activation_tile1.txt");
  EXPECT_EQ(weight_file_name(tiled, 1, 2, 3), "weight_itile1_otile2_kij3.txt");
  EXPECT_EQ(psum_file_name(tiled, 0, 2, 7), "psum_itile0_otile2_kij7.txt");
  EXPECT_EQ(out_file_name(tiled, 2), "out_otile2.txt");
  EXPECT_EQ(activation_os_file_name(2), "activation_os_ic2.txt");
  EXPECT_EQ(weight_os_file_name(0), "weight_os_ic0.txt");
}

// The hand-worked 2x2 example in data/hand_worked_2x2 (values in its meta.json notes).
struct HandWorked {
  LayerShape shape{2, 2, 1, 1};
  ArrayShape array{2, 2, 4, 16};
  ActivationTensor activations{2, 1, 1};
  WeightTensor weights{2, 2};
  HandWorked() {
    activations.at(0, 0, 0) = 3;
    activations.at(1, 0, 0) = 9;
    weights.at(0, 0, 0) = 1;
    weights.at(0, 1, 0) = -1;
    weights.at(1, 1, 0) = 2;
    weights.at(0, 0, 4) = -2;
    weights.at(0, 1, 4) = 5;
    weights.at(1, 0, 4) = 7;
    weights.at(1, 1, 4) = -8;
  }
};

TEST(HandWorkedExample, ModelGivesTheHandComputedPsumsAndOutputs) {
  const HandWorked hand;
  const WsResult result = run_ws_model(hand.shape, hand.array, hand.activations, hand.weights);
  EXPECT_EQ(result.psum.at(0, 0, 0, 4, 0), -6);   // 1*3 + -1*9
  EXPECT_EQ(result.psum.at(0, 0, 0, 4, 1), 18);   // 0*3 + 2*9
  EXPECT_EQ(result.psum.at(0, 0, 4, 4, 0), 39);   // -2*3 + 5*9
  EXPECT_EQ(result.psum.at(0, 0, 4, 4, 1), -51);  // 7*3 + -8*9
  EXPECT_EQ(result.psum.at(0, 0, 0, 0, 0), 0);
  EXPECT_EQ(result.sum.at(0, 0), 39);
  EXPECT_EQ(result.sum.at(1, 0), -51);
  EXPECT_EQ(result.relu.at(1, 0), 0);
}

TEST(HandWorkedExample, WritersProduceTheCheckedInFilesByteForByte) {
  const HandWorked hand;
  TempDir dir;
  const WsResult result = run_ws_model(hand.shape, hand.array, hand.activations, hand.weights);
  const auto written = write_ws_layer_files(dir.path(), hand.activations, hand.weights, result);
  ASSERT_EQ(written.size(), 1U + 9U + 9U + 1U);
  const auto expected_dir = test_data_dir() / "hand_worked_2x2";
  for (const std::string& name : written) {
    SCOPED_TRACE(name);
    EXPECT_EQ(read_text(dir.path() / name), read_text(expected_dir / name));
  }
}

TEST(HandWorkedExample, LoaderReadsEachElementFromItsPlace) {
  const HandWorked hand;
  const VectorSet set = load_vector_set(test_data_dir() / "hand_worked_2x2");
  EXPECT_EQ(set.shape, hand.shape);
  EXPECT_EQ(set.array, hand.array);
  for (int ic = 0; ic < 2; ++ic) EXPECT_EQ(set.activations.at(ic, 0, 0), hand.activations.at(ic, 0, 0));
  for (int oc = 0; oc < 2; ++oc)
    for (int ic = 0; ic < 2; ++ic)
      for (int kij = 0; kij < 9; ++kij)
        EXPECT_EQ(set.weights.at(oc, ic, kij), hand.weights.at(oc, ic, kij))
            << "oc " << oc << " ic " << ic << " kij " << kij;
  ASSERT_TRUE(set.psums.has_value());
  EXPECT_EQ(set.psums->at(0, 0, 4, 4, 1), -51);
  EXPECT_EQ(set.psums->at(0, 0, 0, 4, 0), -6);
  ASSERT_TRUE(set.outputs.has_value());
  EXPECT_EQ(set.outputs->at(0, 0), 39);
  EXPECT_EQ(set.outputs->at(1, 0), 0);
  EXPECT_EQ(set.psum_origin(0, 0, 4, 4, 1).line, 8);  // 3 header lines + nij 4 + 1
  EXPECT_EQ(check_vector_set(set).disagreements.size(), 0U);
}

}  // namespace
}  // namespace golden
