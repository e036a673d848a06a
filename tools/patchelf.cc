#include "tools/tools.h"
namespace linkbox::tools { int run_patchelf(int, char**) { return 1; } }
