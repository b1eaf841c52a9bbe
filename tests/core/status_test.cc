// WriteFailure: the one wording of a failed write to the data directory.
#include "core/status.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace echotrace {
namespace {

TEST(WriteFailure, AFullDiskNamesThePathAndSaysHowToResume) {
  const Status full = WriteFailure("cannot write", "/data/ngrams/seg-2.ngs.tmp", ENOSPC);
  EXPECT_EQ(full.code(), StatusCode::kIOError);
  EXPECT_NE(full.message().find("the disk is full"), std::string::npos) << full.message();
  EXPECT_NE(full.message().find("/data/ngrams/seg-2.ngs.tmp"), std::string::npos) << full.message();
  EXPECT_NE(full.message().find("run the same command again"), std::string::npos) << full.message();
  EXPECT_NE(WriteFailure("cannot write", "/q", EDQUOT).message().find("the disk is full"), std::string::npos);
}

TEST(WriteFailure, AReadOnlyFolderAndOtherErrorsAreToldApart) {
  const Status read_only = WriteFailure("cannot create", "/ro/x.tmp", EROFS);
  EXPECT_NE(read_only.message().find("make the data directory writable"), std::string::npos) << read_only.message();
  EXPECT_EQ(read_only.message().find("disk is full"), std::string::npos) << read_only.message();
  const Status other = WriteFailure("cannot sync", "/d/x", EIO);
  EXPECT_EQ(other.code(), StatusCode::kIOError);
  EXPECT_NE(other.message().find("cannot sync /d/x"), std::string::npos) << other.message();
  EXPECT_EQ(other.message().find("disk is full"), std::string::npos) << other.message();
}

}  // namespace
}  // namespace echotrace
