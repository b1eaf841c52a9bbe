#include "eval/dev_pages.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace echotrace {

namespace {

Result<DevPage> ParseDevPage(const std::string& name, const std::string& content) {
  DevPage page;
  page.name = name;
  size_t pos = 0;
  auto next_line = [&](std::string* line) {
    if (pos >= content.size()) return false;
    size_t end = content.find('\n', pos);
    if (end == std::string::npos) end = content.size();
    *line = content.substr(pos, end - pos);
    if (!line->empty() && line->back() == '\r') line->pop_back();
    pos = end + 1;
    return true;
  };
  std::string blank;
  if (!next_line(&page.url) || !next_line(&page.date) || !next_line(&blank) || !blank.empty() || page.url.empty() ||
      page.date.empty()) {
    return Status::BadInput(name + ": expected a URL line, a date line and a blank line before the text");
  }
  page.text = pos < content.size() ? content.substr(pos) : std::string();
  return page;
}

}  // namespace

Result<std::vector<DevPage>> ReadDevPages(const std::string& dir) {
  namespace fs = std::filesystem;
  const fs::path folder = fs::path(dir) / "pages";
  std::error_code error;
  if (!fs::is_directory(folder, error)) return Status::NotFound(folder.string() + ": no such folder");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    if (entry.is_regular_file() && entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  if (error) return Status::IOError(folder.string() + ": " + error.message());
  if (files.empty()) return Status::NotFound(folder.string() + ": no page files");
  std::sort(files.begin(), files.end());
  std::vector<DevPage> pages;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Status::IOError(file.string() + ": cannot read");
    std::ostringstream content;
    content << in.rdbuf();
    ET_ASSIGN_OR_RETURN(DevPage page, ParseDevPage(file.filename().string(), content.str()));
    pages.push_back(std::move(page));
  }
  return pages;
}

}  // namespace echotrace
