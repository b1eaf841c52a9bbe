// Layering probe (tests/CMakeLists.txt): compiled with the store stage's
// include roots only. With ECHOTRACE_PROBE_BACK_EDGE it includes a header of
// a later stage (link/), which must not compile; without it, it must.
#include "core/status.h"
#include "store/store.h"
#ifdef ECHOTRACE_PROBE_BACK_EDGE
#include "link/trace.h"
#endif

int echotrace_layering_probe() { return echotrace::Status::Ok().ok() ? 0 : 1; }
