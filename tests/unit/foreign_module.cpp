// A module as another build would leave it: its table says FOREIGN_ABI and FOREIGN_BUILD.
// tst_moduleloader loads variants of it. Without FOREIGN_ABI it exports no table at all.

#include "cli/ModuleAbi.h"

namespace {
int run(int, char **)
{
    return 42;
}
} // namespace

#ifdef FOREIGN_ABI
extern "C" __attribute__((visibility("default"))) const QuorumdeckModule quorumdeck_module
    = {FOREIGN_ABI, FOREIGN_BUILD, &run, nullptr};
#else
extern "C" __attribute__((visibility("default"))) int quorumdeck_something_else(int argc, char **argv)
{
    return run(argc, argv);
}
#endif
