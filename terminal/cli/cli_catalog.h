// `motcua catalog sign|verify|sync`: authors sign form packages, kiosks pull and check them.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace motcua {

int catalog_command(const std::vector<std::string>& args, const std::string& data_root, std::ostream& out,
                    std::ostream& err);

extern const char* kCatalogHelp;

}  // namespace motcua
