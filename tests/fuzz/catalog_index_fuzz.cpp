// libFuzzer target: the catalog index the portal answers to GET /v1/catalog, read before any
// file is fetched. Refusals are InputError; any other exception (json::type_error from a
// number where a file should be) is a finding, as is an accepted name or href outside the bounds.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "terminal/core/input.h"
#include "terminal/services/catalog_sync.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    motcua::CatalogIndex index = motcua::parse_catalog_index(std::string_view(reinterpret_cast<const char*>(data), size));
    if (index.files.size() > motcua::kMaxCatalogFiles) std::abort();
    for (auto& f : index.files)
      if (f.name.find('/') != std::string::npos || f.href.empty() || f.href[0] != '/' || f.href.find('@') != std::string::npos)
        std::abort();
  } catch (const motcua::InputError&) {
  }
  return 0;
}
